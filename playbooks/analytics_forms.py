"""The analytics filters, read from the query string: a date range and what to narrow it to."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.i18n import local_digits
from lms.partners.models import Organization, Tier
from playbooks.analytics import MAX_DAYS, AnalyticsFilters, default_range
from playbooks.models import AssetKind, PlaybookPage


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class PlaybookChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.locale.language_code})"


class AnalyticsFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, for example 2026-09-07.")},
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, for example 2026-11-29.")},
    )
    tier = forms.ChoiceField(label=_("Tier"), required=False, choices=[("", _("All tiers")), *Tier.choices])
    organization = OrganizationChoice(
        label=_("Organization"),
        required=False,
        queryset=Organization.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All organizations"),
        error_messages={"invalid_choice": _("There is no such organization.")},
    )
    playbook = PlaybookChoice(
        label=_("Playbook"),
        required=False,
        queryset=PlaybookPage.objects.select_related("locale").order_by("title", "pk"),
        empty_label=_("All playbooks"),
        error_messages={"invalid_choice": _("There is no such playbook.")},
    )
    kind = forms.ChoiceField(
        label=_("Asset kind"), required=False, choices=[("", _("Images and documents")), *AssetKind.choices]
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end = data.get("start") or None, data.get("end") or None
        default_start, default_end = default_range(end)  # the twelve weeks up to the end, or to today
        start, end = start or default_start, end or default_end
        if start > end:
            raise forms.ValidationError(_("The start date must be on or before the end date."), code="order")
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a range of at most %(days)s days.") % {"days": local_digits(MAX_DAYS)}, code="too_long"
            )
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> AnalyticsFilters:
        """The filters of a valid form."""
        data = self.cleaned_data
        return AnalyticsFilters(
            start=data["start"],
            end=data["end"],
            tier=data.get("tier") or "",
            organization=data.get("organization"),
            playbook=data.get("playbook"),
            kind=data.get("kind") or "",
        )

    def problems(self) -> list[str]:
        """Every error as one line, with the field's label, for a plain-text 400."""
        lines = []
        for name, errors in self.errors.items():
            prefix = f"{self.fields[name].label}: " if name in self.fields else ""
            lines += [f"{prefix}{error}" for error in errors]
        return lines
