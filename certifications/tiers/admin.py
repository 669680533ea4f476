"""Tiers in the Wagtail admin: rule sets and their versions (the rules as JSON, checked
against the schema and against the certifications, competencies and metrics that exist),
business metrics and their values, and the read-only audit trail of tier changes."""

from __future__ import annotations

import json

from django import forms
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from certifications.models import BusinessMetric, MetricValue, TierChange, TierRuleSet, TierRuleSetVersion
from certifications.permissions import can_manage_tiers
from certifications.services.tier_rules import missing_references, problem_text
from certifications.tiers.schema import RuleFileError, parse_rule_set


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The audit trail is written by the services only."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


register_permission_policy(TierChange, ReadOnlyPolicy(TierChange), exact_class=True)


class RulesField(forms.CharField):
    """The rules as JSON text in the form, a dict in the model."""

    widget = forms.Textarea(attrs={"rows": 30, "dir": "ltr", "spellcheck": "false", "class": "monospace"})

    def prepare_value(self, value):
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Line %(line)s, column %(column)s: %(message)s")
                % {"line": error.lineno, "column": error.colno, "message": error.msg}
            ) from None


class RuleSetVersionForm(WagtailAdminModelForm):
    definition = RulesField(
        label=_lazy("Rules"), help_text=_lazy("The tiers and scores, as docs/tier-rules.md describes.")
    )

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        try:
            parse_rule_set(definition)
        except RuleFileError as error:
            raise forms.ValidationError([problem_text(problem) for problem in error.problems]) from None
        problems = missing_references(parse_rule_set(definition))
        if problems:
            raise forms.ValidationError(problems)
        return definition

    def save(self, commit=True):
        version = super().save(commit=False)
        if version.number is None:
            latest = TierRuleSetVersion.objects.filter(rule_set=version.rule_set).aggregate(Max("number"))
            version.number = (latest["number__max"] or 0) + 1
        if version.created_by_id is None and self.for_user is not None:
            version.created_by = self.for_user
        if commit:
            version.save()
        return version


class RuleSetViewSet(ModelViewSet):
    model = TierRuleSet
    icon = "list-ol"
    menu_label = _lazy("Rule sets")
    url_prefix = "tiers/rule-sets"
    url_namespace = "tier_rule_sets"
    add_to_reference_index = False
    list_display = ["name", "is_active", "promotion", "demotion_grace_days", "cadence"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("is_active")]),
            FieldRowPanel([FieldPanel("promotion"), FieldPanel("demotion_grace_days"), FieldPanel("cadence")]),
        ]
    )


class RuleSetVersionViewSet(ModelViewSet):
    model = TierRuleSetVersion
    icon = "history"
    menu_label = _lazy("Rule versions")
    url_prefix = "tiers/versions"
    url_namespace = "tier_rule_versions"
    add_to_reference_index = False
    list_display = ["rule_set", "number", "valid_from", "valid_until", "note"]
    list_filter = ["rule_set"]
    edit_handler = ObjectList(
        [
            FieldPanel("rule_set"),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
            FieldPanel("note"),
            FieldPanel("definition"),
        ],
        base_form_class=RuleSetVersionForm,
    )


class BusinessMetricViewSet(ModelViewSet):
    model = BusinessMetric
    icon = "table"
    menu_label = _lazy("Business metrics")
    url_prefix = "tiers/metrics"
    url_namespace = "tier_metrics"
    add_to_reference_index = False
    list_display = ["code", "name", "unit"]
    form_fields = ["code", "name", "name_fa", "description", "description_fa", "unit"]


class MetricValueIndexView(IndexView):
    """The list of metric values, with a button to import more from CSV."""

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if can_manage_tiers(self.request.user):
            buttons.append(HeaderButton(_("Import CSV"), url=reverse("tier_metrics_import"), icon_name="upload"))
        return buttons


class MetricValueViewSet(ModelViewSet):
    model = MetricValue
    index_view_class = MetricValueIndexView
    icon = "date"
    menu_label = _lazy("Metric values")
    url_prefix = "tiers/metric-values"
    url_namespace = "tier_metric_values"
    add_to_reference_index = False
    list_display = ["organization", "metric", "period_end", "value", "source"]
    list_filter = ["metric", "source"]
    search_fields = ["organization__name", "organization__slug"]
    search_backend_name = None
    form_fields = ["organization", "metric", "period_end", "value"]


class TierChangeViewSet(ModelViewSet):
    model = TierChange
    icon = "history"
    menu_label = _lazy("Tier history")
    url_prefix = "tiers/changes"
    url_namespace = "tier_changes"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["organization", "kind", "from_tier", "to_tier", "effective_on", "actor", "created_at"]
    list_filter = ["kind"]
    search_fields = ["organization__name", "reason"]
    search_backend_name = None
    form_fields = ["reason"]


class TierGroup(ViewSetGroup):
    items = (RuleSetViewSet, RuleSetVersionViewSet, BusinessMetricViewSet, MetricValueViewSet, TierChangeViewSet)
    menu_icon = "crosshairs"
    menu_label = _lazy("Partner tiers")
    menu_order = 170
