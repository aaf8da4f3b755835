"""Building live versions: what publishing makes of a working copy, and keeping it current.

Each kind of content registers how to read its working copy as plain *content* (a dict of its
fields and parts, with the ids of what it refers to) and how to *build* a live version from
that content (its public API document, list entry, ETag, and the columns and links lists and
filters need). Publishing stores the content and builds; withdrawing deletes the live version.

Whenever a live version appears, changes or goes, the items that show it are rebuilt from
their own stored content, in the same transaction (so a learner never sees one without the
other, and a rebuild never picks up an editor's unpublished change). Hooks run in phases:
``data`` (other live versions' documents), ``pages`` (the learner site's built pages),
``index`` (search). Apps register hooks in their ``AppConfig.ready``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from publishing.prepared import Prepared

# Stored documents name this origin; reads put the request's own origin in its place, so that
# a document built once serves every host name the site answers to.
ORIGIN = "https://live-origin.invalid"

PHASES = ("data", "pages", "index")


@dataclass
class Kind:
    """How one model is published."""

    model: type[models.Model]
    live_model: type[models.Model]
    link: str  # the live model's one-to-one field to the working copy
    content: Callable[[Iterable[models.Model]], dict[int, dict]]  # working copies → content
    # Fill a live row's outputs (its content is set) as of a time; may return a callable to
    # run once the row is saved (links, rows that point at it).
    build: Callable[[models.Model, datetime], Callable[[], None] | None]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_KINDS: dict[type, Kind] = {}
_HOOKS: dict[str, list[Callable]] = defaultdict(list)
_BATCHES: list[dict[type, set[int]]] = []


def register(
    model, *, live_model, link: str, content: Callable, build: Callable
) -> None:  # pragma: no cover - called at start-up
    _KINDS[model] = Kind(model, live_model, link, content, build)


def kind_of(model) -> Kind:
    model = model if isinstance(model, type) else type(model)
    return _KINDS[model]


def kinds() -> list[Kind]:
    return list(_KINDS.values())


def on_change(phase: str, hook: Callable[[dict[type, set[int]]], None]) -> None:
    """Call ``hook(changes)`` whenever live versions appear, change or go; ``changes`` maps each
    model to the ids of its items that did."""
    if phase not in PHASES:
        raise ValueError(f"Unknown phase {phase!r}")
    if hook not in _HOOKS[phase]:
        _HOOKS[phase].append(hook)


def changed(model, ids: Iterable[int]) -> None:
    """Tell every hook that these live versions appeared, changed or went (at the end of the
    batch, if one is open)."""
    ids = set(ids)
    if not ids:
        return
    if _BATCHES:
        _BATCHES[-1].setdefault(model, set()).update(ids)
        return
    _run_hooks({model: ids})


def _run_hooks(changes: dict[type, set[int]]) -> None:
    for phase in PHASES:
        for hook in _HOOKS[phase]:
            hook(changes)


@contextmanager
def batch():
    """Publish many items at once (the sample, an import): what shows them is rebuilt once, at
    the end, rather than after each one. Use inside the transaction that publishes them."""
    _BATCHES.append({})
    try:
        yield
    except BaseException:
        _BATCHES.pop()
        raise
    changes = _BATCHES.pop()
    if changes:
        if _BATCHES:
            for model, ids in changes.items():
                _BATCHES[-1].setdefault(model, set()).update(ids)
        else:
            _run_hooks(changes)


# --- storing documents -------------------------------------------------------------------


def dumps(data) -> str:
    """JSON text as stored and served: compact, Unicode kept as it is."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def etag_of(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def with_origin(text: str, origin: str) -> str:
    """A stored document with the request's origin (``https://host``) in place of ``ORIGIN``."""
    return text.replace(ORIGIN, origin) if ORIGIN in text else text


def absolute_stored(path: str) -> str:
    """An absolute URL in a stored document (see ``with_origin``)."""
    return ORIGIN + path


# --- publishing and withdrawing ----------------------------------------------------------


def working_content(obj) -> dict:
    """The content of one working copy as its kind reads it."""
    return kind_of(obj).content([obj])[obj.pk]


def publish(obj, *, at: datetime, user=None, revision=None):
    """Make ``obj`` (a working copy) live from ``at``: store its content and build it.

    Returns the live row. Call inside the publishing service's transaction.
    """
    kind = kind_of(obj)
    live_model = kind.live_model
    content = working_content(obj)
    slug = content.get("slug") or obj.slug
    clash = live_model.objects.filter(slug=slug).exclude(**{f"{kind.link}_id": obj.pk}).first()
    if clash is not None:
        raise ValidationError(
            f"The slug “{slug}” is used by the live version of another "
            f"{kind.model._meta.verbose_name}; change this one’s slug first."
        )
    now = timezone.now()
    live = live_model.objects.filter(**{f"{kind.link}_id": obj.pk}).first()
    if live is None:
        live = live_model(**{kind.link: obj})
    live.slug = slug
    live.publish_at = at
    live.updated_at = max(now, at)
    live.version = obj.version
    live.revision = revision
    live.published_by = user if user is not None and user.is_authenticated else None
    live.content = content
    _build_and_save(kind, live, now)
    changed(kind.model, {obj.pk})
    return live


def _build_and_save(kind: Kind, live, now: datetime) -> None:
    finish = kind.build(live, now)
    live.built_at = now
    live.save()
    if finish is not None:
        finish()


def withdraw(obj) -> bool:
    """Take the live version away (unpublish, archive); rebuild what showed it."""
    kind = kind_of(obj)
    deleted, _ = kind.live_model.objects.filter(**{f"{kind.link}_id": obj.pk}).delete()
    if deleted:
        changed(kind.model, {obj.pk})
    return bool(deleted)


def rebuild(model, ids: Iterable[int], *, at: datetime | None = None) -> int:
    """Build these live versions again from their stored content (what they show changed)."""
    kind = kind_of(model)
    now = at or timezone.now()
    count = 0
    for live in kind.live_model.objects.filter(**{f"{kind.link}_id__in": list(ids)}):
        rebuild_one(live, at=now)
        count += 1
    return count


def rebuild_one(live, *, at: datetime | None = None) -> None:
    """Build one live row again from its stored content and save it if anything changed."""
    kind = next(k for k in _KINDS.values() if isinstance(live, k.live_model))
    now = at or timezone.now()
    before = live.etag
    finish = kind.build(live, now)
    live.built_at = now
    if live.etag != before:
        live.updated_at = max(now, live.publish_at)
    live.save()
    if finish is not None:
        finish()


def fresh(live):
    """The live row, built again first if something it refers to has gone live since."""
    if live is not None and live.stale_after is not None and live.stale_after <= timezone.now():
        rebuild_one(live)
    return live


# --- reading live versions ----------------------------------------------------------------


@functools.cache
def _public_by_slug(live_model, columns: tuple[str, ...]) -> Prepared:
    return Prepared(
        lambda slug, at: (
            live_model.objects.public(at=at).filter(slug=slug).values_list(*columns)[:1]
        ),
        slug=str,
        at=datetime,
    )


def public_values(live_model, slug: str, columns: tuple[str, ...]) -> tuple | None:
    """These columns of the public live version with this slug (None: there is none), in one
    query compiled once (``publishing.prepared``): what every public read starts with."""
    return _public_by_slug(live_model, columns).first(slug=slug, at=timezone.now())


# --- reading what content refers to ------------------------------------------------------


class Resolver:
    """The content of the items another item refers to, as one reader may see them.

    ``LiveResolver`` gives live versions that are public at a time (what a learner sees, and
    what publishing builds from); ``WorkingResolver`` gives working copies (what an editor
    previews and reads in the API). Both cache what they fetched.
    """

    def __init__(self):
        self._cache: dict[tuple[type, int], dict | None] = {}

    def get(self, model, ids: Iterable[int]) -> dict[int, dict]:
        """{id: content} of the visible ones among ``ids`` (missing ones are not visible)."""
        ids = [i for i in ids if i is not None]
        wanted = [i for i in set(ids) if (model, i) not in self._cache]
        if wanted:
            found = self._fetch(model, wanted)
            for i in wanted:
                self._cache[(model, i)] = found.get(i)
        return {i: self._cache[(model, i)] for i in ids if self._cache.get((model, i))}

    def one(self, model, pk: int | None) -> dict | None:
        return self.get(model, [pk]).get(pk) if pk is not None else None

    def _fetch(self, model, ids: list[int]) -> dict[int, dict]:
        raise NotImplementedError


class LiveResolver(Resolver):
    """Live versions public at ``at``; remembers the earliest one still to come."""

    def __init__(self, at: datetime | None = None):
        super().__init__()
        self.at = at or timezone.now()
        self.stale_after: datetime | None = None

    def _fetch(self, model, ids):
        kind = kind_of(model)
        rows = kind.live_model.objects.filter(**{f"{kind.link}_id__in": ids}).values_list(
            f"{kind.link}_id", "publish_at", "content"
        )
        found = {}
        for pk, publish_at, content in rows:
            if publish_at <= self.at:
                found[pk] = content
            elif self.stale_after is None or publish_at < self.stale_after:
                self.stale_after = publish_at
        return found


class WorkingResolver(Resolver):
    """Working copies, whatever their state (editors see drafts of what a draft refers to)."""

    def _fetch(self, model, ids):
        return kind_of(model).content(model.objects.filter(pk__in=ids))


def build_missing() -> int:
    """Build the live version of every item published (as its state says) without one: content
    published before live versions existed. Safe to run again: it finds nothing then."""
    from django.db import transaction

    from publishing.models import Status

    built = 0
    with transaction.atomic(), batch():
        for kind in kinds():
            missing = kind.model.objects.filter(
                status=Status.PUBLISHED, publish_at__isnull=False, live__isnull=True
            )
            for obj in missing.order_by("pk"):
                publish(obj, at=obj.publish_at)
                built += 1
    return built
