"""How many certificates one worker process issues per second.

Builds a throw-away SQLite (or DATABASE_URL) database with a course, a run and
N trainees (Serbian names in Latin and Cyrillic) whose enrolments earned a
completion certificate, then issues the certificates the way the academy does:
`certificate_request` (the web side: snapshots, serial, dispatch after commit),
then the render task itself, one certificate after another in this process as
a worker with the solo pool runs it (`generate_certificate.apply`: render the
PDF, store it, record the hash and status, dispatch the e-mail). Files go to a
temporary MEDIA_ROOT; dispatched tasks go to an in-memory broker and are
dropped, so the e-mail is not part of the timing.

Prints the render task's certificates per second with median and p95 ms per
certificate, the request side's figures, and memory: the process's RSS (now and
peak, from /proc and getrusage) at the start, middle and end of the timed batch,
then tracemalloc's peak in each half of a second batch of the same size and
what stays allocated after each (tracemalloc slows everything down, so it
never runs while timing).

    .venv/bin/python benchmarks/certificates.py --count 500
    .venv/bin/python benchmarks/certificates.py --count 100 --profile 25
"""

import argparse
import gc
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy_site.settings.test")
# Tasks are published to memory and never consumed: the benchmark runs the
# render task in this process and leaves the e-mails out.
os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
os.environ["CELERY_RESULT_BACKEND"] = "cache+memory://"

NAMES = ("Đorđe Petrović", "Јована Јовановић", "Čedomir Šćekić", "Ђорђе Петровић")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="print cProfile's top N functions of the render task instead",
    )
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the memory batch"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    from academy_site.celery import app

    app.conf.task_always_eager = False
    setup_test_environment()
    media = tempfile.mkdtemp(prefix="certificates-benchmark-")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(MEDIA_ROOT=media):
            run(args, app)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(media, ignore_errors=True)
        remove_if_empty(Path(settings.TEST_VAR_DIR))


def remove_if_empty(folder: Path) -> None:
    """The test settings make a per-process folder for the database file; it
    is left alone if anything else put files there."""
    try:
        folder.rmdir()
    except OSError:
        pass


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    current = pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return current, peak


def drop_dispatched(app) -> None:
    """Empty the in-memory queue, as consumers elsewhere would."""
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)


def build_batch(count: int, catalogue, label: str) -> list:
    from tests.factories import (
        CoursePageFactory,
        CourseRunFactory,
        EnrolmentFactory,
        TraineeProfileFactory,
    )

    course = CoursePageFactory(
        parent=catalogue,
        title=f"Kubernetes u produkciji ({label})",
        certificate_validity_months=36,
    )
    run = CourseRunFactory(course=course)
    return [
        EnrolmentFactory(
            run=run,
            trainee=TraineeProfileFactory(full_name=f"{NAMES[n % 4]} {n}"),
            is_member=bool(n % 2),
        )
        for n in range(count)
    ]


def request_all(enrolments, app) -> list[float]:
    from certificates.models import Kind
    from certificates.services.issuing import certificate_request

    timings, ids = [], []
    for enrolment in enrolments:
        began = time.perf_counter()
        certificate = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
        timings.append(time.perf_counter() - began)
        ids.append(certificate.pk)
    drop_dispatched(app)
    return ids, timings


def render_all(ids, app, on_middle=None) -> tuple[list[float], float]:
    """Run the render task for each id; returns per-certificate seconds and
    the wall time of the loop (the queue is emptied outside the timing)."""
    from certificates.tasks import generate_certificate

    timings, wall = [], 0.0
    for index, certificate_id in enumerate(ids):
        began = time.perf_counter()
        result = generate_certificate.apply(args=[certificate_id])
        elapsed = time.perf_counter() - began
        assert result.get() == "issued", (certificate_id, result.state)
        timings.append(elapsed)
        wall += elapsed
        if index % 100 == 99:
            drop_dispatched(app)
        if on_middle and index == len(ids) // 2 - 1:
            on_middle()
    drop_dispatched(app)
    return timings, wall


def summary(label: str, count: int, timings: list[float], wall: float) -> str:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (
        f"{label:<36}{count / wall:>9.1f}/s{statistics.median(ordered) * 1000:>9.1f}"
        f"{p95 * 1000:>9.1f}"
    )


def run(args, app) -> None:
    from django.db import connection

    from certificates.models import Certificate
    from tests.certificates.factories import CertificateTemplateFactory
    from tests.factories import CourseIndexPageFactory

    print(
        f"database {connection.vendor}, {args.count} certificates, "
        f"python {sys.version.split()[0]}, pid {os.getpid()}"
    )
    started = time.perf_counter()
    catalogue = CourseIndexPageFactory()
    CertificateTemplateFactory()  # built-in background, for anyone
    enrolments = build_batch(args.count, catalogue, "timed")
    print(f"built {args.count} enrolments in {time.perf_counter() - started:.1f} s")

    # Warm up what a worker prepares once: fonts, the parsed background.
    warm = build_batch(3, catalogue, "warm-up")
    warm_ids, _ = request_all(warm, app)
    render_all(warm_ids, app)

    if args.profile:
        profile(args, enrolments, app)
        return

    rss = {"start": rss_mb()}
    ids, request_timings = request_all(enrolments, app)
    began = time.perf_counter()
    timings, wall = render_all(
        ids, app, on_middle=lambda: rss.__setitem__("middle", rss_mb())
    )
    loop = time.perf_counter() - began
    rss["end"] = rss_mb()
    issued = Certificate.objects.filter(pk__in=ids, status="issued").count()
    assert issued == len(ids), f"{issued} of {len(ids)} issued"

    print(f"{'':<36}{'rate':>11}{'median ms':>10}{'p95 ms':>9}")
    print(summary("render task (render+store+record)", len(ids), timings, wall))
    print(
        summary("request (web side)", len(ids), request_timings, sum(request_timings))
    )
    both = [r + t for r, t in zip(request_timings, timings, strict=True)]
    print(summary("request + render task", len(ids), both, sum(both)))
    print(f"render loop wall time {loop:.2f} s (queue purges included)")
    for moment in ("start", "middle", "end"):
        current, peak = rss[moment]
        print(f"RSS at {moment:<7}{current:>8.1f} MB now, {peak:>8.1f} MB peak")

    if not args.no_tracemalloc:
        traced_batch(args.count, catalogue, app)


def traced_batch(count: int, catalogue, app) -> None:
    """Peak traced memory in each half of a batch, and what is still held after
    a full collection at the end of each (pypdf leaves reference cycles that
    only the cyclic collector frees, so a reading without one would measure
    the collector's timing rather than what the batch keeps)."""
    enrolments = build_batch(count, catalogue, "traced")
    ids, _ = request_all(enrolments, app)
    halves = {}

    def end_of_half(name):
        peak = tracemalloc.get_traced_memory()[1]
        gc.collect()
        halves[name] = (peak, tracemalloc.get_traced_memory()[0])
        tracemalloc.reset_peak()

    gc.collect()
    tracemalloc.start()
    render_all(ids, app, on_middle=lambda: end_of_half("first"))
    end_of_half("second")
    tracemalloc.stop()
    for half in ("first", "second"):
        peak, held = halves[half]
        print(
            f"tracemalloc, {half} half of {count}: peak {peak / 2**20:.2f} MB, "
            f"held after gc.collect() {held / 2**20:.2f} MB"
        )


def profile(args, enrolments, app) -> None:
    import cProfile
    import pstats

    ids, _ = request_all(enrolments, app)
    profiler = cProfile.Profile()
    profiler.enable()
    render_all(ids, app)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(args.profile)
    stats.sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
