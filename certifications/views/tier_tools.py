"""Tier pages for both tier managers (every organization) and partner admins (their own):
the what-if page, an organization's tier with people taken out or credentials added, and
the form that sends evidence for a manual gate.

Nothing the what-if page does is saved, so its scenario lives in the query string and the
page can be bookmarked.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from certifications.models import Certification
from certifications.permissions import can_view_tiers
from certifications.services.tier_actions import TierActionError, submit_gate_evidence
from certifications.services.tiers import NoActiveRules, active_rules, today
from certifications.tiers.evidence import EvidenceForm, requested_gates
from certifications.tiers.forms import WhatIfForm
from certifications.tiers.what_if import Scenario, compare
from certifications.tiers.wording import describe_gap, load_names
from lms.partners.models import Organization
from lms.partners.permissions import access_managed_organization


def _organization(user, slug: str) -> Organization:
    if can_view_tiers(user):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise Http404(_("No such organization."))
        return organization
    return access_managed_organization(user, slug=slug)


@login_required
@require_safe
def what_if(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization(request.user, slug)
    members = [
        (membership.user_id, membership.user.display_name)
        for membership in organization.memberships.select_related("user").order_by("user__first_name", "user__email")
    ]
    certifications = [
        (certification.slug, certification.display_name)
        for certification in Certification.objects.filter(is_active=True).order_by("name")
    ]
    form = WhatIfForm(request.GET or None, members=members, certifications=certifications)
    valid = form.is_bound and form.is_valid()
    if valid and form.cleaned_data.get("grant_certification"):
        # The addition joins the scenario's address, so reloading the page adds nothing more.
        return redirect(f"{request.path}?{_query(form.cleaned_data['remove'], form.cleaned_data['additions'])}")
    try:
        comparison = compare(organization, form.scenario() if valid else Scenario())
    except NoActiveRules:
        comparison = None
    names = load_names() if comparison is not None else None
    context = {
        "organization": organization,
        "form": form,
        "comparison": comparison,
        "additions": _additions(form) if valid else [],
        "gaps_before": [describe_gap(gap, names) for gap in comparison.before.next_gaps] if comparison else [],
        "gaps_after": [describe_gap(gap, names) for gap in comparison.after.next_gaps] if comparison else [],
        "can_view_tiers": can_view_tiers(request.user),
    }
    status = 400 if form.is_bound and not valid else 200
    response = render(request, "certifications/tiers/what_if.html", context, status=status)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _query(removed: list[str], additions: list[str]) -> str:
    query = QueryDict(mutable=True)
    query.setlist("remove", removed)
    query.setlist("add", additions)
    return query.urlencode()


def _additions(form: WhatIfForm) -> list[tuple[str, str, str]]:
    """Each addition's value, its label, and the scenario's query string without it."""
    additions = form.cleaned_data["additions"]
    return [
        (
            value,
            form.addition_label(value),
            _query(form.cleaned_data["remove"], additions[:index] + additions[index + 1 :]),
        )
        for index, value in enumerate(additions)
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submit_evidence(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization(request.user, slug)
    try:
        gates = requested_gates(active_rules(on=today()).rule_set)
    except NoActiveRules:
        gates = []
    if not gates:
        raise Http404(_("The partner program's tier rules ask for no evidence."))
    form = EvidenceForm(request.POST or None, request.FILES or None, gates=gates)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                submit_gate_evidence(
                    organization=organization,
                    gate=form.cleaned_data["gate"],
                    evidence=form.cleaned_data["evidence"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except TierActionError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("The evidence was sent; a tier manager will review it."))
                if can_view_tiers(request.user):
                    return redirect("tiers:organization", slug=organization.slug)
                return redirect("partners:team", slug=organization.slug)
    else:
        status = 200
    context = {"organization": organization, "form": form, "can_view_tiers": can_view_tiers(request.user)}
    return render(request, "certifications/tiers/submit_evidence.html", context, status=status)
