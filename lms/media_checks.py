"""What an uploaded file really is, judged from its bytes, not its name.

Pure functions over a binary stream (no Django): the admin's media forms and the
tier-gate evidence form turn the `Problem` they return into a translated message.
A file is recognised from its first bytes and, for zips, from its central directory,
which is read without extracting anything, so a zip bomb is refused unopened.
"""

from __future__ import annotations

import codecs
import itertools
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

HEAD_BYTES = 8192  # enough for every signature and the leading markup of a text file
TEXT_CHUNK = 1024 * 1024

# Kinds a file's content can be recognised as (the "found" in a message).
PDF, PNG, JPEG, GIF, WEBP, AVIF, HEIC = "pdf", "png", "jpeg", "gif", "webp", "avif", "heic"
ZIP, RTF, MP4, WEBM = "zip", "rtf", "mp4", "webm"
SVG, HTML, XML = "svg", "html", "xml"
TEXT, BINARY, EMPTY = "text", "binary", "empty"
MARKUP_KINDS = frozenset({SVG, HTML, XML})
IMAGE_KINDS = frozenset({PNG, JPEG, GIF, WEBP, AVIF, HEIC})

# The image extensions accepted and the kind each must be.
IMAGE_EXTENSION_KINDS = {"png": PNG, "jpg": JPEG, "jpeg": JPEG, "gif": GIF, "webp": WEBP, "avif": AVIF}

# The main part each Office Open XML format must hold.
OOXML_MAIN_PARTS = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml", "xlsx": "xl/workbook.xml"}
ODF_MIMETYPES = {"odt": b"application/vnd.oasis.opendocument.text"}

# Tags after which a browser sniffs a file as HTML (WHATWG MIME Sniffing, "HTML" pattern),
# plus SVG and XML, which can carry script too.
HTML_TAGS = (
    "!doctype html",
    "html",
    "head",
    "script",
    "iframe",
    "h1",
    "div",
    "font",
    "table",
    "a",
    "style",
    "title",
    "b",
    "body",
    "br",
    "p",
    "!--",
    "object",
    "embed",
    "meta",
    "img",
    "form",
)
LEADING_TAG = re.compile(rb"<\s*(!doctype\s+html|!--|[a-z][a-z0-9]*)", re.IGNORECASE)
# Markup anywhere in the head of a text document (csv, txt) that a browser would run.
SCRIPT_MARKUP = re.compile(rb"<\s*(script|svg|html|iframe|object|embed)\b|javascript:", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """Why a file is refused: a code the form layer translates, and its figures."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ZipLimits:
    max_unpacked_bytes: int = 1024**3
    max_ratio: int = 100
    max_members: int = 10_000
    ratio_floor_bytes: int = 1024 * 1024  # smaller members may compress as well as they like


@dataclass(frozen=True)
class ImageLimits:
    max_pixels: int = 64_000_000


def extension_of(name: str) -> str:
    _stem, dot, extension = (name or "").rpartition(".")
    return extension.lower() if dot else ""


def read_head(stream: BinaryIO, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of `stream`, leaving it at the start."""
    stream.seek(0)
    head = stream.read(size)
    stream.seek(0)
    return head


def markup_kind(head: bytes) -> str | None:
    """SVG, HTML or XML when the file opens with markup a browser would render."""
    text = head.lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n\x0c")
    if text[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in text[:64]:  # UTF-16: decode a little
        try:
            even = head[: len(head) // 2 * 2]
            text = even.decode("utf-16")[:2048].encode("utf-8", "replace").lstrip(b"\xef\xbb\xbf \t\r\n")
        except UnicodeDecodeError:
            return None
    lowered = text[:HEAD_BYTES].lower()
    if not lowered.startswith(b"<"):
        return None
    if b"<svg" in lowered:
        return SVG
    if lowered.startswith(b"<?xml"):
        return HTML if b"<html" in lowered else XML
    match = LEADING_TAG.match(lowered)
    if match:
        tag = re.sub(rb"\s+", b" ", match.group(1)).decode("ascii", "replace")
        if tag in HTML_TAGS:
            return HTML
    return None


def ftyp_kind(head: bytes) -> str:
    brand = head[8:12]
    if brand in (b"avif", b"avis"):
        return AVIF
    if brand in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"):
        return HEIC
    return MP4


def sniff(head: bytes) -> str:
    """The kind of file `head` (its first bytes) starts, whatever its name says."""
    if not head:
        return EMPTY
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        return ftyp_kind(head)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ZIP
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head.startswith(b"{\\rtf"):
        return RTF
    markup = markup_kind(head)
    if markup:
        return markup
    if b"\x00" in head:
        return BINARY
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return BINARY
    return TEXT


# Zips ------------------------------------------------------------------------------------


def unsafe_member_path(name: str) -> bool:
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return True
    return ".." in path.split("/")


def inspect_zip(stream: BinaryIO, limits: ZipLimits) -> tuple[Problem | None, zipfile.ZipFile | None]:
    """Judge a zip from its central directory alone: nothing is decompressed."""
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return Problem("not_zip"), None
    if len(members) > limits.max_members:
        return Problem("zip_members", {"count": len(members), "limit": limits.max_members}), None
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        return Problem("zip_unpacked", {"size": unpacked, "limit": limits.max_unpacked_bytes}), None
    for member in members:
        if unsafe_member_path(member.filename):
            return Problem("zip_path", {"path": member.filename[:80]}), None
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            return Problem("zip_ratio", {"ratio": int(ratio), "limit": limits.max_ratio}), None
    # Entries that share compressed data (the "overlapping" bomb) cannot fit end to end.
    ordered = sorted(members, key=lambda member: member.header_offset)
    for current, following in itertools.pairwise(ordered):
        name_bytes = current.orig_filename.encode("utf-8" if current.flag_bits & 0x800 else "cp437", "replace")
        least_end = current.header_offset + 30 + len(name_bytes) + current.compress_size
        if least_end > following.header_offset:
            return Problem("zip_overlap"), None
    return None, archive


def check_zip_document(stream: BinaryIO, extension: str, limits: ZipLimits) -> Problem | None:
    problem, archive = inspect_zip(stream, limits)
    if problem is not None:
        if problem.code == "not_zip":
            return mismatch(extension, sniff(read_head(stream)))
        return problem
    if archive is None:  # inspect_zip returns an archive whenever it finds no problem
        return Problem("not_zip")
    names = set(archive.namelist())
    if extension in OOXML_MAIN_PARTS:
        for part in ("[Content_Types].xml", OOXML_MAIN_PARTS[extension]):
            if part not in names:
                return Problem("missing_part", {"expected": extension, "part": part})
    if extension in ODF_MIMETYPES:
        first = archive.infolist()[0]
        expected = ODF_MIMETYPES[extension]
        if first.filename != "mimetype" or first.file_size > 200:
            return Problem("missing_part", {"expected": extension, "part": "mimetype"})
        with archive.open(first) as member:  # a few dozen bytes, checked above
            if member.read(200).strip() != expected:
                return Problem("missing_part", {"expected": extension, "part": "mimetype"})
    return None


# Text ------------------------------------------------------------------------------------


def check_text(stream: BinaryIO, extension: str) -> Problem | None:
    """UTF-8 without NUL bytes, read in chunks; a caption file must open with WEBVTT."""
    head = read_head(stream)
    if extension == "vtt" and not head.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
        return Problem("vtt_header")
    if extension != "vtt" and SCRIPT_MARKUP.search(head):
        return Problem("markup", {"expected": extension, "found": HTML})
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while chunk := stream.read(TEXT_CHUNK):
            if b"\x00" in chunk:
                return Problem("nul_bytes")
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return Problem("not_utf8")
    finally:
        stream.seek(0)
    return None


# Documents -------------------------------------------------------------------------------

DOCUMENT_KINDS = {"pdf": PDF, "rtf": RTF, "mp4": MP4, "webm": WEBM}
ZIP_DOCUMENTS = frozenset({"docx", "pptx", "xlsx", "odt", "key", "zip"})
TEXT_DOCUMENTS = frozenset({"csv", "txt", "vtt"})


def mismatch(extension: str, found: str) -> Problem:
    code = "markup" if found in MARKUP_KINDS else "mismatch"
    return Problem(code, {"expected": extension, "found": found})


def check_document(
    stream: BinaryIO, name: str, *, allowed_extensions: list[str], zip_limits: ZipLimits
) -> Problem | None:
    """Whether a document's content is what its extension claims, and safe to keep."""
    extension = extension_of(name)
    head = read_head(stream)
    found = sniff(head)
    if found in MARKUP_KINDS:
        return mismatch(extension, found)
    if extension not in allowed_extensions:
        return Problem("extension", {"extension": extension, "accepted": sorted(allowed_extensions)})
    if found == EMPTY:
        return Problem("empty")
    if extension in DOCUMENT_KINDS:
        return None if found == DOCUMENT_KINDS[extension] else mismatch(extension, found)
    if extension in ZIP_DOCUMENTS:
        if found != ZIP:
            return mismatch(extension, found)
        return check_zip_document(stream, extension, zip_limits)
    if extension in TEXT_DOCUMENTS:
        if found not in (TEXT, BINARY):  # binary: say whether it is NUL bytes or another encoding
            return mismatch(extension, found)
        return check_text(stream, extension)
    return Problem("extension", {"extension": extension, "accepted": sorted(allowed_extensions)})


# Images ----------------------------------------------------------------------------------


def header_dimensions(head: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG or GIF header, without Pillow (which refuses a bomb
    before saying how big it is)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return int.from_bytes(head[6:8], "little"), int.from_bytes(head[8:10], "little")
    return None


def inspect_raster(stream: BinaryIO, limits: ImageLimits) -> Problem | None:
    """Decode the whole image once, under Pillow's decompression-bomb guard, so a damaged,
    truncated or oversized image is refused now rather than when a rendition is made."""
    head = read_head(stream)
    dimensions = header_dimensions(head)
    if dimensions and dimensions[0] * dimensions[1] > limits.max_pixels:
        return too_many_pixels(dimensions, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            stream.seek(0)
            with Image.open(stream) as image:
                image.verify()  # chunk checksums, before any pixel is decoded
            stream.seek(0)
            with Image.open(stream) as image:
                width, height = image.size
                if width * height * getattr(image, "n_frames", 1) > limits.max_pixels:
                    return too_many_pixels((width, height), limits)
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return too_many_pixels(dimensions, limits)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
        return Problem("damaged")
    finally:
        stream.seek(0)
    return None


def too_many_pixels(dimensions: tuple[int, int] | None, limits: ImageLimits) -> Problem:
    width, height = dimensions or (0, 0)
    return Problem("too_many_pixels", {"width": width, "height": height, "limit": limits.max_pixels})


def check_image(stream: BinaryIO, name: str, *, allowed_extensions: list[str], limits: ImageLimits) -> Problem | None:
    """Whether an image is the raster format its extension claims and decodes whole."""
    extension = extension_of(name)
    found = sniff(read_head(stream))
    if found in MARKUP_KINDS:
        return mismatch(extension, found)
    if extension not in allowed_extensions or extension not in IMAGE_EXTENSION_KINDS:
        return Problem("extension", {"extension": extension, "accepted": sorted(allowed_extensions)})
    if found == EMPTY:
        return Problem("empty")
    if found != IMAGE_EXTENSION_KINDS[extension]:
        return mismatch(extension, found)
    return inspect_raster(stream, limits)


def guard_against_decompression_bombs(max_pixels: int) -> None:
    """Make Pillow refuse, everywhere in the process, any image over `max_pixels`: its
    warning (past the limit) becomes an error like the one it raises at twice the limit."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    warnings.simplefilter("error", Image.DecompressionBombWarning)
