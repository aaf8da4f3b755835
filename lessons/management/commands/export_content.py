"""manage.py export_content [FILE]: all published content as one JSON document."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from lessons.exports.content import export_content


class Command(BaseCommand):
    help = (
        "Write all published content (concepts, events, articles with mentions and excerpts, "
        "lessons with sections, questions and choices) as JSON to FILE or standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write (default: standard output).")

    def handle(self, *args, file=None, **options):
        text = json.dumps(export_content(), ensure_ascii=False, indent=1)
        if not file or file == "-":
            sys.stdout.write(text + "\n")
            return
        try:
            with open(file, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as exc:
            raise CommandError(f"Could not write {file}: {exc}") from exc
        self.stderr.write(self.style.SUCCESS(f"Exported to {file}."))
