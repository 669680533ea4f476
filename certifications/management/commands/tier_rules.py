"""`manage.py tier_rules export FILE` / `manage.py tier_rules import FILE`: tier rules as JSON
(docs/tier-rules.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certifications.models import TierRuleSet
from certifications.services.tier_rules import RuleImportError, export_rule_set, import_rule_file

MAX_FILE_BYTES = 2 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Export the active tier rule set (or --name) to a JSON file, or import one. An import is checked "
        "whole and changes nothing if any problem is found; the problems are listed with their JSON path "
        "and line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("file", help="The JSON file to write or read; - for standard output or input.")
        parser.add_argument("--name", help="export: the rule set to export (default: the active one).")
        parser.add_argument(
            "--inactive", action="store_true", help="import: do not make the imported rule set the active one."
        )

    def handle(self, *args, action: str, file: str, name: str | None, inactive: bool, **options) -> None:
        if action == "export":
            self._export(file, name)
        else:
            self._import(file, activate=not inactive)

    def _export(self, file: str, name: str | None) -> None:
        rule_set = (
            TierRuleSet.objects.filter(name=name).first()
            if name
            else TierRuleSet.objects.filter(is_active=True).first()
        )
        if rule_set is None:
            raise CommandError(f"No tier rule set named {name!r}." if name else "No tier rule set is active.")
        text = export_rule_set(rule_set)
        if file == "-":
            self.stdout.write(text)
            return
        try:
            Path(file).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from None
        self.stdout.write(
            self.style.SUCCESS(f"Exported “{rule_set.name}” ({rule_set.versions.count()} versions) to {file}.")
        )

    def _import(self, file: str, *, activate: bool) -> None:
        if file == "-":
            import sys

            text = sys.stdin.read(MAX_FILE_BYTES + 1)
        else:
            path = Path(file)
            try:
                if path.stat().st_size > MAX_FILE_BYTES:
                    raise CommandError(f"{file} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB.")
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise CommandError(f"{file} does not exist.") from None
            except UnicodeDecodeError:
                raise CommandError(f"{file} is not UTF-8 text.") from None
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        if len(text) > MAX_FILE_BYTES:
            raise CommandError(f"The input is larger than {MAX_FILE_BYTES // 1024 // 1024} MB.")
        try:
            rule_set = import_rule_file(text=text, activate=activate)
        except RuleImportError as error:
            raise CommandError(f"{file} was not imported; nothing changed:\n" + "\n".join(error.problems)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported “{rule_set.name}” ({rule_set.versions.count()} versions)."))
