"""How fast the public pages render with a large catalogue.

Builds a throw-away SQLite (or DATABASE_URL) database with N published courses,
each with a card image, topics and two upcoming runs with meetings, then times
the catalogue (first page, a filter, a search), a course page and the home page
through Django's test client, printing median and p95 milliseconds and the
number of SQL queries per request.

    .venv/bin/python benchmarks/catalogue.py --courses 300 --repeat 30
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy_site.settings.test")
# The rendering is measured, not visitors' page cache (benchmarks/load.py
# measures that under gunicorn).
os.environ.setdefault("ACADEMY_PUBLIC_PAGE_CACHE_SECONDS", "0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
    )

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args, CaptureQueriesContext, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def catalogue_build(courses: int):
    """A catalogue of `courses` published courses, each with a card image,
    two topics and two upcoming runs with a meeting; returns the catalogue."""
    from tests.factories import (
        CourseIndexPageFactory,
        CoursePageFactory,
        CourseRunFactory,
        MeetingFactory,
        TopicFactory,
        make_image,
    )

    catalogue = CourseIndexPageFactory(courses_per_page=24)
    topics = [TopicFactory(name=f"Topic {n}", slug=f"topic-{n}") for n in range(8)]
    for n in range(courses):
        course = CoursePageFactory(
            parent=catalogue,
            title=f"Course {n:04d} on practical engineering",
            summary="Hands-on training with exercises and a certificate.",
            topics=topics[n % 8 : n % 8 + 2],
            image=make_image(f"Course {n}", size=(320, 180)),
        )
        for _ in range(2):
            MeetingFactory(run=CourseRunFactory(course=course))
    return catalogue


def timed(client, CaptureQueriesContext, connection, url, params, repeat):
    """(median ms, p95 ms, queries) of `repeat` GETs of `url`, after one to warm."""
    client.get(url, params)
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, len(queries)


def run(args, CaptureQueriesContext, connection) -> None:
    from django.test import Client

    from tests.factories import CoursePageFactory

    started = time.perf_counter()
    catalogue = catalogue_build(args.courses)
    print(f"built {args.courses} courses in {time.perf_counter() - started:.1f} s")

    client = Client()
    cases = {
        "catalogue, first page": (catalogue.url, {}),
        "catalogue, topic filter": (catalogue.url, {"topic": "topic-3"}),
        "catalogue, search": (catalogue.url, {"q": "engineering"}),
        # One course matches: the whole table is searched for a single card.
        "catalogue, search (1 hit)": (catalogue.url, {"q": "0150 practical"}),
        "course page": (CoursePageFactory._meta.model.objects.first().url, {}),
        "home page": ("/en/", {}),
    }
    print(f"{'page':<26}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    for label, (url, params) in cases.items():
        median, p95, queries = timed(
            client, CaptureQueriesContext, connection, url, params, args.repeat
        )
        print(f"{label:<26}{median:>10.1f}{p95:>9.1f}{queries:>9}")


if __name__ == "__main__":
    main()
