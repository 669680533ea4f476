"""First-page thumbnails of PDF presentation templates.

Drawn by poppler's `pdftoppm` when it is installed (Debian: poppler-utils), once per file
(named by its hash), when a playbook that uses the PDF is published. Without the tool,
or for a file it cannot read, the block shows the file type instead.
"""

from __future__ import annotations

import shutil
import subprocess

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

THUMBNAIL_DIR = "playbook-thumbnails"
WIDTH = 480
MAX_PDF_BYTES = 50 * 1024 * 1024
TIMEOUT_SECONDS = 20
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def is_pdf(document) -> bool:
    return bool(document) and (document.file_extension or "").lower() == "pdf"


def thumbnail_name(document) -> str:
    return f"{THUMBNAIL_DIR}/{document.file_hash or f'document-{document.pk}'}.png"


def thumbnail_url(document) -> str:
    """The thumbnail's URL, or "" while there is none. Never draws one itself."""
    if not is_pdf(document):
        return ""
    name = thumbnail_name(document)
    return default_storage.url(name) if default_storage.exists(name) else ""


def render_first_page(data: bytes, *, width: int = WIDTH) -> bytes | None:
    """The PDF's first page as a PNG `width` pixels wide (taller pages: that high), or None."""
    tool = shutil.which("pdftoppm")
    if tool is None or not data.startswith(b"%PDF") or len(data) > MAX_PDF_BYTES:
        return None
    command = [tool, "-png", "-f", "1", "-l", "1", "-scale-to", str(width), "-singlefile", "-"]
    try:
        result = subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
    except (subprocess.TimeoutExpired, OSError):
        return None
    if result.returncode != 0 or not result.stdout.startswith(PNG_SIGNATURE):
        return None
    return result.stdout


def make_thumbnail(document) -> bool:
    """Draw and store the thumbnail unless it exists. Whether there is one afterwards."""
    if not is_pdf(document):
        return False
    name = thumbnail_name(document)
    if default_storage.exists(name):
        return True
    with document.open_file() as file:
        data = file.read(MAX_PDF_BYTES + 1)
    png = render_first_page(data)
    if png is None:
        return False
    default_storage.save(name, ContentFile(png))
    return True
