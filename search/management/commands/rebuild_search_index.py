from django.core.management.base import BaseCommand

from search import services


class Command(BaseCommand):
    help = "Rebuild the search index from all lessons, articles, events and concepts."

    def handle(self, *args, **options):
        counts = services.rebuild_index()
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(f"Search index rebuilt: {summary} rows.")
