"""Acknowledging a playbook: the service, the reader's panel, the view and the team list."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lms.notifications.models import Notification
from lms.partners.models import Membership, Tier
from playbooks.models import Acknowledgement, PlaybookPage
from playbooks.receivers import NEW_VERSION_KIND, notify_new_version
from playbooks.services.acknowledgements import AcknowledgementError, Outcome, acknowledge_playbook
from tests.factories import OrganizationFactory
from tests.playbooks import builders
from tests.playbooks import coverage_builders as cb

pytestmark = pytest.mark.django_db

RIGHT = cb.right_answers(cb.QUESTIONS)
RIGHT_ANSWERS = {int(name[1:]): int(value) for name, value in RIGHT.items()}


def post(client, page, **data):
    return client.post(f"/acknowledgements/{page.pk}/", data)


def panel(client, page) -> str:
    html = client.get(page.url).content.decode()
    start = html.find('id="acknowledgement"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


# -- The service ------------------------------------------------------------------------------


def test_right_answers_record_the_current_version(learner, organization):
    page = cb.required(questions=cb.QUESTIONS, version=3)

    result = acknowledge_playbook(user=learner, playbook=page, answers=RIGHT_ANSWERS)

    assert result.outcome == Outcome.RECORDED
    row = Acknowledgement.objects.get()
    assert (row.user, row.organization, row.playbook_id, row.version, row.check_score) == (
        learner,
        organization,
        page.pk,
        3,
        3,
    )
    assert row.translation_key == page.translation_key


def test_a_wrong_answer_names_the_question_and_records_nothing(learner):
    page = cb.required(questions=cb.QUESTIONS)

    result = acknowledge_playbook(user=learner, playbook=page, answers={**RIGHT_ANSWERS, 2: 2, 3: 1})

    assert result.outcome == Outcome.WRONG
    assert result.wrong == [2, 3]
    assert not Acknowledgement.objects.exists()


def test_every_question_must_be_answered(learner):
    page = cb.required(questions=cb.QUESTIONS)
    with pytest.raises(AcknowledgementError):
        acknowledge_playbook(user=learner, playbook=page, answers={1: 2, 2: 1})
    assert not Acknowledgement.objects.exists()


def test_acknowledging_twice_keeps_one_row_and_says_already(learner):
    page = cb.required(version=3)

    first = acknowledge_playbook(user=learner, playbook=page, answers={})
    second = acknowledge_playbook(user=learner, playbook=page, answers={})

    assert (first.outcome, second.outcome) == (Outcome.RECORDED, Outcome.ALREADY)
    assert second.acknowledgement.pk == first.acknowledgement.pk
    assert Acknowledgement.objects.count() == 1


def test_vendor_staff_and_people_outside_any_organization_cannot_acknowledge(site_admin, make_member):
    page = cb.required()
    with pytest.raises(PermissionDenied):
        acknowledge_playbook(user=site_admin, playbook=page, answers={})
    assert not Acknowledgement.objects.exists()


def test_a_playbook_that_asks_nothing_cannot_be_acknowledged(learner):
    page = builders.playbook(title="No ask")
    with pytest.raises(AcknowledgementError) as error:
        acknowledge_playbook(user=learner, playbook=page, answers={})
    assert error.value.status == 404
    assert not Acknowledgement.objects.exists()


def test_a_silver_person_cannot_acknowledge_a_gold_playbook(client, silver_member):
    page = cb.required(minimum_tier=Tier.GOLD)
    with pytest.raises(PermissionDenied):
        acknowledge_playbook(user=silver_member, playbook=page, answers={})

    client.force_login(silver_member)
    assert post(client, page, version="1").status_code == 403
    assert not Acknowledgement.objects.exists()


def test_another_organizations_playbook_is_a_404(client, learner, other_organization):
    page = cb.required(audience_organizations=[other_organization])
    with pytest.raises(Http404):
        acknowledge_playbook(user=learner, playbook=page, answers={})

    client.force_login(learner)
    assert post(client, page, version="1").status_code == 404
    assert not Acknowledgement.objects.exists()


def test_either_language_counts_for_both(client, learner):
    english = cb.required(version=2)
    persian = builders.translate(english, "fa", title="فروش پشتیبان‌گیری")
    assert persian.requires_acknowledgement and persian.message_version == 2

    assert acknowledge_playbook(user=learner, playbook=persian, answers={}).outcome == Outcome.RECORDED
    assert acknowledge_playbook(user=learner, playbook=english, answers={}).outcome == Outcome.ALREADY
    assert Acknowledgement.objects.count() == 1

    client.force_login(learner)
    assert "You acknowledged version 2 on" in panel(client, english)


# -- The reader's panel and the view ----------------------------------------------------------


def test_the_panel_offers_the_questions_without_marking_the_right_choice(client, learner):
    page = cb.required(questions=cb.QUESTIONS, version=3)
    client.force_login(learner)

    html = panel(client, page)

    assert "I have read version 3" in html
    for question, choices, _correct in cb.QUESTIONS:
        assert question in html
        for choice in choices:
            assert choice in html
    radios = re.findall(r"<input[^>]*type=\"radio\"[^>]*>", html)
    assert len(radios) == 3 + 2 + 3
    assert not any("checked" in radio or "correct" in radio or "data-" in radio for radio in radios)
    # Each question's inputs differ only by their position: nothing singles out the right one.
    for number, (_q, choices, _c) in enumerate(cb.QUESTIONS, start=1):
        mine = [radio for radio in radios if f'name="q{number}"' in radio]
        assert [re.sub(r'value="\d+"', "", radio) for radio in mine] == [re.sub(r'value="\d+"', "", mine[0])] * len(
            choices
        )
    assert "correct" not in html.lower()


def test_right_answers_through_the_form_redirect_back_with_a_message(client, learner):
    page = cb.required(questions=cb.QUESTIONS, version=3)
    client.force_login(learner)

    response = post(client, page, version="3", **RIGHT)

    assert response.status_code == 302
    assert response["Location"].startswith(page.url)
    page_html = client.get(response["Location"]).content.decode()
    assert "you acknowledged version 3" in page_html
    assert "You acknowledged version 3 on" in page_html
    assert "I have read version 3" not in page_html
    assert Acknowledgement.objects.filter(user=learner, version=3).count() == 1

    again = post(client, page, version="3", **RIGHT)
    assert again.status_code == 302
    assert "You have already acknowledged version 3" in client.get(again["Location"]).content.decode()
    assert Acknowledgement.objects.count() == 1


def test_wrong_answers_through_the_form_are_named_and_nothing_is_written(client, learner):
    page = cb.required(questions=cb.QUESTIONS)
    client.force_login(learner)

    response = post(client, page, version="1", **{**RIGHT, "q1": "1"})

    assert response.status_code == 302
    assert response["Location"].endswith("?wrong=1#acknowledgement")
    assert "please look again at question 1" in client.get(response["Location"]).content.decode()
    assert not Acknowledgement.objects.exists()


def test_question_numbers_in_the_address_that_the_playbook_lacks_are_ignored(client, learner):
    page = cb.required(questions=cb.QUESTIONS)
    client.force_login(learner)
    html = client.get(f"{page.url}?wrong=9,x,-1").content.decode()
    assert "please look again" not in html
    assert "please look again at question 2" in client.get(f"{page.url}?wrong=2,9").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"q1": "9"},  # no such choice
        {"q1": "abc"},
        {"q1": "-1"},
        {"q4": "1"},  # no such question
        {"qx": "1"},
        {"version": "three"},
        {},  # nothing answered
    ],
)
def test_tampered_answers_are_a_400_and_write_nothing(client, learner, data):
    page = cb.required(questions=cb.QUESTIONS)
    client.force_login(learner)

    response = post(client, page, **{"version": "1", **RIGHT, **data} if data else {"version": "1"})

    assert response.status_code == 400
    assert "Nothing was recorded" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_a_tampered_page_pk_is_a_404(client, learner):
    page = builders.playbook(title="No ask")
    draft = cb.required(title="Draft only")
    PlaybookPage.objects.filter(pk=draft.pk).update(live=False)
    client.force_login(learner)

    assert post(client, page, version="1").status_code == 404
    assert post(client, draft, version="1").status_code == 404
    assert client.post("/acknowledgements/999999/", {"version": "1"}).status_code == 404
    assert client.get(f"/acknowledgements/{page.pk}/").status_code == 405
    assert not Acknowledgement.objects.exists()


def test_a_submit_for_a_version_that_was_replaced_is_refused(client, learner):
    page = cb.required(version=2)
    client.force_login(learner)

    response = post(client, page, version="1")

    assert response.status_code == 302
    assert "now at version 2" in client.get(response["Location"]).content.decode()
    assert not Acknowledgement.objects.exists()


def test_anonymous_readers_are_sent_to_sign_in(client):
    page = cb.required()
    assert post(client, page, version="1").status_code == 302
    assert panel(client, page) == ""
    assert not Acknowledgement.objects.exists()


def test_vendor_staff_see_how_many_acknowledged_instead_of_the_form(client, site_admin, learner, make_member):
    page = cb.required(version=2)
    acknowledge_playbook(user=learner, playbook=page, answers={})
    client.force_login(site_admin)

    html = panel(client, page)

    assert "1 partner person has acknowledged version 2" in html
    assert "<form" not in html


def test_the_panel_asks_nothing_of_a_playbook_without_acknowledgement(client, learner):
    page = builders.playbook(title="No ask")
    client.force_login(learner)
    assert panel(client, page) == ""


def test_the_panel_in_persian_shows_the_jalali_date(client, learner):
    english = cb.required(version=2)
    persian = builders.translate(english, "fa", title="فروش پشتیبان‌گیری")
    acknowledge_playbook(user=learner, playbook=english, answers={})
    client.force_login(learner)

    html = panel(client, persian)

    assert "۲" in html
    assert re.search(r"[۰-۹]+ (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) [۰-۹]{4}", html)


@pytest.mark.parametrize("others", [1, 15])
def test_the_panel_runs_one_query_whatever_the_number_of_acknowledgements(
    learner, make_member, organization, django_assert_num_queries, others
):
    from lms.partners.selectors import person_roles
    from playbooks.permissions import audience_organization_ids
    from playbooks.templatetags.acknowledgements import acknowledgement_panel

    page = cb.required(questions=cb.QUESTIONS)
    for _number in range(others):
        acknowledge_playbook(user=make_member(organization), playbook=page, answers=RIGHT_ANSWERS)
    # What serving the page has already loaded by the time the panel renders:
    person_roles(learner).organization  # noqa: B018
    audience_organization_ids(page)

    with django_assert_num_queries(1):
        assert acknowledgement_panel(page, learner).mode == "form"
    acknowledge_playbook(user=learner, playbook=page, answers=RIGHT_ANSWERS)
    with django_assert_num_queries(1):
        assert acknowledgement_panel(page, learner).mode == "done"


# -- A new version asks again ----------------------------------------------------------------


def test_a_higher_version_asks_again_and_tells_earlier_readers(client, learner, make_member, organization):
    page = cb.required(version=1)
    colleague = make_member(organization, email="colleague@parsian.example")
    acknowledge_playbook(user=learner, playbook=page, answers={})
    acknowledge_playbook(user=colleague, playbook=page, answers={})

    page = cb.republish(page, message_version=2)  # the app's page_published receiver tells them
    cb.republish(page, summary="Typo fixed.")  # a republish at the same version tells nobody again

    notes = Notification.objects.filter(kind=NEW_VERSION_KIND)
    assert sorted(notes.values_list("user__email", flat=True)) == [
        "colleague@parsian.example",
        "learner@parsian.example",
    ]
    note = notes.get(user=learner)
    assert "Version 2 of “Selling backups” is new" in note.message
    assert "۲" in note.message_fa or "Selling backups" in note.message_fa
    assert note.url == page.url

    client.force_login(learner)
    html = panel(client, page)
    assert "Version 2 is new: please read it and acknowledge again" in html
    assert "I have read version 2" in html
    assert acknowledge_playbook(user=learner, playbook=page, answers={}).outcome == Outcome.RECORDED
    assert sorted(Acknowledgement.objects.filter(user=learner).values_list("version", flat=True)) == [1, 2]


def test_the_receiver_tells_nobody_on_a_first_publish_or_a_lower_version(learner):
    page = cb.required(version=3)
    acknowledge_playbook(user=learner, playbook=page, answers={})
    live = PlaybookPage.objects.get(pk=page.pk)
    assert notify_new_version(PlaybookPage, live, revision=live.live_revision) == 0

    lowered = cb.republish(page, message_version=2)
    assert notify_new_version(PlaybookPage, lowered, revision=lowered.live_revision) == 0
    assert not Notification.objects.exists()


def test_the_receiver_skips_people_who_can_no_longer_read_it(learner, organization):
    page = cb.required(version=1)
    acknowledge_playbook(user=learner, playbook=page, answers={})
    raised = cb.republish(page, message_version=2, minimum_tier=Tier.PLATINUM)

    assert notify_new_version(PlaybookPage, raised, revision=raised.live_revision) == 0


# -- The team list ------------------------------------------------------------------------------


def test_the_partner_admin_sees_who_has_and_has_not(client, partner_admin, learner, make_member, organization):
    page = cb.required(title="Selling backups", version=2)
    outdated = make_member(organization, email="outdated@parsian.example")
    Acknowledgement.objects.create(
        user=outdated,
        organization=organization,
        playbook=page,
        translation_key=page.translation_key,
        version=1,
        acknowledged_at="2026-01-05T10:00Z",
    )
    acknowledge_playbook(user=learner, playbook=page, answers={})
    client.force_login(partner_admin)

    html = client.get("/acknowledgements/team/parsian/").content.decode()

    rows = {email: row for row, email in re.findall(r"(<tr>.*?<span class=\"ltr\">([^<]+)</span>.*?</tr>)", html, re.S)}
    assert "Acknowledged on" in rows["learner@parsian.example"]
    assert "Acknowledged version 1 only" in rows["outdated@parsian.example"]
    assert "Not acknowledged" in rows["admin@parsian.example"]

    team = client.get("/partner/parsian/").content.decode()
    assert "Message alignment" in team
    assert "1 of 3" in team

    csv_text = client.get("/acknowledgements/team/parsian/acknowledgements.csv").content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0] == "playbook,version,name,email,role,status,acknowledged_version,acknowledged_on"
    assert any("learner@parsian.example,learner,acknowledged,2," in line for line in lines)
    assert any("outdated@parsian.example,learner,outdated,1,2026-01-05" in line for line in lines)
    assert any("admin@parsian.example,admin,missing,," in line for line in lines)


def test_a_learner_sees_no_one_elses_status(client, learner, partner_admin):
    cb.required()
    client.force_login(learner)

    assert client.get("/acknowledgements/team/parsian/").status_code == 403
    assert client.get("/acknowledgements/team/parsian/acknowledgements.csv").status_code == 403
    assert client.get("/acknowledgements/team/northwind/").status_code == 404


def test_another_partners_admin_gets_a_404(client, other_partner_admin, learner):
    cb.required()
    client.force_login(other_partner_admin)
    response = client.get("/acknowledgements/team/parsian/")
    assert response.status_code == 404
    assert "learner@parsian.example" not in response.content.decode()


def test_the_team_section_is_empty_for_someone_who_may_not_manage_the_team(rf, learner, organization):
    from playbooks.sections import team_section

    request = rf.get("/")
    request.user = learner
    assert team_section(request, organization) == {"visible": False}


def test_inactive_people_and_other_organizations_are_not_counted(learner, make_member, organization):
    from playbooks.coverage import team_coverage

    page = cb.required()
    gone = make_member(organization, email="gone@parsian.example", is_active=False)
    make_member(OrganizationFactory(tier=Tier.GOLD), email="other@elsewhere.example")
    acknowledge_playbook(user=learner, playbook=page, answers={})

    (item,) = team_coverage(organization)
    emails = [person.membership.user.email for person in item.people]
    assert emails == ["learner@parsian.example"]
    assert gone.email not in emails
    assert (item.figure.acknowledged, item.figure.members) == (1, 1)
    assert Membership.objects.count() == 3
