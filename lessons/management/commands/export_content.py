"""manage.py export_content [FILE] [--full]: the content as one JSON document."""

import sys

from django.core.management.base import BaseCommand, CommandError

from lessons.exports.content import export_full_text, export_public_text


class Command(BaseCommand):
    help = (
        "Write the open-data export (every live lesson, article, event and concept as the API "
        "gives it to anyone: no answer keys, teacher material or editors' notes) to FILE or "
        "standard output. With --full, everything editors made instead: drafts, answer keys, "
        "teacher material and notes (what import_content reads)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write (default: standard output).")
        parser.add_argument(
            "--full",
            action="store_true",
            help="Export everything, drafts and answer keys included (keep it private).",
        )
        parser.add_argument(
            "--origin",
            default="http://localhost:8000",
            help="The site's address, for the URLs in the open-data export.",
        )

    def handle(self, *args, file=None, full=False, origin="", **options):
        try:
            handle = sys.stdout if not file or file == "-" else open(file, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Could not write {file}: {exc}") from exc
        try:
            # Written as it is read, a chunk of items at a time: memory stays bounded.
            pieces = export_full_text(indent=1) if full else export_public_text(origin.rstrip("/"))
            for piece in pieces:
                handle.write(piece)
            if not full:
                handle.write("\n")
        except OSError as exc:
            raise CommandError(f"Could not write {file}: {exc}") from exc
        finally:
            if handle is not sys.stdout:
                handle.close()
        if handle is not sys.stdout:
            kind = "Full export" if full else "Open-data export"
            self.stderr.write(self.style.SUCCESS(f"{kind} written to {file}."))
