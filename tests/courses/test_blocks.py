"""Lesson body blocks: how each one renders in English and Persian, and the knowledge check's rules."""

from __future__ import annotations

import re
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.template import Context, Template
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image as PillowImage
from wagtail.blocks import ListBlockValidationError, StreamBlockValidationError, StructBlockValidationError
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses.blocks import (
    CalloutBlock,
    KnowledgeCheckBlock,
    LessonBodyBlock,
    check_answer,
    knowledge_check_ids,
    knowledge_check_value,
    parse_answer,
)

LESSON_URL = "/courses/backups/restore-basics/"
OUTSIDE_HOST = re.compile(r"""(?:src|href|poster|srcset)\s*=\s*["'][^"']*//""", re.I)

body_block = LessonBodyBlock()


class FakeLesson(RoutablePageMixin):
    """Stands in for a LessonPage: the same route name, a fixed URL, no database."""

    def get_url(self, request=None):
        return LESSON_URL

    @path("check/<str:block_id>/", name="knowledge_check")
    def knowledge_check_route(self, request, block_id: str):
        raise NotImplementedError


def render(block_type: str, value, context: dict | None = None, language: str = "en") -> str:
    block = body_block.child_blocks[block_type]
    with translation.override(language):
        return str(block.render(block.to_python(value), context=context))


def both_languages(block_type: str, value, context: dict | None = None) -> dict[str, str]:
    return {language: render(block_type, value, context, language) for language in ("en", "fa")}


def assert_nothing_from_outside(html: str) -> None:
    assert not OUTSIDE_HOST.search(html), html
    assert "<iframe" not in html
    assert "<script" not in html


def check_value(*, multiple: bool = False, correct: tuple[bool, ...] = (False, True, False)) -> dict:
    return {
        "question": "Which tool restores a snapshot?",
        "choices": [
            {"text": text, "correct": flag} for text, flag in zip(("Alpha", "Beta", "Gamma"), correct, strict=True)
        ],
        "multiple": multiple,
        "explanation": "<p>Beta reads the snapshot catalog.</p>",
    }


# Files -------------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_bytes(width: int = 1200, height: int = 600) -> bytes:
    buffer = BytesIO()
    PillowImage.new("RGB", (width, height), (11, 95, 115)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def make_image(db, media_root):
    def make(title: str = "Backup console"):
        return get_image_model().objects.create(title=title, file=ImageFile(BytesIO(png_bytes()), name="console.png"))

    return make


@pytest.fixture
def make_document(db, media_root):
    def make(title: str, filename: str, content: bytes = b"\x00" * 2048):
        document = get_document_model().objects.create(title=title, file=ContentFile(content, name=filename))
        document.get_file_size()
        return document

    return make


# Heading, paragraph, code, callout, accordion ----------------------------------------------


def test_a_heading_renders_at_its_level_with_an_anchor_from_its_text():
    for html in both_languages("heading", {"text": "Getting started", "level": "h2"}).values():
        assert '<h2 class="lesson-heading" id="section-getting-started">Getting started</h2>' in html
    html = render("heading", {"text": "Restore steps", "level": "h3"})
    assert '<h3 class="lesson-heading" id="section-restore-steps">Restore steps</h3>' in html


def test_a_persian_heading_keeps_its_letters_in_the_anchor():
    html = render("heading", {"text": "شروع کار", "level": "h2"}, language="fa")
    assert 'id="section-شروع-کار"' in html


def test_a_heading_without_letters_takes_its_anchor_from_the_block_id():
    html = render("heading", {"text": "!!!", "level": "h2"}, {"block_id": "b7e1"})
    assert 'id="section-b7e1"' in html


def test_a_paragraph_renders_its_rich_text():
    for html in both_languages("paragraph", "<p>Backups run <b>nightly</b>.</p>").values():
        assert "<p>Backups run <b>nightly</b>.</p>" in html
        assert 'class="rich-text lesson-text"' in html


def test_code_is_left_to_right_and_escaped_in_both_languages():
    code = "if a < b:\n    print('restore')"
    for html in both_languages("code", {"language": "python", "code": code}).values():
        assert '<pre dir="ltr" tabindex="0"><code class="language-python">' in html
        assert "if a &lt; b:\n    print(&#x27;restore&#x27;)</code></pre>" in html
        assert "Python" in html
        assert_nothing_from_outside(html)


def test_plain_text_code_has_no_language_label():
    html = render("code", {"language": "text", "code": "ls"})
    assert 'class="language-text"' in html
    assert "code-block-language" not in html


def test_a_callout_is_a_note_named_after_its_kind_in_the_reader_language():
    value = {"kind": "warning", "title": "Before you start", "body": "<p>Stop the service.</p>"}
    english = render("callout", value)
    assert '<aside class="callout callout-warning" role="note" aria-label="Warning">' in english
    assert "Before you start" in english
    assert "<p>Stop the service.</p>" in english

    persian = render("callout", value, language="fa")
    with translation.override("fa"):
        label = str(dict(CalloutBlock.base_blocks["kind"].field.choices)["warning"])
    assert f'role="note" aria-label="{label}"' in persian
    assert "<p>Stop the service.</p>" in persian


@pytest.mark.parametrize("kind", ["tip", "warning", "note"])
def test_every_callout_kind_has_its_own_class(kind):
    html = render("callout", {"kind": kind, "title": "", "body": "<p>Text</p>"})
    assert f"callout-{kind}" in html
    assert "callout-title" not in html


def test_an_accordion_uses_native_details_without_script():
    value = {
        "title": "Questions",
        "items": [
            {"heading": "What is a snapshot?", "body": "<p>A copy of a disk.</p>"},
            {"heading": "How long is it kept?", "body": "<p>Thirty days.</p>"},
        ],
    }
    for html in both_languages("accordion", value).values():
        assert html.count("<details") == 2
        assert "<summary>What is a snapshot?</summary>" in html
        assert "<p>Thirty days.</p>" in html
        assert '<h3 class="accordion-title">Questions</h3>' in html
        assert_nothing_from_outside(html)


# Image, video, document ----------------------------------------------------------------------


def test_an_image_is_a_figure_with_responsive_renditions_and_the_title_as_fallback_alt(make_image):
    image = make_image("Backup console")
    for html in both_languages("image", {"image": image.pk, "alt_text": "", "caption": "The console"}).values():
        assert html.strip().startswith('<figure class="lesson-figure">')
        assert 'alt="Backup console"' in html
        assert "srcset=" in html
        assert "/media/images/" in html
        assert "<figcaption>The console</figcaption>" in html
        assert_nothing_from_outside(html)


def test_an_image_uses_its_own_alt_text_when_given(make_image):
    html = render("image", {"image": make_image().pk, "alt_text": "A green dashboard", "caption": ""})
    assert 'alt="A green dashboard"' in html
    assert "<figcaption>" not in html


def test_a_video_plays_from_this_site_with_captions_poster_and_a_download_link(make_document, make_image):
    video = make_document("Restore walkthrough", "restore.mp4")
    captions = make_document("Restore captions", "restore.vtt", b"WEBVTT\n")
    poster = make_image("Poster")
    value = {"video": video.pk, "captions": captions.pk, "poster": poster.pk, "title": "Restoring a disk"}
    for language, html in both_languages("video", value).items():
        assert '<video controls preload="metadata" poster="/media/images/' in html
        assert f'<source src="{video.url}" type="video/mp4">' in html
        assert video.url.startswith("/documents/")
        assert f'<track kind="captions" src="{captions.url}" srclang="{language}"' in html
        assert html.count(f'href="{video.url}"') == 2  # inside <video> and below it
        assert "Restoring a disk" in html
        assert_nothing_from_outside(html)


def test_a_video_without_captions_or_poster_has_neither(make_document):
    video = make_document("Walkthrough", "walkthrough.webm")
    html = render("video", {"video": video.pk, "captions": None, "poster": None, "title": ""})
    assert f'<source src="{video.url}" type="video/webm">' in html
    assert "<track" not in html
    assert "poster=" not in html


def test_a_document_is_a_download_card_with_type_and_size(make_document):
    document = make_document("Restore checklist", "checklist.pdf")
    english = render("document", {"document": document.pk, "label": ""})
    assert f'<a class="download-card" href="{document.url}">' in english
    assert "Restore checklist" in english
    assert '<span dir="ltr">PDF</span>' in english
    assert "2.0\xa0KB" in english

    persian = render("document", {"document": document.pk, "label": "فهرست بازیابی"}, language="fa")
    assert "فهرست بازیابی" in persian
    assert "Restore checklist" not in persian
    assert '<span dir="ltr">PDF</span>' in persian
    assert_nothing_from_outside(persian)


# Knowledge check: rendering ------------------------------------------------------------------


def test_an_unanswered_check_never_shows_which_choices_are_correct():
    context = {"page": FakeLesson(), "block_id": "q1"}
    for language in ("en", "fa"):
        one = render("knowledge_check", check_value(correct=(False, True, False)), context, language)
        other = render("knowledge_check", check_value(correct=(True, False, True)), context, language)
        assert one == other
        assert "correct" not in one.lower()
        assert "Beta reads the snapshot catalog" not in one


def test_an_unanswered_check_is_a_form_posting_to_the_lesson_route(rf):
    request = rf.get(LESSON_URL)
    context = {"page": FakeLesson(), "block_id": "q1", "request": request, **csrf(request)}
    for html in both_languages("knowledge_check", check_value(), context).values():
        assert f'<form method="post" action="{LESSON_URL}check/q1/">' in html
        assert 'name="csrfmiddlewaretoken"' in html
        assert html.count('type="radio" name="choice"') == 3
        assert 'value="0" id="check-q1-0"' in html
        assert "<fieldset>" in html
        assert "Which tool restores a snapshot?" in html


def test_a_check_with_several_answers_uses_checkboxes():
    html = render("knowledge_check", check_value(multiple=True), {"page": FakeLesson(), "block_id": "q1"})
    assert html.count('type="checkbox" name="choice"') == 3
    assert "radio" not in html


@pytest.mark.parametrize("context", [None, {"block_id": "q1"}, {"page": FakeLesson()}, {"page": object()}])
def test_a_check_with_nowhere_to_post_is_a_disabled_form(context):
    html = render("knowledge_check", check_value(), context)
    assert '<form method="post">' in html
    assert "<fieldset disabled>" in html
    assert "csrfmiddlewaretoken" not in html


def test_a_result_for_another_check_leaves_this_one_unanswered():
    other = {"q2": SimpleNamespace(chosen=[1], correct=True)}
    html = render("knowledge_check", check_value(), {"page": FakeLesson(), "block_id": "q1", "check_results": other})
    assert "<form" in html
    assert "correct" not in html.lower()


def test_an_answered_check_marks_the_choices_and_explains_without_a_form():
    results = {"q1": SimpleNamespace(chosen=[0], correct=False)}
    context = {"page": FakeLesson(), "block_id": "q1", "check_results": results}
    for html in both_languages("knowledge_check", check_value(), context).values():
        assert "<form" not in html
        assert "is-answered" in html
        choices = re.findall(r'<li class="knowledge-check-choice([^"]*)">\s*<span>(\w+)</span>', html)
        assert choices == [(" is-chosen", "Alpha"), (" is-correct", "Beta"), ("", "Gamma")]
        assert "is-miss" in html
        assert "<p>Beta reads the snapshot catalog.</p>" in html

    english = render("knowledge_check", check_value(), context)
    assert "Not quite" in english
    assert "Your answer" in english
    assert "Correct answer" in english


def test_a_right_answer_says_so():
    results = {"q1": SimpleNamespace(chosen=[1], correct=True)}
    html = render("knowledge_check", check_value(), {"block_id": "q1", "check_results": results})
    assert "is-success" in html
    assert ">Correct</p>" in html
    assert 'class="knowledge-check-choice is-chosen is-correct"' in html


# The lesson template's contract ------------------------------------------------------------


def lesson_body():
    return body_block.to_python(
        [
            {"type": "heading", "id": "h1", "value": {"text": "Restore", "level": "h2"}},
            {"type": "paragraph", "id": "p1", "value": "<p>Read this first.</p>"},
            {"type": "knowledge_check", "id": "q1", "value": check_value()},
            {"type": "code", "id": "c1", "value": {"language": "bash", "code": "restore --all"}},
            {"type": "knowledge_check", "id": "q2", "value": check_value(multiple=True, correct=(True, True, False))},
        ]
    )


def test_the_lesson_template_loop_gives_every_check_its_own_action(rf):
    template = Template(
        "{% load wagtailcore_tags %}{% for block in page.body %}"
        "{% include_block block with block_id=block.id %}{% endfor %}"
    )
    request = rf.get(LESSON_URL)
    lesson = FakeLesson()
    lesson.body = lesson_body()
    results = {"q2": SimpleNamespace(chosen=[0, 1], correct=True)}
    html = template.render(Context({"page": lesson, "request": request, "check_results": results, **csrf(request)}))
    assert f'action="{LESSON_URL}check/q1/"' in html
    assert f'action="{LESSON_URL}check/q2/"' not in html
    assert html.count("<form") == 1
    assert 'id="section-restore"' in html


def test_rendering_the_whole_body_also_passes_each_block_id():
    html = body_block.render(lesson_body(), context={"page": FakeLesson()})
    assert f'action="{LESSON_URL}check/q1/"' in html
    assert f'action="{LESSON_URL}check/q2/"' in html
    assert '<div class="block-code">' in html


@pytest.mark.django_db
def test_the_lesson_page_has_the_route_the_check_posts_to():
    from courses.models.pages import LessonPage

    assert LessonPage().reverse_subpage("knowledge_check", args=("q1",)) == "check/q1/"


@pytest.mark.django_db
def test_knowledge_check_ids_and_values_come_from_the_body_without_loading_other_blocks(
    django_assert_num_queries,
):
    body = body_block.to_python(
        [
            {"type": "image", "id": "i1", "value": {"image": 999_999, "alt_text": "", "caption": ""}},
            {"type": "knowledge_check", "id": "q1", "value": check_value()},
            {"type": "document", "id": "d1", "value": {"document": 999_999, "label": ""}},
            {"type": "knowledge_check", "id": "q2", "value": check_value(multiple=True)},
        ]
    )
    with django_assert_num_queries(0):
        assert knowledge_check_ids(body) == ["q1", "q2"]
        value = knowledge_check_value(body, "q2")
    assert value["multiple"] is True
    assert [choice["text"] for choice in value["choices"]] == ["Alpha", "Beta", "Gamma"]
    assert knowledge_check_value(body, "i1") is None
    assert knowledge_check_value(body, "nope") is None


def test_a_body_without_checks_has_no_check_ids():
    assert knowledge_check_ids(body_block.to_python([])) == []
    assert knowledge_check_ids(body_block.to_python([{"type": "paragraph", "id": "p", "value": "<p>x</p>"}])) == []


# Knowledge check: grading and validation -------------------------------------------------------


def struct(value: dict):
    return KnowledgeCheckBlock().to_python(value)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [(["1"], True), (["0"], False), (["2"], False)],
)
def test_a_single_answer_check_is_right_only_for_the_correct_choice(chosen, expected):
    assert check_answer(struct(check_value()), chosen) is expected


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [(["0", "2"], True), (["2", "0"], True), (["0"], False), (["0", "1", "2"], False), (["1"], False)],
)
def test_a_several_answer_check_is_right_only_for_exactly_the_correct_set(chosen, expected):
    value = struct(check_value(multiple=True, correct=(True, False, True)))
    assert check_answer(value, chosen) is expected


@pytest.mark.parametrize(
    ("chosen", "multiple"),
    [
        pytest.param([], False, id="empty"),
        pytest.param([], True, id="empty-multiple"),
        pytest.param(["a"], False, id="not-a-number"),
        pytest.param(["1.0"], False, id="decimal"),
        pytest.param(["-1"], False, id="negative"),
        pytest.param([" 1"], False, id="whitespace"),
        pytest.param(["۱"], False, id="persian-digit"),
        pytest.param([""], False, id="empty-string"),
        pytest.param([1], False, id="not-a-string"),
        pytest.param(["3"], False, id="out-of-range"),
        pytest.param(["99"], True, id="out-of-range-multiple"),
        pytest.param(["0", "0"], True, id="duplicate"),
        pytest.param(["0", "1"], False, id="several-when-one-allowed"),
    ],
)
def test_a_malformed_answer_is_refused(chosen, multiple):
    value = struct(check_value(multiple=multiple))
    with pytest.raises(ValueError):
        check_answer(value, chosen)
    with pytest.raises(ValueError):
        KnowledgeCheckBlock().check_answer(value, chosen)


def test_parse_answer_gives_sorted_indexes():
    assert parse_answer(struct(check_value(multiple=True)), ["2", "0"]) == [0, 2]


def test_a_valid_check_passes_clean():
    value = KnowledgeCheckBlock().clean(struct(check_value()))
    assert len(value["choices"]) == 3


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        pytest.param(
            {**check_value(), "choices": [{"text": "Only", "correct": True}]},
            "choices",
            "Give at least two choices.",
            id="one-choice",
        ),
        pytest.param(
            {**check_value(), "choices": []},
            "choices",
            "Give at least two choices.",
            id="no-choice",
        ),
        pytest.param(
            check_value(correct=(False, False, False)),
            "choices",
            "Mark at least one choice as correct.",
            id="none-correct",
        ),
        pytest.param(
            check_value(multiple=False, correct=(True, True, False)),
            "multiple",
            "Several choices are marked correct",
            id="several-correct-single-answer",
        ),
    ],
)
def test_clean_refuses_a_check_that_cannot_be_answered_right(value, field, message):
    with translation.override("en"), pytest.raises(StructBlockValidationError) as raised:
        KnowledgeCheckBlock().clean(struct(value))
    assert list(raised.value.block_errors) == [field]
    assert message in " ".join(messages_of(raised.value.block_errors[field]))


def messages_of(error: ValidationError) -> list[str]:
    if isinstance(error, ListBlockValidationError):
        return [str(message) for item in error.non_block_errors.as_data() for message in item.messages]
    return [str(message) for message in error.messages]


def test_clean_runs_inside_the_lesson_body():
    body = body_block.to_python(
        [
            {"type": "paragraph", "id": "p1", "value": "<p>Intro</p>"},
            {"type": "knowledge_check", "id": "q1", "value": check_value(correct=(False, False, False))},
        ]
    )
    with pytest.raises(StreamBlockValidationError) as raised:
        body_block.clean(body)
    assert list(raised.value.block_errors) == [1]


# Previews ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["heading", "paragraph", "callout", "code", "knowledge_check", "accordion"])
def test_block_previews_render_in_both_languages_with_the_portal_stylesheet(name, rf):
    block = body_block.child_blocks[name]
    assert block.is_previewable
    for language in ("en", "fa"):
        with translation.override(language):
            value = block.get_preview_value()
            context = block.get_preview_context(value, parent_context={"request": rf.get("/admin/")})
            context.update({"block_def": block, "bound_block": block.bind(value), "page_title": "Preview"})
            html = render_to_string(block.get_preview_template(value), context)
        assert "css/abrzad.css" in html
        assert f"block-{name}" in html
        if name == "knowledge_check":
            assert "correct" not in html.lower()
        assert_nothing_from_outside(html)
