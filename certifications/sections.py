"""What the certifications app adds to "My learning" and to a partner admin's team page."""

from __future__ import annotations

from django.http import HttpRequest

from certifications.selectors import credentials_of, progress_towards, team_matrix
from lms import clock


def learn_section(request: HttpRequest) -> dict:
    return {
        "credentials": credentials_of(user=request.user, now=clock.now()),
        "progress": progress_towards(user=request.user),
    }


def team_section(request: HttpRequest, organization) -> dict:
    return {"organization": organization, "matrix": team_matrix(organization=organization, now=clock.now())}
