"""Moving tier rules between installations: export a rule set to the JSON file format of
docs/tier-rules.md, and import one. An import is checked whole (the schema, then that every
certification, competency and metric it names exists) and changes nothing on any problem."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from certifications.models import BusinessMetric, Certification, TierRuleSet, TierRuleSetVersion
from certifications.tiers.rules import RuleSet
from certifications.tiers.schema import (
    MESSAGES,
    Problem,
    RuleFile,
    RuleFileError,
    RuleSetVersionSpec,
    dump_rule_file,
    dump_rule_set,
    parse_rule_file,
    parse_rule_set,
    referenced_slugs,
)
from lms.accounts.models import User
from lms.competencies.models import Competency


class RuleImportError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def problem_text(problem: Problem) -> str:
    """The problem in the reader's language, with where it is."""
    message = _(MESSAGES[problem.code]) % problem.params
    if problem.line is None:
        return _("%(path)s: %(message)s") % {"path": problem.path, "message": message}
    return _("%(path)s (line %(line)s): %(message)s") % {"path": problem.path, "line": problem.line, "message": message}


def missing_references(rule_set: RuleSet) -> list[str]:
    """Messages for each certification, competency or metric the rules name that does not exist."""
    references = referenced_slugs(rule_set)
    problems: list[str] = []
    known = set(Certification.objects.filter(slug__in=references.certifications).values_list("slug", flat=True))
    for slug in sorted(set(references.certifications) - known):
        problems.append(_("The rules name the certification “%(slug)s”, which does not exist here.") % {"slug": slug})
    known = set(Competency.objects.filter(slug__in=references.competencies).values_list("slug", flat=True))
    for slug in sorted(set(references.competencies) - known):
        problems.append(_("The rules name the competency “%(slug)s”, which does not exist here.") % {"slug": slug})
    known = set(BusinessMetric.objects.filter(code__in=references.metrics).values_list("code", flat=True))
    for code in sorted(set(references.metrics) - known):
        problems.append(_("The rules name the business metric “%(code)s”, which does not exist here.") % {"code": code})
    return problems


def export_rule_set(rule_set: TierRuleSet) -> str:
    versions = tuple(
        RuleSetVersionSpec(
            valid_from=version.valid_from,
            valid_until=version.valid_until,
            rule_set=parse_rule_set(version.definition),
        )
        for version in rule_set.versions.order_by("valid_from", "number")
    )
    return dump_rule_file(
        RuleFile(
            name=rule_set.name,
            promotion=rule_set.promotion,
            demotion_grace_days=rule_set.demotion_grace_days,
            cadence=rule_set.cadence,
            versions=versions,
        )
    )


def import_rule_file(*, text: str, activate: bool = True, actor: User | None = None) -> TierRuleSet:
    """Create or replace the rule set the file names, with its versions; all or nothing."""
    try:
        rule_file = parse_rule_file(text)
    except RuleFileError as error:
        raise RuleImportError([problem_text(problem) for problem in error.problems]) from None
    problems = [problem for spec in rule_file.versions for problem in missing_references(spec.rule_set)]
    if problems:
        raise RuleImportError(sorted(set(problems)))
    with transaction.atomic():
        if activate:
            TierRuleSet.objects.filter(is_active=True).exclude(name=rule_file.name).update(is_active=False)
        rule_set, _created = TierRuleSet.objects.update_or_create(
            name=rule_file.name,
            defaults={
                "promotion": rule_file.promotion,
                "demotion_grace_days": rule_file.demotion_grace_days,
                "cadence": rule_file.cadence,
                **({"is_active": True} if activate else {}),
            },
        )
        # Versions already used by evaluations are kept; the file's versions come after them.
        start = (rule_set.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        for offset, spec in enumerate(rule_file.versions):
            TierRuleSetVersion.objects.create(
                rule_set=rule_set,
                number=start + offset,
                valid_from=spec.valid_from,
                valid_until=spec.valid_until,
                definition=dump_rule_set(spec.rule_set),
                note=_("Imported"),
                created_by=actor,
            )
    return rule_set
