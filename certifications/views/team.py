"""The team's credentials for partner admins: the CSV export.

The matrix on the team page is a section (`certifications.sections.team_section`);
both are scoped by `access_managed_organization`, like every other team address.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from certifications.reports import team_credentials_csv
from certifications.selectors import team_credentials
from lms import clock
from lms.partners.permissions import access_managed_organization


@login_required
@require_safe
def credentials_export(request: HttpRequest, slug: str) -> HttpResponse:
    organization = access_managed_organization(request.user, slug=slug)
    body = team_credentials_csv(team_credentials(organization=organization), now=clock.now())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organization.slug}-credentials.csv"'
    patch_cache_control(response, private=True, no_store=True)
    return response
