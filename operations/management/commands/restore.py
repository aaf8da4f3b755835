"""manage.py restore FILE [--replace]: put back a backup made by manage.py backup."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup into the site's database and media folder. "
        "Both must be empty (a new database) unless --replace is given; stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz that manage.py backup wrote")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a database and media folder that are not empty",
        )

    def handle(self, *args, archive, replace, **options):
        try:
            result = backups.restore(archive_path=Path(archive), replace=replace)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        call_command("migrate", "--noinput", verbosity=0)  # a backup from an older version
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {result.engine} database and {result.files} media files "
                f"of the backup made {result.created}."
            )
        )
