"""The blocks a lesson body is built from, and the rules of its ungraded knowledge checks.

Everything a block shows is served from our own host: videos and captions are documents in
the media library, never an embed from a video site.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

KNOWLEDGE_CHECK = "knowledge_check"
KNOWLEDGE_CHECK_ROUTE = "knowledge_check"
# The block picker's previews, in the portal's own stylesheet.
PREVIEW_TEMPLATE = "courses/blocks/preview.html"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section heading (H2)")), ("h3", _("Subheading (H3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("A section heading that can be linked to.")

    def get_preview_value(self):
        return self.normalize({"text": gettext("Getting started"), "level": "h2"})

    @staticmethod
    def anchor(text: str, block_id: str | None = None) -> str:
        """The heading's fragment identifier: its text as a slug (Persian letters kept), with a
        prefix so that no heading can take an id of the page around it, such as "main"."""
        slug = slugify(text, allow_unicode=True)
        if slug:
            return f"section-{slug}"
        return f"section-{block_id}" if block_id else ""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["anchor"] = self.anchor(value["text"], context.get("block_id"))
        return context


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "ol", "ul", "h3", "document-link"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "courses/blocks/paragraph.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Text with bold, italic, links, lists and subheadings.")

    def get_preview_value(self):
        return self.normalize(format_html("<p>{}</p>", gettext("Backups run every night.")))


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it. Leave empty to use the image title."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"
        description = _("An image from the media library, with an optional caption.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        image = value["image"]
        context["alt"] = value["alt_text"] or (image.title if image else "")
        return context


class VideoBlock(blocks.StructBlock):
    video = DocumentChooserBlock(
        label=_("video file"), help_text=_("An MP4 or WebM file uploaded to the document library.")
    )
    captions = DocumentChooserBlock(
        label=_("captions"), required=False, help_text=_("A WebVTT (.vtt) captions file from the document library.")
    )
    poster = ImageChooserBlock(label=_("poster image"), required=False, help_text=_("Shown before the video plays."))
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"
        description = _("A video served from this site, so it plays where video sites are blocked.")
        help_text = _("Upload the video to the document library; videos from outside sites cannot be embedded.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        video = value["video"]
        context["video_type"] = mimetypes.guess_type(video.filename)[0] if video else None
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(
        label=_("label"), required=False, max_length=200, help_text=_("Leave empty to use the document title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "courses/blocks/document.html"
        description = _("A file for learners to download, such as a worksheet or slides.")


CALLOUT_KINDS = [("tip", _("Tip")), ("warning", _("Warning")), ("note", _("Note"))]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(label=_("kind"), choices=CALLOUT_KINDS, default="tip")
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    body = blocks.RichTextBlock(label=_("body"), features=["bold", "italic", "link", "ol", "ul", "document-link"])

    class Meta:
        icon = "info-circle"
        label = _("Callout")
        template = "courses/blocks/callout.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("A tip, warning or note set apart from the text.")

    def get_preview_value(self):
        return self.normalize(
            {
                "kind": "tip",
                "title": "",
                "body": format_html("<p>{}</p>", gettext("Test a restore before you rely on a backup.")),
            }
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = dict(CALLOUT_KINDS).get(value["kind"], dict(CALLOUT_KINDS)["note"])
        return context


CODE_LANGUAGES = [
    ("text", _("Plain text")),
    ("python", "Python"),
    ("bash", "Bash"),
    ("json", "JSON"),
    ("yaml", "YAML"),
    ("sql", "SQL"),
    ("javascript", "JavaScript"),
    ("html", "HTML"),
    ("other", _("Other")),
]


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(label=_("language"), choices=CODE_LANGUAGES, default="text")
    code = blocks.TextBlock(label=_("code"))

    class Meta:
        icon = "code"
        label = _("Code")
        template = "courses/blocks/code.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Commands or source code, always shown left to right.")
        preview_value = {"language": "bash", "code": "abrzad backup --verify"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        language = value["language"]
        context["language_label"] = "" if language in ("text", "other") else dict(CODE_LANGUAGES).get(language, "")
        return context


class KnowledgeCheckChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=500)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)

    class Meta:
        icon = "radio-empty"
        label = _("Choice")


class KnowledgeCheckBlock(blocks.StructBlock):
    """An ungraded question in the flow of a lesson.

    Which choices are correct never reaches the browser before the learner answers: the
    unanswered form is built from each choice's index and text only, and the answer is
    graded on the server (`check_answer`).
    """

    question = blocks.TextBlock(label=_("question"))
    choices = blocks.ListBlock(KnowledgeCheckChoiceBlock(), label=_("choices"))
    multiple = blocks.BooleanBlock(
        label=_("several answers"), required=False, help_text=_("Several answers may be right.")
    )
    explanation = blocks.RichTextBlock(
        label=_("explanation"),
        required=False,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Shown once the learner has answered."),
    )

    class Meta:
        icon = "help"
        label = _("Knowledge check")
        template = "courses/blocks/knowledge_check.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("An ungraded question that lets learners test their understanding.")
        help_text = _("Learners see whether they were right and the explanation after they answer.")

    def get_preview_value(self):
        return self.normalize(
            {
                "question": gettext("How often should you test a restore?"),
                "choices": [
                    {"text": gettext("Never"), "correct": False},
                    {"text": gettext("Regularly"), "correct": True},
                ],
                "multiple": False,
                "explanation": "",
            }
        )

    def clean(self, value):
        value = super().clean(value)
        choices = value["choices"]
        if len(choices) < 2:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "choices": blocks.ListBlockValidationError(
                        non_block_errors=[ValidationError(_("Give at least two choices."), code="too_few_choices")]
                    )
                }
            )
        if not any(choice["correct"] for choice in choices):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "choices": blocks.ListBlockValidationError(
                        non_block_errors=[ValidationError(_("Mark at least one choice as correct."), code="no_correct")]
                    )
                }
            )
        if not value["multiple"] and sum(1 for choice in choices if choice["correct"]) > 1:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "multiple": ValidationError(
                        _("Several choices are marked correct: tick “several answers”, or mark only one."),
                        code="several_correct",
                    )
                }
            )
        return value

    def check_answer(self, value, chosen: list[str]) -> bool:
        return check_answer(value, chosen)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        block_id = context.get("block_id") or ""
        results = context.get("check_results") or {}
        result = results.get(str(block_id)) if block_id else None
        context["check_result"] = result
        context["check_action"] = "" if result else _check_action(context, block_id)
        context["field_prefix"] = f"check-{block_id}" if block_id else "check-preview"
        if result is None:
            # Index and text only: the correct flags stay on the server until the learner answers.
            context["choice_rows"] = [{"index": i, "text": c["text"]} for i, c in enumerate(value["choices"])]
        else:
            chosen = set(result.chosen)
            context["choice_rows"] = [
                {"index": i, "text": c["text"], "chosen": i in chosen, "correct": bool(c["correct"])}
                for i, c in enumerate(value["choices"])
            ]
        return context


def _check_action(context: Mapping[str, Any], block_id: str) -> str:
    """Where the knowledge check posts to: the lesson's `knowledge_check` route, as
    `{% routablepageurl page "knowledge_check" block_id %}` would give it. Empty where
    there is nowhere to post, as in a preview of an unsaved page or of the block alone."""
    page = context.get("page")
    if not block_id or page is None or not hasattr(page, "reverse_subpage"):
        return ""
    base_url = page.get_url(request=context.get("request"))
    if not base_url:
        return ""
    if not base_url.endswith("/"):
        base_url += "/"
    return base_url + page.reverse_subpage(KNOWLEDGE_CHECK_ROUTE, args=(block_id,))


def parse_answer(value, chosen: Iterable[str]) -> list[int]:
    """The chosen choice numbers ("0", "2", … as posted by the form) as sorted indexes.

    Raises ValueError for an empty answer, a number that is not a plain non-negative integer,
    one out of range, one given twice, or several numbers where only one answer is allowed.
    """
    chosen = list(chosen)
    if not chosen:
        raise ValueError("no choice was given")
    indexes: list[int] = []
    for raw in chosen:
        if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit():
            raise ValueError(f"not a choice number: {raw!r}")
        index = int(raw)
        if index >= len(value["choices"]):
            raise ValueError(f"no choice number {index}")
        if index in indexes:
            raise ValueError(f"choice number {index} was given twice")
        indexes.append(index)
    if len(indexes) > 1 and not value["multiple"]:
        raise ValueError("only one choice may be given")
    return sorted(indexes)


def check_answer(value, chosen: Iterable[str]) -> bool:
    """Whether the chosen choices are exactly the correct ones (see `parse_answer` for the
    ValueErrors raised on a malformed answer)."""
    indexes = parse_answer(value, chosen)
    correct = {i for i, choice in enumerate(value["choices"]) if choice["correct"]}
    return set(indexes) == correct


class AccordionItemBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=200)
    body = blocks.RichTextBlock(label=_("body"), features=["bold", "italic", "link", "ol", "ul", "document-link"])

    class Meta:
        icon = "collapse-down"
        label = _("Item")


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("items"))

    class Meta:
        icon = "list-ul"
        label = _("Accordion")
        template = "courses/blocks/accordion.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Sections that learners open one at a time, such as frequently asked questions.")

    def get_preview_value(self):
        return self.normalize(
            {
                "title": "",
                "items": [
                    {
                        "heading": gettext("What is a snapshot?"),
                        "body": format_html("<p>{}</p>", gettext("A copy of a disk at one moment.")),
                    },
                    {
                        "heading": gettext("How long is it kept?"),
                        "body": format_html("<p>{}</p>", gettext("Thirty days.")),
                    },
                ],
            }
        )


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    code = CodeBlock()
    knowledge_check = KnowledgeCheckBlock()
    accordion = AccordionBlock()

    class Meta:
        label = _("Lesson body")

    def render_basic(self, value, context=None):
        """`{{ page.body }}` and `{% include_block page.body %}` give each block its id, as the
        lesson template's own loop does, so knowledge checks know where to post."""
        return format_html_join(
            "\n",
            '<div class="block-{1}">{0}</div>',
            [(child.render(context={**(context or {}), "block_id": child.id}), child.block_type) for child in value],
        )


def knowledge_check_ids(body) -> list[str]:
    """The ids of the knowledge checks in a lesson body, in order. Reads the raw data, so
    no other block is loaded (no image or document query)."""
    return [item["id"] for item in body.raw_data if item["type"] == KNOWLEDGE_CHECK and item.get("id")]


def knowledge_check_value(body, block_id: str):
    """The value (a StructValue) of the knowledge check with this id, or None."""
    for position, item in enumerate(body.raw_data):
        if item["type"] == KNOWLEDGE_CHECK and item.get("id") == block_id:
            return body[position].value
    return None
