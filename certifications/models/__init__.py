"""Certifications: what can be certified, the credentials people hold, and the issuer's settings."""

from certifications.models.credentials import Credential, CredentialEvent, ExpiryReminder
from certifications.models.definitions import Certification, CertificationVersion, Level
from certifications.models.issuer import IssuerSettings
from certifications.models.tiers import (
    BusinessMetric,
    GateApproval,
    HeadcountSample,
    MetricValue,
    TierChange,
    TierRuleSet,
    TierRuleSetVersion,
    TierStanding,
)

__all__ = [
    "BusinessMetric",
    "Certification",
    "CertificationVersion",
    "Credential",
    "CredentialEvent",
    "ExpiryReminder",
    "GateApproval",
    "HeadcountSample",
    "IssuerSettings",
    "Level",
    "MetricValue",
    "TierChange",
    "TierRuleSet",
    "TierRuleSetVersion",
    "TierStanding",
]
