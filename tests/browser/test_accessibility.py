"""The main pages pass axe-core's checks without serious or critical violations, in both languages."""

import pytest
from playwright.sync_api import Page

from lms.partners import services
from lms.partners.models import Membership
from tests.browser.support import LANGUAGES, assert_accessible, emailed_invitation_link, localized, sign_in

PAGES_FOR_EVERYONE = ["/", "/accounts/login/"]
PAGES_FOR_PARTNER_ADMINS = ["/learn/", "/partner/"]


@pytest.fixture
def axe_page(new_context) -> Page:
    """A page whose Content-Security-Policy is bypassed, so the axe script can be injected.

    Only these tests bypass it; everywhere else the site's real policy applies.
    """
    return new_context(bypass_csp=True).new_page()


def invite_by_email(organization, invited_by, email: str, language: str) -> None:
    services.invite_people(
        organization=organization,
        emails=[email],
        role=Membership.Role.LEARNER,
        invited_by=invited_by,
        language=language,
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES_FOR_EVERYONE)
def test_the_pages_for_visitors_have_no_serious_accessibility_problems(axe_page: Page, path, language):
    axe_page.goto(localized(path, language))
    assert_accessible(axe_page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES_FOR_PARTNER_ADMINS)
def test_the_pages_for_partner_admins_have_no_serious_accessibility_problems(
    axe_page: Page, path, language, organization, partner_admin, learner
):
    # A team with a colleague and a pending invitation, so every table has rows.
    invite_by_email(organization, partner_admin, "pending@parsian.example", language)
    sign_in(axe_page, partner_admin.email)
    axe_page.goto(localized(path, language))
    assert_accessible(axe_page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_invitation_sign_up_page_has_no_serious_accessibility_problems(
    axe_page: Page, language, organization, partner_admin, live_server
):
    invite_by_email(organization, partner_admin, "invitee@parsian.example", language)
    axe_page.goto(emailed_invitation_link("invitee@parsian.example", live_server.url))
    assert_accessible(axe_page)
