"""The playbook editing form: only vendor staff can own a playbook."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm


def staff_people():
    """Vendor staff: people without a partner membership who are staff or hold a staff role."""
    return (
        get_user_model()
        .objects.filter(membership__isnull=True, is_active=True)
        .filter(Q(is_staff=True) | Q(is_superuser=True) | Q(groups__isnull=False))
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


class PlaybookPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "owner" in self.fields:
            self.fields["owner"].queryset = staff_people()
