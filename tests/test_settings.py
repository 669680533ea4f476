"""Settings come from the environment, and production refuses unsafe ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from lms import env

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "prod-" + "k3y-with-enough-entropy-" * 3,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "partners.example.com",
    "EMAIL_URL": "smtp://mailer:secret@smtp.example.com:587/?tls=1",
    "BASE_URL": "https://partners.example.com",
}


def manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    # The test run's own environment (see tests/settings.py) must not leak in.
    ours = {*PRODUCTION, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    ours |= {"SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"}
    clean = {key: value for key, value in os.environ.items() if key not in ours and not key.startswith("SECURE_")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", environment={"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_the_documented_production_environment_passes_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_console_mailer_is_refused_in_production():
    result = manage("check", "--deploy", environment={**PRODUCTION, "EMAIL_URL": "console://"})
    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr


def test_a_bad_boolean_is_a_clear_configuration_error(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(Exception, match="DEBUG must be a boolean"):
        env.get_bool("DEBUG")


def test_an_unknown_tasks_backend_is_a_clear_configuration_error():
    result = manage("check", environment={"DEBUG": "true", "TASKS_BACKEND": "carrier-pigeon"})
    assert result.returncode != 0
    assert "TASKS_BACKEND must be one of" in result.stderr


def test_smtp_urls_become_a_mailer():
    mailer = env.mailer_from_url("smtp://user%40x:p%3Ass@mail.example:2525/?tls=1")
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"]["username"] == "user@x"
    assert mailer["OPTIONS"]["password"] == "p:ss"
    assert mailer["OPTIONS"]["port"] == 2525
    assert mailer["OPTIONS"]["use_tls"] is True


@pytest.mark.django_db
def test_the_search_backend_follows_the_database():
    from wagtail.search.backends import get_search_backend

    backend = type(get_search_backend()).__module__
    expected = {"postgresql": ".postgres.", "sqlite": ".sqlite."}[connection.vendor]
    assert expected in backend, backend


def printed_by(code: str, environment: dict[str, str]) -> str:
    """What `code` prints inside a fresh process configured by `environment`."""
    result = manage("shell", "--no-imports", "-c", code, environment={"DEBUG": "true", **environment})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_tasks_backend_is_chosen_by_environment():
    code = "from django_tasks import task_backends; print(type(task_backends['default']).__name__)"
    assert printed_by(code, {"TASKS_BACKEND": "database"}) == "DatabaseBackend"


def test_redis_url_switches_the_cache_to_redis():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    backend = printed_by(code, {"REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_nothing_in_the_settings_points_at_an_outside_host():
    assert settings.STATIC_URL == "/static/"
    assert all(source == "'self'" or source.endswith(":") for source in settings.SECURE_CSP["font-src"])
