"""Evidence for a manual gate (an audit report, customer references): which gates the
active rules ask for, and the upload form, which checks the file by its content and its
size before reading it."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certifications.services.tier_actions import REASON_MAX
from certifications.tiers.rules import AllOf, AnyOf, ManualGate, RuleSet, Tracks
from lms import media_checks
from lms.i18n import local_digits

# The kinds of evidence accepted, as lms.media_checks recognises them by their first
# bytes, and the extension each is saved under.
EVIDENCE_EXTENSIONS = {media_checks.PDF: "pdf", media_checks.PNG: "png", media_checks.JPEG: "jpg"}
IMAGE_EXTENSIONS = {"png", "jpg"}


def requested_gates(rule_set: RuleSet) -> list[tuple[str, str]]:
    """Each manual gate of the rules, with its label, in the order the tiers list them."""
    gates: dict[str, str] = {}
    pending = [tier.requirement for tier in rule_set.tiers if tier.requirement is not None]
    while pending:
        requirement = pending.pop(0)
        match requirement:
            case ManualGate():
                gates.setdefault(requirement.gate, requirement.label or requirement.gate)
            case AllOf() | AnyOf():
                pending.extend(requirement.requirements)
            case Tracks():
                pending.extend(track.requirement for track in requirement.tracks)
    return list(gates.items())


def evidence_kind(upload: UploadedFile) -> str | None:
    """The file's extension by its content (PDF, PNG or JPEG), or None."""
    return EVIDENCE_EXTENSIONS.get(media_checks.sniff(media_checks.read_head(upload, 16)))


class EvidenceForm(forms.Form):
    gate = forms.ChoiceField(label=gettext_lazy("Gate"))
    evidence = forms.FileField(
        label=gettext_lazy("Evidence (PDF, PNG or JPEG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=REASON_MAX, required=False)

    def __init__(self, *args, gates: list[tuple[str, str]], **kwargs) -> None:
        kwargs.setdefault("auto_id", "evidence-%s")
        super().__init__(*args, **kwargs)
        self.fields["gate"].choices = gates

    def clean_evidence(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["evidence"]
        limit = settings.MAX_EVIDENCE_UPLOAD_BYTES
        if upload.size > limit:  # known from the upload before the file is read
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": local_digits(round(limit / 1024 / 1024, 1))}
            )
        kind = evidence_kind(upload)
        if kind is None:
            raise forms.ValidationError(_("Send the evidence as a PDF, PNG or JPEG file."))
        if kind in IMAGE_EXTENSIONS:
            # Decoded whole (at most the size limit), under the pixel limit of the image library.
            limits = media_checks.ImageLimits(max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS)
            if media_checks.inspect_raster(upload, limits) is not None:
                raise forms.ValidationError(_("This image file is damaged or not an image."))
        upload.name = f"{uuid.uuid4().hex}.{kind}"  # never the sender's file name
        return upload
