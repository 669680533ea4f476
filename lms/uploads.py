"""Request bodies and uploaded files over their limit are refused before anything reads them.

Django's CSRF middleware reads request.POST, which parses a multipart body and
spools its files, before any view runs. So the limit is checked here, from the
Content-Length the client announces, ahead of the CSRF middleware.

A Content-Length can be missing (a chunked body behind an ASGI server) or within the
body limit while one file is over its own limit. `FileSizeLimitUploadHandler`, first in
FILE_UPLOAD_HANDLERS, counts each file's bytes as they arrive and stops the upload at
the first chunk past the limit, before the rest is written to a temporary file. For
the image and document library the middleware parses the body itself, so that it can
answer such a request with the same 413 page instead of letting a view see a form
without its file; elsewhere the form then lacks the file and says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The room a media form's other fields (title, tags, collection, focal point) may take.
UPLOAD_FORM_MARGIN = 256 * 1024
# Set on the request by the upload handler when it stopped an upload: the limit passed.
STOPPED_UPLOAD_ATTRIBUTE = "upload_stopped_at_limit"

# Where tier-gate evidence is sent: /tiers/<slug>/gates/submit/, in either language.
EVIDENCE_PATH = re.compile(r"^/(?:fa/)?tiers/[-\w]+/gates/submit/$")
IMAGE_ADMIN_PREFIX = "/admin/images/"
DOCUMENT_ADMIN_PREFIX = "/admin/documents/"


def declared_body_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def file_limit(path: str) -> int:
    """The largest single file accepted for `path`."""
    if path.startswith(IMAGE_ADMIN_PREFIX):
        return settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    if path.startswith(DOCUMENT_ADMIN_PREFIX):
        return settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    if path.startswith("/admin/"):
        return settings.MAX_ADMIN_REQUEST_BYTES
    if EVIDENCE_PATH.match(path):
        # The evidence form names the exact size of a file a little over its limit itself.
        return body_limit(path)
    return settings.MAX_PORTAL_REQUEST_BYTES


def body_limit(path: str) -> int:
    """The largest body accepted for `path`: the image and document library take one file
    of their own limit, the rest of the admin other media uploads, the evidence form a
    report, the other portal forms little."""
    if path.startswith((IMAGE_ADMIN_PREFIX, DOCUMENT_ADMIN_PREFIX)):
        return file_limit(path) + UPLOAD_FORM_MARGIN
    if path.startswith("/admin/"):
        return settings.MAX_ADMIN_REQUEST_BYTES
    if EVIDENCE_PATH.match(path):
        return settings.MAX_EVIDENCE_UPLOAD_BYTES + 64 * 1024  # the form's other fields
    return settings.MAX_PORTAL_REQUEST_BYTES


class FileSizeLimitUploadHandler(FileUploadHandler):
    """Stops a multipart upload as soon as one file passes the limit for its path,
    whatever the request's Content-Length said."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = file_limit(request.path_info) if request is not None else None
        self.received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.limit is not None and self.received > self.limit:
            if self.request is not None:
                setattr(self.request, STOPPED_UPLOAD_ATTRIBUTE, self.limit)
            # The later handlers' temporary files are closed, so deleted, by the parser.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    return render(request, "413.html", {"limit_kb": limit // 1024}, status=413)


def is_multipart_post(request: HttpRequest) -> bool:
    return request.method == "POST" and request.content_type == "multipart/form-data"


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request.path_info)
        if declared_body_size(request) > limit:
            return too_large(request, limit)
        if is_multipart_post(request) and request.path_info.startswith((IMAGE_ADMIN_PREFIX, DOCUMENT_ADMIN_PREFIX)):
            # Parse the media library's uploads now, as CSRF would next, to answer a stopped
            # one with the 413 page. Other forms keep their own checks ahead of parsing.
            request.FILES  # noqa: B018
            stopped_at = getattr(request, STOPPED_UPLOAD_ATTRIBUTE, None)
            if stopped_at is not None:
                return too_large(request, stopped_at)
        return self.get_response(request)
