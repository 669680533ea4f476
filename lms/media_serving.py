"""`/media/` in development (DEBUG) without the side doors: original image files and
Wagtail documents go out only through the download views, which check access and record
the download. Renditions (`images/`) and PDF thumbnails stay public, as pages show them.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.static import serve

PROTECTED_FOLDERS = frozenset({"original_images", "documents"})


def is_protected(path: str) -> bool:
    """Pure: whether a path below MEDIA_ROOT is an original image or a document."""
    normal = posixpath.normpath("/" + path.replace("\\", "/")).lstrip("/")
    return normal.split("/", 1)[0].lower() in PROTECTED_FOLDERS


def serve_public_media(request: HttpRequest, path: str, document_root=None) -> HttpResponse:
    if is_protected(path):
        raise Http404(_("Original files are downloaded from the pages that offer them."))
    return serve(request, path, document_root=document_root or settings.MEDIA_ROOT)


def debug_media_urlpatterns() -> list:
    prefix = settings.MEDIA_URL.lstrip("/")
    return [
        re_path(rf"^{prefix}(?P<path>.*)$", serve_public_media),
    ]
