"""Nothing loads from an outside host, and every interface string has a Persian translation."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)[^"')\s]+""", re.I)
PO_FILE = ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"


def test_no_template_or_stylesheet_loads_anything_from_another_host():
    files = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/**/*.css"), *ROOT.glob("static/**/*.js")]
    assert files
    found = {str(path.relative_to(ROOT)): OUTSIDE.findall(path.read_text()) for path in files}
    assert not {path: hits for path, hits in found.items() if hits}


def po_entries(text: str) -> list[tuple[list[str], str, list[str], str]]:
    """(flags, msgid, msgstrs, msgid_plural or "") for every entry but the header and
    obsolete ones; strings split over several lines are joined."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        flags = [flag.strip() for line in lines if line.startswith("#,") for flag in line[2:].split(",")]
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if match := re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line):
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            msgstrs = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append((flags, fields["msgid"], msgstrs, fields.get("msgid_plural", "")))
    return entries


def test_every_persian_entry_is_translated_and_none_is_fuzzy():
    entries = po_entries(PO_FILE.read_text(encoding="utf-8"))
    assert len(entries) > 150
    untranslated = [msgid for _, msgid, msgstrs, _ in entries if not all(msgstrs)]
    fuzzy = [msgid for flags, msgid, _, _ in entries if "fuzzy" in flags]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


def test_persian_translations_keep_every_placeholder():
    """Each form keeps its source's placeholders: msgstr[0] the singular's, msgstr[1] the
    plural's (Persian has two plural forms)."""
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for _, msgid, msgstrs, plural in po_entries(PO_FILE.read_text(encoding="utf-8")):
        sources = [msgid, plural] if plural else [msgid] * len(msgstrs)
        for source, msgstr in zip(sources, msgstrs, strict=True):
            assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(msgstr)), msgid
