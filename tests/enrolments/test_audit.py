"""The audit trail of enrolments (enrolments/audit.py): approvals, rejections,
cancellations by the academy, register saves and grades each leave exactly one
entry in Wagtail's audit log, with the acting user and a sentence that says
what happened; a refused change leaves none. Read in Reports > Site history by
academy admins (never by instructors) and on an enrolment's History page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models import CoursePage, Instructor, Meeting
from enrolments import audit
from enrolments.errors import EnrolmentError
from enrolments.models import AssignmentSubmission, Enrolment
from enrolments.services import (
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
    enrolment_reject,
)
from enrolments.services.assignments import submission_grade
from enrolments.services.attendance import register_save
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
SITE_HISTORY = "wagtailadmin_reports:site_history"
ENROLMENT_URL = "wagtailsnippets_enrolments_enrolment:{}"


def perms(*names: str) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return found


def academy_admin():
    """Not a superuser: model permissions on the academy's apps and page
    explore rights, as academy_site/roles.py gives Academy admins."""
    from wagtail.models import GroupPagePermission, Page

    group = Group.objects.create(name="Test academy admins")
    group.permissions.set(
        [
            *perms("wagtailadmin.access_admin"),
            *Permission.objects.filter(
                content_type__app_label__in=["courses", "enrolments", "certificates"]
            ),
        ]
    )
    GroupPagePermission.objects.create(
        group=group,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="change_page"),
    )
    user = UserFactory(username="admin@academy.rs")
    user.groups.add(group)
    return user


def instructor_of(run, *, username="milica@academy.rs"):
    """An instructor as academy_site/roles.py makes one: admin access and run
    permissions (scoped to their runs by the viewsets), no enrolment ones."""
    user = UserFactory(username=username)
    user.user_permissions.set(
        perms(
            "wagtailadmin.access_admin",
            "courses.add_courserun",
            "courses.change_courserun",
            "courses.view_courserun",
        )
    )
    instructor = Instructor.objects.filter(user=user).first() or InstructorFactory(
        user=user
    )
    run.instructors.add(instructor)
    run.save()
    return user


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue,
        title="Python Basics",
        enrolment_policy=CoursePage.EnrolmentPolicy.APPROVAL,
    )


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course, capacity=10)


@pytest.fixture
def staff():
    return UserFactory(username="decider@academy.rs", is_superuser=True)


def request_from(run, name="Ana Petrović") -> Enrolment:
    return enrolment_create(trainee=TraineeProfileFactory(full_name=name), run=run)


def entries(action=None):
    queryset = ModelLogEntry.objects.filter(action__startswith="academy.")
    return queryset.filter(action=action) if action else queryset


def month(run) -> str:
    return f"{run.starts_on:%b %Y}"


# Enrolment decisions


def test_approval_logs_one_entry_naming_trainee_and_run(run, staff):
    enrolment = request_from(run)
    enrolment_approve(enrolment=enrolment, by=staff)

    (entry,) = entries()
    assert entry.action == audit.APPROVE
    assert entry.user == staff
    assert entry.content_type == ContentType.objects.get_for_model(Enrolment)
    assert entry.object_id == str(enrolment.pk)
    assert entry.label == (
        f"Approved enrolment of Ana Petrović in Python Basics ({month(run)})"
    )
    assert entry.message == "Enrolment approved"
    assert entry.data["trainee_id"] == enrolment.trainee_id


def test_run_label_appears_in_the_wording(course, staff):
    run = CourseRunFactory(course=course, label="Novi Sad")
    enrolment_approve(enrolment=request_from(run), by=staff)
    assert entries().get().label == (
        f"Approved enrolment of Ana Petrović in Python Basics ({month(run)}, Novi Sad)"
    )


def test_rejection_logs_the_reason(run, staff):
    enrolment = request_from(run, "Marko Marković")
    enrolment_reject(enrolment=enrolment, by=staff, reason="The run is for members.")

    (entry,) = entries()
    assert entry.action == audit.REJECT
    assert entry.user == staff
    assert entry.label == (
        f"Rejected enrolment of Marko Marković in Python Basics ({month(run)})"
    )
    assert entry.data["reason"] == "The run is for members."
    assert entry.message == "Enrolment rejected: The run is for members."
    assert entry.comment == "The run is for members."


def test_academy_cancellation_logs_the_staff_user(run, staff):
    enrolment = request_from(run)
    enrolment_cancel(enrolment=enrolment, by_staff=True, by=staff)

    (entry,) = entries()
    assert entry.action == audit.CANCEL
    assert entry.user == staff
    assert "Cancelled enrolment of Ana Petrović" in entry.label


def test_trainee_cancelling_their_own_enrolment_is_not_an_academy_action(run):
    enrolment_cancel(enrolment=request_from(run))
    assert not entries().exists()


@pytest.mark.parametrize(
    "refused",
    [
        lambda e, by: enrolment_approve(enrolment=e, by=by),
        lambda e, by: enrolment_reject(enrolment=e, by=by, reason="No."),
        lambda e, by: enrolment_cancel(enrolment=e, by_staff=True, by=by),
    ],
    ids=["approve", "reject", "cancel"],
)
def test_refused_decision_logs_nothing(run, staff, refused):
    enrolment = request_from(run)
    enrolment_cancel(enrolment=enrolment)  # cancelled: nothing more can happen
    with pytest.raises(EnrolmentError):
        refused(enrolment, staff)
    assert not entries().exists()


def test_rejection_without_a_reason_logs_nothing(run, staff):
    with pytest.raises(EnrolmentError):
        enrolment_reject(enrolment=request_from(run), by=staff, reason="   ")
    assert not entries().exists()


def test_bulk_actions_log_the_admin_who_clicked(client, run, staff):
    approve, cancel = request_from(run), request_from(run, "Jovana Jovanović")
    client.force_login(staff)
    for action, enrolment in (("approve", approve), ("cancel", cancel)):
        url = reverse("wagtail_bulk_action", args=("enrolments", "enrolment", action))
        response = client.post(f"{url}?id={enrolment.pk}", {})
        assert response.status_code == 302

    assert entries(audit.APPROVE).get().user == staff
    assert entries(audit.CANCEL).get().user == staff
    assert entries().count() == 2


# Registers and grades


@pytest.fixture
def meeting(run):
    return MeetingFactory(run=run, date=run.starts_on, start_time=dt.time(9))


def confirmed(run, name="Ana Petrović") -> Enrolment:
    enrolment = request_from(run, name)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Status.CONFIRMED)
    enrolment.refresh_from_db()
    return enrolment


def test_register_save_logs_one_entry_with_the_meeting_and_count(run, meeting):
    teacher = instructor_of(run)
    ana, marko = confirmed(run), confirmed(run, "Marko Marković")
    register_save(
        meeting=meeting, marks={ana.pk: "present", marko.pk: "absent"}, by=teacher
    )

    (entry,) = entries()
    assert entry.action == audit.ATTENDANCE
    assert entry.user == teacher
    assert entry.content_type == ContentType.objects.get_for_model(Meeting)
    assert entry.object_id == str(meeting.pk)
    when = f"{meeting.date:%-d %b %Y} 09:00"
    assert entry.label == (
        f"Marked attendance of Python Basics ({month(run)}), "
        f"meeting of {when}: 2 changed"
    )
    assert entry.message == f"Attendance marked for the meeting of {when}: 2 changed"


def test_register_saved_again_logs_only_what_changed(run, meeting):
    teacher = instructor_of(run)
    ana, marko = confirmed(run), confirmed(run, "Marko Marković")
    register_save(
        meeting=meeting, marks={ana.pk: "present", marko.pk: "absent"}, by=teacher
    )
    register_save(
        meeting=meeting, marks={ana.pk: "present", marko.pk: "late"}, by=teacher
    )
    register_save(
        meeting=meeting, marks={ana.pk: "present", marko.pk: "late"}, by=teacher
    )
    assert [e.data["changed"] for e in entries().order_by("pk")] == [2, 1]


def test_refused_register_logs_nothing(run, meeting):
    teacher = instructor_of(run)
    ana = confirmed(run)
    with pytest.raises(EnrolmentError):
        register_save(meeting=meeting, marks={ana.pk: "sleeping"}, by=teacher)
    stranger = confirmed(CourseRunFactory(course=run.course))
    with pytest.raises(EnrolmentError):
        register_save(meeting=meeting, marks={stranger.pk: "present"}, by=teacher)
    assert not entries().exists()


def test_register_page_logs_the_instructor_at_the_keyboard(client, run, meeting):
    teacher = instructor_of(run)
    ana = confirmed(run)
    client.force_login(teacher)
    url = reverse("teaching:register", args=[meeting.pk])
    form = client.get(url).context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data.update({name: "present" for name in data if name.endswith(str(ana.pk))})
    client.post(url, data)
    assert entries(audit.ATTENDANCE).get().user == teacher


def submission_of(enrolment, *, max_points="10") -> AssignmentSubmission:
    module = ModulePageFactory(parent=enrolment.course)
    return AssignmentSubmission.objects.create(
        enrolment=enrolment,
        module=module,
        assignment_id="a-1",
        text_html="<p>My work</p>",
        submitted_at=timezone.now(),
        max_points=Decimal(max_points),
    )


def test_grading_logs_one_entry_with_the_score(run):
    teacher = instructor_of(run)
    submission = submission_of(confirmed(run))
    submission_grade(submission=submission, by=teacher, score="7,5")

    (entry,) = entries()
    assert entry.action == audit.GRADE
    assert entry.user == teacher
    assert entry.content_type == ContentType.objects.get_for_model(AssignmentSubmission)
    assert entry.object_id == str(submission.pk)
    assert entry.label == (
        f"Graded the work of Ana Petrović in Python Basics ({month(run)}): 7.5 of 10"
    )
    assert entry.data["score"] == "7.5"
    assert entry.message.startswith("Graded: 7.5 of 10 points")


@pytest.mark.parametrize("score", ["11", "-1", "seven", "7.123"])
def test_refused_grade_logs_nothing(run, score):
    teacher = instructor_of(run)
    submission = submission_of(confirmed(run))
    with pytest.raises(EnrolmentError):
        submission_grade(submission=submission, by=teacher, score=score)
    assert not entries().exists()


# Where the entries are read


@pytest.fixture
def logged(run, meeting, staff):
    """One entry of each kind about this run."""
    teacher = instructor_of(run)
    approved = request_from(run)
    enrolment_approve(enrolment=approved, by=staff)
    enrolment_reject(
        enrolment=request_from(run, "Marko Marković"), by=staff, reason="Full."
    )
    register_save(meeting=meeting, marks={approved.pk: "present"}, by=teacher)
    submission_grade(submission=submission_of(approved), by=teacher, score="9")
    return approved


def test_academy_admin_sees_every_entry_in_site_history(client, logged):
    client.force_login(academy_admin())
    response = client.get(reverse(SITE_HISTORY))
    assert response.status_code == 200
    html = response.content.decode()
    for words in (
        "Approved enrolment of Ana Petrović",
        "Rejected enrolment of Marko Marković",
        "Enrolment rejected: Full.",
        "Marked attendance of Python Basics",
        "Graded the work of Ana Petrović",
    ):
        assert words in html


def test_instructor_sees_no_trainee_entries_in_site_history(client, logged, run):
    # Even an instructor of this very run: other instructors' trainees would
    # be listed the same way, so Site history shows them none of it.
    other = instructor_of(
        CourseRunFactory(course=run.course), username="other@academy.rs"
    )
    for user in (other, Instructor.objects.get(runs=run).user):
        client.force_login(user)
        response = client.get(reverse(SITE_HISTORY))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ana Petrović" not in html
        assert "Marko Marković" not in html
        assert "Marked attendance" not in html


def test_enrolment_inspect_page_links_to_its_history(client, logged):
    client.force_login(academy_admin())
    inspect = client.get(reverse(ENROLMENT_URL.format("inspect"), args=[logged.pk]))
    history_url = reverse(ENROLMENT_URL.format("history"), args=[logged.pk])
    assert history_url in inspect.content.decode()

    response = client.get(history_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enrolment approved" in html
    assert "Enrolment rejected" not in html  # another enrolment's entry


def test_enrolment_history_needs_the_view_permission(client, logged):
    user = UserFactory()
    user.user_permissions.set(perms("wagtailadmin.access_admin"))
    client.force_login(user)
    response = client.get(reverse(ENROLMENT_URL.format("history"), args=[logged.pk]))
    assert response.status_code in (302, 403, 404)


def test_site_history_links_a_register_save_to_the_register(client, logged, meeting):
    client.force_login(academy_admin())
    html = client.get(reverse(SITE_HISTORY)).content.decode()
    assert reverse("teaching:register", args=[meeting.pk]) in html
    submission = AssignmentSubmission.objects.get()
    assert reverse("learning:submission_grade", args=[submission.pk]) in html


def test_every_action_has_a_label_in_the_site_history_filter():
    from wagtail.log_actions import registry

    actions = dict(registry.get_choices())
    for action in (
        audit.APPROVE,
        audit.REJECT,
        audit.CANCEL,
        audit.ATTENDANCE,
        audit.GRADE,
    ):
        assert actions[action]


def test_wording_of_self_paced_enrolment(catalogue, staff):
    course = CoursePageFactory(
        parent=catalogue,
        title="Git Essentials",
        format=CoursePage.Format.SELF_PACED,
        enrolment_policy=CoursePage.EnrolmentPolicy.APPROVAL,
    )
    enrolment = enrolment_create(
        trainee=TraineeProfileFactory(full_name="Ana Petrović"), course=course
    )
    enrolment_approve(enrolment=enrolment, by=staff)
    assert entries().get().label == (
        "Approved enrolment of Ana Petrović in Git Essentials (self-paced)"
    )
