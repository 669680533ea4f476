"""Wagtail admin hooks for the assets part of playbooks."""
