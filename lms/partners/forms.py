"""Forms of the partner admin pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lms.i18n import local_digits, local_list
from lms.partners.email_lists import MAX_EMAILS_PER_BATCH, ParsedEmails, parse_email_csv, parse_email_text
from lms.partners.models import Membership

MAX_CSV_BYTES = 256 * 1024
# The CSV, the pasted list (500 addresses) and the form overhead.
MAX_INVITE_REQUEST_BYTES = MAX_CSV_BYTES + 64 * 1024


def upload_too_large_message() -> str:
    return _("The upload is too large: the limit is %(limit)s KB.") % {"limit": local_digits(MAX_CSV_BYTES // 1024)}


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "ltr", "placeholder": "name@partner.example"}),
        help_text=_("One or more addresses, separated by new lines or commas."),
    )
    csv_file = forms.FileField(
        label=_("Or upload a CSV file of email addresses"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.LEARNER)

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if not upload:
            return ""
        if upload.size > MAX_CSV_BYTES:  # checked before a byte is read
            raise forms.ValidationError(upload_too_large_message())
        raw = upload.read(MAX_CSV_BYTES + 1)
        if b"\x00" in raw:
            raise forms.ValidationError(_("This file is not a CSV text file."))
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The CSV file must be saved as UTF-8 text.")) from error

    def clean(self):
        cleaned = super().clean()
        text, csv_text = cleaned.get("emails", ""), cleaned.get("csv_file", "")
        if self.errors:
            return cleaned
        if not text.strip() and not csv_text.strip():
            raise forms.ValidationError(_("Enter at least one email address or upload a CSV file."))
        parsed = _merge(parse_email_text(text), parse_email_csv(csv_text))
        if parsed.invalid:
            shown = local_list(
                _("line %(line)s: %(value)s") % {"line": local_digits(line), "value": value}
                for line, value in parsed.invalid[:10]
            )
            raise forms.ValidationError(
                ngettext(
                    "%(count)s entry is not a valid email address (%(shown)s). Nobody was invited.",
                    "%(count)s entries are not valid email addresses (%(shown)s). Nobody was invited.",
                    len(parsed.invalid),
                )
                % {"count": local_digits(len(parsed.invalid)), "shown": shown}
            )
        if not parsed.valid:
            raise forms.ValidationError(_("No email addresses were found."))
        if parsed.too_many:
            raise forms.ValidationError(
                _("At most %(limit)s people can be invited at once.") % {"limit": local_digits(MAX_EMAILS_PER_BATCH)}
            )
        cleaned["parsed_emails"] = parsed.valid
        return cleaned


def _merge(first: ParsedEmails, second: ParsedEmails) -> ParsedEmails:
    valid = list(dict.fromkeys(first.valid + second.valid))
    return ParsedEmails(valid=valid, invalid=first.invalid + second.invalid)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
