"""Playbooks: the catalog and playbook pages, asset audiences, downloads, views and acknowledgements."""

from playbooks.models.acknowledgements import Acknowledgement
from playbooks.models.assets import AssetDownload, AssetKind, CollectionAudience, PlaybookView
from playbooks.models.pages import PlaybookIndexPage, PlaybookPage, PlaybookPageTag

__all__ = [
    "Acknowledgement",
    "AssetDownload",
    "AssetKind",
    "CollectionAudience",
    "PlaybookIndexPage",
    "PlaybookPage",
    "PlaybookPageTag",
    "PlaybookView",
]
