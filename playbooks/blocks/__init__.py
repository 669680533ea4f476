"""StreamField blocks for playbooks, one module per concern."""

from playbooks.blocks.body import PlaybookBodyBlock

__all__ = ["PlaybookBodyBlock"]
