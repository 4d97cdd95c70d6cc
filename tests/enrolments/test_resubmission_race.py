"""Handing in again under races, through the real pages on PostgreSQL: one
trainee's many tabs, and a trainee handing in again while an instructor
re-grades the failed submission. Run with -s to see the figures:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/race_db \
        make test PYTEST_ARGS='tests/enrolments/test_resubmission_race.py -s'
"""

import time

import pytest
from django.test import Client
from django.urls import reverse

from enrolments.models import AssignmentSubmission
from enrolments.services import enrolment_create
from enrolments.services.assignments import submission_grade, submission_submit
from tests.concurrency import together
from tests.enrolments.test_assignments import assignment_block
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

# serialized_rollback keeps the site tree the migrations made across the flush.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TABS = 10
ROUNDS = 20


def server_errors(results: list) -> list:
    return [
        r
        for r in results
        if r is None or isinstance(r, Exception) or r.status_code >= 500
    ]


def setup(catalogue):
    course = CoursePageFactory(parent=catalogue, pass_mark_percent=60)
    module = ModulePageFactory(parent=course, body=[assignment_block()])
    run = CourseRunFactory(course=course, capacity=100)
    instructor = UserFactory()
    run.instructors.add(InstructorFactory(user=instructor))
    run.save()  # a ParentalManyToManyField is written on save
    return module, run, instructor


def failed_first_submission(module, run, instructor):
    trainee = TraineeProfileFactory()
    enrolment = enrolment_create(trainee=trainee, run=run)
    first = submission_submit(
        enrolment=enrolment, module=module, assignment_id="a-1", text_html="One"
    )
    submission_grade(submission=first, by=instructor, score=10)
    return trainee, enrolment, first


def test_many_tabs_handing_in_again_make_one_new_submission(catalogue):
    module, run, instructor = setup(catalogue)
    trainee, enrolment, _ = failed_first_submission(module, run, instructor)
    first_tab = Client()
    first_tab.force_login(trainee.user)
    tabs = [first_tab]
    for _ in range(TABS - 1):
        tab = Client()
        # The same session in a copy of the cookie jar: one browser, many tabs.
        tab.cookies.load(first_tab.cookies.output(header="", sep=";"))
        tabs.append(tab)
    url = reverse("learning:assignment", args=[module.pk, "a-1"])

    started = time.monotonic()
    results = together(
        [
            lambda tab=tab, n=n: tab.post(url, {"text": f"Tab {n}"})
            for n, tab in enumerate(tabs)
        ]
    )
    elapsed = time.monotonic() - started

    attempts = list(
        AssignmentSubmission.objects.filter(enrolment=enrolment).values_list(
            "attempt", "graded_at"
        )
    )
    print(
        f"\nresubmission tabs: {TABS} parallel POSTs in {elapsed:.2f} s; "
        f"submissions: {[a for a, _ in attempts]}; 5xx: {len(server_errors(results))}"
    )
    assert not server_errors(results), server_errors(results)[:3]
    assert all(r.status_code == 302 for r in results)
    assert [a for a, _ in attempts] == [1, 2]
    assert attempts[1][1] is None


def test_handing_in_again_while_the_failed_one_is_re_graded_keeps_one_story(
    catalogue,
):
    """Either the re-grade (a pass) comes first and the hand-in is refused, or
    the hand-in comes first and the re-grade of the older one is refused:
    never a new submission after a pass."""
    module, run, instructor = setup(catalogue)
    outcomes = {"grade first": 0, "hand-in first": 0}
    errors, problems = [], []
    started = time.monotonic()
    for round_no in range(ROUNDS):
        trainee, enrolment, first = failed_first_submission(module, run, instructor)
        student, teacher = Client(), Client()
        student.force_login(trainee.user)
        teacher.force_login(instructor)
        hand_in = reverse("learning:assignment", args=[module.pk, "a-1"])
        grade = reverse("learning:submission_grade", args=[first.pk])
        results = together(
            [
                lambda s=student, url=hand_in: s.post(url, {"text": "Two"}),
                lambda t=teacher, url=grade: t.post(url, {"score": "90"}),
            ]
        )
        errors += server_errors(results)
        first.refresh_from_db()
        later = AssignmentSubmission.objects.filter(
            enrolment=enrolment, attempt__gt=1
        ).count()
        if first.passed and later == 0:
            outcomes["grade first"] += 1
        elif not first.passed and later == 1:
            outcomes["hand-in first"] += 1
        else:
            problems.append((round_no, first.passed, later))
    elapsed = time.monotonic() - started

    print(
        f"\nresubmission vs re-grade: {ROUNDS} rounds in {elapsed:.1f} s; "
        f"{outcomes}; 5xx: {len(errors)}; bad rounds: {len(problems)}"
    )
    assert not errors, errors[:3]
    assert not problems, problems[:5]
