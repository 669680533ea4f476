"""Helpers for the browser tests: finding pages, signing in, and what every page must satisfy.

Elements are found by their form field names and landmarks rather than by their
visible text, so the same steps work on the English and the Persian pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page, Request, Route, WebError, expect

from tests.factories import TEST_PASSWORD

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

LANGUAGES = ["en", "fa"]
DIRECTION = {"en": "ltr", "fa": "rtl"}
LANGUAGE_NAMES = {"en": "English", "fa": "فارسی"}
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

INVITATION_LINK = re.compile(r"https?://[^\s/]+(?P<path>/(?:[a-z]{2}/)?accounts/invite/[\w-]+/)")


# Where things are


def localized(path: str, language: str) -> str:
    """The path of a page in `language`: English is unprefixed, Persian lives under /fa/."""
    return path if language == "en" else f"/{language}{path}"


def team_table(page: Page) -> Locator:
    return page.locator("section[aria-labelledby=team-heading]")


def pending_invitations(page: Page) -> Locator:
    return page.locator("section[aria-labelledby=invitations-heading]")


def language_switch(page: Page, language: str) -> Locator:
    """The header's control for `language`, labelled with the language's own name."""
    return page.locator("header .language-switch").get_by_text(LANGUAGE_NAMES[language], exact=True)


# What people do


def sign_in(page: Page, email: str, password: str = TEST_PASSWORD, *, language: str = "en") -> None:
    """Sign in through the real login form of the `language` interface."""
    page.goto(localized("/accounts/login/", language))
    form = page.locator("main form")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


def sign_out(page: Page) -> None:
    page.locator("header form[action$='/accounts/logout/'] button[type=submit]").click()


def invite(page: Page, email: str, *, role: str = "learner") -> None:
    """Send an invitation with the form on the partner admin's team page."""
    form = page.locator("main form[action$='/invitations/']")
    form.locator("textarea[name=emails]").fill(email)
    form.locator("select[name=role]").select_option(role)
    form.locator("button[type=submit]").click()


def sign_up_from_invitation(page: Page, *, first_name: str, last_name: str, password: str) -> None:
    form = page.locator("main form")
    form.locator("input[name=first_name]").fill(first_name)
    form.locator("input[name=last_name]").fill(last_name)
    form.locator("input[name=password1]").fill(password)
    form.locator("input[name=password2]").fill(password)
    form.locator("button[type=submit]").click()


def emailed_invitation_link(email: str, site_url: str) -> str:
    """The link in the last invitation emailed to `email`, pointed at `site_url`.

    The email is built with settings.BASE_URL; the path is what the person follows.
    """
    sent_to_them = [message for message in mail.outbox if email in message.to]
    assert sent_to_them, f"No email was sent to {email}; emails went to {[message.to for message in mail.outbox]}."
    body = sent_to_them[-1].body
    match = INVITATION_LINK.search(body)
    assert match, f"The email to {email} has no invitation link:\n{body}"
    return site_url + match["path"]


# What every page must satisfy


def expect_language(page: Page, language: str) -> None:
    """The page is in `language`, written in that language's direction."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", DIRECTION[language])


def loaded_vazirmatn_weights(page: Page) -> list[str]:
    """Weights of the Vazirmatn font faces the page has loaded, once its fonts are settled."""
    return page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts]
                .filter((face) => face.family.replace(/["']/g, "") === "Vazirmatn" && face.status === "loaded")
                .map((face) => face.weight);
        }"""
    )


def serious_accessibility_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical findings on the current page.

    The page's context must bypass the Content-Security-Policy: the axe script is
    injected inline, which the site's policy rightly refuses.
    """
    page.evaluate("() => document.fonts.ready.then(() => null)")  # contrast is measured on the final text
    page.add_script_tag(path=AXE_SCRIPT)
    results = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [violation for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    element: {' '.join(map(str, node['target']))}")
            lines.append(f"    html:    {node['html']}")
            for summary_line in node.get("failureSummary", "").splitlines():
                lines.append(f"      {summary_line.strip()}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = serious_accessibility_violations(page)
    if violations:
        pytest.fail(
            f"axe-core found serious or critical problems on {urlsplit(page.url).path}:\n"
            f"{describe_violations(violations)}",
            pytrace=False,
        )


# Watchers attached to every browser context of a test


@dataclass(frozen=True)
class SeenRequest:
    url: str
    resource_type: str

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc


@dataclass
class NetworkGuard:
    """Lets the browser talk to the local test server only.

    Every request is recorded; one for any other host is aborted and kept in
    `blocked`, which the suite turns into a failure.
    """

    allowed_hosts: frozenset[str] = LOCAL_HOSTS
    seen: list[SeenRequest] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.on("request", self._record)
        context.route("**/*", self._allow_local_only)

    def _record(self, request: Request) -> None:
        self.seen.append(SeenRequest(request.url, request.resource_type))

    def _allow_local_only(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in self.allowed_hosts:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


@dataclass
class BrowserConsole:
    """Collects console errors (Content-Security-Policy violations among them) and uncaught exceptions."""

    problems: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.on("console", self._on_console)
        context.on("weberror", self._on_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = urlsplit(message.page.url).path if message.page else "?"
            self.problems.append(f"{where}: {message.text}")

    def _on_error(self, error: WebError) -> None:
        where = urlsplit(error.page.url).path if error.page else "?"
        self.problems.append(f"{where}: uncaught {error.error}")
