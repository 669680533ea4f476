"""A zip archive written as it is sent: nothing is held whole, in memory or on disk.

`zipfile` writes into a sink that cannot seek, so it puts each member's sizes and CRC in a
data descriptor after the member; the generator hands on whatever the sink holds after
each chunk. Files that are already compressed (images, Office files, archives) are
stored, the rest deflated.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 64 * 1024
STORED_EXTENSIONS = frozenset(
    {"png", "jpg", "jpeg", "gif", "webp", "avif", "heic", "zip", "pptx", "docx", "xlsx", "key", "odt", "mp4", "webm"}
)


@dataclass(frozen=True)
class ZipMember:
    name: str  # the path inside the archive
    open: Callable[[], BinaryIO]
    size: int | None = None  # when known, lets zipfile choose ZIP64 only when needed


class _Sink:
    """Write-only and unseekable on purpose (no `seek`, no `tell`)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def compression_for(name: str) -> int:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return zipfile.ZIP_STORED if extension in STORED_EXTENSIONS else zipfile.ZIP_DEFLATED


def stream_zip(members: Iterable[ZipMember]) -> Iterator[bytes]:
    """Yield the archive's bytes. A member whose file has gone missing is left out."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", allowZip64=True) as archive:
        for member in members:
            try:
                source = member.open()
            except (FileNotFoundError, OSError):
                continue
            info = zipfile.ZipInfo(member.name)
            info.compress_type = compression_for(member.name)
            info.external_attr = 0o644 << 16
            if member.size is not None:
                info.file_size = member.size
            with source, archive.open(info, mode="w", force_zip64=member.size is None) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    if data := sink.take():
                        yield data
            if data := sink.take():
                yield data
    if data := sink.take():
        yield data


def unique_names(names: Iterable[str]) -> list[str]:
    """Pure: the same names, with " (2)", " (3)"… before the extension of repeats."""
    seen: set[str] = set()
    result = []
    for name in names:
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        candidate, number = name, 1
        while candidate.lower() in seen:
            number += 1
            candidate = f"{stem} ({number}).{extension}" if dot else f"{stem} ({number})"
        seen.add(candidate.lower())
        result.append(candidate)
    return result
