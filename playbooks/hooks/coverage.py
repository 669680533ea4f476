"""Wagtail admin hooks for the coverage part of playbooks."""
