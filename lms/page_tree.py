"""Page-tree filters that the database can answer from its path index.

Wagtail's `descendant_of` filters with `path LIKE 'prefix%'`. SQLite's LIKE ignores
case, so it cannot use the index on `path` and scans every page instead (PostgreSQL,
where Wagtail gives `path` the "C" collation, can). A page's descendants are exactly
the paths that sort after its own and no later than its own padded with the last
character of the path alphabet, a range that every database reads from the index.
"""

from __future__ import annotations

from django.db.models import Q
from wagtail.models import Page

_LAST_STEP_CHARACTER = Page.alphabet[-1]
_PATH_LENGTH = Page._meta.get_field("path").max_length


def descendant_paths(page: Page) -> tuple[str, str]:
    """The paths of the page's descendants lie above the first and up to the second."""
    path = page.path
    return path, path + _LAST_STEP_CHARACTER * (_PATH_LENGTH - len(path))


def descendants_q(page: Page) -> Q:
    """Pages below `page`, not the page itself."""
    above, highest = descendant_paths(page)
    return Q(path__gt=above, path__lte=highest)
