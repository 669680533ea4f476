"""Playbooks: the catalog page and the playbook pages below it."""

from playbooks.models.pages import PlaybookIndexPage, PlaybookPage, PlaybookPageTag

__all__ = ["PlaybookIndexPage", "PlaybookPage", "PlaybookPageTag"]
