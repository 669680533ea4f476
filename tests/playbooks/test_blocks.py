"""Playbook blocks: every type renders on a page in English and Persian; swatch validation."""

from __future__ import annotations

import re

import pytest
from wagtail.blocks import StructBlockValidationError

from lms.partners.models import Tier
from playbooks import colours
from playbooks.blocks import PlaybookBodyBlock
from playbooks.blocks.brand import ColourSwatchBlock
from tests.courses import builders as course_builders
from tests.playbooks import builders

pytestmark = pytest.mark.django_db

OUTSIDE_HOST = re.compile(r"""(?:src|href|srcset)\s*=\s*["'][^"']*//""", re.I)


@pytest.fixture
def full_playbook(db):
    course = course_builders.course(title="Backup Basics", lessons=1, exam=False)
    body = builders.full_body(picture=builders.image(), file=builders.document(), course=course)
    return builders.playbook(title="Selling backups", body=body, tags=["backup"])


def test_every_block_type_is_in_the_full_body():
    assert set(PlaybookBodyBlock().child_blocks) == set(builders.BLOCK_TYPES)


@pytest.mark.parametrize("prefix, direction", [("", "ltr"), ("/fa", "rtl")])
def test_every_block_renders_on_the_playbook_page_in_both_languages(client, full_playbook, prefix, direction):
    url = f"{prefix}/playbooks/selling-backups/"
    if prefix:
        builders.translate(full_playbook, "fa", title="فروش پشتیبان‌گیری")
    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'dir="{direction}"' in page
    for block_type in builders.BLOCK_TYPES:
        assert f"block-{block_type}" in page, block_type
    for text in (
        "Backups you can prove",
        "Telemetry 2026",
        "CIO",
        "Cheaper than one outage.",
        "Pitch deck",
        "Pasargad Trust",
        "89%",
        "We finally know our backups work.",
        "#0B5F73",
        "11, 95, 115",  # worked out from HEX
        "Never stretch it",
        "Tested restores",
        "A backup is only as good as its last restore.",
        "Backup Basics",
    ):
        assert text in page, text
    assert not OUTSIDE_HOST.search(page)
    assert "css/playbooks.css" in page
    assert 'src="/static/js/copy-to-clipboard.js"' in page


def test_copy_buttons_are_hidden_until_the_local_script_shows_them(client, full_playbook):
    page = client.get("/playbooks/selling-backups/").content.decode()
    buttons = re.findall(r'<button[^>]*class="[^"]*copy-button[^"]*"[^>]*>', page)
    assert len(buttons) == 2
    for button in buttons:
        target = re.search(r'data-copy-target="([^"]+)"', button).group(1)
        assert " hidden" in button
        assert f'id="{target}"' in page
    assert "<script>" not in page  # nothing inline: the CSP allows only our own files


def test_user_text_is_escaped(client):
    body = [
        {
            "type": "campaign_kit",
            "value": {
                "title": "<script>alert(1)</script>",
                "emails": [{"subject": "<img src=x onerror=alert(1)>", "body": "<b>hi</b>"}],
                "social_posts": [],
            },
        }
    ]
    builders.playbook(title="Escaping", body=body)
    page = client.get("/playbooks/escaping/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;b&gt;hi&lt;/b&gt;" in page


def test_related_courses_leave_out_other_organizations_courses_and_mark_tier_locked_ones(
    client, silver_member, other_organization
):
    index = course_builders.catalog()
    mine = course_builders.course(index, title="Open Course", lessons=1, exam=False)
    theirs = course_builders.course(
        index, title="Their Course", lessons=1, exam=False, audience_organizations=[other_organization]
    )
    locked = course_builders.course(index, title="Gold Course", lessons=1, exam=False, minimum_tier=Tier.GOLD)
    body = [{"type": "related_courses", "value": {"title": "", "courses": [mine.pk, theirs.pk, locked.pk]}}]
    builders.playbook(title="Related", body=body)
    client.force_login(silver_member)

    page = client.get("/playbooks/related/").content.decode()

    assert "Open Course" in page
    assert "Their Course" not in page
    assert "Gold Course" in page and "available from the Gold tier" in page


def test_every_block_has_an_icon_a_template_and_a_preview_where_it_needs_no_media():
    for name, block in PlaybookBodyBlock().child_blocks.items():
        assert block.meta.icon, name
        assert block.meta.template.startswith("playbooks/blocks/"), name
    for name in ("key_message", "talking_points", "objection_handling", "case_study", "logo_usage", "campaign_kit"):
        block = PlaybookBodyBlock().child_blocks[name]
        assert block.render(block.get_preview_value()), name


class TestColourSwatch:
    block = ColourSwatchBlock()

    def clean(self, **value):
        return self.block.clean(self.block.to_python({"name": "Teal", "hex": "", "rgb": "", "cmyk": "", **value}))

    def test_hex_rgb_and_cmyk_are_normalised(self):
        value = self.clean(hex="0b5f73", rgb="rgb(11 95 115)", cmyk="90 17 0 55")
        assert (value["hex"], value["rgb"], value["cmyk"]) == ("#0B5F73", "11, 95, 115", "90%, 17%, 0%, 55%")

    @pytest.mark.parametrize(
        "fields, field",
        [
            ({"hex": "#12345"}, "hex"),
            ({"hex": "red"}, "hex"),
            ({"hex": "#0B5F73", "rgb": "11, 95"}, "rgb"),
            ({"hex": "#0B5F73", "rgb": "11, 95, 300"}, "rgb"),
            ({"hex": "#0B5F73", "rgb": "12, 95, 115"}, "rgb"),  # not the HEX colour
            ({"hex": "#0B5F73", "cmyk": "90, 17, 0"}, "cmyk"),
            ({"hex": "#0B5F73", "cmyk": "90, 17, 0, 101"}, "cmyk"),
        ],
    )
    def test_bad_values_are_refused_on_their_field(self, fields, field):
        with pytest.raises(StructBlockValidationError) as error:
            self.clean(**fields)
        assert field in error.value.block_errors


def test_colour_helpers_without_a_database():
    assert colours.parse_hex("#fff") == "#FFFFFF"
    assert colours.hex_to_rgb("#0B5F73") == (11, 95, 115)
    assert colours.readable_ink("#FFFFFF") == "#000000"
    assert colours.readable_ink("#14213D") == "#FFFFFF"
    with pytest.raises(ValueError):
        colours.parse_cmyk("۹۰, 17, 0, 55")  # Persian digits are not accepted silently
