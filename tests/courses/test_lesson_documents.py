"""Documents used in lessons are served only to people who may take the course."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from courses.models import LessonPage
from courses.services.enrolment import enrol_learner
from tests.courses import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def handout(media_root):
    return get_document_model().objects.create(
        title="Partner handout", file=ContentFile(b"%PDF-1.4 handout", name="handout.pdf")
    )


@pytest.fixture
def private_course(handout, other_organization):
    course = builders.course(title="Northwind Only", lessons=1, exam=False)
    course.audience_organizations.set([other_organization])
    course.save_revision().publish()
    lesson = LessonPage.objects.child_of(course).get()
    lesson.body = [*lesson.body.raw_data, {"type": "document", "value": {"document": handout.pk, "label": ""}}]
    lesson.save_revision().publish()
    return course


@pytest.fixture
def public_document(media_root):
    return get_document_model().objects.create(title="Brochure", file=ContentFile(b"brochure", name="brochure.txt"))


def test_a_document_no_lesson_uses_stays_public(client, public_document):
    assert client.get(public_document.url).status_code == 200


def test_lesson_material_needs_a_sign_in(client, private_course, handout):
    response = client.get(handout.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_other_organizations_cannot_download_lesson_material(client, private_course, handout, learner):
    client.force_login(learner)
    assert client.get(handout.url).status_code == 404


def test_enrolled_people_of_the_audience_download_it(client, private_course, handout, other_organization, make_member):
    member = make_member(other_organization)
    enrol_learner(user=member, course=private_course)
    client.force_login(member)
    response = client.get(handout.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 handout"
