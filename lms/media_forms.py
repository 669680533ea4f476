"""The Wagtail admin's image and document forms, checking each upload by its content.

settings.WAGTAILIMAGES_IMAGE_FORM_BASE and WAGTAILDOCS_DOCUMENT_FORM_BASE point here, so
every view that takes a file goes through these checks: the single add and edit views
(replacing a file too), the multiple uploader and the choosers' upload tabs. The checks
run before Wagtail's own (which open the file with Willow), in this order: the size the
upload declares, then markup (SVG, HTML), then the real format against the extension,
then the structure (a zip's central directory, text encoding, a whole image decode).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.utils import get_allowed_image_extensions

from lms import media_checks
from lms.i18n import local_digits, local_list
from lms.media_checks import ImageLimits, Problem, ZipLimits


def found_label(kind: str) -> str:
    """What a file's content was recognised as, for "its content is …"."""
    labels = {
        media_checks.HTML: _("HTML"),
        media_checks.SVG: _("SVG"),
        media_checks.XML: _("XML"),
        media_checks.TEXT: _("plain text"),
        media_checks.PDF: _("a PDF document"),
        media_checks.PNG: _("a PNG image"),
        media_checks.JPEG: _("a JPEG image"),
        media_checks.GIF: _("a GIF image"),
        media_checks.WEBP: _("a WebP image"),
        media_checks.AVIF: _("an AVIF image"),
        media_checks.HEIC: _("a HEIC image"),
        media_checks.ZIP: _("a zip archive"),
        media_checks.RTF: _("an RTF document"),
        media_checks.MP4: _("an MP4 video"),
        media_checks.WEBM: _("a WebM video"),
        media_checks.EMPTY: _("nothing (the file is empty)"),
    }
    return labels.get(kind, _("unrecognised binary data"))


def size_text(size: int) -> str:
    return local_digits(filesizeformat(size))


def count_text(count: object) -> str:
    return local_digits(number_format(count, force_grouping=True))


def expected_label(extension: str) -> str:
    return extension.upper() or _("file without an extension")


def message_for(problem: Problem) -> str:
    """The translated sentence that tells an editor why a file was refused."""
    params = problem.params
    match problem.code:
        case "markup":
            expected = str(params.get("expected", ""))
            if expected in ("svg", "html", "htm", "xml", "xhtml", ""):
                return _("SVG and HTML files are not accepted: they can run scripts in the browser.")
            return _(
                "This file is not a real %(expected)s: its content is %(found)s, which can run scripts in the browser."
            ) % {"expected": expected_label(expected), "found": found_label(str(params["found"]))}
        case "mismatch":
            return _("This file is not a real %(expected)s: its content is %(found)s.") % {
                "expected": expected_label(str(params["expected"])),
                "found": found_label(str(params["found"])),
            }
        case "extension":
            return _("Files ending in “.%(extension)s” are not accepted here. Accepted: %(accepted)s.") % {
                "extension": params["extension"] or "",
                "accepted": local_list(str(extension).upper() for extension in params["accepted"]),
            }
        case "empty":
            return _("This file is empty.")
        case "too_large":
            return _("This file is %(size)s, more than the %(limit)s allowed.") % {
                "size": size_text(int(params["size"])),
                "limit": size_text(int(params["limit"])),
            }
        case "zip_unpacked":
            return _("This zip would unpack to %(size)s, more than the %(limit)s allowed.") % {
                "size": size_text(int(params["size"])),
                "limit": size_text(int(params["limit"])),
            }
        case "zip_ratio":
            return _(
                "A file in this zip is compressed %(ratio)s times, more than the %(limit)s allowed: "
                "it looks like a zip bomb."
            ) % {"ratio": count_text(params["ratio"]), "limit": count_text(params["limit"])}
        case "zip_members":
            return _("This zip holds %(count)s files, more than the %(limit)s allowed.") % {
                "count": count_text(params["count"]),
                "limit": count_text(params["limit"]),
            }
        case "zip_path":
            return _("This zip holds a file with an unsafe path (%(path)s).") % {"path": params["path"]}
        case "zip_overlap":
            return _("The entries of this zip overlap each other: it looks like a zip bomb.")
        case "missing_part":
            return _("This file is a zip but not a real %(expected)s: it lacks the “%(part)s” part.") % {
                "expected": expected_label(str(params["expected"])),
                "part": params["part"],
            }
        case "not_utf8":
            return _("This file is not UTF-8 text. Save it as UTF-8 and upload it again.")
        case "nul_bytes":
            return _("This file holds binary data (NUL bytes), not text.")
        case "vtt_header":
            return _("This is not a WebVTT caption file: it does not start with “WEBVTT”.")
        case "damaged":
            return _("This image file is damaged or incomplete.")
        case "too_many_pixels":
            if params.get("width"):
                return _("This image is %(width)s × %(height)s pixels, more than the %(limit)s pixels allowed.") % {
                    "width": count_text(params["width"]),
                    "height": count_text(params["height"]),
                    "limit": count_text(params["limit"]),
                }
            return _("This image has more than the %(limit)s pixels allowed.") % {"limit": count_text(params["limit"])}
    return _("This file cannot be accepted.")


def refuse(problem: Problem | None) -> None:
    if problem is not None:
        raise ValidationError(message_for(problem), code=problem.code)


def refuse_oversized(upload: UploadedFile, limit: int | None) -> None:
    """The size the upload reports, checked before a byte of it is read."""
    if limit is not None and upload.size is not None and upload.size > limit:
        refuse(Problem("too_large", {"size": upload.size, "limit": limit}))


def zip_limits() -> ZipLimits:
    return ZipLimits(
        max_unpacked_bytes=settings.MAX_ZIP_UNPACKED_BYTES,
        max_ratio=settings.MAX_ZIP_COMPRESSION_RATIO,
        max_members=settings.MAX_ZIP_MEMBERS,
    )


class CheckedImageField(WagtailImageField):
    def to_python(self, data):
        if isinstance(data, UploadedFile):
            refuse_oversized(data, self.max_upload_size)
            refuse(
                media_checks.check_image(
                    data,
                    data.name or "",
                    allowed_extensions=list(get_allowed_image_extensions()),
                    limits=ImageLimits(max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS),
                )
            )
        return super().to_python(data)


class CheckedDocumentField(WagtailDocumentField):
    def to_python(self, data):
        if isinstance(data, UploadedFile):
            refuse_oversized(data, self.max_upload_size)
            refuse(
                media_checks.check_document(
                    data,
                    data.name or "",
                    allowed_extensions=list(settings.WAGTAILDOCS_EXTENSIONS),
                    zip_limits=zip_limits(),
                )
            )
        return super().to_python(data)


def checked_field(field: forms.Field, field_class: type[forms.FileField]) -> forms.FileField:
    """The same file field (label, widget, required), with the content checks in front."""
    return field_class(label=field.label, required=field.required, widget=field.widget, initial=field.initial)


class CheckedImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"] = checked_field(self.fields["file"], CheckedImageField)


class CheckedDocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"] = checked_field(self.fields["file"], CheckedDocumentField)

    def _post_clean(self) -> None:
        """Once the field has refused a file, the model's own extension check (which then
        sees no file and reports an empty extension) adds nothing useful: keep one message."""
        refused = "file" in self._errors
        super()._post_clean()
        if refused:
            del self._errors["file"][1:]
