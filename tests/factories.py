"""factory_boy factories for every model; published unless a test says otherwise."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from history.models import Article, Concept, Event, Mention, MentionStatus
from lessons.models import Choice, Excerpt, Lesson, Question, QuestionKind, Section
from publishing.models import Status

ARTICLE_BODY = (
    "In February 1956 Khrushchev denounced Stalin’s crimes at the 20th Congress.\n\n"
    "Later in 1956 the workers’ councils of Budapest – the ‘soviets’ – elected delegates "
    "with the right of recall.\n\n"
    "The Petőfi Circle had debated in Poznań and Budapest alike…"
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


def ensure_groups():
    """Recreate the Editors and Publishers groups if a flushed database lost them.

    Live-server tests flush the database afterwards, removing what the data migrations made.
    """
    if Group.objects.filter(name__in=["Editors", "Publishers"]).count() < 2:
        from django.apps import apps

        from publishing.groups import ensure_groups as create

        create(apps)


def editor(**kwargs):
    ensure_groups()
    return UserFactory(is_staff=True, groups=["Editors"], **kwargs)


def publisher(**kwargs):
    ensure_groups()
    return UserFactory(is_staff=True, groups=["Publishers"], **kwargs)


_PENDING: dict[tuple[str, int], object] = {}


def go_live(*objects) -> None:
    """Build the live versions of these items (default: of every item whose state says it is
    published) from their working copies, as publishing would, in one batch. Factories write
    working copies directly; what they make goes live before the test's next request (see
    ``flush``), and a test that changes links afterwards calls this once it is done."""
    from publishing import live

    if not objects:
        objects = [
            obj
            for kind in live.kinds()
            for obj in kind.model.objects.filter(status=Status.PUBLISHED).order_by("pk")
        ]
    # Sources first: a lesson's live version is built from theirs.
    order = {"history.concept": 0, "history.event": 1, "history.article": 2}
    with live.batch():
        for obj in sorted(objects, key=lambda o: order.get(o._meta.label_lower, 3)):
            fresh = type(obj).objects.filter(pk=obj.pk).first()
            if fresh is not None and fresh.status == Status.PUBLISHED:
                live.publish(fresh, at=fresh.publish_at or timezone.now())


def pending(obj) -> None:
    """Make ``obj`` (a published working copy) live before the test's next request."""
    _PENDING[(obj._meta.label_lower, obj.pk)] = obj


def flush() -> None:
    """Make live what factories made since the last request (the test client calls this)."""
    if _PENDING:
        objects = list(_PENDING.values())
        _PENDING.clear()
        go_live(*objects)


def forget() -> None:
    _PENDING.clear()


class PublishableFactory(factory.django.DjangoModelFactory):
    """Published items go live before the test's next request (``go_live`` after changes)."""

    status = Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Status.DRAFT, publish_at=None)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create and instance.status == Status.PUBLISHED and instance.publish_at is not None:
            pending(instance)


class LessonPartFactory(factory.django.DjangoModelFactory):
    """A part of a lesson: a live lesson is built again with it."""

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        lesson = instance.question.lesson if isinstance(instance, Choice) else instance.lesson
        if create and lesson.status == Status.PUBLISHED and lesson.publish_at is not None:
            pending(lesson)


class ConceptFactory(PublishableFactory):
    class Meta:
        model = Concept

    term = factory.Sequence(lambda n: f"term {n}")
    slug = factory.Sequence(lambda n: f"term-{n}")
    definition = factory.LazyAttribute(lambda c: f"What “{c.term}” means, in one sentence.")
    aliases = factory.LazyFunction(list)


class EventFactory(PublishableFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    date_edtf = "1956-10-23/1956-11-10"
    summary = "Something happened."


class ArticleFactory(PublishableFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    author = "A. Writer"
    publication = "The Paper"
    body = ARTICLE_BODY


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mention

    article = factory.SubFactory(ArticleFactory)
    concept = factory.SubFactory(ConceptFactory)
    event = None
    start = 0
    end = factory.LazyAttribute(lambda m: m.start + 8)
    exact = factory.LazyAttribute(lambda m: m.article.body[m.start : m.end])
    status = MentionStatus.CONFIRMED


class ExcerptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Excerpt

    article = factory.SubFactory(ArticleFactory)
    start = 0
    end = factory.LazyAttribute(lambda e: len(e.article.body.split("\n\n")[0]))
    exact = factory.LazyAttribute(lambda e: e.article.body[e.start : e.end])
    prefix = ""
    suffix = factory.LazyAttribute(lambda e: e.article.body[e.end : e.end + 32])


class LessonFactory(PublishableFactory):
    class Meta:
        model = Lesson

    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    central_question = "Why did it happen?"
    summary = "A lesson."
    objectives = factory.LazyFunction(lambda: ["Explain why it happened."])


class SectionFactory(LessonPartFactory):
    class Meta:
        model = Section

    lesson = factory.SubFactory(LessonFactory)
    position = factory.Sequence(int)
    heading = factory.Sequence(lambda n: f"Section {n}")
    body = "Read the source."
    excerpt = factory.SubFactory(ExcerptFactory)
    guiding_questions = factory.LazyFunction(lambda: ["Who wrote it?"])


class QuestionFactory(LessonPartFactory):
    class Meta:
        model = Question

    lesson = factory.SubFactory(LessonFactory)
    position = factory.Sequence(int)
    kind = QuestionKind.OPEN
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    explanation = "Because."


class ChoiceFactory(LessonPartFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=QuestionKind.MULTIPLE_CHOICE)
    position = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"Answer {n}")
    is_correct = False
