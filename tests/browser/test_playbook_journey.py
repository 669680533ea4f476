"""A playbook through the real pages: published through the moderation workflow, then read,
acknowledged and downloaded by a partner, in English and in Persian.

A marketer submits a draft playbook for moderation in the Wagtail admin; a site admin
approves it, which publishes it. A partner learner opens it, answers its three check
questions, acknowledges the version, downloads an asset from its gallery and all its
assets as a zip. Each step is checked in the database as well as on the page.
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from lms.partners.roles import StaffRole
from playbooks.models import Acknowledgement, AssetDownload, PlaybookPage
from tests.browser.support import LANGUAGES, expect_language, localized, sign_in
from tests.playbooks import builders

QUESTIONS = {
    "en": [
        ("Which logo goes on a dark background?", ["The full-colour logo", "The reversed logo"], 2),
        ("How much clear space does the logo need?", ["None", "The height of the letter A"], 2),
        ("May you stretch the logo?", ["Yes", "No"], 2),
    ],
    "fa": [
        ("کدام نشان روی زمینه تیره می‌آید؟", ["نشان رنگی", "نشان معکوس"], 2),
        ("نشان چه فاصله‌ای لازم دارد؟", ["هیچ", "به بلندی حرف A"], 2),
        ("آیا می‌توان نشان را کشید؟", ["بله", "نه"], 2),
    ],
}
TITLES = {"en": "Partner brand guidelines", "fa": "راهنمای برند همکاران"}


@pytest.fixture(autouse=True)
def _media_apart(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def marketer(make_staff):
    return make_staff(StaffRole.MARKETER, email="marketer@vendor.example", first_name="Mina", last_name="Marketer")


def draft_playbook(language: str, owner) -> PlaybookPage:
    """A playbook that asks for acknowledgement, with a gallery of one image and one PDF, as a draft."""
    picture = builders.image("Logo, full colour")
    deck = builders.document("Pitch deck")
    page = builders.playbook(
        builders.catalog(language),
        title=TITLES[language],
        slug="brand-guidelines",
        owner=owner,
        requires_acknowledgement=True,
        acknowledgement_check=[
            ("question", {"question": question, "choices": choices, "correct": correct})
            for question, choices, correct in QUESTIONS[language]
        ],
        body=[
            {
                "type": "key_message",
                "value": {
                    "headline": TITLES[language],
                    "supporting_points": ["Use the reversed logo on dark backgrounds."],
                    "proof_points": [],
                },
            },
            {
                "type": "asset_gallery",
                "value": {
                    "title": "",
                    "items": [{"type": "image", "value": picture.pk}, {"type": "document", "value": deck.pk}],
                },
            },
        ],
    )
    page.unpublish()
    return page


def footer_action(page: Page, selector: str):
    """A button of the admin's footer action menu, opening its "more actions" list first."""
    button = page.locator(f"footer {selector}")
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    return button


def submit_for_moderation(page: Page, playbook: PlaybookPage) -> None:
    page.goto(f"/admin/pages/{playbook.pk}/edit/")
    button = footer_action(page, "button[name=action-submit]")
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state("networkidle")


def approve(page: Page, playbook: PlaybookPage) -> None:
    page.goto(f"/admin/pages/{playbook.pk}/edit/")
    button = footer_action(page, "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])")
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_playbook_published_through_moderation_is_read_acknowledged_and_downloaded(
    new_context, marketer, site_admin, learner, organization, language
):
    playbook = draft_playbook(language, marketer)

    # The marketer submits it; it waits for a moderator, not yet live.
    admin = new_context().new_page()
    sign_in(admin, marketer.email)
    submit_for_moderation(admin, playbook)
    playbook.refresh_from_db()
    assert not playbook.live
    assert playbook.current_workflow_state is not None

    # A site admin approves it, which publishes it.
    moderator = new_context().new_page()
    sign_in(moderator, site_admin.email)
    approve(moderator, playbook)
    playbook.refresh_from_db()
    assert playbook.live

    # The partner reads it in their language.
    page = new_context().new_page()
    sign_in(page, learner.email, language=language)
    page.goto(playbook.url)
    expect_language(page, language)
    expect(page.locator("h1")).to_have_text(TITLES[language])
    panel = page.locator("section.acknowledgement")
    expect(panel.locator("fieldset")).to_have_count(3)

    # Answers the check and acknowledges version 1.
    for number, (_question, choices, correct) in enumerate(QUESTIONS[language], start=1):
        panel.locator("fieldset").nth(number - 1).locator("label", has_text=choices[correct - 1]).click()
    panel.locator("button[type=submit]").click()
    expect(page.locator(".acknowledgement-done")).to_be_visible()
    acknowledgement = Acknowledgement.objects.get(user=learner)
    assert (acknowledgement.version, acknowledgement.check_score, acknowledgement.organization_id) == (
        1,
        3,
        organization.pk,
    )

    # Downloads the image from the gallery: the very bytes, logged as from this playbook.
    link = page.locator(".asset-gallery a.asset-link").first
    href = link.get_attribute("href")
    assert "/assets/images/" in href
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200
    picture = builders.get_image_model().objects.get(title="Logo, full colour")
    with picture.file.open("rb") as original:
        assert response.body() == original.read()
    download = AssetDownload.objects.get(image=picture)
    assert (download.user_id, download.organization_id, download.channel, download.playbook_id) == (
        learner.pk,
        organization.pk,
        AssetDownload.Channel.PLAYBOOK,
        playbook.pk,
    )

    # And everything as one zip.
    zip_href = page.locator("a[href*='/download-all/']").get_attribute("href")
    assert zip_href.startswith(localized("/assets/", language))
    archive = page.request.get(urljoin(page.url, zip_href))
    assert archive.status == 200
    with zipfile.ZipFile(io.BytesIO(archive.body())) as bundle:
        assert bundle.testzip() is None
        assert len(bundle.namelist()) == 2
    assert AssetDownload.objects.filter(channel=AssetDownload.Channel.ZIP, user=learner).count() == 2

    # Back on the playbook, the acknowledgement is remembered.
    page.reload()
    expect(page.locator(".acknowledgement-done")).to_be_visible()
