"""Real files, good and malformed, for the upload checks: built in memory, byte by byte
where a library would refuse to write them."""

from __future__ import annotations

import struct
import zipfile
import zlib
from io import BytesIO

from PIL import Image as PillowImage

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width="
    b'"10" height="10"/></svg>\n'
)
HTML_PAGE = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script><p>Quarterly report</p></body></html>\n"


def raster(fmt: str = "PNG", size: tuple[int, int] = (64, 48), colour: str = "#0b5f73") -> bytes:
    buffer = BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A real 1-bit greyscale PNG, all black: 900 million pixels in about 110 KB. The rows
    are compressed one by one, so the 112 MB of raw pixels never sit in memory."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def truncated_png() -> bytes:
    data = raster("PNG", (300, 200))
    return data[: len(data) * 2 // 3]


def minimal_pdf() -> bytes:
    from xhtml2pdf import pisa

    buffer = BytesIO()
    result = pisa.CreatePDF("<html><body><h1>Partner price list</h1><p>Q3.</p></body></html>", dest=buffer)
    assert not result.err
    return buffer.getvalue()


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    """The parts Word needs to open a document."""
    return zipped(
        {
            "[Content_Types].xml": (
                b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                b'2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.wordprocessingml.document.main+xml"/></Types>'
            ),
            "_rels/.rels": (
                b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
            ),
            "word/document.xml": (
                b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello partners</w:t></w:r></w:p></w:body>'
                b"</w:document>"
            ),
        }
    )


def odt() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ratio_bomb(megabytes: int = 20) -> bytes:
    """A real deflate bomb: megabytes of zeros that pack into about a thousandth."""
    return zipped({"zeros.bin": b"\x00" * (megabytes * 1024 * 1024)})


def declared_size_bomb(members: int = 3, declared: int = 0xFFFF_FFFE) -> bytes:
    """A small zip whose central directory says each member unpacks to 4 GB (12 GB in all):
    what zipfile and unzip tools believe, written without 12 GB of anything."""
    data = bytearray(zipped({f"part{index}.bin": b"x" * 64 for index in range(members)}, zipfile.ZIP_STORED))
    offset = 0
    while (offset := data.find(b"PK\x01\x02", offset)) != -1:
        data[offset + 24 : offset + 28] = struct.pack("<I", declared)  # uncompressed size
        offset += 4
    return bytes(data)


def path_traversal_zip() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("../../etc/cron.d/evil"), b"* * * * * root true\n")
    return buffer.getvalue()


def multipart_body(boundary: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    """A multipart/form-data body, for requests built without the test client."""
    lines: list[bytes] = []
    for name, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"",
            value.encode(),
        ]
    for name, (filename, content) in files.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
            b"Content-Type: application/octet-stream",
            b"",
            content,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines)
