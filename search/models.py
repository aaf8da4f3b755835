"""The search index: one row per lesson, event, concept, and per article paragraph.

The rows point at their content with real foreign keys, so deleting content deletes its rows
and the publication state is checked at query time by a join (a draft is never found, a
scheduled item appears when its time comes). The full-text structures are per database:
an FTS5 table with the porter stemmer on SQLite (kept in sync by triggers), a stored
``tsvector`` with a GIN index on PostgreSQL (see the migration and ``search.services``).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Kind(models.TextChoices):
    LESSON = "lesson", "Lesson"
    ARTICLE = "article", "Article"
    EVENT = "event", "Event"
    CONCEPT = "concept", "Concept"


class SearchDocument(models.Model):
    kind = models.CharField(max_length=10, choices=Kind.choices)
    lesson = models.ForeignKey(
        "lessons.Lesson", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        "history.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        "history.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    concept = models.ForeignKey(
        "history.Concept", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # 1-based paragraph number for article rows; 0 for everything else.
    paragraph = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    # Words that find the row as its title does but are no prose to show: a concept's other
    # forms, an article's author and publication.
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Other forms of the row's words, indexed and never shown (search.text.extra_terms).
    extra = models.TextField(blank=True)
    # How much the row's matches count (search.text.row_weight): prose 1, one-liners less.
    weight = models.FloatField(default=1.0)
    # PostgreSQL only: the text without diacritics (so "Petofi" finds "Petőfi", as FTS5's
    # remove_diacritics does on SQLite) and the stored tsvector built from it.
    folded = models.TextField(blank=True, editable=False)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self):
        return f"{self.kind}: {self.title}" + (f" ¶{self.paragraph}" if self.paragraph else "")

    @property
    def object_id(self) -> int:
        return getattr(self, f"{self.kind}_id")


class SearchWord(models.Model):
    """A word of the indexed text (folded, as search.text.fold_word gives it), for “Did you
    mean”: a query word that finds nothing is compared with these by trigrams."""

    word = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word
