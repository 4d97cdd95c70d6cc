"""What the catalogue search matches a course on: its title, summary, learning
outcomes, topics and instructors, folded the way a query is (Cyrillic in
Latin, no diacritics, lower case: academy_site.transliteration.search_fold).

The folded text is stored on the course (CoursePage.search_text, and the
title alone in search_title for ranking), with a space before and after
every word, so "word starts with" is a plain `contains(" " + word)` that
works alike on SQLite and PostgreSQL. It is refreshed when the course is
saved and when one of its topics or instructors is renamed (courses/apps.py).
"""

from academy_site.transliteration import search_fold_variants


def padded(text: str) -> str:
    folded = search_fold_variants(text)
    return f" {folded} " if folded else ""


def course_search_texts(
    *, title: str, summary: str, learning_outcomes: str, topics, instructors
) -> tuple[str, str]:
    """(search_title, search_text) of a course from its parts."""
    parts = [title, summary, learning_outcomes, *topics, *instructors]
    return padded(title), padded(" ".join(part for part in parts if part))


def refresh_related_courses(sender, instance, **kwargs) -> None:
    """post_save of a topic or an instructor: the courses (every language's
    page) that name it get their search text again, without a new revision."""
    if kwargs.get("raw"):
        return
    for course in instance.courses.prefetch_related("topics", "instructors"):
        course.refresh_search_text()
        type(course).objects.filter(pk=course.pk).update(
            search_title=course.search_title, search_text=course.search_text
        )
