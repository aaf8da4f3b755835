"""manage.py load_sample: the bundled article, its events and concepts, and a published lesson."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lessons.sample import load_sample


class Command(BaseCommand):
    help = (
        "Load the sample content: the Khrushchev article, the events and concepts it speaks of, "
        "their mentions, and a published lesson. Only what is missing is created."
    )

    def handle(self, *args, **options):
        try:
            report = load_sample()
        except (ValidationError, KeyError, OSError) as exc:
            raise CommandError(
                f"The sample could not be loaded; nothing was written. {exc}"
            ) from exc
        for line in report.lines():
            self.stdout.write(f"    {line}")
        self.stdout.write(self.style.SUCCESS("Sample content ready."))
