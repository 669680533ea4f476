"""From invitation to second sign-in, in English and in Persian, through the real pages."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import (
    LANGUAGES,
    emailed_invitation_link,
    expect_language,
    invite,
    localized,
    pending_invitations,
    sign_in,
    sign_out,
    sign_up_from_invitation,
    team_table,
)

NEWCOMER_NAMES = {"en": ("Sara", "Ahmadi"), "fa": ("سارا", "احمدی")}
NEWCOMER_PASSWORD = "lantern-saffron-river-1402"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_partner_admin_invites_a_colleague_who_signs_up_signs_out_and_signs_in_again(
    language, page: Page, new_context, partner_admin, live_server
):
    partner_admin.preferred_language = language
    partner_admin.save(update_fields=["preferred_language"])
    newcomer_email = f"newcomer-{language}@parsian.example"
    first_name, last_name = NEWCOMER_NAMES[language]

    # The partner admin signs in and invites a colleague from the team page.
    sign_in(page, partner_admin.email, language=language)
    expect(page).to_have_url(localized("/learn/", language))
    expect_language(page, language)

    page.goto(localized("/partner/", language))
    expect_language(page, language)
    invite(page, newcomer_email)
    expect(page).to_have_url(localized("/partner/", language))
    expect(page.locator(".messages .success")).to_be_visible()
    expect(pending_invitations(page)).to_contain_text(newcomer_email)

    # The colleague follows the emailed link in a browser of their own and creates an account.
    link = emailed_invitation_link(newcomer_email, live_server.url)
    assert urlsplit(link).path.startswith(localized("/accounts/invite/", language))
    newcomer = new_context().new_page()
    newcomer.goto(link)
    expect_language(newcomer, language)
    expect(newcomer.locator("#invited-email")).to_have_value(newcomer_email)
    sign_up_from_invitation(newcomer, first_name=first_name, last_name=last_name, password=NEWCOMER_PASSWORD)
    expect(newcomer).to_have_url(localized("/learn/", language))
    expect_language(newcomer, language)
    expect(newcomer.locator("main h1")).to_contain_text(first_name)

    # They sign out, then back in with their new password.
    sign_out(newcomer)
    expect(newcomer).to_have_url(localized("/accounts/login/", language))
    expect_language(newcomer, language)
    sign_in(newcomer, newcomer_email, NEWCOMER_PASSWORD, language=language)
    expect(newcomer).to_have_url(localized("/learn/", language))
    expect_language(newcomer, language)

    # The partner admin now finds them on the team, no longer among the pending invitations.
    page.goto(localized("/partner/", language))
    expect_language(page, language)
    expect(team_table(page)).to_contain_text(newcomer_email)
    expect(team_table(page)).to_contain_text(f"{first_name} {last_name}")
    expect(pending_invitations(page)).not_to_contain_text(newcomer_email)
