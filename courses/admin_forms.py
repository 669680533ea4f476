"""Admin form for questions: the same rules as imported files, checked across the choices."""

from __future__ import annotations

from decimal import Decimal

from wagtail.admin.forms import WagtailAdminModelForm

from courses.bank_formats import ChoiceRecord, QuestionRecord, validate_record


class QuestionForm(WagtailAdminModelForm):
    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        problems = validate_record(self._record())
        for problem in problems:
            self.add_error(None, problem.message)
        return not problems

    def _record(self) -> QuestionRecord:
        data = self.cleaned_data
        forms = [
            form for form in self.formsets["choices"].forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        forms.sort(key=lambda form: form.cleaned_data.get("ORDER") or 0)
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
                for form in forms
            ),
            numeric_answer=data.get("numeric_answer"),
            tolerance=data.get("tolerance") or Decimal(0),
            accepted_answers=tuple(answer.strip() for answer in data.get("accepted_answers") or ()),
            normalized_match=bool(data.get("normalized_match")),
        )
