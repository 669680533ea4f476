"""The Wagtail admin's CSV import of business metric values (all rows or none)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certifications.permissions import can_manage_tiers
from certifications.services.metrics import COLUMNS, MetricImportError, import_metric_values
from lms.i18n import local_digits

MAX_METRIC_FILE_BYTES = 2 * 1024 * 1024


class MetricImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_METRIC_FILE_BYTES:  # the size is known before the file is read
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        raw = upload.read(MAX_METRIC_FILE_BYTES + 1)
        if b"\x00" in raw:
            raise forms.ValidationError(_("This file is not a CSV text file."))
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The CSV file must be saved as UTF-8 text.")) from error


def import_metrics(request: HttpRequest) -> HttpResponse:
    if not can_manage_tiers(request.user):
        raise PermissionDenied
    form = MetricImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = import_metric_values(text=form.cleaned_data["file"], actor=request.user)
            except MetricImportError as error:
                problems, status = error.problems, 400
            else:
                messages.success(
                    request,
                    _("Imported %(rows)s values for %(organizations)s organizations; their tiers are re-evaluated.")
                    % {"rows": local_digits(result.rows), "organizations": local_digits(result.organizations)},
                )
                return redirect("tier_metric_values:index")
        else:
            status = 400
    context = {"form": form, "problems": problems, "columns": ",".join(COLUMNS)}
    return TemplateResponse(request, "certifications/admin/import_metrics.html", context, status=status)
