"""Browser tests: headless Chromium drives the real site, served over HTTP by the live test server.

Every test in this directory
- is marked `browser`;
- is skipped when Chromium is not installed, and fails instead when CI is "true";
- starts from the database as the migrations left it (home page, locales, staff groups);
- may only reach the live test server: any other request is aborted and fails the test;
- fails when a page logs an error to the browser console, Content-Security-Policy
  violations included.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.support import BrowserConsole, NetworkGuard

HERE = Path(__file__).resolve().parent
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # Chromium's own services still look up Google hosts (accounts, updates). Sending every
    # request not for the loopback address to a closed local port keeps it off the network.
    "--proxy-server=http://127.0.0.1:9",
]
BROWSER_TEST_ENVIRONMENT = {
    # Playwright's synchronous API keeps an event loop running in the test thread, so
    # Django would refuse the ordinary synchronous ORM calls of fixtures and set-up.
    "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    # Serve on the loopback address itself, not on whatever "localhost" resolves to.
    "DJANGO_LIVE_TEST_SERVER_ADDRESS": os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1"),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """The environment above holds for browser tests only, set-up and tear-down included;
    set for the whole run, it would leak into the other tests and their subprocesses."""
    if not item.path.is_relative_to(HERE):
        return (yield)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in BROWSER_TEST_ENVIRONMENT.items():
            patch.setenv(name, value)
        return (yield)


def find_chromium() -> str | None:
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="session", autouse=True)
def chromium_executable() -> str:
    path = find_chromium()
    if path is None:
        problem = f"Chromium is not installed: neither {DEBIAN_CHROMIUM} nor a `chromium` on PATH was found"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}. CI must run the browser tests, so this is a failure.", pytrace=False)
        pytest.skip(f"{problem}; the browser tests are skipped. Install Chromium to run them.")
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, chromium_executable: str) -> dict:
    headless = browser_type_launch_args.get("headless", True)
    args = [arg for arg in CHROMIUM_ARGS if headless or arg != "--headless"]
    return {**browser_type_launch_args, "executable_path": chromium_executable, "headless": headless, "args": args}


@pytest.fixture(scope="session")
def _database_connections(django_db_setup) -> dict:
    """Django's connections to the test database, as opened before Playwright starts."""
    from django.db import connections

    return {alias: connections[alias] for alias in connections}


@pytest.fixture(scope="session")
def playwright(_database_connections: dict, playwright):
    """Playwright, with the tests kept on the database connections opened before it started.

    Starting Playwright's synchronous API moves the test thread into another context,
    in which Django would open new connections: those lack the data kept for serialized
    rollback and, with SQLite in memory, would sit beside the one the live server uses.
    """
    from django.db import connections

    for alias, connection in _database_connections.items():
        connections[alias] = connection
    return playwright


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative URLs in page.goto() and expect(page).to_have_url() are on the live test server."""
    return live_server.url


@pytest.fixture(autouse=True)
def _database_as_migrated(live_server, django_db_serialized_rollback) -> None:
    """The live server needs transactional tests, which empty the database after each test;
    serialized rollback puts back what the migrations created before the next one."""


@pytest.fixture
def network_guard() -> NetworkGuard:
    return NetworkGuard()


@pytest.fixture
def browser_console() -> BrowserConsole:
    return BrowserConsole()


@pytest.fixture(autouse=True)
def _browser_stays_local_and_quiet(network_guard: NetworkGuard, browser_console: BrowserConsole) -> Iterator[None]:
    """Fails the test when the browser tried to leave the test server or logged an error.

    Checked after the test's browser contexts are closed, so late requests count too.
    """
    yield
    problems = []
    if network_guard.blocked:
        problems.append("The browser tried to reach hosts other than the test server (the requests were aborted):")
        problems += [f"- {url}" for url in network_guard.blocked]
    if browser_console.problems:
        problems.append("The pages logged errors in the browser console:")
        problems += [f"- {line}" for line in browser_console.problems]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def new_context(new_context: Callable, network_guard: NetworkGuard, browser_console: BrowserConsole) -> Callable:
    """Every browser context of a test, watched by the network guard and the console."""

    def make(**options):
        context = new_context(**options)
        network_guard.watch(context)
        browser_console.watch(context)
        return context

    return make
