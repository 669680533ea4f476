"""Wagtail admin hooks for the analytics part of playbooks."""
