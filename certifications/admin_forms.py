"""The certification form of the Wagtail admin: the checks a save must pass before it
can become a new version of the requirements."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.admin.forms import WagtailAdminModelForm

from certifications.eligibility import Requirements
from certifications.models import Certification
from certifications.services.versions import latest_version, original_course_ids
from lms import clock


def prerequisite_cycle(*, certification_id: int, prerequisite_ids: Iterable[int]) -> list[int] | None:
    """The ids along a cycle the chosen prerequisites would close (starting and ending
    at `certification_id`), or None. Reads every prerequisite link once: the graph is small."""
    graph: dict[int, set[int]] = {}
    for source, target in Certification.prerequisites.through.objects.values_list(
        "from_certification_id", "to_certification_id"
    ):
        graph.setdefault(source, set()).add(target)
    graph[certification_id] = set(prerequisite_ids)
    # Depth-first from the certification; the path back to it is the cycle.
    stack: list[tuple[int, list[int]]] = [(certification_id, [certification_id])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        for target in sorted(graph.get(node, ())):
            if target == certification_id:
                return [*path, target]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


class CertificationAdminForm(WagtailAdminModelForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_prerequisites(cleaned)
        self._check_recertify_by(cleaned)
        return cleaned

    def _check_prerequisites(self, cleaned: Mapping) -> None:
        chosen = cleaned.get("prerequisites")
        if chosen is None or self.instance.pk is None:
            return  # nothing can require a certification that does not exist yet
        ids = {prerequisite.pk for prerequisite in chosen}
        if self.instance.pk in ids:
            self.add_error("prerequisites", _("A certification cannot be its own prerequisite."))
            return
        cycle = prerequisite_cycle(certification_id=self.instance.pk, prerequisite_ids=ids)
        if cycle:
            names = dict(Certification.objects.filter(pk__in=cycle).values_list("pk", "name"))
            names[self.instance.pk] = cleaned.get("name") or names.get(self.instance.pk, "")
            self.add_error(
                "prerequisites",
                _("These prerequisites would form a cycle, so nobody could ever earn them: %(cycle)s.")
                % {"cycle": pgettext("prerequisite chain separator", " → ").join(names[pk] for pk in cycle)},
            )

    def _check_recertify_by(self, cleaned: Mapping) -> None:
        recertify_by = cleaned.get("recertify_by")
        if recertify_by is None:
            return
        if recertify_by <= timezone.localdate(clock.now()):
            self.add_error("recertify_by", _("The re-certification date must be in the future."))
            return
        latest = latest_version(self.instance) if self.instance.pk else None
        if latest is None:
            self.add_error(
                "recertify_by",
                _("Nobody holds an earlier version yet: set a re-certification date together with a later change."),
            )
            return
        if self._requirements(cleaned) == Requirements.from_json(latest.requirements):
            self.add_error(
                "recertify_by",
                _(
                    "A re-certification date needs a change to the requirements "
                    "(courses, exam, score or prerequisites)."
                ),
            )

    def _requirements(self, cleaned: Mapping) -> Requirements | None:
        """The requirements this save would create, named as versions name them."""
        fields = ("required_courses", "final_exam", "minimum_score", "prerequisites")
        if any(name not in cleaned for name in fields):
            return None  # a field already failed; its error is shown instead
        exam = cleaned["final_exam"]
        return Requirements(
            course_ids=original_course_ids(page.pk for page in cleaned["required_courses"]),
            exam_id=exam.pk if exam else None,
            minimum_score=cleaned["minimum_score"],
            prerequisite_ids=frozenset(prerequisite.pk for prerequisite in cleaned["prerequisites"]),
        )
