"""Writes for certifications: versions of requirements, awarding, renewal, status changes, expiry."""
