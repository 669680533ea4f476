"""Answering an exam through its attempt page, as a learner would.

Which values are right or wrong is read from the database (the attempt's questions and
their answer keys), exactly as the server will grade them.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from courses.answer_forms import correct_fields, wrong_fields
from courses.models import Attempt
from courses.option_values import encode
from courses.services.attempts import answer_key

# The widgets the attempt page uses for each question kind.
KINDS_BY_WIDGET = {
    "radio": {"single", "true_false"},
    "checkbox": {"multiple"},
    "number": {"numeric"},
    "text": {"short_text"},
    "order": {"ordering"},
    "match": {"matching"},
}


def exam_panel(page: Page) -> Locator:
    return page.locator("section[aria-labelledby=assessments-heading]")


def start_exam_button(page: Page) -> Locator:
    return exam_panel(page).locator("form[action*='/start/'] button[type=submit]")


# Answering


def widget_of(fieldset: Locator, position: int) -> str:
    """Which kind of answer the question's fieldset asks for, read from its form controls."""
    if fieldset.locator("input[type=radio]").count():
        return "radio"
    if fieldset.locator("input[type=checkbox]").count():
        return "checkbox"
    if fieldset.locator("input[inputmode=decimal]").count():
        return "number"
    if fieldset.locator(f"input[type=text][name=q{position}-text]").count():
        return "text"
    if fieldset.locator(f"select[name=q{position}-order]").count():
        return "order"
    if fieldset.locator(f"select[name^=q{position}-match-]").count():
        return "match"
    raise AssertionError(f"Question {position} has no answer control:\n{fieldset.inner_html()}")


def answer_through_the_form(page: Page, attempt: Attempt, *, right: bool, typed: dict[str, str]) -> None:
    """Answer every question of `attempt` on its page, all right or all wrong.

    `typed` gives what to type into text fields instead of the stored value, keyed by kind
    (a learner may type the number 42 with Persian digits).
    """
    fields_for = correct_fields if right else wrong_fields
    items = attempt.questions.select_related("question").prefetch_related("question__choices").order_by("position")
    fieldsets = page.locator("#attempt-form fieldset.question")
    expect(fieldsets).to_have_count(len(items))
    for item in items:
        kind = item.question.kind
        position = item.position
        fieldset = page.locator(f"#attempt-form fieldset#question-{position}")
        widget = widget_of(fieldset, position)
        assert kind in KINDS_BY_WIDGET[widget], f"Question {position} is {kind} but shows a {widget} control."
        # Ordering and matching options carry positions, not choice ids (courses/option_values.py).
        fields = encode(kind, item.choice_order, fields_for(answer_key(item.question)))
        match widget:
            case "radio":
                fieldset.locator(f"input[type=radio][value='{fields['choice'][0]}']").check()
            case "checkbox":
                for value in fields["choices"]:
                    fieldset.locator(f"input[type=checkbox][value='{value}']").check()
            case "number":
                fieldset.locator("input").fill(typed.get(kind, fields["value"][0]))
            case "text":
                fieldset.locator("input").fill(typed.get(kind, fields["text"][0]))
            case "order":
                slots = fieldset.locator(f"select[name=q{position}-order]")
                expect(slots).to_have_count(len(fields["order"]))
                for slot, value in enumerate(fields["order"]):
                    slots.nth(slot).select_option(value)
            case "match":
                for name, (value,) in fields.items():
                    fieldset.locator(f"select[name=q{position}-{name}]").select_option(value)
