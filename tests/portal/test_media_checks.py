"""lms/media_checks.py: a file's real type from its bytes, judged against its extension."""

from __future__ import annotations

import warnings
import zipfile
from io import BytesIO

import pytest
from PIL import Image as PillowImage

from lms import media_checks as checks
from lms.media_checks import ImageLimits, ZipLimits
from tests.playbooks import uploads_builders as files

DOCUMENT_EXTENSIONS = ["csv", "docx", "key", "mp4", "odt", "pdf", "pptx", "rtf", "txt", "vtt", "webm", "xlsx", "zip"]
IMAGE_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]


def document(name: str, content: bytes, limits: ZipLimits | None = None):
    return checks.check_document(
        BytesIO(content), name, allowed_extensions=DOCUMENT_EXTENSIONS, zip_limits=limits or ZipLimits()
    )


def image(name: str, content: bytes, max_pixels: int = 64_000_000):
    return checks.check_image(
        BytesIO(content), name, allowed_extensions=IMAGE_EXTENSIONS, limits=ImageLimits(max_pixels=max_pixels)
    )


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"GIF89a\x01\x00", "gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"\x00\x00\x00\x1cftypavif", "avif"),
        (b"\x00\x00\x00\x18ftypmp42", "mp4"),
        (b"\x1a\x45\xdf\xa3\x9f", "webm"),
        (b"PK\x03\x04", "zip"),
        (b"{\\rtf1\\ansi", "rtf"),
        (b"  \n<!DOCTYPE html><html>", "html"),
        (b"\xef\xbb\xbf<html lang=en>", "html"),
        (b"<script>alert(1)</script>", "html"),
        (b"<!-- comment --><p>hi</p>", "html"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">', "svg"),
        (b"<svg onload=alert(1)>", "svg"),
        (b'<?xml version="1.0"?><note/>', "xml"),
        ("<svg>".encode("utf-16"), "svg"),
        (b"name,price\nCloud,100\n", "text"),
        ("نام,قیمت\n".encode(), "text"),
        (b"<notatag but text", "text"),
        (b"\x00\x01\x02binary", "binary"),
        (b"", "empty"),
    ],
)
def test_sniff_recognises_a_file_from_its_first_bytes(head, kind):
    assert checks.sniff(head) == kind


def test_real_documents_pass():
    assert document("prices.pdf", files.minimal_pdf()) is None
    assert document("plan.docx", files.docx()) is None
    assert document("plan.odt", files.odt()) is None
    assert document("deck.key", files.zipped({"Index.zip": b"x", "Data/a.png": b"y"})) is None
    assert document("notes.txt", "سلام، دنیا\n".encode()) is None
    assert document("captions.vtt", b"\xef\xbb\xbfWEBVTT\n\n") is None
    assert document("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100) is None
    assert document("clip.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 100) is None


@pytest.mark.parametrize(
    ("name", "content", "code", "found"),
    [
        ("report.pdf", files.HTML_PAGE, "markup", "html"),
        ("report.pdf", b"%PD", "mismatch", "text"),
        ("logo.svg", files.SVG_WITH_SCRIPT, "markup", "svg"),
        ("plan.docx", b"notes", "mismatch", "text"),
        ("plan.xlsx", files.docx(), "missing_part", None),
        ("plan.pptx", files.docx(), "missing_part", None),
        ("plan.odt", files.zipped({"mimetype": b"application/zip"}), "missing_part", None),
        ("notes.rtf", b"plain", "mismatch", "text"),
        ("clip.webm", files.raster("PNG"), "mismatch", "png"),
        ("data.csv", b"a,b\x00c\n", "nul_bytes", None),
        ("data.csv", b"caf\xe9\n", "not_utf8", None),
        ("notes.txt", b"Hello <script>alert(1)</script>", "markup", "html"),
        ("notes.txt", b"", "empty", None),
        ("tool.exe", b"MZ\x90\x00", "extension", None),
    ],
)
def test_malformed_documents_are_refused_with_a_reason(name, content, code, found):
    problem = document(name, content)
    assert problem is not None and problem.code == code
    if found:
        assert problem.params["found"] == found


def test_text_is_read_in_chunks_to_the_end(monkeypatch):
    monkeypatch.setattr(checks, "TEXT_CHUNK", 8)
    assert document("notes.txt", "ok ok ok ok ok ok ok سلام".encode()) is None
    assert document("notes.txt", b"ok ok ok ok ok ok ok ok \xff").code == "not_utf8"


def test_zip_bombs_are_refused_from_the_central_directory():
    assert document("bomb.zip", files.declared_size_bomb()).code == "zip_unpacked"
    assert document("bomb.zip", files.declared_size_bomb()).params["size"] == 3 * 0xFFFF_FFFE
    assert document("zeros.zip", files.ratio_bomb(megabytes=2)).code == "zip_ratio"
    assert document("evil.zip", files.path_traversal_zip()).code == "zip_path"
    many = files.zipped({f"f{index}.txt": b"" for index in range(11)})
    assert document("many.zip", many, ZipLimits(max_members=10)).code == "zip_members"
    # The same bomb inside an Office extension is refused the same way.
    assert document("bomb.docx", files.declared_size_bomb()).code == "zip_unpacked"


def test_small_members_may_compress_well_and_absolute_paths_are_unsafe():
    assert document("small.zip", files.zipped({"zeros.bin": b"\x00" * 500_000})) is None
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("/etc/passwd"), b"x")
    assert document("absolute.zip", buffer.getvalue()).code == "zip_path"
    assert checks.unsafe_member_path("/etc/passwd") and checks.unsafe_member_path("C:\\Windows\\x")
    assert checks.unsafe_member_path("a/../../b") and not checks.unsafe_member_path("a/b..c/d")


def test_overlapping_zip_entries_are_refused():
    """Two central-directory entries pointing at the same compressed data (the
    "overlapping files" bomb): each fits the size limits, together they cannot."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.txt", b"x" * 100)
        archive.writestr("b.txt", b"y" * 100)
    data = bytearray(buffer.getvalue())
    second = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    data[second + 42 : second + 46] = (0).to_bytes(4, "little")  # b.txt's data offset := a.txt's
    assert document("overlap.zip", bytes(data)).code == "zip_overlap"


def test_real_images_pass_and_malformed_ones_are_refused():
    assert image("logo.png", files.raster("PNG")) is None
    assert image("photo.jpg", files.raster("JPEG")) is None
    assert image("photo.jpeg", files.raster("JPEG")) is None
    assert image("banner.webp", files.raster("WEBP")) is None
    assert image("icon.gif", files.raster("GIF")) is None
    assert image("photo.avif", files.raster("AVIF")) is None
    assert image("logo.png", files.truncated_png()).code == "damaged"
    jpeg = files.raster("JPEG", (400, 300))
    assert image("photo.jpg", jpeg[: len(jpeg) // 2]).code == "damaged"
    assert image("logo.png", b"hello").params == {"expected": "png", "found": "text"}
    assert image("logo.png", files.SVG_WITH_SCRIPT).code == "markup"
    assert image("logo.svg", files.SVG_WITH_SCRIPT).code == "markup"
    assert image("logo.bmp", b"BM\x00\x00").code == "extension"
    assert image("logo.png", b"").code == "empty"


def test_an_image_over_the_pixel_limit_is_refused_with_its_size():
    problem = image("bomb.png", files.png_bomb(3000, 3000), max_pixels=1_000_000)
    assert problem.code == "too_many_pixels"
    assert problem.params == {"width": 3000, "height": 3000, "limit": 1_000_000}


def test_the_guard_turns_pillows_bomb_warning_into_an_error():
    """After guard_against_decompression_bombs (run at startup), an image between the
    limit and twice it, which Pillow would only warn about, cannot be opened."""
    original = PillowImage.MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        try:
            checks.guard_against_decompression_bombs(1_000_000)
            assert PillowImage.MAX_IMAGE_PIXELS == 1_000_000
            with pytest.raises(PillowImage.DecompressionBombWarning):
                PillowImage.open(BytesIO(files.png_bomb(1200, 1000)))
        finally:
            PillowImage.MAX_IMAGE_PIXELS = original
