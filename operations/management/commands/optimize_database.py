"""manage.py optimize_database: gather the statistics the database's query planner uses."""

from django.core.management.base import BaseCommand

from operations.database import optimize


class Command(BaseCommand):
    help = (
        "Gather the statistics the query planner chooses indexes by (SQLite: ANALYZE, "
        "PostgreSQL: ANALYZE). Runs by itself after migrate, imports and restores; run it after "
        "other bulk changes, or nightly from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database="default", **options):
        optimize(using=database)
        self.stdout.write(self.style.SUCCESS("Statistics gathered."))
