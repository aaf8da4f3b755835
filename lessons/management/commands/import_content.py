"""manage.py import_content FILE: read an export_content document into this database."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from history.text import find_unstorable
from lessons.exports.content import import_content


class Command(BaseCommand):
    help = (
        "Import a document written by export_content --full (all or nothing). Refuses to "
        "overwrite: import into a database that has none of its content yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file export_content --full wrote.")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Could not read {file}: {exc}") from exc
        except RecursionError as exc:
            raise CommandError(f"Could not read {file}: it nests lists too deeply.") from exc
        found = find_unstorable(data)
        if found is not None:  # refused before anything is written, on every database
            raise CommandError(f"Nothing was imported. {file}, at {found[0]}: {found[1]}")
        try:
            counts = import_content(data)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for kind, number in counts.items():
            self.stdout.write(f"    {kind}: {number}")
        self.stdout.write(self.style.SUCCESS("Imported."))
