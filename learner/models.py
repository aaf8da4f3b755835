"""The learner site's built pages: rendered once when what they show is published."""

from django.db import models


class Page(models.Model):
    """One page of a live lesson, article, event or concept, as learners get it.

    ``html`` is the page's main content, ``head`` what it adds to the document's head; both
    were rendered when the item (or something it shows) was published, and are served as they
    are. ``refs`` lists every item the page shows, so that it is built again when one changes.
    """

    kind = models.CharField(max_length=10)  # lesson, article, event, concept
    object_id = models.BigIntegerField()
    variant = models.CharField(max_length=10, default="page")  # page, print
    slug = models.SlugField(max_length=200)
    title = models.CharField(max_length=400)
    lang = models.CharField(max_length=20, default="en")
    head = models.TextField(blank=True)
    html = models.TextField()
    etag = models.CharField(max_length=64)
    publish_at = models.DateTimeField(db_index=True)  # the item's: hidden until then
    updated_at = models.DateTimeField()
    stale_after = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "variant"], name="page_once"),
        ]
        indexes = [models.Index(fields=["kind", "slug", "variant"])]

    def __str__(self):
        return f"{self.kind} {self.slug} ({self.variant})"


class PageRef(models.Model):
    """An item a built page shows."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="refs")
    kind = models.CharField(max_length=10)
    object_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self):
        return f"{self.page} shows {self.kind} {self.object_id}"
