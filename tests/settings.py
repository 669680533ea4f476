"""Test settings: the production settings module, fed a test environment."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("BASE_URL", "http://testserver")
# Private uploads (tier-gate evidence) of a test run go to a directory of its own.
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="abrzad-test-private-"))

from lms.settings import *  # noqa: F403

LANGUAGE_COOKIE_SECURE = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests and benchmarks run in one process, so the local-memory cache is shared by all
# that changes a credential and all that reads its page: cache the verification page as
# production does with Redis.
VERIFY_PAGE_CACHE = True
