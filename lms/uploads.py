"""Guards for request bodies, applied before Django parses (and so reads) an upload."""

from __future__ import annotations

from django.http import HttpRequest


def declared_body_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def body_exceeds(request: HttpRequest, limit: int) -> bool:
    """True when the client announces a body larger than `limit` bytes.

    Checked before request.POST or request.FILES is touched, so an oversized
    upload is refused without being read. Django itself still refuses chunked
    bodies without a length for multipart forms.
    """
    return declared_body_size(request) > limit
