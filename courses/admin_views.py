"""Wagtail admin views: importing and exporting question banks."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.bank_formats import BankFormatError
from courses.models import QuestionBank
from courses.services.question_banks import export_questions, import_questions

MAX_BANK_FILE_BYTES = 2 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or JSON file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BANK_FILE_BYTES:  # the size is known before the file is read
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        name = upload.name.lower()
        if not name.endswith((".csv", ".json")):
            raise forms.ValidationError(_("Choose a .csv or .json file."))
        return upload


def import_bank(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("courses.add_question"):
        raise PermissionDenied
    bank = get_object_or_404(QuestionBank, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            file_format = "json" if upload.name.lower().endswith(".json") else "csv"
            try:
                result = import_questions(bank=bank, data=upload.read(), file_format=file_format)
            except BankFormatError as error:
                problems = error.problems
                status = 400
            else:
                message = _("Imported %(count)s questions into %(bank)s.") % {"count": result.added, "bank": bank}
                if result.already_there:
                    message += " " + _("%(count)s questions were already in the bank and were skipped.") % {
                        "count": result.already_there
                    }
                messages.success(request, message)
                return redirect(reverse("wagtailsnippets_courses_questionbank:edit", args=(bank.pk,)))
        else:
            status = 400
    context = {"bank": bank, "form": form, "problems": problems}
    return TemplateResponse(request, "courses/admin/import_bank.html", context, status=status)


def export_bank(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    if not request.user.has_perm("courses.view_question"):
        raise PermissionDenied
    if file_format not in ("csv", "json"):
        raise Http404
    bank = get_object_or_404(QuestionBank, pk=pk)
    try:
        content = export_questions(bank=bank, file_format=file_format)
    except BankFormatError as error:
        details = "; ".join(f"{problem.location}: {problem.message}" for problem in error.problems[:5])
        messages.error(
            request, _("The bank cannot be exported until its questions are fixed: %(details)s") % {"details": details}
        )
        return redirect(reverse("wagtailsnippets_courses_questionbank:edit", args=(bank.pk,)))
    content_type = "text/csv; charset=utf-8" if file_format == "csv" else "application/json"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slugify(bank.name) or "bank"}.{file_format}"'
    return response
