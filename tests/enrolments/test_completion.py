"""The completion rules: attendance, modules and assessments decide the outcome,
recomputed when an input changes and announced after commit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import CoursePage
from enrolments.models import AssignmentSubmission, Enrolment
from enrolments.rules.completion import outcome_recompute, standings
from enrolments.services import enrolment_create
from enrolments.services.attendance import register_save
from enrolments.services.progress import module_mark_done
from enrolments.signals import outcome_changed
from tests.enrolments.factories import quiz_attempt_taken
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
    today,
)

pytestmark = pytest.mark.django_db

QUIZ = {
    "type": "quiz",
    "id": "quiz-1",
    "value": {
        "title": "Check",
        "introduction": "",
        "pass_mark_percent": None,
        "attempts_allowed": 2,
        "time_limit_minutes": None,
        "required": True,
        "questions": [
            {
                "type": "true_false",
                "id": "q1",
                "value": {"prompt": "The sky is blue.", "answer": True, "points": "1"},
            }
        ],
    },
}
ASSIGNMENT = {
    "type": "assignment",
    "id": "essay-1",
    "value": {
        "title": "Essay",
        "instructions": "<p>Write</p>",
        "deadline": None,
        "max_points": "10",
        "accepts": "text",
        "required": True,
    },
}


@pytest.fixture
def outcomes():
    received = []

    def listener(sender, enrolment_id, old, new, **kwargs):
        received.append((enrolment_id, old, new))

    outcome_changed.connect(listener)
    yield received
    outcome_changed.disconnect(listener)


def in_person_setup(catalogue, meetings=2):
    course = CoursePageFactory(parent=catalogue, attendance_threshold_percent=50)
    first = ModulePageFactory(parent=course, body=[QUIZ])
    ModulePageFactory(parent=course, title="Optional", is_required=False)
    run = CourseRunFactory(
        course=course,
        starts_on=today() - dt.timedelta(days=5),
        ends_on=today() + dt.timedelta(days=5),
        enrolment_closes_on=today() + dt.timedelta(days=5),
    )
    held = [
        MeetingFactory(run=run, date=today() - dt.timedelta(days=4 - i))
        for i in range(meetings)
    ]
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    earlier = timezone.now() - dt.timedelta(days=10)
    Enrolment.objects.filter(pk=enrolment.pk).update(seat_since=earlier)
    enrolment.refresh_from_db()
    return course, first, held, enrolment


def pass_quiz(enrolment, module):
    quiz_attempt_taken(enrolment=enrolment, module=module, quiz_id="quiz-1")


def test_outcome_moves_from_none_to_attendance_to_completion(
    catalogue, outcomes, django_capture_on_commit_callbacks
):
    course, module, meetings, enrolment = in_person_setup(catalogue)
    assert outcome_recompute(enrolment=enrolment) == "none"

    with django_capture_on_commit_callbacks(execute=True):
        register_save(
            meeting=meetings[0], marks={enrolment.pk: "present"}, by=UserFactory()
        )
    enrolment.refresh_from_db()
    assert enrolment.outcome == "attendance"  # 1 of 2 meetings = 50%
    assert outcomes == [(enrolment.pk, "none", "attendance")]

    with django_capture_on_commit_callbacks(execute=True):
        # The quiz's pass records the module as done (a service writes it).
        pass_quiz(enrolment, module)
    enrolment.refresh_from_db()
    assert enrolment.outcome == "completion"
    assert outcomes[-1] == (enrolment.pk, "attendance", "completion")


def test_attendance_is_judged_over_all_meetings_of_the_run(catalogue):
    course, module, meetings, enrolment = in_person_setup(catalogue, meetings=2)
    MeetingFactory(run=enrolment.run, date=today() + dt.timedelta(days=2))
    MeetingFactory(run=enrolment.run, date=today() + dt.timedelta(days=3))
    register_save(
        meeting=meetings[0], marks={enrolment.pk: "present"}, by=UserFactory()
    )
    # 1 of 4 counted meetings: 25% < 50%, although 1 of 2 held is 50%.
    enrolment.refresh_from_db()
    assert enrolment.outcome == "none"


def test_self_paced_course_counts_attendance_as_met(catalogue):
    course = CoursePageFactory(parent=catalogue, format=CoursePage.Format.SELF_PACED)
    module = ModulePageFactory(parent=course)
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), course=course)
    assert outcome_recompute(enrolment=enrolment) == "none"
    module_mark_done(enrolment=enrolment, module=module)
    enrolment.refresh_from_db()
    assert enrolment.outcome == "completion"


def test_a_required_assignment_must_be_passed(catalogue):
    course = CoursePageFactory(parent=catalogue, format=CoursePage.Format.SELF_PACED)
    module = ModulePageFactory(parent=course, body=[ASSIGNMENT])
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), course=course)
    module_mark_done(enrolment=enrolment, module=module)
    assert outcome_recompute(enrolment=enrolment) == "none"
    AssignmentSubmission.objects.create(
        enrolment=enrolment, module=module, assignment_id="essay-1",
        text_html="<p>Done</p>", submitted_at=timezone.now(), max_points=10,
        score=Decimal("8"), passed=True,
    )  # fmt: skip
    assert outcome_recompute(enrolment=enrolment) == "completion"
    standing = standings([enrolment])[enrolment.pk]
    assert standing.progress_percent == 100


def test_marking_a_module_of_another_course_is_refused(catalogue):
    _, _, _, enrolment = in_person_setup(catalogue)
    stranger = ModulePageFactory(parent=CoursePageFactory(parent=catalogue))
    from enrolments.errors import EnrolmentError

    with pytest.raises(EnrolmentError, match="not part of your course"):
        module_mark_done(enrolment=enrolment, module=stranger)


def test_standings_use_a_constant_number_of_queries(
    catalogue, django_assert_max_num_queries
):
    course, module, meetings, enrolment = in_person_setup(catalogue)
    others = [
        enrolment_create(trainee=TraineeProfileFactory(), run=enrolment.run)
        for _ in range(20)
    ]
    with django_assert_max_num_queries(8):
        standings([enrolment])
    with django_assert_max_num_queries(8):
        standings([enrolment, *others])
