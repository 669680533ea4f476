"""One organization's tier page at /tiers/<slug>/: the live breakdown, the competency
matrix, history, headcount chart and forecast; the override, lock-in and gate-evidence
forms with their refusals; and who may download the evidence."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from certifications.models import GateApproval, HeadcountSample, TierChange, TierStanding
from certifications.services.tier_actions import submit_gate_evidence
from certifications.services.tiers import evaluate_tiers
from certifications.tiers.wording import describe_gap, describe_requirement, load_names
from lms.partners.roles import StaffRole
from tests.certifications import builders
from tests.factories import OrganizationFactory, UserFactory
from tests.tiers.test_dashboard import NOW, TODAY, member, now, rules  # noqa: F401  (now: the clock fixture)

pytestmark = pytest.mark.django_db

DEFINITION = {
    "tiers": [
        {"code": "registered"},
        {"code": "silver", "requirement": {"type": "headcount", "id": "silver-people", "minimum": 1, "filter": {}}},
        {
            "code": "gold",
            "requirement": {
                "type": "tracks",
                "id": "gold-tracks",
                "tracks": [
                    {
                        "name": "Certification track",
                        "requirement": {
                            "type": "headcount",
                            "id": "gold-headcount",
                            "minimum": 3,
                            "filter": {},
                            "subquotas": [
                                {"label": "professional", "minimum": 1, "filter": {"levels": ["professional"]}}
                            ],
                        },
                    },
                    {
                        "name": "Business track",
                        "requirement": {
                            "type": "points",
                            "id": "gold-points",
                            "minimum_total": "100",
                            "items": [
                                {
                                    "label": "certified people",
                                    "source": {"headcount": {}},
                                    "per_unit": "10",
                                    "cap": "50",
                                }
                            ],
                        },
                    },
                ],
            },
        },
        {
            "code": "platinum",
            "requirement": {
                "type": "all_of",
                "id": "platinum-all",
                "requirements": [
                    {"type": "headcount", "id": "platinum-headcount", "minimum": 5, "filter": {}},
                    {"type": "gate", "id": "platinum-audit", "gate": "partner-audit", "label": "Annual partner audit"},
                ],
            },
        },
    ],
    "scores": [],
}


def page_url(organization) -> str:
    return f"/tiers/{organization.slug}/"


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def manager(make_staff):
    return make_staff(StaffRole.TIER_MANAGER, first_name="Tara", last_name="Manager")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def certified(organization):
    """Parsian with two certified people: Silver met, Gold two people short of three."""
    rules(definition=DEFINITION)
    associate = builders.certification(validity_months=24)
    professional = builders.certification(
        name="Zero Trust Professional",
        name_fa="متخصص اعتماد صفر",
        slug="zero-trust-professional",
        level="professional",
        validity_months=12,
    )
    builders.issue(
        member(organization, first_name="Ava", last_name="Adams"), associate, issued_at=NOW - timedelta(days=10)
    )
    builders.issue(
        member(organization, first_name="Bijan", last_name="Bahrami"), professional, issued_at=NOW - timedelta(days=10)
    )
    return organization


@pytest.fixture
def evidence(organization, partner_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return submit_gate_evidence(
        organization=organization,
        gate="partner-audit",
        evidence=ContentFile(b"%PDF-1.4 audit", name="audit.pdf"),
        note="2027 audit",
        actor=partner_admin,
    )


# -- Who may see it --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, organization):
    response = client.get(page_url(organization))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["learner", "partner_admin", "course_author"])
def test_people_without_tier_access_are_refused_even_for_their_own_organization(
    client, request, make_staff, organization, who
):
    user = make_staff(StaffRole.COURSE_AUTHOR) if who == "course_author" else request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(page_url(organization))
    assert response.status_code == 403
    assert "for tier managers and site admins" in response.content.decode()


def test_an_unknown_organization_is_not_found(manager_client):
    assert manager_client.get("/tiers/no-such-partner/").status_code == 404


def test_site_admins_see_the_page_too(client, site_admin, certified):
    client.force_login(site_admin)
    assert client.get(page_url(certified)).status_code == 200


# -- What it shows ---------------------------------------------------------------------------


def test_every_requirement_is_broken_down_with_its_sentence_figures_and_people(manager_client, certified):
    response = manager_client.get(page_url(certified))
    assert response.status_code == 200
    body = text_of(response)
    [outcome] = evaluate_tiers(organization_ids=[certified.pk], dry_run=True)
    names = load_names()

    def sentences(result):
        yield describe_requirement(result.rule, names)
        for child in result.children:
            yield from sentences(child)

    for tier in outcome.evaluation.tiers:
        if tier.result is not None:
            for sentence in sentences(tier.result):
                assert sentence in body
    assert "Ava Adams, Bijan Bahrami" in body  # the people the Silver headcount counted
    assert "2 people counted" in body
    assert body.count("is-best-track") == 1
    assert "Parts needed" in body  # the all-of of Platinum
    assert "What Gold needs" in body
    for gap in outcome.evaluation.next_gaps:
        assert describe_gap(gap, names) in body


def test_the_best_track_is_the_one_closest_to_being_met(manager_client, certified):
    body = text_of(manager_client.get(page_url(certified)))
    best = body.index("is-best-track")
    assert describe_requirement_named("Certification track") in body[best : best + 2000]


def describe_requirement_named(track_name: str) -> str:
    [outcome] = evaluate_tiers(dry_run=True)
    gold = next(tier for tier in outcome.evaluation.tiers if tier.code == "gold")
    track = next(child for child in gold.result.children if child.rule.name == track_name)
    return describe_requirement(track.rule, load_names())


def test_without_an_active_rule_set_the_page_says_so_instead_of_failing(manager_client, organization):
    response = manager_client.get(page_url(organization))
    assert response.status_code == 200
    assert "No tier rule set is active" in response.content.decode()


def test_the_competency_matrix_lists_people_by_certification_with_expiry(manager_client, certified):
    body = text_of(manager_client.get(page_url(certified)))
    assert "Zero Trust Professional" in body
    assert "Certified Cloud Security Associate" in body
    assert "until 31 January 2029" in body  # issued on 31 January 2027, valid for 24 months
    assert "until 31 January 2028" in body  # the professional one, for 12


def test_history_shows_the_engine_and_people_with_their_reasons(manager_client, manager, certified):
    evaluate_tiers()  # the engine promotes Parsian to Silver
    manager_client.post(f"{page_url(certified)}override/", {"tier": "gold", "until": "", "reason": "Strategic partner"})
    body = text_of(manager_client.get(page_url(certified)))
    history = body[body.index('id="history-heading"') :]
    assert "Promoted" in history and "tier engine" in history
    assert "Tier overridden" in history and "Tara Manager" in history and "Strategic partner" in history


def test_the_headcount_chart_is_drawn_on_the_server_with_a_table_alternative(manager_client, certified):
    HeadcountSample.objects.create(organization=certified, day=TODAY - timedelta(days=40), certified_people=1)
    evaluate_tiers()  # records today's two
    body = text_of(manager_client.get(page_url(certified)))
    chart = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in chart and "<title" in chart
    assert '<path class="chart-line" d="M40.0 ' in chart
    assert chart.count("<circle") == 2
    assert "<script" not in body and "http" not in chart  # no library, no outside assets
    table = body[body.index("Show the numbers as a table") :]
    assert "1 January 2027" in table and "10 February 2027" in table


def test_the_chart_numbers_stay_machine_readable_in_persian(manager_client, certified):
    HeadcountSample.objects.create(organization=certified, day=TODAY - timedelta(days=40), certified_people=1)
    evaluate_tiers()
    body = manager_client.get(f"/fa{page_url(certified)}").content.decode()
    chart = body[body.index("<svg") : body.index("</svg>")]
    assert 'viewBox="0 0 640 180"' in chart
    assert "۱۱ دی ۱۴۰۵" in chart  # 1 January 2027, the first sample's day, as a label


def test_the_forecast_and_risk_dates_are_shown(manager_client, certified):
    TierStanding.objects.create(
        organization=certified, at_risk_since=TODAY - timedelta(days=5), demote_on=TODAY + timedelta(days=25)
    )
    body = text_of(manager_client.get(page_url(certified)))
    facts = body[body.index('id="standing-heading"') : body.index('id="next-heading"')]
    assert "At risk since" in facts and "5 February 2027" in facts
    assert "Demotion due" in facts and "7 March 2027" in facts
    [outcome] = evaluate_tiers(dry_run=True)
    loss = outcome.forecast_loss_on
    assert loss is not None
    assert f"{loss.day} {loss:%B} {loss.year}" in facts


# -- The override and lock-in forms ------------------------------------------------------------


def test_an_override_holds_the_tier_and_is_recorded(manager_client, manager, certified):
    until = TODAY + timedelta(days=60)
    response = manager_client.post(
        f"{page_url(certified)}override/",
        {"tier": "gold", "until": until.isoformat(), "reason": "Strategic"},
        follow=True,
    )
    assert response.redirect_chain == [(page_url(certified), 302)]
    assert "held at Gold until 11 April 2027" in text_of(response)
    certified.refresh_from_db()
    assert certified.tier == "gold"
    stored = TierStanding.objects.get(pk=certified.pk)
    assert (stored.override, stored.override_until, stored.override_reason) == ("gold", until, "Strategic")
    change = TierChange.objects.get(kind=TierChange.Kind.OVERRIDE_SET)
    assert (change.actor, change.reason, change.to_tier) == (manager, "Strategic", "gold")


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"tier": "gold", "until": "", "reason": ""}, 400, "This field is required."),
        ({"tier": "diamond", "until": "", "reason": "x"}, 400, "Select a valid choice"),
        ({"tier": "gold", "until": "2027-13-45", "reason": "x"}, 400, "Enter a valid date."),
        ({"tier": "gold", "until": "2027-02-10", "reason": "x"}, 409, "The override must end after today."),
        ({"tier": "gold", "until": "", "reason": "x" * 501}, 400, "at most 500 characters"),
    ],
)
def test_bad_overrides_show_the_form_with_its_errors_and_write_nothing(
    manager_client, certified, data, status, message
):
    response = manager_client.post(f"{page_url(certified)}override/", data)
    assert response.status_code == status
    body = text_of(response)
    assert message in body
    assert 'id="override-tier"' in body  # the form is shown again
    certified.refresh_from_db()
    assert certified.tier == "registered"
    assert not TierStanding.objects.filter(override__gt="").exists()
    assert not TierChange.objects.exists()


def test_ending_an_override_hands_the_tier_back_to_the_rules(manager_client, certified):
    manager_client.post(f"{page_url(certified)}override/", {"tier": "platinum", "until": "", "reason": "Deal"})
    response = manager_client.post(f"{page_url(certified)}override/clear/", {"reason": "Deal closed"}, follow=True)
    assert "The override of Parsian Cloud has ended" in text_of(response)
    assert TierStanding.objects.get(pk=certified.pk).override == ""
    ended = TierChange.objects.get(kind=TierChange.Kind.OVERRIDE_ENDED, actor__isnull=False)
    assert ended.reason == "Deal closed"


def test_ending_an_override_that_is_not_there_is_refused(manager_client, certified):
    response = manager_client.post(f"{page_url(certified)}override/clear/", {"reason": "Tidy up"})
    assert response.status_code == 409
    assert "not overridden" in text_of(response)
    assert not TierChange.objects.exists()


def test_a_lock_in_is_saved_and_can_be_removed(manager_client, manager, certified):
    until = TODAY + timedelta(days=120)
    response = manager_client.post(
        f"{page_url(certified)}lock-in/", {"until": until.isoformat(), "reason": "Contract"}, follow=True
    )
    assert "will not be demoted before 10 June 2027" in text_of(response)
    assert TierStanding.objects.get(pk=certified.pk).lock_in_until == until
    change = TierChange.objects.get(kind=TierChange.Kind.LOCK_IN_SET)
    assert (change.actor, change.reason, change.effective_on) == (manager, "Contract", until)
    manager_client.post(f"{page_url(certified)}lock-in/", {"until": "", "reason": "Contract ended"})
    assert TierStanding.objects.get(pk=certified.pk).lock_in_until is None


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"until": (TODAY - timedelta(days=1)).isoformat(), "reason": "x"}, 409, "The lock-in must end after today."),
        ({"until": "someday", "reason": "x"}, 400, "Enter a valid date."),
        ({"until": (TODAY + timedelta(days=9)).isoformat(), "reason": "  "}, 400, "This field is required."),
    ],
)
def test_bad_lock_ins_are_refused_and_write_nothing(manager_client, certified, data, status, message):
    response = manager_client.post(f"{page_url(certified)}lock-in/", data)
    assert response.status_code == status
    assert message in text_of(response)
    assert not TierStanding.objects.filter(lock_in_until__isnull=False).exists()
    assert not TierChange.objects.exists()


@pytest.mark.parametrize("action", ["override/", "override/clear/", "lock-in/"])
def test_only_tier_managers_can_change_a_tier(client, make_staff, certified, action):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_tierstanding"))
    for user in (viewer, make_staff(StaffRole.COURSE_AUTHOR)):
        client.force_login(user)
        response = client.post(f"{page_url(certified)}{action}", {"tier": "gold", "until": "", "reason": "x"})
        assert response.status_code == 403
    certified.refresh_from_db()
    assert certified.tier == "registered"
    assert not TierChange.objects.exists()


def test_a_viewer_without_the_manage_permission_gets_no_forms(client, certified, evidence):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_tierstanding"))
    client.force_login(viewer)
    body = client.get(page_url(certified)).content.decode()
    assert "Manage this tier" not in body
    assert "Approve the evidence" not in body
    assert "Download the evidence" in body


# -- Gate evidence ---------------------------------------------------------------------------


def gate_url(approval, what: str) -> str:
    return f"/tiers/{approval.organization.slug}/gates/{approval.pk}/{what}/"


def test_pending_evidence_is_approved_with_an_expiry(manager_client, manager, certified, evidence):
    page = text_of(manager_client.get(page_url(certified)))
    assert "partner-audit" in page and "2027 audit" in page and "Approve the evidence" in page
    prefix = f"gate-{evidence.pk}"
    expires = TODAY + timedelta(days=365)
    response = manager_client.post(
        gate_url(evidence, "decide"),
        {f"{prefix}-decision": "approve", f"{prefix}-expires_on": expires.isoformat(), f"{prefix}-reason": ""},
        follow=True,
    )
    assert "The partner-audit evidence of Parsian Cloud was approved." in text_of(response)
    evidence.refresh_from_db()
    assert (evidence.status, evidence.decided_by, evidence.expires_on) == (
        GateApproval.Status.APPROVED,
        manager,
        expires,
    )
    assert TierChange.objects.filter(kind=TierChange.Kind.GATE_APPROVED, actor=manager).count() == 1


def test_rejecting_evidence_needs_a_reason(manager_client, certified, evidence):
    prefix = f"gate-{evidence.pk}"
    refused = manager_client.post(
        gate_url(evidence, "decide"), {f"{prefix}-decision": "reject", f"{prefix}-reason": ""}
    )
    assert refused.status_code == 409
    assert "Give a reason" in text_of(refused)
    evidence.refresh_from_db()
    assert evidence.status == GateApproval.Status.PENDING
    manager_client.post(gate_url(evidence, "decide"), {f"{prefix}-decision": "reject", f"{prefix}-reason": "Unsigned"})
    evidence.refresh_from_db()
    assert (evidence.status, evidence.decision_note) == (GateApproval.Status.REJECTED, "Unsigned")
    again = manager_client.post(gate_url(evidence, "decide"), {f"{prefix}-decision": "approve"})
    assert again.status_code == 409
    assert "already been decided" in text_of(again)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "maybe"}, "Select a valid choice"),
        ({"decision": "approve", "expires_on": "31/12/2027"}, "Enter a valid date."),
    ],
)
def test_bad_gate_decisions_show_the_form_errors(manager_client, certified, evidence, data, message):
    prefix = f"gate-{evidence.pk}"
    response = manager_client.post(
        gate_url(evidence, "decide"), {f"{prefix}-{key}": value for key, value in data.items()}
    )
    assert response.status_code == 400
    assert message in text_of(response)
    evidence.refresh_from_db()
    assert evidence.status == GateApproval.Status.PENDING


def test_evidence_of_another_organization_is_not_found_under_this_one(manager_client, certified, evidence):
    other = OrganizationFactory()
    prefix = f"gate-{evidence.pk}"
    assert (
        manager_client.post(
            f"/tiers/{other.slug}/gates/{evidence.pk}/decide/", {f"{prefix}-decision": "approve"}
        ).status_code
        == 404
    )
    assert manager_client.get(f"/tiers/{other.slug}/gates/{evidence.pk}/evidence/").status_code == 404
    evidence.refresh_from_db()
    assert evidence.status == GateApproval.Status.PENDING


@pytest.mark.parametrize("role", [StaffRole.TIER_MANAGER, StaffRole.SITE_ADMIN])
def test_the_evidence_file_is_a_private_download_for_tier_staff(client, make_staff, evidence, role):
    client.force_login(make_staff(role))
    response = client.get(gate_url(evidence, "evidence"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 audit"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["learner", "partner_admin", "other_partner_admin", "course_author"])
def test_the_evidence_file_is_refused_to_everyone_else(client, request, make_staff, evidence, who):
    user = make_staff(StaffRole.COURSE_AUTHOR) if who == "course_author" else request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(gate_url(evidence, "evidence")).status_code == 403


def test_the_evidence_file_needs_a_sign_in(client, evidence):
    response = client.get(gate_url(evidence, "evidence"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_missing_evidence_file_is_not_found_rather_than_an_error(manager_client, evidence):
    evidence.evidence.storage.delete(evidence.evidence.name)
    assert manager_client.get(gate_url(evidence, "evidence")).status_code == 404
