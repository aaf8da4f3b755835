"""Signals other apps listen to; history itself knows nothing of them."""

from django.dispatch import Signal

# Sent inside the transaction that changed an article's text, after its mentions were
# re-anchored. Arguments: article, old_body, user. Lessons re-anchor their excerpts on it.
article_text_changed = Signal()
