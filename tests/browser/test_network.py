"""Everything the pages need comes from the site itself: no CDN, no outside fonts."""

from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.browser.support import LANGUAGES, expect_language, loaded_vazirmatn_weights, localized, sign_in

PAGES_FOR_EVERYONE = ["/", "/accounts/login/"]
PAGES_FOR_PARTNER_ADMINS = ["/learn/", "/partner/"]


def visit_and_check(page: Page, path: str, language: str) -> None:
    response = page.goto(localized(path, language))
    assert response is not None and response.ok, f"{page.url} answered {response and response.status}"
    expect_language(page, language)
    assert loaded_vazirmatn_weights(page), f"No Vazirmatn font face was loaded on {page.url}"


def test_the_main_pages_load_everything_including_the_vazirmatn_font_from_the_site_itself(
    page: Page, network_guard, partner_admin, live_server
):
    for language in LANGUAGES:
        for path in PAGES_FOR_EVERYONE:
            visit_and_check(page, path, language)

    sign_in(page, partner_admin.email)
    for language in LANGUAGES:
        for path in PAGES_FOR_PARTNER_ADMINS:
            visit_and_check(page, path, language)

    site = urlsplit(live_server.url).netloc
    elsewhere = sorted({request.url for request in network_guard.seen if request.netloc != site})
    assert elsewhere == [], f"Requests left the site {site}"
    kinds = {request.resource_type for request in network_guard.seen}
    assert {"document", "stylesheet", "font"} <= kinds, f"Expected pages, styles and fonts; saw {sorted(kinds)}"
