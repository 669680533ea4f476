"""Forms of the tier managers' pages: the dashboard's filters and bulk decision, and the
organization page's override, lock-in and gate decisions. The services check the rules
(a reason is required, dates lie after today); the forms check the shape of the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from certifications.services.tier_actions import REASON_MAX
from certifications.tiers.selectors import FORECAST_WINDOWS, DashboardFilters, Sort, Status
from certifications.tiers.what_if import MAX_CHANGES, Addition, Scenario
from lms.i18n import local_digits
from lms.partners.models import Organization, Tier

SEARCH_MAX = 100


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates whatever the interface language."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format="%Y-%m-%d")


def reason_field(*, required: bool = True, help_text=None) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        required=required,
        help_text=help_text or _("Recorded in the tier history."),
        widget=forms.TextInput(),
    )


class TierForm(forms.Form):
    """Several of these forms share a page: each gets its own element ids."""

    id_prefix = "tier"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class DashboardFilterForm(TierForm):
    """The dashboard's filters, from the query string. A value that is not one of the
    choices is reported and ignored."""

    id_prefix = "filter"

    q = forms.CharField(label=_("Search by name"), max_length=SEARCH_MAX, required=False)
    tier = forms.ChoiceField(label=_("Current tier"), required=False, choices=[("", _("Any tier")), *Tier.choices])
    eligible = forms.ChoiceField(label=_("Eligible tier"), required=False, choices=[("", _("Any tier")), *Tier.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (Status.PENDING, _("Promotion pending")),
            (Status.AT_RISK, _("At risk")),
            (Status.OVERRIDE, _("Overridden")),
            (Status.STEADY, _("Steady")),
        ],
    )
    forecast = forms.TypedChoiceField(
        label=_("Would lose its tier"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (Sort.NAME, _("Name")),
            (Sort.TIER, _("Current tier")),
            (Sort.FORECAST, _("Forecast date")),
            (Sort.PEOPLE, _("Certified people")),
        ],
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("asc", _("Ascending")), ("desc", _("Descending"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built per request, in the reader's language and digits.
        self.fields["forecast"].choices = [
            ("", _("Any time")),
            *((days, gettext("Within %(days)s days") % {"days": local_digits(days)}) for days in FORECAST_WINDOWS),
        ]

    def filters(self) -> DashboardFilters:
        """The valid filters (call after `is_valid()`)."""
        data = self.cleaned_data
        return DashboardFilters(
            tier=data.get("tier") or "",
            eligible=data.get("eligible") or "",
            status=data.get("status") or "",
            forecast_within=data.get("forecast"),
            search=(data.get("q") or "").strip(),
            sort=data.get("sort") or Sort.NAME,
            descending=data.get("order") == "desc",
        )


class PromotionDecisionForm(TierForm):
    id_prefix = "decision"
    APPROVE, REJECT = "approve", "reject"

    organizations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.only("pk", "slug", "name", "name_fa"),
        error_messages={
            "required": _("Choose at least one organization with a pending promotion."),
            "invalid_choice": _("One of the chosen organizations no longer exists."),
            "invalid_pk_value": _("One of the chosen organizations no longer exists."),
        },
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, pgettext_lazy("promotion", "Approve")), (REJECT, pgettext_lazy("promotion", "Reject"))]
    )
    reason = reason_field(required=False, help_text=_("Required to reject; recorded in the tier history."))

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class OverrideForm(TierForm):
    id_prefix = "override"
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        help_text=_("The day the override ends. Leave empty to keep it until it is cleared."),
    )
    reason = reason_field()


class ClearOverrideForm(TierForm):
    id_prefix = "clear-override"
    reason = reason_field()


class LockInForm(TierForm):
    id_prefix = "lock-in"
    until = forms.DateField(
        label=_("No demotion before"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to remove the lock-in."),
    )
    reason = reason_field()


class GateDecisionForm(TierForm):
    id_prefix = "gate"
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        choices=[(APPROVE, pgettext_lazy("evidence", "Approve")), (REJECT, pgettext_lazy("evidence", "Reject"))]
    )
    expires_on = forms.DateField(
        label=_("Approval expires on"),
        required=False,
        widget=DateInput(),
        help_text=_("For an approval; leave empty if it does not expire."),
    )
    reason = reason_field(required=False, help_text=_("Required to reject; recorded in the tier history."))

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


NEWCOMER = "new"


class WhatIfForm(TierForm):
    """A what-if scenario, from the query string: members taken out, and credentials added
    one at a time (each "Add" keeps the earlier additions as `add` values "<person>:<slug>",
    where the person is a member's id or "new")."""

    id_prefix = "what-if"

    remove = forms.MultipleChoiceField(
        label=_("Take these people out"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # "<person>:<slug>" values, checked in clean_add (a choice list of every member × every
    # certification would be built on every request).
    add = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    grant_person = forms.ChoiceField(label=_("Give"), required=False)
    grant_certification = forms.ChoiceField(label=_("the certification"), required=False)

    def __init__(self, *args, members: list[tuple[int, str]], certifications: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = dict(members)
        self.certifications = dict(certifications)
        self.fields["remove"].choices = [(str(pk), name) for pk, name in members]
        self.fields["grant_person"].choices = [
            (NEWCOMER, gettext("a new person")),
            *((str(pk), name) for pk, name in members),
        ]
        self.fields["grant_certification"].choices = [("", "—"), *certifications]

    def clean_add(self) -> list[str]:
        values = list(self.cleaned_data.get("add") or [])
        for value in values:
            person, _, slug = value.partition(":")
            known_person = person == NEWCOMER or (person.isdigit() and int(person) in self.members)
            if not known_person or slug not in self.certifications:
                raise forms.ValidationError(
                    self.fields["remove"].error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                )
        return values

    def clean(self) -> dict:
        cleaned = super().clean()
        additions = list(cleaned.get("add") or [])
        if cleaned.get("grant_certification"):
            additions.append(f"{cleaned.get('grant_person') or NEWCOMER}:{cleaned['grant_certification']}")
        if len(additions) + len(cleaned.get("remove") or []) > MAX_CHANGES:
            raise forms.ValidationError(
                gettext("A scenario can change at most %(count)s things at once.")
                % {"count": local_digits(MAX_CHANGES)}
            )
        cleaned["additions"] = additions
        return cleaned

    def scenario(self) -> Scenario:
        additions = []
        for value in self.cleaned_data["additions"]:
            person, slug = value.split(":", 1)
            additions.append(Addition(certification=slug, person=None if person == NEWCOMER else int(person)))
        return Scenario(removed=frozenset(int(pk) for pk in self.cleaned_data["remove"]), added=tuple(additions))

    def addition_label(self, value: str) -> str:
        person, slug = value.split(":", 1)
        who = gettext("A new person") if person == NEWCOMER else self.members[int(person)]
        certification = self.certifications[slug]
        return gettext("%(person)s earns %(certification)s") % {"person": who, "certification": certification}
