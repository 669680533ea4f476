"""Mark one's notifications read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from lms.notifications.services import mark_all_read


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    mark_all_read(user=request.user)
    return redirect("portal:learn")
