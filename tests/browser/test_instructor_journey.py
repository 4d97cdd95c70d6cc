"""An instructor's week, in Chromium against the live site: logs into the
Wagtail admin, writes a course with two modules (one with a quiz), publishes
it, schedules a run with two meetings; then, in the run they teach today,
marks the register and grades an assignment a trainee handed in.

The instructor is who academy_site/roles.py says: a non-superuser in the
Instructors group with a courses.Instructor profile linked to the account."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone

from academy_site.roles import INSTRUCTOR, grant_role, roles_sync
from courses.models import CoursePage, CourseRun, ModulePage
from courses.services import course_team_sync
from enrolments.models import AssignmentSubmission, AttendanceRecord
from enrolments.services import enrolment_create
from enrolments.services.assignments import submission_submit
from tests.browser.conftest import expect, log_in_to_admin, screenshot
from tests.factories import (
    InstructorFactory,
    MeetingFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

INSTRUCTOR_EMAIL = "milica@academy.local"
NEW_COURSE = "GitOps with Argo CD"


@pytest.fixture
def teaching_today(academy):
    """Milica teaches the Kubernetes run, which started yesterday and meets
    today; Jovana has handed in its assignment, Marko has not."""
    user = UserFactory(username=INSTRUCTOR_EMAIL, email=INSTRUCTOR_EMAIL)
    grant_role(user=user, role=INSTRUCTOR)
    # The catalogue was made by a factory, not in the admin, whose hook would
    # give instructors "add" on it.
    roles_sync()
    instructor = InstructorFactory(user=user, full_name="Milica Đorđević")
    course = academy.course
    course.instructors.add(instructor)
    course.save_revision().publish()
    course_team_sync(course=CoursePage.objects.get(pk=course.pk))

    # Enrolled while the run was open for enrolment...
    jovana = TraineeProfileFactory(full_name="Jovana Jovanović")
    marko = TraineeProfileFactory(full_name="Marko Marković")
    enrolment = enrolment_create(trainee=jovana, run=academy.run)
    enrolment_create(trainee=marko, run=academy.run)
    submission = submission_submit(
        enrolment=enrolment,
        module=academy.modules[1],
        assignment_id="assignment-rollout",
        text_html="<p>Rolling update with readiness probes and a canary.</p>",
    )
    # ...which has started since.
    run = academy.run
    today = timezone.localdate()
    run.starts_on, run.ends_on = today - dt.timedelta(days=1), today + dt.timedelta(
        days=6
    )
    run.instructors.add(instructor)
    run.save()  # a ParentalManyToManyField: saved with the run
    run.meetings.all().delete()
    meeting = MeetingFactory(run=run, date=today, start_time=dt.time(9, 0))
    MeetingFactory(run=run, date=run.ends_on)

    return SimpleNamespace(user=user, run=run, meeting=meeting, submission=submission)


def today_label() -> str:
    """Today as the run's attendance page writes a meeting's date."""
    from django.utils.formats import date_format

    today = timezone.localdate()
    return f"{date_format(today, 'D')}, {date_format(today, 'DATE_FORMAT')}"


def fill_picker(field, value: str) -> None:
    """Type into a Wagtail date or time field, then click outside it once its
    picker has opened (it opens a moment after the focus), so that the picker
    does not cover the buttons below."""
    page = field.page
    # The picker is a third-party widget with no role to find it by.
    pickers = page.locator(".xdsoft_datetimepicker:visible")
    field.fill(value)
    expect(pickers).to_have_count(1)
    page.get_by_role("heading", name="Course run", exact=True).click()
    expect(pickers).to_have_count(0)


def publish(page) -> None:
    """The Publish action of the page editor's footer menu."""
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Publish").click()


def test_instructor_writes_publishes_and_schedules_a_course_then_teaches(
    new_page, academy, teaching_today
):
    page = new_page()
    log_in_to_admin(page, username=INSTRUCTOR_EMAIL)

    # A new course under the catalogue: saved as a draft, then published.
    page.goto(f"/admin/pages/{academy.catalogue.pk}/")
    page.get_by_role("link", name="Add child page").click()
    expect(page.get_by_role("heading", name="New: Course")).to_be_visible()
    page.get_by_role("textbox", name="Title*").fill(NEW_COURSE)
    page.get_by_role("textbox", name="Summary*").fill(
        "Deploy from Git: Argo CD, Helm and progressive delivery."
    )
    page.get_by_role("combobox", name="Level*").select_option(label="Intermediate")
    page.get_by_role("combobox", name="Language*").select_option(label="English")
    page.get_by_role("combobox", name="Format*").select_option(label="Blended")
    page.get_by_role("spinbutton", name="Duration hours*").fill("8")
    page.get_by_role("checkbox", name="Cloud & DevOps").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text(f"'{NEW_COURSE}' created")
    publish(page)
    expect(page.get_by_role("status")).to_contain_text("published")
    course = CoursePage.objects.get(title=NEW_COURSE)
    assert course.live
    assert course.instructors.filter(user=teaching_today.user).exists()

    # Module 1 with a quiz of one true/false question.
    page.goto(f"/admin/pages/{course.pk}/")
    page.get_by_role("link", name="Add child page").click()
    expect(page.get_by_role("heading", name="New: Module")).to_be_visible()
    page.get_by_role("textbox", name="Title*").fill("Git as the source of truth")
    body = page.get_by_role("region", name="Body")
    body.get_by_role("button", name="Insert a block").click()
    page.get_by_role("option", name="Quiz").click()
    quiz = body.get_by_role("region", name=re.compile("^Quiz"))
    quiz.get_by_role("textbox", name="Title*").fill("Check: GitOps basics")
    # The quiz's questions list (and its own "Insert a block") renders just
    # after the quiz appears: wait for it before opening its menu.
    expect(quiz.get_by_text(re.compile(r"^Questions"))).to_be_visible()
    true_false = page.get_by_role("option", name="True false")
    for _attempt in range(3):
        # A click that lands before the list's script is ready opens nothing.
        quiz.get_by_role("button", name="Insert a block").first.click()
        try:
            expect(true_false).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            continue
    true_false.click()
    question = quiz.get_by_role("region", name=re.compile("^True false"))
    question.get_by_role("textbox", name="Prompt*").fill(
        "In GitOps, the cluster pulls its desired state from Git."
    )
    # The answer is a clear choice, not a checkbox.
    question.get_by_role("radio", name="True", exact=True).check()
    expect(question.get_by_text("The statement is")).to_be_visible()
    screenshot(page, "instructor-1-module-with-quiz")
    publish(page)
    expect(page.get_by_role("status")).to_contain_text("published")

    # Module 2: text only.
    page.goto(f"/admin/pages/{course.pk}/")
    page.get_by_role("link", name="Add child page").click()
    page.get_by_role("textbox", name="Title*").fill("Progressive delivery")
    page.get_by_role("region", name="Body").get_by_role(
        "button", name="Insert a block"
    ).click()
    page.get_by_role("option", name="Paragraph").click()
    page.get_by_role("region", name="Body").get_by_role("textbox").last.fill(
        "Canary releases and automated rollbacks with Argo Rollouts."
    )
    publish(page)
    expect(page.get_by_role("status")).to_contain_text("published")

    modules = ModulePage.objects.child_of(course).live().specific()
    assert [m.title for m in modules] == [
        "Git as the source of truth",
        "Progressive delivery",
    ]
    [quiz_block] = [b for b in modules[0].body if b.block_type == "quiz"]
    assert quiz_block.value["questions"][0].value["answer"] is True

    # Scheduling > Runs: a run of the new course with two meetings.
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "button", name="Scheduling"
    ).click()
    page.get_by_role("link", name="Runs").click()
    page.get_by_role("link", name="Add course run").click()
    page.get_by_role("combobox", name="Course*").select_option(label=NEW_COURSE)
    starts_on = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_role("textbox", name="Label").fill("Novi Sad")
    fill_picker(page.get_by_role("textbox", name="Starts on*"), starts_on.isoformat())
    fill_picker(
        page.get_by_role("textbox", name="Ends on*"),
        (starts_on + dt.timedelta(days=1)).isoformat(),
    )
    page.get_by_role("spinbutton", name="Capacity*").fill("16")
    page.get_by_role("textbox", name="Location").fill(
        "Klaster akademija, Bulevar cara Lazara 7, Novi Sad"
    )
    page.get_by_role("listbox", name="Instructors").select_option(
        label="Milica Đorđević"
    )
    meetings = page.get_by_role("region", name="Meetings", exact=True)
    for number, day in ((1, 0), (2, 1)):
        meetings.get_by_role("button", name="Add Meeting").click()
        meeting = meetings.get_by_role("region", name=f"Meeting {number}")
        fill_picker(
            meeting.get_by_role("textbox", name="Date*"),
            (starts_on + dt.timedelta(days=day)).isoformat(),
        )
        fill_picker(meeting.get_by_role("textbox", name="Start time*"), "09:00")
        meeting.get_by_role("spinbutton", name="Duration minutes*").fill("240")
    page.get_by_role("navigation", name="Actions (footer)").get_by_role(
        "button", name="Save"
    ).click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"Course run .* created")
    )
    run = CourseRun.objects.get(course=course)
    assert run.starts_on == starts_on
    assert run.meetings.count() == 2
    assert list(run.instructors.values_list("user__username", flat=True)) == [
        INSTRUCTOR_EMAIL
    ]

    # Today's meeting of the run they teach: mark the register.
    page.goto("/teaching/")
    current = page.get_by_role("region", name="Current and upcoming runs")
    expect(current.get_by_role("link", name=NEW_COURSE)).to_be_visible()
    kubernetes = current.get_by_role("listitem").filter(
        has=page.get_by_role("link", name="Kubernetes in Production")
    )
    # The run's attendance page lists its meetings: today's register.
    kubernetes.get_by_role("link", name="Kubernetes in Production").click()
    page.get_by_role("row", name=re.compile(today_label())).get_by_role(
        "link", name="Register"
    ).click()
    expect(page.get_by_role("heading", name=re.compile("^Register:"))).to_be_visible()
    page.get_by_role("group", name=re.compile("^Jovana Jovanović")).get_by_label(
        "Present"
    ).check()
    page.get_by_role("group", name=re.compile("^Marko Marković")).get_by_label(
        "Absent"
    ).check()
    page.get_by_role("button", name="Save register").click()
    expect(page.get_by_role("status")).to_be_visible()
    screenshot(page, "instructor-2-register")
    marks = dict(
        AttendanceRecord.objects.filter(meeting=teaching_today.meeting).values_list(
            "enrolment__trainee__full_name", "status"
        )
    )
    assert marks == {"Jovana Jovanović": "present", "Marko Marković": "absent"}

    # The gradebook: grade Jovana's assignment.
    page.goto("/teaching/")
    kubernetes.get_by_role("link", name="Gradebook").click()
    page.get_by_role("row", name=re.compile("^Jovana Jovanović")).get_by_role(
        "link", name="Grade"
    ).click()
    page.get_by_label(re.compile(r"^Score \(0 to 100 points\)")).fill("85")
    page.get_by_label("Feedback for the trainee").fill(
        "A safe plan. Say how you would roll back."
    )
    screenshot(page, "instructor-3-grading")
    page.get_by_role("button", name="Save grade").click()
    expect(page.get_by_role("status")).to_be_visible()
    submission = AssignmentSubmission.objects.get(pk=teaching_today.submission.pk)
    assert submission.score == 85
    assert submission.passed is True
