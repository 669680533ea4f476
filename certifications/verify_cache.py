"""The rendered verification page, kept in the cache for anonymous visitors.

A public verification link is opened by people who are not signed in, so the page an
anonymous visitor sees of one credential in one language is the same bytes for all of
them. It is kept in Django's cache (Redis in production) under the page's path, its
language and `page_version()` (templates, translations, static manifest, this code).

Every entry carries two tokens, read from the cache before the database is asked:

- the credential's own (`verify:credential:<code>`), replaced whenever that
  credential is saved or deleted (revocation, suspension, reinstatement, renewal,
  supersession);
- the global one (`verify:generation`), replaced whenever a certification, a
  competency or the issuer settings change, and on every queryset-level update of
  credentials (`CredentialQuerySet.update`, the nightly expiry's raw `UPDATE`), whose
  rows are not known one by one.

A hit reads the entry and both tokens in one `get_many` and serves the entry only if
both still match, so a change shows on the very next request. A token is replaced at
once and again when the transaction commits: a request that read the old rows before
the commit stamps its entry with a token the commit has since replaced. An entry of a
valid credential that expires also stops being served at its expiry, when the page
starts saying "expired".

Only what is the same for every anonymous visitor is kept: requests of signed-in
people, with a query string, or with messages waiting are rendered as before and never
stored, and a page that rendered a CSRF token is not stored. The CSP nonce of the
request that rendered the page is replaced by a placeholder, and each hit substitutes
its own request's nonce.

Invalidation needs a cache that every process shares. With a per-process cache
(local memory, several workers, the expiry command in a process of its own) a change
made in one process would not reach the others, so `VERIFY_PAGE_CACHE` is on by default only with Redis (`REDIS_URL`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from certifications import signals

GENERATION_KEY = "verify:generation"
CREDENTIAL_KEY = "verify:credential:{code}"
PAGE_KEY = "verify:page:{version}:{language}:{path}"
# Escaped template output never contains "<", so no rendered value can look like this.
NONCE_PLACEHOLDER = b"<%csp-nonce%>"
# Files whose content changes the page's bytes without changing its data.
_THIS_CODE = ("certifications/verify_cache.py", "certifications/views/verify.py", "certifications/verification.py")


@dataclass(frozen=True)
class Entry:
    body: bytes
    tokens: tuple[str, str]  # the global and the credential's token it was rendered under
    valid_until: datetime | None  # a valid credential's expiry: the page then says "expired"
    has_nonce: bool


# Whether to cache -------------------------------------------------------------------------


def enabled() -> bool:
    return settings.VERIFY_PAGE_CACHE


def timeout() -> int:
    return settings.VERIFY_PAGE_CACHE_SECONDS


def _token_timeout() -> int:
    """Tokens outlive the entries stamped with them; one that is gone only means a miss."""
    return 2 * timeout()


def cacheable(request: HttpRequest) -> bool:
    """Whether this request may be answered from, and its page stored in, the cache:
    the page must be the one every anonymous visitor of this address gets."""
    return (
        enabled()
        and not request.META.get("QUERY_STRING")  # the language switch repeats it
        and not request.user.is_authenticated  # navigation, user chip, CSRF-protected forms
        and not len(messages.get_messages(request))  # shown (and consumed) by the page
    )


@memoize
def page_version() -> str:
    """A digest of what makes the page's bytes besides its data, computed once a
    process: a deploy that changes any of it starts new keys."""
    import django
    import wagtail

    digest = hashlib.sha256()
    for part in (django.get_version(), wagtail.__version__, settings.STATIC_URL, settings.BASE_URL):
        digest.update(f"{part}\0".encode())
    digest.update(repr(settings.LANGUAGES).encode())
    digest.update(str(settings.VERIFY_PAGE_CACHE_VERSION).encode())
    base = Path(settings.BASE_DIR)
    files = [base / name for name in _THIS_CODE]
    for directory in settings.TEMPLATES[0].get("DIRS", []):
        files += sorted(Path(directory).rglob("*.html"))
    for directory in [*settings.LOCALE_PATHS, base / "locale"]:
        files += sorted(Path(directory).rglob("*.mo"))
    for path in dict.fromkeys(files):
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    digest.update(_static_manifest())
    return digest.hexdigest()[:16]


def _static_manifest() -> bytes:
    """The hashed static names (`{% static %}` in production) come from the manifest."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    read = getattr(staticfiles_storage, "read_manifest", None)
    try:
        return (read() or "").encode() if read else b""
    except OSError:
        return b""


# Reading and storing ----------------------------------------------------------------------


def _page_key(request: HttpRequest) -> str:
    return PAGE_KEY.format(version=page_version(), language=translation.get_language(), path=request.path)


def _credential_key(code: str) -> str:
    return CREDENTIAL_KEY.format(code=code)


def cached_response(
    request: HttpRequest, code: str, *, now: datetime
) -> tuple[HttpResponse | None, tuple[str | None, str | None]]:
    """The cached page, or None and the tokens to store a fresh render under.

    The tokens are read before the caller asks the database: a change committed after
    this read replaces them, and `store` then keeps nothing."""
    page_key, credential_key = _page_key(request), _credential_key(code)
    found = cache.get_many([page_key, GENERATION_KEY, credential_key])
    entry = found.get(page_key)
    tokens = (found.get(GENERATION_KEY), found.get(credential_key))
    if (
        isinstance(entry, Entry)
        and None not in tokens
        and entry.tokens == tokens
        and (entry.valid_until is None or now < entry.valid_until)
    ):
        body = entry.body
        if entry.has_nonce:
            body = body.replace(NONCE_PLACEHOLDER, str(request._csp_nonce).encode())
        return HttpResponse(body), tokens
    return None, tokens


def store(
    request: HttpRequest,
    response: HttpResponse,
    *,
    code: str,
    tokens: tuple[str | None, str | None],
    valid_until: datetime | None,
) -> None:
    """Keep a fresh render of the page, with the request's nonce taken out.

    A token the cache did not hold when the page was looked up is started now; if
    something started or replaced it meanwhile, the render may predate a change and is
    not kept."""
    body = response.content
    if NONCE_PLACEHOLDER in body or b"csrfmiddlewaretoken" in body:
        return
    stamped = []
    for key, token in zip((GENERATION_KEY, _credential_key(code)), tokens, strict=True):
        if token is None:
            token = secrets.token_urlsafe(9)
            if not cache.add(key, token, timeout=_token_timeout()):
                return
        stamped.append(token)
    nonce = getattr(request, "_csp_nonce", None)
    has_nonce = bool(nonce)  # a LazyNonce is true only once something used it
    if has_nonce:
        body = body.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
    entry = Entry(body=body, tokens=(stamped[0], stamped[1]), valid_until=valid_until, has_nonce=has_nonce)
    cache.set(_page_key(request), entry, timeout=timeout())


# Invalidation -----------------------------------------------------------------------------


def _replace(key: str) -> None:
    def replace() -> None:
        cache.set(key, secrets.token_urlsafe(9), timeout=_token_timeout())

    replace()
    transaction.on_commit(replace)  # runs at once outside a transaction


def credential_changed(code: str) -> None:
    _replace(_credential_key(code))


def everything_changed() -> None:
    """For changes to what every page shows (a certification's names, the issuer), and
    for credentials changed in bulk, whose codes are not at hand."""
    _replace(GENERATION_KEY)


@receiver(post_save, sender="certifications.Credential", dispatch_uid="verify_cache.credential_saved")
@receiver(post_delete, sender="certifications.Credential", dispatch_uid="verify_cache.credential_deleted")
def _credential_saved(sender, instance, **kwargs) -> None:
    credential_changed(instance.code)


@receiver(post_save, sender="certifications.Certification", dispatch_uid="verify_cache.certification_saved")
@receiver(post_delete, sender="certifications.Certification", dispatch_uid="verify_cache.certification_deleted")
@receiver(post_save, sender="competencies.Competency", dispatch_uid="verify_cache.competency_saved")
@receiver(post_delete, sender="competencies.Competency", dispatch_uid="verify_cache.competency_deleted")
@receiver(post_save, sender="certifications.IssuerSettings", dispatch_uid="verify_cache.issuer_saved")
def _shown_everywhere_saved(sender, **kwargs) -> None:
    everything_changed()


@receiver(signals.credentials_expired, dispatch_uid="verify_cache.credentials_expired")
def _credentials_expired(sender, **kwargs) -> None:
    everything_changed()
