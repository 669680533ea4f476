"""Wagtail admin views for certifications: the versions of a certification, a
credential's evidence and audit trail, and revoking, suspending and reinstating."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel
from wagtail.admin.views.generic import InspectView
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import InspectView as SnippetInspectView

from certifications.eligibility import Requirements
from certifications.models import Certification, Credential, CredentialEvent
from certifications.permissions import can_change_credential_status
from certifications.services.status import REASON_MAX, CredentialStatusError, change_credential_status
from certifications.transitions import ManualAction, allowed_actions
from courses.models import Assessment, Attempt, CoursePage
from lms.accounts.models import User

CREDENTIAL_INSPECT = "certifications_credentials:inspect"
ACTION_LABELS = {
    ManualAction.REVOKE: gettext_lazy("Revoke"),
    ManualAction.SUSPEND: gettext_lazy("Suspend"),
    ManualAction.REINSTATE: gettext_lazy("Reinstate"),
}
ACTION_ICONS = {ManualAction.REVOKE: "circle-xmark", ManualAction.SUSPEND: "lock", ManualAction.REINSTATE: "rotate"}


def person_label(user: User | None) -> str:
    if user is None:
        return _("Automatic")
    return user.get_full_name().strip() or user.email


# --- Versions of a certification -------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    number: int
    created_at: datetime
    created_by: str
    courses: list[str]
    exam: str
    minimum_score: int
    prerequisites: list[str]
    recertify_by: date | None


def version_rows(certification: Certification) -> list[VersionRow]:
    """Every version, newest first, with the names of what it requires (four queries)."""
    versions = list(certification.versions.select_related("created_by").order_by("-number"))
    requirements = {version.pk: Requirements.from_json(version.requirements) for version in versions}
    course_ids = {pk for found in requirements.values() for pk in found.course_ids}
    exam_ids = {found.exam_id for found in requirements.values() if found.exam_id}
    prerequisite_ids = {pk for found in requirements.values() for pk in found.prerequisite_ids}
    courses = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "title"))
    exams = dict(Assessment.objects.filter(pk__in=exam_ids).values_list("pk", "title"))
    prerequisites = {found.pk: found.display_name for found in Certification.objects.filter(pk__in=prerequisite_ids)}
    gone = _("(deleted)")
    rows = []
    for version in versions:
        found = requirements[version.pk]
        rows.append(
            VersionRow(
                number=version.number,
                created_at=version.created_at,
                created_by=person_label(version.created_by) if version.created_by_id else "",
                courses=sorted(courses.get(pk, gone) for pk in found.course_ids),
                exam=exams.get(found.exam_id, gone) if found.exam_id else "",
                minimum_score=int(found.minimum_score),
                prerequisites=sorted(prerequisites.get(pk, gone) for pk in found.prerequisite_ids),
                recertify_by=version.recertify_by,
            )
        )
    return rows


class VersionsPanel(Panel):
    """A read-only panel on the edit page: the versions saved so far."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "certifications/admin/versions_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["versions"] = version_rows(self.instance) if self.instance.pk else []
            return context


class CertificationInspectView(SnippetInspectView):
    """The certification's fields, then its versions (for people who may only view it)."""

    template_name = "certifications/admin/certification_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = version_rows(self.object)
        return context


# --- A credential's detail page --------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    action: str
    from_status: str
    to_status: str
    actor: str
    at: datetime
    reason: str
    details: str


def status_label(value: str) -> str:
    return str(Credential.Status(value).label) if value in Credential.Status.values else value


def event_rows(credential: Credential) -> list[EventRow]:
    rows = []
    for event in credential.events.select_related("actor"):
        details = ""
        if event.action == CredentialEvent.Action.RECERTIFICATION_REQUIRED and event.details:
            details = _("Version %(version)s; re-certify by %(date)s") % {
                "version": event.details.get("version", ""),
                "date": event.details.get("recertify_by", ""),
            }
        rows.append(
            EventRow(
                action=event.get_action_display(),
                from_status=status_label(event.from_status) if event.from_status else "",
                to_status=status_label(event.to_status) if event.to_status else "",
                actor=person_label(event.actor),
                at=event.at,
                reason=event.reason,
                details=details,
            )
        )
    return rows


@dataclass(frozen=True)
class Evidence:
    courses: list[tuple[str, datetime | None]]
    exam: str
    exam_score: str
    prerequisites: list[str]


def evidence_of(credential: Credential) -> Evidence:
    data = credential.evidence or {}
    entries = [entry for entry in data.get("courses", ()) if isinstance(entry, dict)]
    course_ids = [entry.get("course") for entry in entries]
    titles = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "title"))
    courses = []
    for entry in entries:
        completed = entry.get("completed_at")
        courses.append((titles.get(entry.get("course"), _("(deleted)")), _parse(completed)))
    exam, score = "", ""
    if credential.exam_attempt_id:
        attempt = Attempt.objects.select_related("assessment").filter(pk=credential.exam_attempt_id).first()
        exam = attempt.assessment.title if attempt else ""
    if isinstance(data.get("exam"), dict):
        score = str(data["exam"].get("score", ""))
    prerequisites = [found.display_name for found in Certification.objects.filter(pk__in=data.get("prerequisites", ()))]
    return Evidence(courses=courses, exam=exam, exam_score=score, prerequisites=prerequisites)


def _parse(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def status_buttons(credential: Credential, user: User) -> list[HeaderButton]:
    """Only for people who may change statuses, and only the changes its status allows."""
    if not can_change_credential_status(user):
        return []
    return [
        HeaderButton(
            ACTION_LABELS[action],
            url=reverse("certifications_admin_change_status", args=(credential.pk, action.value)),
            icon_name=ACTION_ICONS[action],
        )
        for action in allowed_actions(credential.status)
    ]


class CredentialInspectView(InspectView):
    template_name = "certifications/admin/credential_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Credential.objects.select_related("user", "certification", "version"), pk=self.pk)

    @cached_property
    def header_buttons(self):
        return status_buttons(self.object, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            credential=self.object,
            evidence=evidence_of(self.object),
            events=event_rows(self.object),
            status_buttons=status_buttons(self.object, self.request.user),
        )
        return context


# --- Revoke, suspend, reinstate --------------------------------------------------------


class ReasonForm(forms.Form):
    # The service checks the reason (required, at most REASON_MAX characters), so its
    # messages are the ones people see, whichever way the change is asked for.
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX}),
        help_text=gettext_lazy("Recorded in the credential's history, with your name and the time."),
    )


def change_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not can_change_credential_status(request.user):
        raise PermissionDenied
    try:
        manual_action = ManualAction(action)
    except ValueError:
        raise Http404 from None
    credential = get_object_or_404(Credential.objects.select_related("certification", "user"), pk=pk)
    form = ReasonForm(request.POST) if request.method == "POST" else ReasonForm()
    allowed = manual_action in allowed_actions(credential.status)
    problems: list[str] = []
    if not allowed:
        problems.append(_("This credential's status does not allow that change."))
    elif request.method == "POST" and form.is_valid():
        try:
            change_credential_status(
                credential=credential, action=manual_action, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except CredentialStatusError as error:
            problems.append(str(error))
        else:
            credential.refresh_from_db()
            messages.success(
                request,
                _("%(holder)s's credential “%(name)s” is now %(status)s.")
                % {
                    "holder": credential.holder_name,
                    "name": credential.certification.display_name,
                    "status": credential.status_in_sentence,
                },
            )
            return redirect(reverse(CREDENTIAL_INSPECT, args=(credential.pk,)))
    context = {
        "credential": credential,
        "form": form,
        "problems": problems,
        "action": manual_action,
        "action_label": ACTION_LABELS[manual_action],
        "allowed": allowed,
        "cancel_url": reverse(CREDENTIAL_INSPECT, args=(credential.pk,)),
    }
    status = 400 if problems else 200
    return TemplateResponse(request, "certifications/admin/change_status.html", context, status=status)
