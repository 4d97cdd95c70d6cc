"""Reads of courses and runs, with the joins the public pages need already made."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from wagtail.images import get_image_model

from academy_site.transliteration import search_fold
from courses.locales import (
    original,
    reading_locales,
    title_chosen,
    titles_by_language,
    with_translations,
)
from courses.models import CourseIndexPage, CoursePage, CourseRun, Topic

CARD_IMAGE_SPEC = "fill-640x360"


@dataclass(frozen=True)
class CatalogueFilters:
    """What a visitor asked the catalogue for; empty strings mean "any"."""

    q: str = ""
    topic: str = ""
    level: str = ""
    format: str = ""
    language: str = ""

    @property
    def active(self) -> bool:
        return any((self.q, self.topic, self.level, self.format, self.language))


def upcoming_runs_queryset() -> QuerySet[CourseRun]:
    """Runs that have not ended, soonest first."""
    return CourseRun.objects.filter(ends_on__gte=timezone.localdate()).order_by(
        "starts_on", "pk"
    )


def course_cards_queryset() -> QuerySet[CoursePage]:
    """Published courses with everything a catalogue card shows, in a fixed number
    of queries: topics, card image renditions and runs that have not ended."""
    image_model = get_image_model()
    return (
        CoursePage.objects.live()
        .public()
        .prefetch_related(
            "topics",
            Prefetch(
                "image",
                queryset=image_model.objects.prefetch_renditions(CARD_IMAGE_SPEC),
            ),
            Prefetch(
                "runs", queryset=upcoming_runs_queryset(), to_attr="upcoming_run_list"
            ),
        )
    )


def with_next_run(courses) -> list[CoursePage]:
    """Set `next_run` on each course: the soonest run that takes (or will take)
    enrolments, else the soonest one still in progress."""
    courses = list(courses)
    today = timezone.localdate()
    for course in courses:
        runs = getattr(course, "upcoming_run_list", [])
        enrollable = [run for run in runs if run.enrolment_closes >= today]
        course.next_run = (enrollable or runs or [None])[0]
    return courses


# A query longer than this is cut: each word is one more condition.
MAX_QUERY_WORDS = 8
# Words this long also match inside a word ("secur" finds "Cybersecurity");
# shorter ones only at a word's start, or "a" would match nearly everything.
INSIDE_WORD_MIN_LENGTH = 4


def query_words(q: str) -> list[str]:
    """The words of a search, folded like the courses' search text."""
    return list(dict.fromkeys(search_fold(q).split()))[:MAX_QUERY_WORDS]


def _word_in(field: str, word: str) -> Q:
    if len(word) >= INSIDE_WORD_MIN_LENGTH:
        return Q(**{f"{field}__contains": word})
    return Q(**{f"{field}__contains": f" {word}"})


def matching(words: list[str]) -> Q:
    """Courses whose search text has every word, as a word's start (or, for
    longer words, anywhere inside one). No words: no course."""
    if not words:
        return Q(pk__in=[])
    condition = Q()
    for word in words:
        condition &= _word_in("search_text", word)
    return condition


def title_hits(words: list[str]):
    """How well the title matches: 2 for each word a title word starts
    with, 1 for each found inside a title word; ranks title matches first."""
    hits = [
        Case(
            When(Q(search_title__contains=f" {word}"), then=Value(2)),
            When(_word_in("search_title", word), then=Value(1)),
            default=Value(0),
        )
        for word in words
    ]
    return sum(hits[1:], hits[0]) if hits else Value(0)


def catalogue_page(
    *,
    index_page: CourseIndexPage,
    filters: CatalogueFilters,
    page_number: int | str | None = 1,
    per_page: int = 12,
    request=None,
) -> PaginatorPage:
    """One page of the catalogue: filtered, searched (best match first) or sorted
    by title, each course with `next_run` set (None when nothing is scheduled)
    and `shown`/`shown_url`: its translation in the visitor's language, else
    the original (courses/locales.py). The catalogue lists the original
    courses, whichever language's catalogue page is open."""
    index_page = original(index_page)
    courses = course_cards_queryset().child_of(index_page)
    if filters.topic:
        courses = courses.filter(topics__slug=filters.topic)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.format:
        courses = courses.filter(format=filters.format)
    if filters.language:
        courses = courses.filter(language=filters.language)

    if filters.q:
        # Search the published courses of this catalogue and their translations
        # in the visitor's language (a match in either finds the course);
        # filters and the prefetches are applied to the matching originals' ids
        # so ranking is kept.
        originals = dict(
            CoursePage.objects.live()
            .public()
            .child_of(index_page)
            .values_list("translation_key", "pk")
        )
        locales = {index_page.locale_id} | {locale.pk for locale in reading_locales()}
        words = query_words(filters.q)
        matches = (
            CoursePage.objects.live()
            .public()
            .filter(translation_key__in=list(originals), locale_id__in=locales)
            .filter(matching(words))
            .annotate(title_hits=title_hits(words))
            .order_by("-title_hits", "title", "pk")
            .values_list("translation_key", flat=True)
        )
        ranked_ids = list(dict.fromkeys(originals[key] for key in matches))
        allowed = set(courses.filter(pk__in=ranked_ids).values_list("pk", flat=True))
        ranked_ids = [pk for pk in ranked_ids if pk in allowed]
        page = Paginator(ranked_ids, per_page).get_page(page_number)
        by_id = {
            course.pk: course for course in courses.filter(pk__in=page.object_list)
        }
        page.object_list = with_translations(
            with_next_run(by_id[pk] for pk in page.object_list), request
        )
        return page

    page = Paginator(courses.order_by("title", "pk").distinct(), per_page).get_page(
        page_number
    )
    page.object_list = with_translations(with_next_run(page.object_list), request)
    return page


def topics_in_use() -> QuerySet[Topic]:
    """Topics that at least one published course has, for the catalogue filter."""
    return Topic.objects.filter(courses__live=True).distinct().order_by("name")


# --- What a run's certificates print ------------------------------------------


@dataclass(frozen=True)
class RunFacts:
    """The facts a run's certificates print: the course's hours and title (in
    the original and in each translation, by language code) and the names of
    the run's instructors. `recorded_at` is None for live values (a run whose
    facts are not recorded yet)."""

    hours: Decimal
    title: str
    titles: dict[str, str] = field(default_factory=dict)
    instructors: tuple[str, ...] = ()
    recorded_at: dt.datetime | None = None

    def title_in(self, language: str) -> str:
        """The title in `language`, by the same rule as locales.title_in."""
        return title_chosen(self.titles, language, fallback=self.title)


def run_facts(run: CourseRun) -> RunFacts:
    """The run's recorded facts; until they are recorded, the course's live
    values (what recording them now would keep)."""
    if run.facts_recorded_at is None:
        return run_facts_live(run)
    return RunFacts(
        hours=run.facts_hours,
        title=run.facts_title,
        titles=dict(run.facts_titles),
        instructors=tuple(run.facts_instructors),
        recorded_at=run.facts_recorded_at,
    )


def run_facts_live(run: CourseRun) -> RunFacts:
    """The facts as the course and the run state them now."""
    course = run.course
    return RunFacts(
        hours=course.duration_hours,
        title=course.title,
        titles=titles_by_language(course),
        instructors=tuple(
            instructor.full_name
            for instructor in run.instructors.order_by("full_name", "pk")
        ),
    )
