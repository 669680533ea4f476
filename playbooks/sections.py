"""The playbooks section of a partner's team page: who has acknowledged which playbook."""

from __future__ import annotations

from django.http import HttpRequest


def team_section(request: HttpRequest, organization) -> dict:
    return {}
