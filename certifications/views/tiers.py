"""The tier managers' pages: the dashboard of every partner's tier standing (with its CSV
export and the bulk decision on pending promotions) and one organization's page (the live
breakdown, history, headcount, and the override, lock-in and gate-evidence decisions).

Tier managers and site admins see them (`can_view_tiers`); only those who may manage
tiers (`can_manage_tiers`) get the forms, and the services check that again. Each view
parses the request, checks access, calls a selector or service, and responds.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from certifications.models import GateApproval
from certifications.permissions import can_manage_tiers, can_view_tiers
from certifications.selectors import team_matrix
from certifications.services import tier_actions
from certifications.services.tier_actions import TierActionError
from certifications.services.tiers import today
from certifications.tiers.forms import (
    ClearOverrideForm,
    DashboardFilterForm,
    GateDecisionForm,
    LockInForm,
    OverrideForm,
    PromotionDecisionForm,
)
from certifications.tiers.selectors import (
    PAGE_SIZE,
    DashboardRow,
    dashboard_organizations,
    dashboard_rows,
    gate_approvals,
    headcount_chart,
    headcount_samples,
    organization_breakdown,
    organization_gate_approval,
    organization_with_standing,
    standing_of,
    tier_history,
)
from lms import clock
from lms.calendars import format_date
from lms.i18n import local_digits, local_list
from lms.partners.models import Organization, Tier
from lms.spreadsheets import safe_cell

MATRIX_COLUMNS = 20  # the team page shows fewer; a tier manager reads every competency here
CSV_HEADER = (
    "slug",
    "name",
    "name_fa",
    "tier",
    "eligible_tier",
    "pending_promotion_to",
    "at_risk_since",
    "demotion_due",
    "override_tier",
    "override_until",
    "would_lose_tier_on",
    "certified_people",
)


def _require_viewer(user) -> None:
    if not can_view_tiers(user):
        raise PermissionDenied(_("The partner tier pages are for tier managers and site admins."))


def _require_manager(user) -> None:
    if not can_manage_tiers(user):
        raise PermissionDenied(_("Only tier managers can change partner tiers."))


def _organization(user, slug: str, *, manage: bool = False) -> Organization:
    """The organization at `slug` with its standing, once the user may see (or manage) tiers."""
    (_require_manager if manage else _require_viewer)(user)
    organization = organization_with_standing(slug=slug)
    if organization is None:
        raise Http404(_("No such organization."))
    return organization


def _tier_name(code: str) -> str:
    return str(Tier(code).label) if code in Tier.values else code


# -- The dashboard ---------------------------------------------------------------------------


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_viewer(request.user)
    form = DashboardFilterForm(request.GET)
    form.is_valid()  # invalid filters are shown with their errors and left out
    filters = form.filters()
    paginator = Paginator(dashboard_organizations(filters=filters, today=today()), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(dashboard_rows(page.object_list))
    can_manage = can_manage_tiers(request.user)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "can_manage": can_manage,
        "can_decide": can_manage and any(row.pending for row in rows),
        "decision_form": PromotionDecisionForm(),
    }
    response = render(request, "certifications/tiers/dashboard.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response


class _Echo:
    """A file-like object that hands back what is written, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _csv_lines(rows: Iterable[DashboardRow]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_HEADER)  # the byte-order mark: spreadsheets read Persian right
    for row in rows:
        organization, standing = row.organization, row.standing
        yield writer.writerow(
            [
                safe_cell(organization.slug),
                safe_cell(organization.name),
                safe_cell(organization.name_fa),
                organization.tier,
                row.eligible,
                row.pending,
                _iso(standing.at_risk_since if standing else None),
                _iso(standing.demote_on if standing else None),
                standing.override if standing else "",
                _iso(standing.override_until if standing else None),
                _iso(row.forecast_loss_on),
                row.certified_people,
            ]
        )


@login_required
@require_safe
def export(request: HttpRequest) -> HttpResponse:
    """The dashboard's rows as CSV (every page), with the same filters and order."""
    _require_viewer(request.user)
    form = DashboardFilterForm(request.GET)
    if not form.is_valid():
        problems = [f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]
        return HttpResponseBadRequest("\n".join(problems), content_type="text/plain; charset=utf-8")
    day = today()
    organizations = dashboard_organizations(filters=form.filters(), today=day).iterator(chunk_size=2000)
    response = StreamingHttpResponse(_csv_lines(dashboard_rows(organizations)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partner-tiers-{day.isoformat()}.csv"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def _back_to_dashboard(request: HttpRequest) -> HttpResponse:
    """To the page the form was sent from (its filters and page), else the dashboard."""
    target = request.POST.get("next", "")
    home = reverse("tiers:dashboard")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return redirect(target if allowed and target.startswith(home) else home)


@login_required
@require_POST
def decide(request: HttpRequest) -> HttpResponse:
    """Approve or reject the pending promotions of the chosen organizations."""
    _require_manager(request.user)
    form = PromotionDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_dashboard(request)
    chosen = {organization.slug: organization for organization in form.cleaned_data["organizations"]}
    try:
        result = tier_actions.decide_promotions(
            organization_ids=[organization.pk for organization in chosen.values()],
            approve=form.approve,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except TierActionError as error:
        messages.error(request, str(error))
        return _back_to_dashboard(request)
    if result.done:
        names = local_list(chosen[slug].display_name for slug in result.done)
        count, shown = len(result.done), local_digits(len(result.done))
        if form.approve:
            text = ngettext(
                "%(count)s promotion approved: %(names)s", "%(count)s promotions approved: %(names)s", count
            )
        else:
            text = ngettext(
                "%(count)s promotion rejected: %(names)s", "%(count)s promotions rejected: %(names)s", count
            )
        messages.success(request, text % {"count": shown, "names": names})
    skipped = [organization for slug, organization in chosen.items() if slug not in result.done]
    if skipped:
        names = local_list(organization.display_name for organization in skipped)
        messages.info(request, _("No promotion was pending for: %(names)s") % {"names": names})
    return _back_to_dashboard(request)


# -- One organization -------------------------------------------------------------------------


@dataclass(frozen=True)
class GateRow:
    approval: GateApproval
    form: GateDecisionForm | None  # for pending evidence, to those who may decide


def _gate_prefix(approval: GateApproval) -> str:
    return f"gate-{approval.pk}"


def _organization_page(
    request: HttpRequest, organization: Organization, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    can_manage = can_manage_tiers(request.user)
    standing = standing_of(organization)
    bound = bound or {}
    action_forms: dict[str, forms.Form] = {}
    if can_manage:
        action_forms = {
            "override": OverrideForm(initial={"tier": (standing.override if standing else "") or organization.tier}),
            "clear_override": ClearOverrideForm(),
            "lock_in": LockInForm(initial={"until": standing.lock_in_until if standing else None}),
        }
        action_forms.update(bound)
    gates = [
        GateRow(
            approval,
            (bound.get(_gate_prefix(approval)) or GateDecisionForm(prefix=_gate_prefix(approval)))
            if can_manage and approval.status == GateApproval.Status.PENDING
            else None,
        )
        for approval in gate_approvals(organization=organization)
    ]
    day = today()
    breakdown = organization_breakdown(organization=organization)
    if breakdown is not None:
        forecast_loss_on = breakdown.forecast_loss_on
    else:
        forecast_loss_on = standing.forecast_loss_on if standing else None
    context = {
        "organization": organization,
        "standing": standing,
        "breakdown": breakdown,
        "forecast_loss_on": forecast_loss_on,
        "matrix": team_matrix(organization=organization, now=clock.now(), max_columns=MATRIX_COLUMNS),
        "history": tier_history(organization=organization),
        "chart": headcount_chart(headcount_samples(organization=organization), today=day),
        "gates": gates,
        "forms": action_forms,
        "can_manage": can_manage,
        "today": day,
    }
    response = render(request, "certifications/tiers/organization.html", context, status=status)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_safe
def organization(request: HttpRequest, slug: str) -> HttpResponse:
    return _organization_page(request, _organization(request.user, slug))


def _act(
    request: HttpRequest,
    organization: Organization,
    key: str,
    form: forms.Form,
    action: Callable[[dict], str],
) -> HttpResponse:
    """Run `action` with the form's data and go back to the page with its message. Bad
    input shows the page again with the form's errors; a refusal shows it with the refusal
    on top (the form it came from may no longer be offered) and the input kept."""
    if not form.is_valid():
        return _organization_page(request, organization, bound={key: form}, status=400)
    try:
        message = action(form.cleaned_data)
    except TierActionError as error:
        messages.error(request, str(error))
        return _organization_page(request, organization, bound={key: form}, status=409)
    messages.success(request, message)
    return redirect("tiers:organization", slug=organization.slug)


def _on(day) -> str:
    return format_date(day, get_language())


@login_required
@require_POST
def override(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization(request.user, slug, manage=True)

    def act(data: dict) -> str:
        tier_actions.set_override(
            organization=organization, tier=data["tier"], until=data["until"], reason=data["reason"], actor=request.user
        )
        values = {"organization": organization.display_name, "tier": _tier_name(data["tier"])}
        if data["until"]:
            values["date"] = _on(data["until"])
            return _("%(organization)s is held at %(tier)s until %(date)s.") % values
        return _("%(organization)s is held at %(tier)s until the override is cleared.") % values

    return _act(request, organization, "override", OverrideForm(request.POST), act)


@login_required
@require_POST
def clear_override(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization(request.user, slug, manage=True)

    def act(data: dict) -> str:
        tier_actions.clear_override(organization=organization, reason=data["reason"], actor=request.user)
        return _("The override of %(organization)s has ended; the tier rules apply again.") % {
            "organization": organization.display_name
        }

    return _act(request, organization, "clear_override", ClearOverrideForm(request.POST), act)


@login_required
@require_POST
def lock_in(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization(request.user, slug, manage=True)

    def act(data: dict) -> str:
        tier_actions.set_lock_in(
            organization=organization, until=data["until"], reason=data["reason"], actor=request.user
        )
        if data["until"]:
            return _("%(organization)s will not be demoted before %(date)s.") % {
                "organization": organization.display_name,
                "date": _on(data["until"]),
            }
        return _("The lock-in of %(organization)s was removed.") % {"organization": organization.display_name}

    return _act(request, organization, "lock_in", LockInForm(request.POST), act)


@login_required
@require_POST
def gate_decision(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = _organization(request.user, slug, manage=True)
    approval = organization_gate_approval(organization=organization, pk=pk)
    if approval is None:
        raise Http404(_("No such evidence."))
    form = GateDecisionForm(request.POST, prefix=_gate_prefix(approval))

    def act(data: dict) -> str:
        approve = form.approve
        tier_actions.decide_gate(
            approval=approval, approve=approve, expires_on=data["expires_on"], reason=data["reason"], actor=request.user
        )
        values = {"gate": approval.gate, "organization": organization.display_name}
        if approve:
            return _("The %(gate)s evidence of %(organization)s was approved.") % values
        return _("The %(gate)s evidence of %(organization)s was rejected.") % values

    return _act(request, organization, _gate_prefix(approval), form, act)


@login_required
@require_safe
def gate_evidence(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The evidence file, to those who may see tiers only (never a public media address).
    Always a download, so an uploaded page is never rendered on this site."""
    organization = _organization(request.user, slug)
    approval = organization_gate_approval(organization=organization, pk=pk)
    if approval is None or not approval.evidence:
        raise Http404(_("No such evidence."))
    try:
        handle = approval.evidence.open("rb")
    except OSError:
        raise Http404(_("The evidence file is missing.")) from None
    response = FileResponse(handle, as_attachment=True, filename=PurePath(approval.evidence.name).name)
    patch_cache_control(response, private=True, no_store=True)
    return response
