"""What the portal's filtered, paginated listings share (the catalogs, the asset library)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class ListingFilters:
    """A listing's cleaned GET parameters: each field of a subclass is one parameter."""

    @property
    def active(self) -> bool:
        return any(vars(self).values())

    def query(self, page_number: int | None = None) -> str:
        """The query string of these filters, for `page_number` if given."""
        pairs = [(key, str(value)) for key, value in vars(self).items() if value]
        if page_number:
            pairs.append(("page", str(page_number)))
        return urlencode(pairs)


@dataclass(frozen=True)
class TagOption:
    slug: str
    name: str
