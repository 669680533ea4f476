"""The tier managers' pages, under /tiers/ (and /fa/tiers/).

Included in the language-prefixed patterns as path("tiers/", include("certifications.tier_urls")).
Addresses of their own come before "<slug>/", so no organization slug can hide them.
"""

from django.urls import path

from certifications.views import tier_tools, tiers

app_name = "tiers"

urlpatterns = [
    path("", tiers.dashboard, name="dashboard"),
    path("export.csv", tiers.export, name="export"),
    path("promotions/decide/", tiers.decide, name="decide"),
    path("<slug:slug>/", tiers.organization, name="organization"),
    path("<slug:slug>/what-if/", tier_tools.what_if, name="what_if"),
    path("<slug:slug>/gates/submit/", tier_tools.submit_evidence, name="submit_evidence"),
    path("<slug:slug>/override/", tiers.override, name="override"),
    path("<slug:slug>/override/clear/", tiers.clear_override, name="clear_override"),
    path("<slug:slug>/lock-in/", tiers.lock_in, name="lock_in"),
    path("<slug:slug>/gates/<int:pk>/decide/", tiers.gate_decision, name="gate_decision"),
    path("<slug:slug>/gates/<int:pk>/evidence/", tiers.gate_evidence, name="gate_evidence"),
]
