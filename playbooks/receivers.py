"""Publishing a new major version of a playbook asks everyone again.

Connected in `PlaybooksConfig.ready()` to Wagtail's `page_published` for PlaybookPage.
When the published revision's `message_version` is higher than the one of the revision
live before it, the people who acknowledged an earlier version (in either language) and
may still read the playbook are told in the app, in their language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry

from lms.i18n import local_digits
from lms.notifications.services import Message, notify
from lms.partners.models import Membership
from playbooks.coverage import PageRule
from playbooks.models import Acknowledgement

NEW_VERSION_KIND = "playbook_new_version"


def previous_live_version(page, revision) -> int | None:
    """The message version of the revision published before `revision`, if any."""
    entry = (
        PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.publish", revision__isnull=False)
        .exclude(revision_id=getattr(revision, "pk", None))
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is None or entry.revision is None:
        return None
    version = entry.revision.content.get("message_version")
    return int(version) if version is not None else None


def notify_new_version(sender, instance, revision=None, **kwargs) -> int:
    """On `page_published`: tell earlier acknowledgers that version N needs reading."""
    page = instance
    if not page.requires_acknowledgement:
        return 0
    previous = previous_live_version(page, revision)
    if previous is None or page.message_version <= previous:
        return 0
    current = page.message_version
    already = Acknowledgement.objects.filter(translation_key=page.translation_key, version__gte=current).values(
        "user_id"
    )
    earlier = (
        Acknowledgement.objects.filter(translation_key=page.translation_key, version__lt=current)
        .exclude(user_id__in=already)
        .values_list("user_id", flat=True)
        .distinct()
    )
    rule = PageRule(
        pk=page.pk,
        title=page.title,
        language="",
        minimum_tier=page.minimum_tier,
        version=current,
        organization_ids=frozenset(organization.pk for organization in page.audience_organizations.all()),
    )
    people = [
        user_id
        for user_id, organization_id, tier in Membership.objects.filter(
            user_id__in=earlier, user__is_active=True
        ).values_list("user_id", "organization_id", "organization__tier")
        if rule.visible_to(organization_id, tier)
    ]
    title, url = page.title, page.url or ""

    def text() -> str:
        return _("Version %(version)s of “%(title)s” is new: please read it and acknowledge again.") % {
            "version": local_digits(current),
            "title": title,
        }

    return notify(
        messages=[Message(user_id=user_id, kind=NEW_VERSION_KIND, text=text, url=url) for user_id in sorted(people)]
    )
