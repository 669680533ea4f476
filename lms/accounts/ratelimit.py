"""Fixed-window counters of failed sign-ins, per client address and per account.

Counters live in the cache (Redis in production) so every worker shares them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from lms.accounts.emails import canonical_email


def client_ip(request: HttpRequest) -> str:
    """The client address, trusting only as many X-Forwarded-For hops as configured."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(request: HttpRequest, account: str, scope: str = "login") -> list[tuple[str, int]]:
    limits = _limits(scope)
    keys = [(f"{scope}:ip:{client_ip(request)}", limits["per_ip"])]
    if account:
        digest = hashlib.sha256(canonical_email(account).encode()).hexdigest()
        keys.append((f"{scope}:account:{digest}", limits["per_account"]))
    return keys


def _limits(scope: str) -> dict[str, int]:
    return settings.LOGIN_RATE_LIMIT if scope == "login" else settings.PASSWORD_RESET_RATE_LIMIT


def is_login_limited(request: HttpRequest, account: str) -> bool:
    return is_limited(request, account, scope="login")


def record_login_failure(request: HttpRequest, account: str) -> None:
    record(request, account, scope="login")


def is_limited(request: HttpRequest, account: str, *, scope: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, account, scope))


def record(request: HttpRequest, account: str, *, scope: str) -> None:
    window = _limits(scope)["window_seconds"]
    for key, _limit in _keys(request, account, scope):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window)


def clear_account_failures(request: HttpRequest, account: str) -> None:
    for key, _limit in _keys(request, account)[1:]:
        cache.delete(key)


def hit_limit(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one request from this client address in `scope`; True once the count goes
    over `limit` in the current fixed window.

    For public pages that need no account, such as credential verification. Requests
    over the limit keep counting, which does not lengthen the window: it starts with
    the first request and its expiry is not moved by later ones.
    """
    key = f"{scope}:ip:{client_ip(request)}"
    try:
        # One cache operation for every request but the first of a window.
        count = cache.incr(key)
    except ValueError:  # no window yet, or it has just expired
        if cache.add(key, 1, timeout=window_seconds):
            return limit < 1
        try:
            count = cache.incr(key)  # another request started the window meanwhile
        except ValueError:
            count = 1
    return count > limit
