"""Forms for assigning courses, and reading submitted exam answers."""

from __future__ import annotations

import re

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.audience import Access, Reader, access_for
from courses.models import CoursePage, LearningPathPage
from courses.permissions import TIER_ORDER, audience_of, audience_prefetch
from courses.services import CourseActionError
from lms import clock
from lms.partners.models import Membership, Organization

ANSWER_FIELD = re.compile(r"^q(?P<position>\d{1,3})-(?P<field>choice|choices|value|text|order|match-\d{1,10})$")
MAX_ANSWER_FIELDS = 2000


def answers_from_post(data: QueryDict) -> dict[int, dict[str, list[str]]]:
    """Group submitted fields by question position: {3: {"choice": ["17"]}, ...}."""
    answers: dict[int, dict[str, list[str]]] = {}
    fields = [(key, values) for key, values in data.lists() if key != "csrfmiddlewaretoken"]
    if len(fields) > MAX_ANSWER_FIELDS:
        raise CourseActionError(_("Too many answers were sent."))
    for key, values in fields:
        match = ANSWER_FIELD.match(key)
        if match is None:
            raise CourseActionError(_("The answers do not match the questions of this attempt."))
        answers.setdefault(int(match["position"]), {})[match["field"]] = values
    return answers


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, membership: Membership) -> str:
        user = membership.user
        return f"{user.get_full_name() or user.email} ({user.email})"


class AssignForm(forms.Form):
    members = MemberChoiceField(
        label=gettext_lazy("People"), queryset=Membership.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    course = forms.ModelChoiceField(label=gettext_lazy("Course"), queryset=CoursePage.objects.none(), required=False)
    path = forms.ModelChoiceField(
        label=gettext_lazy("or a learning path"), queryset=LearningPathPage.objects.none(), required=False
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Optional. Pick the day in the calendar; it is shown in your calendar everywhere else."),
    )

    def __init__(self, *args, organization: Organization, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["members"].queryset = organization.memberships.select_related("user").order_by("user__email")
        reader = Reader(organization_id=organization.pk, tier=organization.tier)
        courses = CoursePage.objects.live().prefetch_related(audience_prefetch()).order_by("pk")
        originals = {}  # one entry per course, whatever its language versions
        for course in courses:
            originals.setdefault(course.translation_key, course)
        open_ids = [
            course.pk
            for course in originals.values()
            if access_for(audience_of(course), reader, TIER_ORDER) == Access.OPEN
        ]
        self.fields["course"].queryset = CoursePage.objects.filter(pk__in=open_ids).order_by("title")
        self.fields["course"].empty_label = self.fields["path"].empty_label = _("— Choose —")
        open_paths = [
            path.pk
            for path in LearningPathPage.objects.live().prefetch_related("path_courses")
            if all(item.course_id in open_ids for item in path.path_courses.all())
        ]
        self.fields["path"].queryset = LearningPathPage.objects.filter(pk__in=open_paths).order_by("title")

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due is not None and due < clock.now().date():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("course")) == bool(cleaned.get("path")):
            raise forms.ValidationError(_("Choose either a course or a learning path."))
        return cleaned
