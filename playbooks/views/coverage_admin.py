"""The Wagtail admin's "Message alignment" page: coverage by playbook, tier and organization.

For marketers, site admins and superusers (`can_view_coverage`, checked in each view, not
only in the menu). Every figure comes from `playbooks.coverage` in a fixed number of
queries, whatever the number of organizations.
"""

from __future__ import annotations

import csv
import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from lms.partners.models import Organization, Tier
from lms.partners.roles import StaffRole
from lms.partners.selectors import person_roles
from lms.spreadsheets import safe_cell
from playbooks.coverage import coverage_by_organization, playbook_totals, required_playbooks

PAGE_SIZE = 50
CSV_HEADER = (
    "organization",
    "name",
    "name_fa",
    "tier",
    "playbook",
    "translation_key",
    "version",
    "members",
    "acknowledged",
    "percent",
)


def can_view_coverage(user) -> bool:
    roles = person_roles(user)
    return roles.authenticated and not roles.is_partner and (roles.has(StaffRole.MARKETER) or roles.is_site_admin)


def _require_viewer(user) -> None:
    if not can_view_coverage(user):
        raise PermissionDenied(_("Message alignment is for marketers and site admins."))


class CoverageFilterForm(forms.Form):
    playbook = forms.ChoiceField(label=gettext_lazy("Playbook"), required=False)
    tier = forms.ChoiceField(label=gettext_lazy("Tier"), required=False)
    q = forms.CharField(label=gettext_lazy("Organization"), required=False, max_length=100)

    def __init__(self, data, *, playbooks) -> None:
        super().__init__(data)
        self.fields["playbook"].choices = [("", _("All playbooks"))] + [(p.key, p.title) for p in playbooks]
        self.fields["tier"].choices = [("", _("All tiers")), *Tier.choices]

    def value(self, name: str) -> str:
        return self.cleaned_data.get(name, "") if self.is_valid() else ""


def _report(request: HttpRequest):
    required = required_playbooks()
    form = CoverageFilterForm(request.GET, playbooks=required)
    organizations = Organization.objects.all()
    if form.value("tier"):
        organizations = organizations.filter(tier=form.value("tier"))
    if form.value("q"):
        text = form.value("q").strip()
        organizations = organizations.filter(Q(name__icontains=text) | Q(name_fa__icontains=text) | Q(slug=text))
    shown = [p for p in required if p.key == form.value("playbook")] if form.value("playbook") else required
    rows = coverage_by_organization(organizations=organizations, required=shown)
    return form, shown, rows


@require_safe
def coverage_index(request: HttpRequest) -> HttpResponse:
    _require_viewer(request.user)
    form, playbooks, rows = _report(request)
    asked = [row for row in rows if row.figures]
    page = Paginator(asked, PAGE_SIZE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        "page_title": _("Message alignment"),
        "header_icon": "tick-inverse",
        "form": form,
        "playbooks": playbooks,
        "totals": [
            (total, [total.by_tier.get(code) for code, _label in Tier.choices])
            for total in playbook_totals(playbooks, rows)
        ],
        "tiers": Tier.choices,
        "page": page,
        "organization_rows": [(row, [row.figures.get(p.key) for p in playbooks]) for row in page.object_list],
        "query": query.urlencode(),
    }
    response = TemplateResponse(request, "playbooks/coverage/admin.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def coverage_csv_text(playbooks, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        for playbook in playbooks:
            figure = row.figures.get(playbook.key)
            if figure is None:
                continue
            writer.writerow(
                [
                    safe_cell(row.slug),
                    safe_cell(row.name),
                    safe_cell(row.name_fa),
                    row.tier,
                    safe_cell(playbook.title),
                    playbook.key,
                    playbook.version,
                    figure.members,
                    figure.acknowledged,
                    "" if figure.percent is None else str(figure.percent),
                ]
            )
    return "\ufeff" + buffer.getvalue()  # the byte-order mark: spreadsheets read Persian right


@require_safe
def coverage_export(request: HttpRequest) -> HttpResponse:
    _require_viewer(request.user)
    form, playbooks, rows = _report(request)
    if request.GET and not form.is_valid():
        problems = [f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]
        return HttpResponseBadRequest("\n".join(problems), content_type="text/plain; charset=utf-8")
    response = HttpResponse(coverage_csv_text(playbooks, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="message-alignment.csv"'
    patch_cache_control(response, private=True, no_store=True)
    return response
