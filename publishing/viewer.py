"""Who is reading: the one place that decides what a request or a command may see.

A ``Viewer`` is built once per request (``viewer_for(request.user)``) or per command
(``Viewer.everything()`` for a full export). Selectors take it and return what it may see;
``redact`` removes answer keys, teacher material and editors' notes from any content before
it is turned into an output (a page, the API, an export). Nothing else checks a permission or
a staff flag to decide what is shown.

- ``drafts``: may read working copies (drafts, items in review, unpublished changes of live
  items) of the content kinds in ``draft_kinds``; everyone else reads live versions only.
- ``keys``: may see answer keys (right choices, feedback, explanations, hints, model answers,
  marking guidance).
- ``teacher``: may see teacher material (notes for teachers on a lesson and its sections).
- ``editorial``: may see editors' notes (on articles and excerpts); implied by ``drafts``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# What each flag guards, by the name of the field in any content or output dict. A question's
# explanation is part of its key (learners get it by answering); a concept's is not: fields of
# QUESTION_KEY_FIELDS are keys in a dict that has a ``prompt`` (a question) only.
KEY_FIELDS = frozenset(
    {"is_correct", "feedback", "model_answer", "correct_order", "marking_guidance"}
)
KEY_HTML_FIELDS = frozenset({"model_answer_html", "marking_guidance_html"})
# A question's hint, like its explanation, reaches a learner only through answering.
QUESTION_KEY_FIELDS = frozenset({"explanation", "explanation_html", "hint", "hint_html"})
TEACHER_FIELDS = frozenset({"teacher_notes", "teacher_notes_html"})
EDITORIAL_FIELDS = frozenset({"editor_note", "note"})

# Kinds of content (app_label.model_name) whose working copies a "drafts" viewer may read.
CONTENT_KINDS = ("lessons.lesson", "history.article", "history.event", "history.concept")

PERMISSIONS = {
    "keys": "lessons.view_answer_key",
    "teacher": "lessons.view_teacher_material",
    "full_export": "lessons.export_everything",
}


@dataclass(frozen=True)
class Viewer:
    """What one reader may see. Immutable; compare and hash it freely."""

    draft_kinds: frozenset[str] = field(default_factory=frozenset)
    keys: bool = False
    teacher: bool = False
    editorial: bool = False
    full_export: bool = False
    user_id: int | None = None

    @classmethod
    def public(cls) -> Viewer:
        """An anonymous learner or client: live versions, no keys, no teacher material."""
        return cls()

    @classmethod
    def everything(cls) -> Viewer:
        """The system itself (a command making a full backup export): sees all."""
        return cls(
            draft_kinds=frozenset(CONTENT_KINDS),
            keys=True,
            teacher=True,
            editorial=True,
            full_export=True,
        )

    @property
    def drafts(self) -> bool:
        """May read working copies of at least one kind of content."""
        return bool(self.draft_kinds)

    @property
    def is_public(self) -> bool:
        """Sees exactly what an anonymous learner sees (so shared caches may keep it)."""
        return not (self.drafts or self.keys or self.teacher or self.editorial)

    def sees_drafts_of(self, model) -> bool:
        """May read working copies of this model (a class, an instance or "app.model")."""
        return _label(model) in self.draft_kinds

    def without_drafts(self) -> Viewer:
        """The same reader looking at live versions only (the learner site)."""
        return Viewer(
            keys=self.keys,
            teacher=self.teacher,
            editorial=False,
            full_export=False,
            user_id=self.user_id,
        )


def _label(model) -> str:
    if isinstance(model, str):
        return model
    return model._meta.label_lower


def viewer_for(user) -> Viewer:
    """The viewer of a user (anonymous or not), from their permissions; one permission query."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Viewer.public()
    perms = user.get_all_permissions()  # cached on the user object by the auth backend
    kinds = frozenset(label for label in CONTENT_KINDS if _view_permission(label) in perms)
    return Viewer(
        draft_kinds=kinds,
        keys=PERMISSIONS["keys"] in perms,
        teacher=PERMISSIONS["teacher"] in perms or PERMISSIONS["keys"] in perms,
        editorial=bool(kinds),
        full_export=PERMISSIONS["full_export"] in perms,
        user_id=user.pk,
    )


def _view_permission(label: str) -> str:
    app, model = label.split(".")
    return f"{app}.view_{model}"


def request_viewer(request) -> Viewer:
    """The viewer of a request, built once and kept on it."""
    viewer = getattr(request, "_viewer", None)
    if viewer is None:
        viewer = viewer_for(getattr(request, "user", None))
        request._viewer = viewer
    return viewer


def redact(data, viewer: Viewer):
    """A copy of ``data`` (dicts and lists, any depth) with every field the viewer may not see
    set to None: answer keys, teacher material, editors' notes.

    This is the one function every output goes through, so that a key or a note cannot reach
    a learner by way of a page, the API, an export or a feed that forgot to check.
    """
    hidden = hidden_fields(viewer)
    if not hidden:
        return data
    return _redact(data, hidden)


def hidden_fields(viewer: Viewer) -> frozenset[str]:
    hidden: set[str] = set()
    if not viewer.keys:
        hidden |= KEY_FIELDS | KEY_HTML_FIELDS
    if not viewer.teacher:
        hidden |= TEACHER_FIELDS
    if not viewer.editorial:
        hidden |= EDITORIAL_FIELDS
    return frozenset(hidden)


def _redact(data, hidden: frozenset[str]):
    if isinstance(data, dict):
        here = hidden
        if "prompt" in data and "model_answer" in hidden:  # a question, and keys are hidden
            here = hidden | QUESTION_KEY_FIELDS
        return {
            key: (None if key in here else _redact(value, hidden)) for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [_redact(item, hidden) for item in data]
    return data


def protected_names() -> Iterable[str]:
    """Every field name ``redact`` may hide (for tests that plant sentinels in them)."""
    return KEY_FIELDS | KEY_HTML_FIELDS | QUESTION_KEY_FIELDS | TEACHER_FIELDS | EDITORIAL_FIELDS
