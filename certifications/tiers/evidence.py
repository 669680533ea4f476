"""Evidence for a manual gate (an audit report, customer references): which gates the
active rules ask for, and the upload form, which checks the file by its content and its
size before reading it."""

from __future__ import annotations

import uuid
from io import BytesIO

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from certifications.services.tier_actions import REASON_MAX
from certifications.tiers.rules import AllOf, AnyOf, ManualGate, RuleSet, Tracks
from lms.i18n import local_digits

# The kinds of evidence accepted, by the bytes they start with, and the extension they are saved under.
SIGNATURES = ((b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"))
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
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, extension in SIGNATURES:
        if head.startswith(signature):
            return extension
    return None


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
            try:
                with Image.open(BytesIO(upload.read())) as image:  # at most the size limit
                    image.verify()
            except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
                raise forms.ValidationError(_("This image file is damaged or not an image.")) from error
            finally:
                upload.seek(0)
        upload.name = f"{uuid.uuid4().hex}.{kind}"  # never the sender's file name
        return upload
