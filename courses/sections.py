"""What the courses app adds to "My learning" and to a partner admin's team page."""

from __future__ import annotations

from django.http import HttpRequest

from courses.reports import learning_dashboard, team_progress


def learn_section(request: HttpRequest) -> dict:
    return {"learning": learning_dashboard(request.user)}


def team_section(request: HttpRequest, organization) -> dict:
    rows = team_progress(organization)
    return {"organization": organization, "rows": rows}
