"""The formats an image can be downloaded in, and the file names downloads get.

Each choice is a Wagtail rendition filter; "original" is the uploaded file. Pure
functions apart from the rendition call itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ImageFormat:
    key: str
    label: object
    filter_spec: str = ""  # empty: the original file
    extension: str = ""
    size: int = 0


ORIGINAL = ImageFormat("original", _("Original file"))
IMAGE_FORMATS: dict[str, ImageFormat] = {
    f.key: f
    for f in (
        ORIGINAL,
        ImageFormat("png-800", _("PNG, up to 800 pixels"), "max-800x800|format-png", "png", 800),
        ImageFormat("png-1600", _("PNG, up to 1600 pixels"), "max-1600x1600|format-png", "png", 1600),
        ImageFormat("webp-800", _("WebP, up to 800 pixels"), "max-800x800|format-webp", "webp", 800),
        ImageFormat("webp-1600", _("WebP, up to 1600 pixels"), "max-1600x1600|format-webp", "webp", 1600),
        ImageFormat("jpeg-1600", _("JPEG, up to 1600 pixels"), "max-1600x1600|format-jpeg", "jpg", 1600),
    )
}


def extension_of(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def download_name(title: str, stored_name: str, *, suffix: str = "", extension: str = "") -> str:
    """`brand-logo-800.webp`: the title as a slug (Persian letters kept), the size, the type."""
    extension = extension or extension_of(stored_name)
    stem = slugify(title, allow_unicode=True)[:80] or slugify(stored_name.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    stem = stem or "asset"
    if suffix:
        stem = f"{stem}-{suffix}"
    return f"{stem}.{extension}" if extension else stem
