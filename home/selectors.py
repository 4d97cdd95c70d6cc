"""Reads for the home page."""

from django.utils import timezone

from courses.locales import default_locale, with_translations
from courses.selectors import (
    course_cards_queryset,
    upcoming_runs_queryset,
    with_next_run,
)


# `home` is a HomePage; the models module asks these reads for its context, so
# importing it here would close a cycle.
def featured_courses(*, home, limit: int = 6, request=None):
    """The editor's featured courses in their order, or the newest when none are
    chosen; each with `next_run` set."""
    chosen_ids = list(
        home.featured_courses.order_by("sort_order").values_list("course_id", flat=True)
    )
    # Original courses only: translations are swapped in for display below.
    cards = course_cards_queryset().filter(locale=default_locale())
    if chosen_ids:
        by_id = {course.pk: course for course in cards.filter(pk__in=chosen_ids)}
        courses = [by_id[pk] for pk in chosen_ids if pk in by_id]
    else:
        courses = cards.order_by("-first_published_at", "-pk")[:limit]
    return with_translations(with_next_run(courses), request)


def upcoming_runs(*, limit: int = 6, request=None):
    """The next runs of published courses that have not started yet, soonest
    first; each run's course with `shown`/`shown_url` in the visitor's
    language."""
    runs = list(
        upcoming_runs_queryset()
        .filter(course__live=True, starts_on__gte=timezone.localdate())
        .select_related("course")
        .prefetch_related("meetings")[:limit]
    )
    with_translations([run.course for run in runs], request)
    return runs
