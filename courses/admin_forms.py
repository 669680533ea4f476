"""Admin form for questions: the same rules as imported files, checked across the choices."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.bank_formats import (
    FALSE_TEXT,
    FALSE_WORDS,
    TRUE_TEXT,
    TRUE_WORDS,
    ChoiceRecord,
    QuestionRecord,
    validate_record,
)


class QuestionForm(WagtailAdminModelForm):
    def clean_accepted_answers(self) -> list[str]:
        answers = self.cleaned_data.get("accepted_answers") or []
        if not isinstance(answers, list) or not all(isinstance(answer, str) for answer in answers):
            raise forms.ValidationError(_('Write the accepted answers as a list of texts, like ["ssh", "SSH"].'))
        return [answer.strip() for answer in answers]

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        if self.cleaned_data.get("kind") == "true_false":
            self._spell_true_false()
        problems = validate_record(self._record())
        for problem in problems:
            self.add_error(None, problem.message)
        return not problems

    def _spell_true_false(self) -> None:
        """Authors may type the two choices in Persian; they are stored as "True" and "False"."""
        for form in self.formsets["choices"].forms:
            text = (form.cleaned_data or {}).get("text", "").strip()
            if text.casefold() in TRUE_WORDS:
                form.cleaned_data["text"] = TRUE_TEXT
            elif text.casefold() in FALSE_WORDS:
                form.cleaned_data["text"] = FALSE_TEXT

    def _record(self) -> QuestionRecord:
        data = self.cleaned_data
        # In the order the choices are saved: ordered_forms puts any without a position last.
        choice_forms = [form for form in self.formsets["choices"].ordered_forms if form.cleaned_data]
        return QuestionRecord(
            kind=data.get("kind") or "",
            prompt=data.get("prompt") or "",
            explanation=data.get("explanation") or "",
            points=data.get("points") or 0,
            partial_credit=bool(data.get("partial_credit")),
            choices=tuple(
                ChoiceRecord(
                    text=(form.cleaned_data.get("text") or "").strip(),
                    correct=bool(form.cleaned_data.get("correct")),
                    match=(form.cleaned_data.get("match") or "").strip(),
                )
                for form in choice_forms
            ),
            numeric_answer=data.get("numeric_answer"),
            tolerance=data.get("tolerance") or Decimal(0),
            accepted_answers=tuple(data.get("accepted_answers") or ()),
            normalized_match=bool(data.get("normalized_match")),
        )
