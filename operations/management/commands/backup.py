"""manage.py backup [DESTINATION]: the whole database and the uploaded media, in one file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = (
        "Back up everything (every table: drafts, revisions, users; and the uploaded media) "
        "into one .tar.gz, using SQLite's online backup or pg_dump. The site may keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            nargs="?",
            default=None,
            help="a .tar.gz file, or a folder to write one into (default: BACKUP_DIR, var/backups)",
        )

    def handle(self, *args, destination, **options):
        target = Path(destination or settings.BACKUP_DIR)
        try:
            result = backups.backup(destination=target)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {result.engine} database and {result.files} media files to "
                f"{result.path} ({result.size:,} bytes)."
            )
        )
