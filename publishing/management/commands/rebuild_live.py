"""manage.py rebuild_live: build every live version, its pages and its search rows again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from publishing import live


class Command(BaseCommand):
    help = (
        "Build every live version again from the content that was published (after restoring "
        "a database or upgrading the site); learners see nothing new that was not published."
    )

    def handle(self, *args, **options):
        with transaction.atomic(), live.batch():
            missing = live.build_missing()
            counts = {}
            for kind in live.kinds():
                ids = list(kind.live_model.objects.values_list(f"{kind.link}_id", flat=True))
                live.rebuild(kind.model, ids)
                live.changed(kind.model, ids)
                counts[kind.model._meta.verbose_name_plural] = len(ids)
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(
            f"Rebuilt the live versions: {summary} ({missing} built for the first time)."
        )
