"""Handing an assignment in again after a failed grade: the limit an editor
sets (empty: until passed), every submission kept and shown to the trainee,
the grader, the gradebook and the data export, and what is refused."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from academy_site.outbox.models import OutboundEmail
from courses.blocks import AssignmentBlock, ModuleStreamBlock
from courses.models import CoursePage, ModulePage
from enrolments.models import AssignmentSubmission
from enrolments.services import enrolment_create
from enrolments.services.assignments import (
    GradeRefused,
    SubmissionRefused,
    submission_grade,
    submission_submit,
)
from enrolments.services.progress import module_mark_done
from tests.enrolments.test_assignments import PDF, assignment_block, upload
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Kubernetes", pass_mark_percent=60)


def module_with(course, **value):
    return ModulePageFactory(
        parent=course, title="Deployments", body=[assignment_block(**value)]
    )


@pytest.fixture
def module(course):
    return module_with(course, submissions_allowed=3)


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course, capacity=100)


@pytest.fixture
def trainee():
    return TraineeProfileFactory(full_name="Đorđe Petrović", preferred_language="en")


@pytest.fixture
def enrolment(trainee, run, module):
    return enrolment_create(trainee=trainee, run=run)


@pytest.fixture
def instructor(run):
    user = UserFactory()
    run.instructors.add(InstructorFactory(user=user))
    run.save()  # a ParentalManyToManyField is written on save
    return user


@pytest.fixture
def trainee_client(trainee, enrolment):
    client = Client()
    client.force_login(trainee.user)
    return client


@pytest.fixture
def instructor_client(instructor):
    client = Client()
    client.force_login(instructor)
    return client


def page_url(module):
    return reverse("learning:assignment", args=[module.pk, "a-1"])


def grade_url(submission):
    return reverse("learning:submission_grade", args=[submission.pk])


def submit(enrolment, module, text="Work", **kwargs):
    return submission_submit(
        enrolment=enrolment,
        module=module,
        assignment_id="a-1",
        text_html=text,
        **kwargs,
    )


def fail(submission, by, feedback=""):
    return submission_grade(
        submission=submission, by=by, score=40, feedback_html=feedback
    )


# The service


def test_a_failed_submission_is_followed_by_a_new_one_and_a_pass_completes(catalogue):
    course = CoursePageFactory(
        parent=catalogue, format=CoursePage.Format.SELF_PACED, pass_mark_percent=60
    )
    module = module_with(course)  # no limit: until passed
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), course=course)
    module_mark_done(enrolment=enrolment, module=module)
    admin = UserFactory(is_superuser=True)

    first = fail(submit(enrolment, module, "Draft"), admin)
    enrolment.refresh_from_db()
    assert enrolment.outcome == "none"

    second = submit(enrolment, module, "Revised")
    assert (second.pk != first.pk, second.attempt) == (True, 2)
    submission_grade(submission=second, by=admin, score=80)

    enrolment.refresh_from_db()
    assert enrolment.outcome == "completion"
    first.refresh_from_db()
    assert (first.text_html, first.passed) == ("<p>Draft</p>", False)


def test_without_a_limit_a_trainee_may_hand_in_until_they_pass(course, run, instructor):
    module = module_with(course)
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    for number in range(1, 6):
        submission = submit(enrolment, module, f"Try {number}")
        assert submission.attempt == number
        fail(submission, instructor)
    submission_grade(submission=submit(enrolment, module), by=instructor, score=90)

    with pytest.raises(SubmissionRefused, match="graded and passed"):
        submit(enrolment, module, "One more")
    assert AssignmentSubmission.objects.count() == 6


def test_the_limit_refuses_another_submission_with_a_clear_message(
    enrolment, module, instructor
):
    for _ in range(3):
        fail(submit(enrolment, module), instructor)

    with pytest.raises(SubmissionRefused) as refused:
        submit(enrolment, module, "Fourth")

    assert refused.value.message == "You have used all 3 submissions."
    assert AssignmentSubmission.objects.count() == 3


def test_handing_in_while_a_submission_waits_replaces_it_and_starts_no_other(
    enrolment, module, instructor
):
    fail(submit(enrolment, module, "First"), instructor)
    second = submit(enrolment, module, "Second", upload=upload("a.pdf", PDF))

    again = submit(enrolment, module, "Second, corrected")

    assert (again.pk, again.attempt) == (second.pk, 2)
    assert again.file.name == second.file.name  # kept without a new file
    assert list(AssignmentSubmission.objects.values_list("attempt", "text_html")) == [
        (1, "<p>First</p>"),
        (2, "<p>Second, corrected</p>"),
    ]


def test_a_new_submission_does_not_inherit_the_failed_ones_file(
    enrolment, module, instructor
):
    fail(submit(enrolment, module, "", upload=upload("a.pdf", PDF)), instructor)
    with pytest.raises(SubmissionRefused, match="Write an answer or attach a file"):
        submit(enrolment, module, "")
    second = submit(enrolment, module, "Text this time")
    assert (second.attempt, second.file.name) == (2, "")


def test_a_resubmission_after_the_deadline_is_refused(
    course, run, instructor, time_machine
):
    module = module_with(course, deadline=(NOW + dt.timedelta(days=1)).isoformat())
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    fail(submit(enrolment, module), instructor)

    time_machine.move_to(NOW + dt.timedelta(days=2), tick=False)
    with pytest.raises(SubmissionRefused, match="deadline"):
        submit(enrolment, module, "Too late")
    assert AssignmentSubmission.objects.count() == 1


def test_an_earlier_submission_cannot_be_graded_once_a_newer_one_exists(
    enrolment, module, instructor
):
    first = fail(submit(enrolment, module), instructor)
    submit(enrolment, module, "Second")

    with pytest.raises(GradeRefused, match="Submission 2 was handed in after"):
        submission_grade(submission=first, by=instructor, score=100)

    first.refresh_from_db()
    assert (first.score, first.passed) == (Decimal("40.00"), False)


def test_re_grading_the_latest_failed_submission_as_passed_ends_the_resubmissions(
    enrolment, module, instructor
):
    first = fail(submit(enrolment, module), instructor)
    submission_grade(submission=first, by=instructor, score=75)
    with pytest.raises(SubmissionRefused, match="graded and passed"):
        submit(enrolment, module, "Second")


# The database


def test_the_database_refuses_two_open_submissions_for_one_assignment(
    enrolment, module
):
    first = submit(enrolment, module)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentSubmission.objects.create(
            enrolment=enrolment,
            module=module,
            assignment_id="a-1",
            attempt=2,
            text_html="<p>Second</p>",
            submitted_at=first.submitted_at,
            max_points=first.max_points,
        )


def test_the_database_refuses_a_submission_number_twice_or_below_one(
    enrolment, module, instructor
):
    first = fail(submit(enrolment, module), instructor)
    for attempt in (1, 0):
        with pytest.raises(IntegrityError), transaction.atomic():
            AssignmentSubmission.objects.create(
                enrolment=enrolment,
                module=module,
                assignment_id="a-1",
                attempt=attempt,
                text_html="<p>Again</p>",
                submitted_at=first.submitted_at,
                max_points=first.max_points,
                score=0,
                passed=False,
                graded_at=first.graded_at,
            )


# The trainee's page


def test_the_page_lists_every_submission_with_grade_and_feedback_and_offers_the_next(
    trainee_client, enrolment, module, instructor
):
    fail(submit(enrolment, module, "Draft one"), instructor, "<p>Cite sources.</p>")

    html = trainee_client.get(page_url(module)).content.decode()

    assert "Submission 1" in html and "<p>Draft one</p>" in html
    assert "40 of 100 points" in html and "Not passed" in html
    assert "<p>Cite sources.</p>" in html
    assert ">Hand in again</h2>" in html and "Submission 2 of 3" in html
    assert "You may hand in up to 3 submissions" in html

    response = trainee_client.post(
        page_url(module), {"text": "Draft two, with sources"}, follow=True
    )

    html = response.content.decode()
    assert "Your work was handed in." in html
    assert "<p>Draft two, with sources</p>" in html and "<p>Draft one</p>" in html
    assert "Not graded yet." in html and ">Replace your work</h2>" in html
    assert list(AssignmentSubmission.objects.values_list("attempt", flat=True)) == [
        1,
        2,
    ]


def test_without_a_limit_the_page_says_until_passed(
    trainee_client, trainee, run, course, instructor
):
    module = module_with(course)
    enrolment = trainee.enrolments.get(run=run)
    fail(submit(enrolment, module), instructor)

    html = trainee_client.get(page_url(module)).content.decode()

    assert "Submission 2 (allowed until passed)" in html


def test_the_page_refuses_a_submission_beyond_the_limit(
    trainee_client, trainee, run, course, instructor
):
    module = module_with(course, submissions_allowed=1)
    enrolment = trainee.enrolments.get(run=run)
    fail(submit(enrolment, module), instructor)

    html = trainee_client.get(page_url(module)).content.decode()
    assert "You have used your 1 submission." in html
    assert '<form method="post" enctype' not in html

    response = trainee_client.post(page_url(module), {"text": "Second"})

    assert response.status_code == 200
    assert response.content.decode().count("You have used your 1 submission.") == 1
    assert AssignmentSubmission.objects.count() == 1


def test_another_trainee_neither_sees_nor_adds_to_someone_elses_submissions(
    client, enrolment, module, run, instructor
):
    first = fail(submit(enrolment, module, "Đorđe's essay"), instructor)
    second = submit(enrolment, module, "Đorđe's second essay")
    other = TraineeProfileFactory()
    enrolment_create(trainee=other, run=run)
    client.force_login(other.user)

    html = client.get(page_url(module)).content.decode()
    assert "Đorđe" not in html and "You have not handed anything in yet." in html
    for submission in (first, second):
        assert client.get(grade_url(submission)).status_code == 404
        assert client.post(grade_url(submission), {"score": "100"}).status_code == 404

    client.post(page_url(module), {"text": "Mine"})

    assert list(
        AssignmentSubmission.objects.filter(enrolment=enrolment).values_list(
            "attempt", "text_html", "graded_at"
        )
    ) == [
        (1, "<p>Đorđe's essay</p>", first.graded_at),
        (2, "<p>Đorđe's second essay</p>", None),
    ]
    assert AssignmentSubmission.objects.get(enrolment__trainee=other).attempt == 1


# The grading page


def test_the_instructor_grades_the_resubmission_on_its_page_with_the_earlier_one(
    instructor_client, enrolment, module, instructor
):
    fail(submit(enrolment, module, "Draft"), instructor, "<p>Too short.</p>")
    second = submit(enrolment, module, "Longer work")

    html = instructor_client.get(grade_url(second)).content.decode()
    assert "Submission 2 of 3" in html and "<p>Longer work</p>" in html
    assert ">Earlier submissions</h2>" in html
    assert "Graded 40 of 100 points (not passed)" in html
    assert "<p>Too short.</p>" in html and "<p>Draft</p>" in html

    response = instructor_client.post(
        grade_url(second), {"score": "85", "feedback": "Good."}, follow=True
    )

    assert "Grade saved." in response.content.decode()
    second.refresh_from_db()
    assert (second.score, second.passed) == (Decimal("85.00"), True)


def test_the_grading_page_of_an_earlier_submission_points_to_the_latest(
    instructor_client, enrolment, module, instructor
):
    first = fail(submit(enrolment, module), instructor)
    second = submit(enrolment, module, "Second")

    html = instructor_client.get(grade_url(first)).content.decode()
    assert "only the latest submission can be graded" in html
    assert grade_url(second) in html and "Save grade" not in html

    response = instructor_client.post(grade_url(first), {"score": "100"}, follow=True)

    assert "only the latest submission can be graded" in response.content.decode()
    first.refresh_from_db()
    assert first.score == Decimal("40.00")


def test_each_submissions_grade_is_emailed_with_what_comes_next(
    enrolment, module, instructor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fail(submit(enrolment, module), instructor)
    second = submit(enrolment, module, "Second")
    with django_capture_on_commit_callbacks(execute=True):
        submission_grade(submission=second, by=instructor, score=90)

    assert OutboundEmail.objects.filter(kind="assignment.graded").count() == 2
    failed, passed = mail.outbox
    assert "You may hand in your work again: Submission 2 of 3." in failed.body
    assert "hand in your work again" not in passed.body
    assert "90 of 100 points (90.0%): passed." in passed.body


def test_the_last_allowed_failure_offers_nothing_more_by_email(
    course, run, instructor, django_capture_on_commit_callbacks
):
    module = module_with(course, submissions_allowed=1)
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    with django_capture_on_commit_callbacks(execute=True):
        fail(submit(enrolment, module), instructor)
    [message] = mail.outbox
    assert "not passed" in message.body and "again" not in message.body


# Gradebook and export


def test_the_gradebook_shows_attempts_and_the_latest_grade(
    instructor_client, enrolment, module, instructor, run
):
    fail(submit(enrolment, module), instructor)
    second = submit(enrolment, module, "Second")
    url = reverse("teaching:gradebook", args=[run.pk])

    html = instructor_client.get(url).content.decode()
    assert grade_url(second) in html and "2 attempts" in html
    assert "40.0% · failed" not in html  # the second waits: no old score shown

    submission_grade(submission=second, by=instructor, score=70)
    html = instructor_client.get(url).content.decode()
    assert "70.0% · passed" in html and "2 attempts" in html

    csv = instructor_client.get(reverse("teaching:gradebook_csv", args=[run.pk]))
    line = csv.content.decode("utf-8-sig").splitlines()[1]
    assert line.endswith(",2,70.0,passed")


def test_gradebook_queries_do_not_grow_with_trainees_or_resubmissions(
    instructor_client, course, run, module, instructor
):
    def count(trainees):
        for _ in range(trainees):
            enrolment = enrolment_create(trainee=TraineeProfileFactory(), run=run)
            fail(submit(enrolment, module), instructor)
            submit(enrolment, module, "Again")
        url = reverse("teaching:gradebook", args=[run.pk])
        instructor_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert instructor_client.get(url).status_code == 200
        return len(queries)

    assert count(2) == count(20)


def test_the_data_export_lists_every_submission(
    trainee_client, enrolment, module, instructor
):
    fail(submit(enrolment, module, "First"), instructor, "<p>Redo it.</p>")
    submit(enrolment, module, "Second")

    response = trainee_client.get(reverse("accounts:data_json"))

    sections = {s["title"]: s["data"] for s in json.loads(response.content)["sections"]}
    rows = sections["Assignment submissions"]
    assert [(r["Submission"], r["Text"], r["Passed"]) for r in rows] == [
        (1, "First", False),
        (2, "Second", None),
    ]
    assert rows[0]["Feedback"] == "Redo it."


# The editor


@pytest.mark.parametrize("allowed", [0, -1])
def test_the_editor_refuses_fewer_than_one_submission(allowed):
    block = AssignmentBlock()
    value = block.to_python(assignment_block(submissions_allowed=allowed)["value"])
    with pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.parametrize("allowed", [None, 1, 5])
def test_the_editor_takes_an_empty_or_positive_limit(allowed):
    stream = ModuleStreamBlock()
    value = stream.to_python([assignment_block(submissions_allowed=allowed)])
    cleaned = stream.clean(value)
    assert cleaned[0].value["submissions_allowed"] == allowed


def test_the_limits_help_text_says_empty_means_until_passed():
    field = AssignmentBlock().child_blocks["submissions_allowed"]
    assert "Empty: until passed." in str(field.field.help_text)


# The migration


# serialized_rollback keeps the site tree the migrations made across the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_numbers_existing_submissions_1(enrolment, module, instructor):
    graded = fail(submit(enrolment, module, "Graded"), instructor)
    before = ("enrolments", "0008_enrolment_final_result")
    after = ("enrolments", "0009_submission_attempts")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(
                cursor, AssignmentSubmission._meta.db_table
            )
        ]
    assert "attempt" not in columns

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    graded.refresh_from_db()
    assert (graded.attempt, graded.passed) == (1, False)

    # Back to the latest schema (later migrations' tables were dropped on the
    # way down), for this test's last step and for the tests after it.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    second = submit(enrolment, module, "After the migration")
    assert second.attempt == 2


def test_the_module_page_says_how_often_work_may_be_handed_in(
    trainee_client, course, module
):
    unlimited = module_with(course)
    assert "up to 3 submissions" in trainee_client.get(module.url).content.decode()
    html = trainee_client.get(unlimited.url).content.decode()
    assert "hand in again until passed" in html


def editor_post(admin_client, course, allowed: str):
    data = nested_form_data(
        {
            "title": "Rollouts",
            "slug": "rollouts",
            "summary": "",
            "estimated_minutes": "30",
            "is_required": "on",
            "body": streamfield(
                [
                    (
                        "assignment",
                        {
                            "title": "Rollout plan",
                            "instructions": rich_text("<p>Plan it.</p>"),
                            "deadline": "",
                            "max_points": "100",
                            "accepts": "both",
                            "submissions_allowed": allowed,
                            "required": "on",
                        },
                    )
                ]
            ),
        }
    )
    url = reverse("wagtailadmin_pages:add", args=("courses", "modulepage", course.pk))
    return admin_client.post(url, data)


@pytest.mark.parametrize("allowed", ["0", "-2"])
def test_the_page_editor_refuses_a_limit_below_one(admin_client, course, allowed):
    response = editor_post(admin_client, course, allowed)

    assert response.status_code == 200
    assert "The page could not be created due to validation errors" in (
        response.content.decode()
    )
    assert not ModulePage.objects.filter(slug="rollouts").exists()


def test_the_page_editor_saves_an_empty_limit_as_until_passed(admin_client, course):
    response = editor_post(admin_client, course, "")

    assert response.status_code == 302
    block = ModulePage.objects.get(slug="rollouts").body[0]
    assert block.value["submissions_allowed"] is None
