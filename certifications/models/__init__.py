"""Certifications: what can be certified, the credentials people hold, and the issuer's settings."""

from certifications.models.credentials import Credential, CredentialEvent, ExpiryReminder
from certifications.models.definitions import Certification, CertificationVersion, Level
from certifications.models.issuer import IssuerSettings

__all__ = [
    "Certification",
    "CertificationVersion",
    "Credential",
    "CredentialEvent",
    "ExpiryReminder",
    "IssuerSettings",
    "Level",
]
