"""Unread notifications at the top of "My learning", in the reader's language, and marking them read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils.translation import gettext_lazy as _

from lms import clock
from lms.notifications.models import Notification
from lms.notifications.selectors import UNREAD_SHOWN
from lms.notifications.services import Message, notify

pytestmark = pytest.mark.django_db

WRITTEN = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def member_client(client, learner):
    client.force_login(learner)
    return client


def note(user, text="Your credential is ready.", *, url="/verify/abc/", fa="مدرک شما آماده است.", at=WRITTEN):
    return Notification.objects.create(user=user, kind="test", message=text, message_fa=fa, url=url, created_at=at)


def notifications_section(response) -> str:
    text = response.content.decode()
    start = text.index('id="notifications-heading"')
    return text[start : text.index("</section>", start)]


def test_unread_notifications_come_first_with_their_link_and_age(member_client, learner, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: WRITTEN + timedelta(days=3, hours=2))
    note(learner)

    response = member_client.get("/learn/")

    text = response.text
    assert text.index('id="notifications-heading"') < text.index('id="credentials-heading"')
    assert text.index('id="credentials-heading"') < text.index('id="in-progress-heading"')
    section = notifications_section(response)
    assert '<a href="/verify/abc/">Your credential is ready.</a>' in section
    assert "3\u00a0days ago" in section  # timesince joins with a no-break space
    assert 'datetime="2026-03-01T09:00:00+00:00"' in section
    assert "مدرک شما آماده است." not in section
    assert 'action="/notifications/read/"' in section and 'name="csrfmiddlewaretoken"' in section
    assert "Mark all as read" in section


def test_the_persian_page_shows_the_persian_message_with_persian_digits(member_client, learner, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: WRITTEN + timedelta(days=3, hours=2))
    note(learner)

    response = member_client.get("/fa/learn/")

    assert '<html lang="fa" dir="rtl"' in response.text
    section = notifications_section(response)
    assert "مدرک شما آماده است." in section
    assert "Your credential is ready." not in section
    assert "۳\u00a0روز" in section  # "3 days", Persian digits
    assert 'title="۱۰ اسفند ۱۴۰۴، ۱۲:۳۰"' in section  # the exact moment, Jalali, in Tehran's time
    assert 'action="/fa/notifications/read/"' in section


def test_a_notification_without_a_persian_text_falls_back_to_english(member_client, learner):
    note(learner, fa="")

    assert "Your credential is ready." in notifications_section(member_client.get("/fa/learn/"))


def test_messages_written_through_the_service_appear_in_both_languages(member_client, learner):
    notify(messages=[Message(user_id=learner.pk, kind="test", text=_("My learning"), url="/learn/")])

    assert "My learning" in notifications_section(member_client.get("/learn/"))
    assert "یادگیری من" in notifications_section(member_client.get("/fa/learn/"))


def test_only_links_to_this_site_are_linked(member_client, learner):
    note(learner, "Offsite", url="https://evil.example/")
    note(learner, "Protocol relative", url="//evil.example/")
    note(learner, "Script", url="javascript:alert(1)")

    section = notifications_section(member_client.get("/learn/"))

    assert "evil.example" not in section and "javascript:" not in section
    assert "Offsite" in section and "Script" in section


def test_without_unread_notifications_there_is_no_section(member_client, learner):
    note(learner).__class__.objects.update(read_at=WRITTEN)

    assert 'id="notifications-heading"' not in member_client.get("/learn/").text


def test_at_most_ten_are_shown_newest_first(member_client, learner):
    for number in range(UNREAD_SHOWN + 2):
        note(learner, f"Note {number:02}", at=WRITTEN + timedelta(minutes=number))

    section = notifications_section(member_client.get("/learn/"))

    assert section.count("<li>") == UNREAD_SHOWN
    assert "Note 11" in section and "Note 00" not in section and "Note 01" not in section
    assert section.index("Note 11") < section.index("Note 10")


def test_another_persons_notifications_are_not_shown(member_client, learner, make_member, organization):
    note(make_member(organization), "Someone else's news")

    assert "Someone else's news" not in member_client.get("/learn/").text


def test_mark_all_as_read_hides_them_and_leaves_other_people_alone(member_client, learner, make_member, organization):
    colleague = make_member(organization)
    note(learner)
    theirs = note(colleague)

    response = member_client.post("/notifications/read/")

    assert response.status_code == 302
    assert response["Location"] == "/learn/"
    assert not Notification.objects.filter(user=learner, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert 'id="notifications-heading"' not in member_client.get("/learn/").text


def test_mark_all_as_read_from_the_persian_page_returns_to_it(member_client, learner):
    note(learner)

    response = member_client.post("/fa/notifications/read/")

    assert response["Location"] == "/fa/learn/"


def test_mark_all_as_read_needs_post_and_sign_in(client, learner):
    note(learner)
    client.force_login(learner)
    assert client.get("/notifications/read/").status_code == 405
    client.logout()

    response = client.post("/notifications/read/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Notification.objects.filter(user=learner, read_at__isnull=True).count() == 1
