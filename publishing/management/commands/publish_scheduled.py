"""manage.py publish_scheduled: record scheduled content whose time has come as live (cron)."""

from django.core.management.base import BaseCommand

from publishing import services


class Command(BaseCommand):
    help = (
        "Log scheduled lessons, articles, events and concepts whose publish time has passed as "
        "published. Learners see them at their time even without this; running it twice, or "
        "late, is harmless. Suggested cron line: */5 * * * * manage.py publish_scheduled"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what is due without changing anything"
        )

    def handle(self, *args, dry_run, **options):
        due = services.publish_due(dry_run=dry_run)
        verb = "due" if dry_run else "published"
        for change in due:
            self.stdout.write(
                f"    {verb}: {change.object_repr} (at {change.publish_at:%Y-%m-%d %H:%M})"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(due)} scheduled item(s) {verb}."))
