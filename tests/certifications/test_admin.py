"""Staff define certifications and look after credentials through the real Wagtail admin."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications import signals
from certifications.models import Certification, Credential, CredentialEvent, IssuerSettings
from certifications.services.versions import record_version
from courses.models import Assessment
from lms.notifications.models import Notification
from lms.partners.roles import StaffRole
from tests.certifications import builders
from tests.courses import builders as course_builders

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_certifications_certification:add"
EDIT = "wagtailsnippets_certifications_certification:edit"
INSPECT = "wagtailsnippets_certifications_certification:inspect"
LIST = "wagtailsnippets_certifications_certification:list"
CREDENTIALS = "certifications_credentials:index"
CREDENTIAL = "certifications_credentials:inspect"


# --- Fixtures and helpers ----------------------------------------------------------------


@pytest.fixture
def author(make_staff):
    return make_staff(StaffRole.COURSE_AUTHOR, email="author@vendor.example")


@pytest.fixture
def tier_manager(make_staff):
    return make_staff(StaffRole.TIER_MANAGER, email="tiers@vendor.example")


@pytest.fixture
def author_client(author):
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def admin_client(site_admin):
    client = Client()
    client.force_login(site_admin)
    return client


@pytest.fixture
def courses():
    """Two courses without exams, and one with a graded exam."""
    return [
        course_builders.course(title="Cloud Basics", lessons=1, exam=False),
        course_builders.course(title="Identity Basics", lessons=1, exam=False),
        course_builders.course(title="Cloud Security", lessons=1, questions=3),
    ]


@pytest.fixture
def exam(courses) -> Assessment:
    return courses[2].assessments.get()


@pytest.fixture
def received():
    """The status signals sent, as (name, credential pk)."""
    sent: list[tuple[str, int]] = []
    receivers = {}
    for name in ("credential_revoked", "credential_suspended", "credential_reinstated"):

        def receiver(sender, credential, name=name, **kwargs):
            sent.append((name, credential.pk))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield sent
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def form_data(**fields) -> dict:
    data = {
        "name": "Certified Cloud Architect",
        "name_fa": "معمار ابری",
        "slug": "cloud-architect",
        "level": "professional",
        "competency": str(builders.competency().pk),
        "description": "Designs cloud systems.",
        "description_fa": "",
        "is_active": "on",
        "required_courses": [],
        "final_exam": "",
        "minimum_score": "75",
        "prerequisites": [],
        "recertify_by": "",
        "validity_months": "24",
        "renewal_window_days": "90",
        "renewal_exam": "",
        "renewal_course": "",
        "certificate_template": "classic",
        "badge_image": "",
    }
    data.update(fields)
    return data


def edit_data(certification: Certification, **fields) -> dict:
    """The form as the edit page shows it for `certification`, with `fields` changed."""
    current = {
        "name": certification.name,
        "name_fa": certification.name_fa,
        "slug": certification.slug,
        "level": certification.level,
        "competency": str(certification.competency_id),
        "description": certification.description,
        "required_courses": [str(pk) for pk in certification.required_courses.values_list("pk", flat=True)],
        "final_exam": str(certification.final_exam_id or ""),
        "minimum_score": str(certification.minimum_score),
        "prerequisites": [str(pk) for pk in certification.prerequisites.values_list("pk", flat=True)],
        "validity_months": str(certification.validity_months or ""),
    }
    return form_data(**{**current, **fields})


def form_errors(response) -> str:
    form = (response.context or {}).get("form")
    return repr(form.errors.as_data()) if form is not None else response.content.decode()[:2000]


def field_errors(response, field: str) -> list[str]:
    return [str(message) for error in response.context["form"].errors.as_data().get(field, []) for message in error]


def assert_denied(response):
    """Wagtail turns a PermissionDenied in the admin into a redirect to the dashboard, with a message."""
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("wagtailadmin_home")


def assert_sent_to_login(response):
    assert response.status_code == 302, response.status_code
    assert response.url.startswith(reverse("wagtailadmin_login"))


def status_url(credential: Credential, action: str) -> str:
    return reverse("certifications_admin_change_status", args=(credential.pk, action))


def future(days: int = 60):
    return timezone.localdate() + timedelta(days=days)


# --- 1. Defining certifications ------------------------------------------------------------


def test_an_author_sees_certifications_and_credentials_in_the_admin_menu(author_client):
    content = author_client.get(reverse("wagtailadmin_home")).content.decode()
    for label in ("Certifications", "Credentials"):
        assert label in content


def test_an_author_creates_a_certification_with_its_requirements_and_it_is_version_1(
    author_client, author, courses, exam
):
    prerequisite = builders.certification(name="Cloud Associate", slug="cloud-associate")
    response = author_client.post(
        reverse(ADD),
        form_data(
            required_courses=[str(courses[0].pk), str(courses[1].pk)],
            final_exam=str(exam.pk),
            prerequisites=[str(prerequisite.pk)],
        ),
    )
    assert response.status_code == 302, form_errors(response)

    certification = Certification.objects.get(slug="cloud-architect")
    [version] = certification.versions.all()
    assert version.number == 1
    assert version.created_by == author
    assert version.requirements == {
        "courses": sorted([courses[0].pk, courses[1].pk]),
        "exam": exam.pk,
        "minimum_score": 75,
        "prerequisites": [prerequisite.pk],
    }
    edit_page = author_client.get(reverse(EDIT, args=(certification.pk,))).content.decode()
    assert "Versions" in edit_page
    assert "Cloud Basics" in edit_page and exam.title in edit_page and "Cloud Associate" in edit_page


def test_editing_something_other_than_the_requirements_keeps_the_version(author_client, courses):
    certification = builders.certification(courses=[courses[0]])
    response = author_client.post(
        reverse(EDIT, args=(certification.pk,)), edit_data(certification, description="A clearer description.")
    )
    assert response.status_code == 302, form_errors(response)
    certification.refresh_from_db()
    assert certification.description == "A clearer description."
    assert certification.versions.count() == 1


def test_changing_the_required_courses_creates_version_2_and_credentials_keep_version_1(
    author_client, author, courses, learner
):
    certification = builders.certification(courses=[courses[0]])
    credential = builders.issue(learner, certification)

    response = author_client.post(
        reverse(EDIT, args=(certification.pk,)),
        edit_data(certification, required_courses=[str(courses[0].pk), str(courses[1].pk)]),
    )
    assert response.status_code == 302, form_errors(response)

    latest = certification.versions.order_by("-number").first()
    assert (latest.number, latest.created_by) == (2, author)
    assert latest.requirements["courses"] == sorted([courses[0].pk, courses[1].pk])
    credential.refresh_from_db()
    assert credential.version.number == 1
    assert credential.expires_at is None  # no re-certification date: nothing shortened
    listing = author_client.get(reverse(LIST)).content.decode()
    assert certification.name in listing


def test_a_recertification_date_with_a_requirement_change_shortens_credentials_and_tells_their_holders(
    author_client, author, courses, learner, django_capture_on_commit_callbacks
):
    certification = builders.certification(courses=[courses[0]], validity_months=36)
    credential = builders.issue(learner, certification)
    deadline = future(45)

    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            reverse(EDIT, args=(certification.pk,)),
            edit_data(certification, required_courses=[str(courses[1].pk)], recertify_by=deadline.isoformat()),
        )
    assert response.status_code == 302, form_errors(response)

    version = certification.versions.get(number=2)
    assert version.recertify_by == deadline
    credential.refresh_from_db()
    assert timezone.localtime(credential.expires_at) == timezone.make_aware(datetime.combine(deadline, time.min))
    assert credential.version.number == 1 and credential.status == Credential.Status.ACTIVE
    event = credential.events.get(action=CredentialEvent.Action.RECERTIFICATION_REQUIRED)
    assert (event.actor, event.details["version"]) == (author, 2)
    assert Notification.objects.filter(user=learner, kind="recertification_required").count() == 1
    assert [message.to for message in mail.outbox] == [[learner.email]]
    assert "new requirements" in mail.outbox[0].subject
    certification.refresh_from_db()
    assert certification.recertify_by is None  # the date went with version 2


def test_a_certification_cannot_be_its_own_prerequisite(author_client):
    certification = builders.certification()
    response = author_client.post(
        reverse(EDIT, args=(certification.pk,)), edit_data(certification, prerequisites=[str(certification.pk)])
    )
    assert response.status_code == 200
    assert field_errors(response, "prerequisites") == ["A certification cannot be its own prerequisite."]
    assert not certification.prerequisites.exists()
    assert certification.versions.count() == 1


def test_a_prerequisite_cycle_is_refused_and_named(author_client):
    first = builders.certification(name="First", slug="first")
    second = builders.certification(name="Second", slug="second", prerequisites=[first])
    third = builders.certification(name="Third", slug="third", prerequisites=[second])

    response = author_client.post(reverse(EDIT, args=(first.pk,)), edit_data(first, prerequisites=[str(third.pk)]))
    assert response.status_code == 200
    [message] = field_errors(response, "prerequisites")
    assert "First → Third → Second → First" in message
    assert not first.prerequisites.exists()


def test_a_recertification_date_in_the_past_or_today_is_refused(author_client, courses):
    certification = builders.certification(courses=[courses[0]])
    for day in (timezone.localdate(), timezone.localdate() - timedelta(days=1)):
        response = author_client.post(
            reverse(EDIT, args=(certification.pk,)),
            edit_data(certification, required_courses=[str(courses[1].pk)], recertify_by=day.isoformat()),
        )
        assert response.status_code == 200
        assert field_errors(response, "recertify_by") == ["The re-certification date must be in the future."]
    assert certification.versions.count() == 1
    assert list(certification.required_courses.all()) == [courses[0]]


def test_a_recertification_date_without_a_requirement_change_is_refused(author_client, courses):
    certification = builders.certification(courses=[courses[0]])
    response = author_client.post(
        reverse(EDIT, args=(certification.pk,)), edit_data(certification, recertify_by=future().isoformat())
    )
    assert response.status_code == 200
    [message] = field_errors(response, "recertify_by")
    assert "needs a change to the requirements" in message


def test_a_new_certification_cannot_ask_for_re_certification(author_client):
    response = author_client.post(reverse(ADD), form_data(recertify_by=future().isoformat()))
    assert response.status_code == 200
    [message] = field_errors(response, "recertify_by")
    assert "Nobody holds an earlier version yet" in message
    assert not Certification.objects.exists()


def test_the_final_and_renewal_exams_must_be_graded_exams(author_client, courses):
    quiz = Assessment.objects.create(title="Warm-up quiz", kind=Assessment.Kind.PRACTICE, course=courses[0])
    response = author_client.post(reverse(ADD), form_data(final_exam=str(quiz.pk), renewal_exam=str(quiz.pk)))
    assert response.status_code == 200
    assert field_errors(response, "final_exam") and field_errors(response, "renewal_exam")
    assert not Certification.objects.exists()


def test_renewal_needs_a_validity_period(author_client, exam):
    response = author_client.post(reverse(ADD), form_data(validity_months="", renewal_exam=str(exam.pk)))
    assert response.status_code == 200
    assert field_errors(response, "renewal_exam") == ["Only a certification that expires can be renewed."]


def test_the_list_shows_the_current_version_and_filters_by_level_and_competency(author_client, courses):
    other = builders.competency(name="Networking", slug="networking", name_fa="شبکه")
    cloud = builders.certification(courses=[courses[0]], level="associate")
    builders.certification(name="Network Pro", slug="network-pro", competency=other, level="professional")
    cloud.required_courses.add(courses[1])
    record_version(certification=cloud)

    response = author_client.get(reverse(LIST))
    rows = {row.name: row.current_version for row in response.context["object_list"]}
    assert rows == {"Certified Cloud Security Associate": 2, "Network Pro": 1}

    by_level = author_client.get(reverse(LIST), {"level": "professional"})
    assert [row.name for row in by_level.context["object_list"]] == ["Network Pro"]
    by_competency = author_client.get(reverse(LIST), {"competency": str(other.pk)})
    assert [row.name for row in by_competency.context["object_list"]] == ["Network Pro"]
    searched = author_client.get(reverse(LIST), {"q": "Network"})
    assert [row.name for row in searched.context["object_list"]] == ["Network Pro"]


def test_a_tier_manager_views_certifications_and_their_versions_but_cannot_change_them(client, tier_manager, courses):
    certification = builders.certification(courses=[courses[0]])
    client.force_login(tier_manager)
    assert client.get(reverse(LIST)).status_code == 200
    inspect = client.get(reverse(INSPECT, args=(certification.pk,)))
    assert inspect.status_code == 200
    assert "Cloud Basics" in inspect.content.decode()
    assert_denied(client.get(reverse(EDIT, args=(certification.pk,))))
    assert_denied(client.post(reverse(ADD), form_data()))
    assert not Certification.objects.filter(slug="cloud-architect").exists()


def test_the_versions_panel_lists_each_versions_requirements(author_client, courses):
    first = builders.certification(name="First", slug="first")
    certification = builders.certification(courses=courses[:2], prerequisites=[first])
    page = author_client.get(reverse(EDIT, args=(certification.pk,))).content.decode()
    assert "Courses: Cloud Basics, Identity Basics" in page
    assert "Prerequisites: First" in page


def test_only_site_admins_delete_certifications(author_client, client, site_admin):
    certification = builders.certification()
    delete_url = reverse("wagtailsnippets_certifications_certification:delete", args=(certification.pk,))
    assert_denied(author_client.post(delete_url))
    assert Certification.objects.filter(pk=certification.pk).exists()
    client.force_login(site_admin)
    assert client.get(delete_url).status_code == 200


# --- 2. Credentials ---------------------------------------------------------------------------


@pytest.fixture
def certification():
    return builders.certification(validity_months=12)


def test_staff_list_credentials_filter_them_and_search_by_holder_or_code(
    client, tier_manager, certification, make_member, organization
):
    people = [
        make_member(organization, first_name="Sara", last_name="Ahmadi"),
        make_member(organization, first_name="Reza", last_name="Karimi"),
    ]
    sara, reza = (builders.issue(person, certification) for person in people)
    other = builders.certification(name="Other", slug="other")
    other_credential = builders.issue(people[1], other)
    Credential.objects.filter(pk=reza.pk).update(status=Credential.Status.REVOKED)

    client.force_login(tier_manager)

    def listed(**query) -> set[int]:
        response = client.get(reverse(CREDENTIALS), query)
        assert response.status_code == 200
        return {credential.pk for credential in response.context["object_list"]}

    assert listed() == {sara.pk, reza.pk, other_credential.pk}
    assert listed(status="revoked") == {reza.pk}
    assert listed(certification=str(other.pk)) == {other_credential.pk}
    assert listed(q="Ahmadi") == {sara.pk}
    assert listed(q=reza.code) == {reza.pk}
    page = client.get(reverse(CREDENTIALS)).content.decode()
    assert "Sara Ahmadi" in page and "Active" in page and "Revoked" in page


def test_the_credential_page_shows_its_evidence_and_history(
    client, author, learner, django_capture_on_commit_callbacks
):
    course = course_builders.course(title="Cloud Security", lessons=1, questions=3)
    exam = course.assessments.get()
    builders.certification(courses=[course], exam=exam)
    with django_capture_on_commit_callbacks(execute=True):
        builders.complete_course(learner, course)
    credential = Credential.objects.get(user=learner)

    client.force_login(author)
    response = client.get(reverse(CREDENTIAL, args=(credential.pk,)))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Completed the course Cloud Security" in content
    assert f"Passed the exam {exam.title}" in content
    assert "Issued" in content and "Automatic" in content
    assert credential.code in content
    assert status_url(credential, "revoke") not in content  # course authors do not act


def test_credentials_cannot_be_added_or_edited_by_hand_even_by_site_admins(admin_client, certification, learner):
    credential = builders.issue(learner, certification)
    assert_denied(admin_client.get(reverse("certifications_credentials:add")))
    response = admin_client.post(
        reverse("certifications_credentials:edit", args=(credential.pk,)), {"status_reason": "typed in"}
    )
    assert_denied(response)
    assert_denied(admin_client.post(reverse("certifications_credentials:delete", args=(credential.pk,))))
    credential.refresh_from_db()
    assert credential.status_reason == ""
    assert "Add credential" not in admin_client.get(reverse(CREDENTIALS)).content.decode()


# --- 3. Revoke, suspend, reinstate ------------------------------------------------------------


def test_a_site_admin_sees_only_the_buttons_the_status_allows(admin_client, certification, learner):
    credential = builders.issue(learner, certification)
    page = admin_client.get(reverse(CREDENTIAL, args=(credential.pk,))).content.decode()
    assert status_url(credential, "revoke") in page and status_url(credential, "suspend") in page
    assert status_url(credential, "reinstate") not in page

    Credential.objects.filter(pk=credential.pk).update(status=Credential.Status.REVOKED)
    page = admin_client.get(reverse(CREDENTIAL, args=(credential.pk,))).content.decode()
    assert status_url(credential, "reinstate") in page
    assert status_url(credential, "revoke") not in page and status_url(credential, "suspend") not in page


def test_a_site_admin_revokes_a_credential_with_a_reason(
    admin_client, site_admin, certification, learner, received, django_capture_on_commit_callbacks
):
    credential = builders.issue(learner, certification)
    form = admin_client.get(status_url(credential, "revoke"))
    assert form.status_code == 200
    assert "reason" in form.context["form"].fields

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(status_url(credential, "revoke"), {"reason": "  Shared the exam answers.  "})
    assert response.status_code == 302
    assert response.url == reverse(CREDENTIAL, args=(credential.pk,))

    credential.refresh_from_db()
    assert credential.status == Credential.Status.REVOKED
    assert credential.status_reason == "Shared the exam answers."
    event = credential.events.get(action=CredentialEvent.Action.REVOKED)
    assert (event.actor, event.reason, event.from_status, event.to_status) == (
        site_admin,
        "Shared the exam answers.",
        "active",
        "revoked",
    )
    assert event.at is not None
    assert received == [("credential_revoked", credential.pk)]
    assert [message.to for message in mail.outbox] == [[learner.email]]
    page = admin_client.get(response.url).content.decode()
    assert "is now revoked" in page  # the success message
    assert "Active → Revoked" in page  # the history
    assert "Shared the exam answers." in page and site_admin.get_full_name() in page


def test_a_site_admin_suspends_and_then_reinstates_a_credential(
    admin_client, certification, learner, received, django_capture_on_commit_callbacks
):
    credential = builders.issue(learner, certification)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(status_url(credential, "suspend"), {"reason": "Under review"}).status_code == 302
        credential.refresh_from_db()
        assert credential.status == Credential.Status.SUSPENDED
        assert admin_client.post(status_url(credential, "reinstate"), {"reason": "Review done"}).status_code == 302
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE
    assert [(event.action, event.from_status, event.to_status, event.reason) for event in credential.events.all()][
        1:
    ] == [
        ("suspended", "active", "suspended", "Under review"),
        ("reinstated", "suspended", "active", "Review done"),
    ]
    assert received == [("credential_suspended", credential.pk), ("credential_reinstated", credential.pk)]


def test_a_missing_reason_reshows_the_form_and_writes_nothing(admin_client, certification, learner, received):
    credential = builders.issue(learner, certification)
    response = admin_client.post(status_url(credential, "revoke"), {"reason": "   "})
    assert response.status_code == 400
    assert "Give a reason: it is recorded in the credential&#x27;s history." in response.content.decode()
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE
    assert list(credential.events.values_list("action", flat=True)) == ["issued"]
    assert received == []


def test_a_change_the_status_does_not_allow_is_refused(admin_client, certification, learner):
    credential = builders.issue(learner, certification)
    for method in (admin_client.get, admin_client.post):
        response = method(status_url(credential, "reinstate"), {"reason": "Why not"})
        assert response.status_code == 400
        assert "This credential&#x27;s status does not allow that change." in response.content.decode()
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE
    assert admin_client.get(status_url(credential, "promote")).status_code == 404


def test_reinstating_a_revoked_credential_past_its_expiry_makes_it_expired(admin_client, certification, learner):
    credential = builders.issue(learner, certification, issued_at=timezone.now() - timedelta(days=800))
    assert credential.expires_at < timezone.now()
    assert admin_client.post(status_url(credential, "revoke"), {"reason": "Mistake?"}).status_code == 302
    assert admin_client.post(status_url(credential, "reinstate"), {"reason": "It was fine"}).status_code == 302
    credential.refresh_from_db()
    assert credential.status == Credential.Status.EXPIRED
    assert credential.events.last().to_status == "expired"


def test_reinstating_while_a_newer_live_credential_exists_is_refused_clearly(admin_client, certification, learner):
    old = builders.issue(learner, certification)
    assert admin_client.post(status_url(old, "revoke"), {"reason": "Cheated"}).status_code == 302
    newer = builders.issue(learner, certification)

    response = admin_client.post(status_url(old, "reinstate"), {"reason": "Appeal upheld"})
    assert response.status_code == 400
    assert "already holds a newer live credential" in response.content.decode()
    old.refresh_from_db()
    newer.refresh_from_db()
    assert (old.status, newer.status) == (Credential.Status.REVOKED, Credential.Status.ACTIVE)
    assert not old.events.filter(action=CredentialEvent.Action.REINSTATED).exists()


@pytest.mark.parametrize("role", [StaffRole.COURSE_AUTHOR, StaffRole.TIER_MANAGER])
def test_course_authors_and_tier_managers_cannot_revoke_and_see_no_buttons(
    client, make_staff, role, certification, learner, received
):
    credential = builders.issue(learner, certification)
    client.force_login(make_staff(role))
    page = client.get(reverse(CREDENTIAL, args=(credential.pk,)))
    assert page.status_code == 200
    for action in ("revoke", "suspend", "reinstate"):
        assert status_url(credential, action) not in page.content.decode()
    assert_denied(client.get(status_url(credential, "revoke")))
    assert_denied(client.post(status_url(credential, "revoke"), {"reason": "I think so"}))
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE
    assert received == []


def test_a_partner_member_cannot_open_the_admin(client, partner_admin, certification, learner):
    credential = builders.issue(learner, certification)
    client.force_login(partner_admin)
    assert_sent_to_login(client.get(reverse(CREDENTIALS)))
    assert_sent_to_login(client.get(reverse(CREDENTIAL, args=(credential.pk,))))
    assert_sent_to_login(client.get(reverse(LIST)))
    assert_sent_to_login(client.post(status_url(credential, "revoke"), {"reason": "Because"}))
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE


# --- 4. The issuer's settings ---------------------------------------------------------------


def test_site_admins_edit_the_issuer_settings_and_course_authors_cannot(admin_client, author_client):
    url = reverse("wagtailsettings:edit", args=("certifications", "issuersettings"))
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Credential issuer" in home
    response = admin_client.get(url, follow=True)
    assert response.status_code == 200
    edit_url = response.redirect_chain[-1][0] if response.redirect_chain else url
    saved = admin_client.post(
        edit_url,
        {
            "name": "Abrzad Partners",
            "name_fa": "شرکای ابرزاد",
            "url": "",
            "email": "certs@vendor.example",
            "logo": "",
            "signature": "",
            "signatory_name": "Mina Rahimi",
            "signatory_title": "Head of Partner Training",
            "signatory_title_fa": "",
        },
    )
    assert saved.status_code == 302
    assert IssuerSettings.load().signatory_name == "Mina Rahimi"

    assert "Credential issuer" not in author_client.get(reverse("wagtailadmin_home")).content.decode()
    assert_denied(author_client.get(edit_url))
