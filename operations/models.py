"""What running the site keeps in the database besides content: throttle counts."""

from django.db import models


class ThrottleCount(models.Model):
    """Requests counted under one key (a scope, a client, a window of time) by every server.

    Used when the cache is Django's database cache, whose ``incr`` reads and writes in several
    statements that two servers may interleave; here one ``INSERT … ON CONFLICT … RETURNING``
    counts atomically (``operations.throttling.hit``). Rows go when their window has passed.
    """

    key = models.CharField(max_length=250, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
