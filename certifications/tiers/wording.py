"""Tier requirements and their gaps in plain words, in the active language.

The engine's results name certifications, competencies and metrics by slug; `Names`
holds their English and Persian names (loaded once, in three queries) so that one
evaluation can be explained in both languages without going back to the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certifications.models import BusinessMetric, Certification, Level
from certifications.tiers.rules import (
    Aggregate,
    AllOf,
    AnyOf,
    CredentialFilter,
    DistinctCompetencies,
    Evaluation,
    Headcount,
    HeadcountSource,
    ManualGate,
    MetricAtLeast,
    MetricSource,
    Points,
    PointsItem,
    RequirementResult,
    ScoreAtLeast,
    SubQuota,
    Track,
    Tracks,
)
from lms.competencies.models import Competency
from lms.i18n import local_digits, local_list

LANGUAGES = ("en", "fa")


@dataclass(frozen=True)
class Bilingual:
    en: str
    fa: str = ""

    def __str__(self) -> str:
        return self.fa if translation.get_language() == "fa" and self.fa else self.en


@dataclass(frozen=True)
class Metric:
    name: Bilingual
    unit: str = ""


@dataclass(frozen=True)
class Names:
    """Display names by slug; an unknown slug is shown as it is."""

    certifications: Mapping[str, Bilingual] = field(default_factory=dict)
    competencies: Mapping[str, Bilingual] = field(default_factory=dict)
    metrics: Mapping[str, Metric] = field(default_factory=dict)

    def certification(self, slug: str) -> str:
        return str(self.certifications.get(slug, slug))

    def competency(self, slug: str) -> str:
        return str(self.competencies.get(slug, slug))

    def metric(self, code: str) -> str:
        metric = self.metrics.get(code)
        return str(metric.name) if metric else code

    def unit(self, code: str) -> str:
        metric = self.metrics.get(code)
        return metric.unit if metric else ""


def load_names() -> Names:
    return Names(
        certifications={
            slug: Bilingual(name, name_fa)
            for slug, name, name_fa in Certification.objects.values_list("slug", "name", "name_fa")
        },
        competencies={
            slug: Bilingual(name, name_fa)
            for slug, name, name_fa in Competency.objects.values_list("slug", "name", "name_fa")
        },
        metrics={
            code: Metric(Bilingual(name, name_fa), unit)
            for code, name, name_fa, unit in BusinessMetric.objects.values_list("code", "name", "name_fa", "unit")
        },
    )


# -- Pieces ------------------------------------------------------------------------------


def number(value: Decimal | int) -> str:
    """A number without trailing zeros, in the active language's digits."""
    text = format(Decimal(value).normalize(), "f")
    return local_digits(text)


def _either(items: Iterable[str]) -> str:
    """“A”, “A or B”, “A, B or C”."""
    items = sorted(items, key=str.casefold)
    if len(items) == 1:
        return items[0]
    return _("%(some)s or %(last)s") % {"some": local_list(items[:-1]), "last": items[-1]}


def who(credential_filter: CredentialFilter, names: Names) -> str:
    """Who counts: “certified”, “certified in Cloud Security at professional level”,
    “holding Cloud Architect”."""
    if credential_filter.certifications:
        text = _("holding %(certifications)s") % {
            "certifications": _either(names.certification(slug) for slug in credential_filter.certifications)
        }
    elif credential_filter.competencies:
        text = _("certified in %(competencies)s") % {
            "competencies": _either(names.competency(slug) for slug in credential_filter.competencies)
        }
    else:
        text = _("certified")
    if credential_filter.certifications and credential_filter.competencies:
        text = _("%(who)s in %(competencies)s") % {
            "who": text,
            "competencies": _either(names.competency(slug) for slug in credential_filter.competencies),
        }
    if credential_filter.levels:
        text = _("%(who)s at %(levels)s level") % {
            "who": text,
            "levels": _either(level_name(level) for level in credential_filter.levels),
        }
    return text


def level_name(code: str) -> str:
    """“professional”: a level's label as it reads inside a sentence."""
    try:
        label = str(Level(code).label)
    except ValueError:
        return code
    return label if translation.get_language() == "fa" else label.lower()


def _amount(value: Decimal, unit: str) -> str:
    return _("%(amount)s %(unit)s") % {"amount": number(value), "unit": unit} if unit else number(value)


def _measure(source: MetricSource, names: Names) -> str:
    """“partner-sourced revenue in the last 12 months”, “latest PSAT”."""
    metric = names.metric(source.metric)
    if source.aggregate == Aggregate.LATEST:
        text = _("latest %(metric)s") % {"metric": metric}
    elif source.aggregate == Aggregate.AVERAGE:
        text = _("average %(metric)s") % {"metric": metric}
    else:
        text = metric
    if source.window_months:
        text = ngettext(
            "%(measure)s in the last month",
            "%(measure)s in the last %(months)s months",
            source.window_months,
        ) % {"measure": text, "months": local_digits(source.window_months)}
    return text


def _people(count: int | Decimal, credential_filter: CredentialFilter, names: Names) -> str:
    count = int(count)
    return ngettext("%(count)s person %(who)s", "%(count)s people %(who)s", count) % {
        "count": local_digits(count),
        "who": who(credential_filter, names),
    }


def _source(source: MetricSource | HeadcountSource, names: Names) -> tuple[str, str]:
    """What a points item measures, and its unit."""
    if isinstance(source, HeadcountSource):
        return _("people %(who)s") % {"who": who(source.filter, names)}, ""
    return _measure(source, names), names.unit(source.metric)


# -- Requirements ------------------------------------------------------------------------


def describe_requirement(rule: object, names: Names) -> str:
    """What a requirement (or sub-quota, points item, track) asks for, as one sentence."""
    match rule:
        case Headcount():
            return _("At least %(people)s") % {"people": _people(rule.minimum, rule.filter, names)}
        case SubQuota():
            return _("Of them, at least %(people)s (%(label)s)") % {
                "people": _people(rule.minimum, rule.filter, names),
                "label": rule.label,
            }
        case DistinctCompetencies():
            return ngettext(
                "At least %(count)s competency, each with %(people)s",
                "At least %(count)s competencies, each with %(people)s",
                rule.minimum,
            ) % {"count": local_digits(rule.minimum), "people": _people(rule.people_each, rule.filter, names)}
        case MetricAtLeast():
            return _("%(measure)s of at least %(minimum)s") % {
                "measure": _capitalized(_measure(rule.source, names)),
                "minimum": _amount(rule.minimum, names.unit(rule.source.metric)),
            }
        case Points():
            sentence = _("At least %(minimum)s points") % {"minimum": number(rule.minimum_total)}
            if rule.every_item_above_zero:
                sentence = _("%(sentence)s, with every item above 0") % {"sentence": sentence}
            return sentence
        case PointsItem():
            return _describe_item(rule, names)
        case ScoreAtLeast():
            return _("A score “%(score)s” of at least %(minimum)s") % {
                "score": rule.score,
                "minimum": number(rule.minimum),
            }
        case ManualGate():
            return _("Approved by a tier manager: %(gate)s") % {"gate": rule.label or rule.gate}
        case AllOf():
            return _("All of these")
        case AnyOf():
            if rule.count == 1:
                return _("Any one of these")
            return _("At least %(count)s of these") % {"count": local_digits(rule.count)}
        case Tracks():
            return _("Any one of these tracks")
        case Track():
            return _("Track: %(name)s") % {"name": rule.name}
    raise TypeError(f"Not a tier rule: {rule!r}")


def _describe_item(item: PointsItem, names: Names) -> str:
    measure, unit = _source(item.source, names)
    sentence = _("%(label)s: %(per_unit)s points per unit of %(measure)s, at most %(cap)s") % {
        "label": item.label,
        "per_unit": number(item.per_unit),
        "measure": measure,
        "cap": number(item.cap),
    }
    if item.threshold:
        threshold = _amount(item.threshold, unit)
        if item.partial_credit:
            sentence = _("%(sentence)s; met from %(threshold)s") % {
                "sentence": sentence,
                "threshold": threshold,
            }
        else:
            sentence = _("%(sentence)s; nothing below %(threshold)s") % {"sentence": sentence, "threshold": threshold}
    return sentence


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- Gaps --------------------------------------------------------------------------------


def describe_gap(result: RequirementResult, names: Names) -> str:
    """What is still missing for an unmet requirement, as one sentence: “2 more people
    certified in Cloud Security at professional level”."""
    gap, rule = result.gap, result.rule
    match rule:
        case Headcount():
            return ngettext("%(count)s more person %(who)s", "%(count)s more people %(who)s", int(gap)) % {
                "count": local_digits(int(gap)),
                "who": who(rule.filter, names),
            }
        case SubQuota():
            values = {"count": local_digits(int(gap)), "who": who(rule.filter, names), "label": rule.label}
            if rule.label.casefold() in values["who"].casefold():  # "certified in Cloud Security (cloud security)"
                return ngettext("%(count)s more person %(who)s", "%(count)s more people %(who)s", int(gap)) % values
            return (
                ngettext(
                    "%(count)s more person %(who)s (%(label)s)", "%(count)s more people %(who)s (%(label)s)", int(gap)
                )
                % values
            )
        case DistinctCompetencies():
            return ngettext(
                "%(count)s more competency with %(people)s",
                "%(count)s more competencies, each with %(people)s",
                int(gap),
            ) % {"count": local_digits(int(gap)), "people": _people(rule.people_each, rule.filter, names)}
        case MetricAtLeast():
            unit = names.unit(rule.source.metric)
            return _("%(gap)s more %(measure)s (now %(actual)s of %(required)s)") % {
                "gap": _amount(gap, unit),
                "measure": _measure(rule.source, names),
                "actual": _amount(result.actual, unit),
                "required": _amount(result.required, unit),
            }
        case Points() | ScoreAtLeast():
            if result.actual < result.required:
                return _("%(gap)s more points (now %(actual)s of %(required)s)") % {
                    "gap": number(gap),
                    "actual": number(result.actual),
                    "required": number(result.required),
                }
            return _("Points from every item, not only some")
        case PointsItem():
            measure, unit = _source(rule.source, names)
            values = {"label": rule.label, "measure": measure, "actual": _amount(result.actual, unit)}
            if result.actual < result.required:
                return _("%(gap)s more %(measure)s for “%(label)s” (now %(actual)s of %(required)s)") % {
                    **values,
                    "gap": _amount(gap, unit),
                    "required": _amount(result.required, unit),
                }
            return _("Some points for “%(label)s” (%(measure)s: now %(actual)s)") % values
        case ManualGate():
            return _("A tier manager's approval of %(gate)s") % {"gate": rule.label or rule.gate}
        case AnyOf():
            return _("This choice asks for more requirements than it lists")
        case Tracks():
            return _("This requirement has no track to meet")
    return describe_requirement(rule, names)


def explain(evaluation: Evaluation, names: Names, language: str) -> list[str]:
    """The next tier's gaps, in `language`."""
    with translation.override(language):
        return [describe_gap(gap, names) for gap in evaluation.next_gaps]


def explain_both(evaluation: Evaluation, names: Names) -> dict[str, list[str]]:
    return {language: explain(evaluation, names, language) for language in LANGUAGES}
