"""Sections that feature apps add to the portal's pages.

The portal shell knows no feature app. Each app registers, in its AppConfig.ready(),
the sections it contributes to "My learning" (/learn/) and to a partner's team page
(/partner/<slug>/); each section is a template plus a function giving its context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[..., dict[str, Any]]  # learn: (request); team: (request, organization)
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    template: str
    data: dict[str, Any]


LEARN_SECTIONS: list[Section] = []
TEAM_SECTIONS: list[Section] = []


def learn_sections(request: HttpRequest) -> list[RenderedSection]:
    return [
        RenderedSection(section.template, section.context(request))
        for section in sorted(LEARN_SECTIONS, key=lambda section: section.order)
    ]


def team_sections(request: HttpRequest, organization) -> list[RenderedSection]:
    return [
        RenderedSection(section.template, section.context(request, organization))
        for section in sorted(TEAM_SECTIONS, key=lambda section: section.order)
    ]
