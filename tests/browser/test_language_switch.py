"""The language switch in the header changes the language and keeps the person on the same page."""

from playwright.sync_api import Page, expect

from tests.browser.support import expect_language, language_switch, sign_in, sign_out


def test_the_language_switch_keeps_a_visitor_on_the_same_page(page: Page):
    page.goto("/accounts/login/")
    expect_language(page, "en")

    language_switch(page, "fa").click()
    expect(page).to_have_url("/fa/accounts/login/")
    expect_language(page, "fa")

    language_switch(page, "en").click()
    expect(page).to_have_url("/accounts/login/")
    expect_language(page, "en")


def test_a_signed_in_person_who_switches_to_persian_is_signed_in_to_persian_next_time(page: Page, learner):
    sign_in(page, learner.email)
    expect(page).to_have_url("/learn/")

    language_switch(page, "fa").click()
    expect(page).to_have_url("/fa/learn/")
    expect_language(page, "fa")

    sign_out(page)
    sign_in(page, learner.email, language="en")
    expect(page).to_have_url("/fa/learn/")
    expect_language(page, "fa")
