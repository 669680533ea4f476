"""Storage for Wagtail's image renditions, under names nobody can work out.

Renditions are served from `/media/images/` without a check, as the pages that show them
need. Wagtail names them after the original and the filter (`logo.max-800x800.png`), so
anyone who knows an image's name could fetch a rendition of one their tier may not see.
A random part in every name leaves a rendition to those who were given its address.
"""

from __future__ import annotations

import posixpath
import secrets

from django.core.files.storage import FileSystemStorage

TOKEN_BYTES = 9  # 12 URL-safe characters


class UnguessableNameStorage(FileSystemStorage):
    def generate_filename(self, filename: str) -> str:
        root, extension = posixpath.splitext(super().generate_filename(filename))
        return f"{root}.{secrets.token_urlsafe(TOKEN_BYTES)}{extension}"
