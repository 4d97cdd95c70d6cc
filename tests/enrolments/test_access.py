"""Who may see or change what in enrolments (enrolments/access.py), asked
directly, with the academy built through factories and services."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from academy_site.roles import ACADEMY_ADMIN, INSTRUCTOR, grant_role, roles_sync
from courses.models import ModulePage
from courses.services import course_author_add
from enrolments.access import (
    cancellation_deadline,
    cancellation_refusal,
    enrolments_managed_by,
    enrolments_visible_to,
    grades_all_submissions,
    has_teaching_role,
    managed_meeting_or_404,
    managed_run_or_404,
    manages_all_runs,
    may_cancel,
    may_erase_trainees,
    may_study,
    may_view_reports,
    meetings_managed_by,
    runs_managed_by,
    studying_enrolment,
    submissions_gradable_by,
    submissions_readable_by,
    teaches_or_manages,
    teaches_runs,
    trainees_visible_to,
)
from enrolments.errors import CancellationTooLate, InvalidTransition
from enrolments.models import Enrolment
from enrolments.services import enrolment_cancel, enrolment_create
from enrolments.services.assignments import submission_submit
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
    today,
)

pytestmark = pytest.mark.django_db


def assignment_block():
    return {
        "type": "assignment",
        "id": "a-1",
        "value": {
            "title": "Essay",
            "instructions": "<p>Write.</p>",
            "deadline": None,
            "max_points": "100",
            "accepts": "both",
            "required": True,
        },
    }


def staff(name: str, role: str):
    user = UserFactory(username=f"{name.lower()}@academy.local", is_staff=True)
    grant_role(user=user, role=role)
    return user


@pytest.fixture
def academy(catalogue):
    """Boris teaches the Rust run; the Go run has no instructor. One trainee
    in each run, each with an essay handed in; Vesna is an academy admin."""
    roles_sync()
    boris = staff("Boris", INSTRUCTOR)
    InstructorFactory(full_name="Boris Borić", user=boris)
    rust = CoursePageFactory(parent=catalogue, title="Rust")
    go = CoursePageFactory(parent=catalogue, title="Go")
    rust_run = CourseRunFactory(course=rust, starts_on=today() + dt.timedelta(days=30))
    go_run = CourseRunFactory(course=go)
    rust_run.instructors.add(boris.instructor)
    rust_run.save()  # a ParentalManyToManyField writes on save
    rust_meeting = MeetingFactory(run=rust_run)
    go_meeting = MeetingFactory(run=go_run)
    ana, marko = TraineeProfileFactory(), TraineeProfileFactory()
    ana_rust = enrolment_create(trainee=ana, run=rust_run)
    marko_go = enrolment_create(trainee=marko, run=go_run)
    submissions = {}
    for enrolment in (ana_rust, marko_go):
        module = ModulePageFactory(parent=enrolment.course, body=[assignment_block()])
        submissions[enrolment.pk] = submission_submit(
            enrolment=enrolment, module=module, assignment_id="a-1", text_html="Hi"
        )
    return {
        "boris": boris,
        "vesna": staff("Vesna", ACADEMY_ADMIN),
        "ana": ana,
        "marko": marko,
        "rust": rust,
        "rust_run": rust_run,
        "go_run": go_run,
        "rust_meeting": rust_meeting,
        "go_meeting": go_meeting,
        "ana_rust": ana_rust,
        "marko_go": marko_go,
        "ana_essay": submissions[ana_rust.pk],
        "marko_essay": submissions[marko_go.pk],
    }


# Studying


def test_a_confirmed_trainee_studies_and_a_stranger_does_not(academy):
    ana, rust = academy["ana"], academy["rust"]
    assert studying_enrolment(user=ana.user, course=rust) == academy["ana_rust"]
    assert may_study(user=ana.user, course=rust)
    assert not may_study(user=academy["marko"].user, course=rust)
    assert not may_study(user=AnonymousUser(), course=rust)
    assert studying_enrolment(user=AnonymousUser(), course=rust) is None


def test_modules_open_to_the_course_team_and_academy_admins_only(academy):
    """Boris teaches a Rust run: Rust's modules are his to read, Go's (a
    colleague's course) are not, although he can use the admin. Vesna, an
    academy admin, reads both; so does an instructor named on the Go course."""
    boris, rust, go_run = academy["boris"], academy["rust"], academy["go_run"]
    go = go_run.course
    assert boris.has_perm("wagtailadmin.access_admin")
    assert may_study(user=boris, course=rust)
    assert not may_study(user=boris, course=go)
    assert may_study(user=academy["vesna"], course=go)
    gordana = staff("Gordana", INSTRUCTOR)
    go.instructors.add(InstructorFactory(full_name="Gordana Gojković", user=gordana))
    assert may_study(user=gordana, course=go)
    assert not may_study(user=gordana, course=rust)
    editor = staff("Petar", INSTRUCTOR)
    course_author_add(course=go, user=editor)
    assert may_study(user=editor, course=go)


def test_a_colleagues_module_page_answers_403_to_an_instructor(academy, client):
    go_module = ModulePage.objects.child_of(academy["go_run"].course).get()
    rust_module = ModulePage.objects.child_of(academy["rust"]).get()
    client.force_login(academy["boris"])
    locked = client.get(go_module.url)
    assert locked.status_code == 403
    assert "Essay" not in locked.content.decode()
    assert client.get(rust_module.url).status_code == 200
    client.force_login(academy["vesna"])
    assert client.get(go_module.url).status_code == 200


# Cancelling


def test_a_trainee_cancels_until_the_deadline_and_the_academy_at_any_time(academy):
    enrolment = academy["ana_rust"]
    deadline = cancellation_deadline(enrolment)
    assert deadline == academy["rust_run"].starts_on - dt.timedelta(
        days=academy["rust"].cancellation_deadline_days
    )
    assert may_cancel(enrolment=enrolment, on=deadline)
    late = deadline + dt.timedelta(days=1)
    assert not may_cancel(enrolment=enrolment, on=late)
    assert isinstance(
        cancellation_refusal(enrolment=enrolment, on=late), CancellationTooLate
    )
    assert may_cancel(enrolment=enrolment, by_staff=True, on=late)


def test_a_cancelled_enrolment_cannot_be_cancelled_again(academy):
    enrolment = enrolment_cancel(enrolment=academy["ana_rust"])
    assert enrolment.status == Enrolment.Status.CANCELLED
    refusal = cancellation_refusal(enrolment=enrolment, by_staff=True)
    assert isinstance(refusal, InvalidTransition)
    assert not may_cancel(enrolment=enrolment, by_staff=True)
    with pytest.raises(InvalidTransition):
        enrolment_cancel(enrolment=enrolment, by_staff=True)


def test_a_self_paced_enrolment_has_no_deadline(academy, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Scrum", format="self_paced")
    enrolment = enrolment_create(trainee=academy["ana"], course=course)
    assert cancellation_deadline(enrolment) is None
    assert may_cancel(enrolment=enrolment, on=today() + dt.timedelta(days=3650))


# Teaching


def test_an_instructor_manages_the_runs_they_teach_and_an_admin_every_run(academy):
    boris, vesna = academy["boris"], academy["vesna"]
    assert list(runs_managed_by(boris)) == [academy["rust_run"]]
    assert list(meetings_managed_by(boris)) == [academy["rust_meeting"]]
    assert set(runs_managed_by(vesna)) == {academy["rust_run"], academy["go_run"]}
    assert manages_all_runs(vesna) and not manages_all_runs(boris)
    assert teaches_runs(boris) and teaches_runs(vesna)
    assert not runs_managed_by(AnonymousUser()).exists()
    assert not teaches_runs(academy["ana"].user)


def fresh(user):
    """The user as the next request loads it: no permission or role read."""
    return type(user).objects.get(pk=user.pk)


def test_the_header_roles_in_one_query_say_what_the_permissions_say(
    academy, django_assert_num_queries
):
    from django.contrib.auth.models import Permission

    from enrolments.access import SiteRoles, site_roles
    from enrolments.models import Coordinator, Organisation

    ana = academy["ana"].user
    coordinator = UserFactory()
    Coordinator.objects.create(
        organisation=Organisation.objects.create(name="Panonija soft"),
        user=coordinator,
    )
    # "Access the admin" given to the user, not through a group.
    editor = UserFactory()
    editor.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    superuser = UserFactory(is_superuser=True)
    expected = {
        "boris": SiteRoles(teaches=True, coordinates=False, admin=True),
        "vesna": SiteRoles(teaches=True, coordinates=False, admin=True),
        "ana": SiteRoles(teaches=False, coordinates=False, admin=False),
        "coordinator": SiteRoles(teaches=False, coordinates=True, admin=False),
        "editor": SiteRoles(teaches=False, coordinates=False, admin=True),
        "superuser": SiteRoles(teaches=True, coordinates=False, admin=True),
    }
    users = {
        "boris": academy["boris"],
        "vesna": academy["vesna"],
        "ana": ana,
        "coordinator": coordinator,
        "editor": editor,
        "superuser": superuser,
    }
    for name, user in users.items():
        user = fresh(user)
        with django_assert_num_queries(1):
            roles = site_roles(user)
        assert roles == expected[name], name
        # The same answer from permissions a page has loaded already.
        loaded = fresh(user)
        loaded.get_all_permissions()
        assert site_roles(loaded) == expected[name], name
        assert roles.admin == fresh(user).has_perm("wagtailadmin.access_admin")
        assert roles.teaches == teaches_runs(fresh(user))


def test_managing_every_run_teaches_nothing_before_a_run_exists(catalogue):
    from enrolments.access import site_roles

    roles_sync()
    vesna = staff("Vesna", ACADEMY_ADMIN)
    assert manages_all_runs(fresh(vesna))
    assert not site_roles(fresh(vesna)).teaches
    CourseRunFactory(course=CoursePageFactory(parent=catalogue))
    assert site_roles(fresh(vesna)).teaches


def test_a_run_or_meeting_one_does_not_manage_is_not_found(academy):
    boris = academy["boris"]
    assert managed_run_or_404(boris, academy["rust_run"].pk) == academy["rust_run"]
    meeting = academy["rust_meeting"]
    assert managed_meeting_or_404(boris, meeting.pk) == meeting
    with pytest.raises(Http404):
        managed_run_or_404(boris, academy["go_run"].pk)
    with pytest.raises(Http404):
        managed_meeting_or_404(boris, academy["go_meeting"].pk)


def test_teaching_roles(academy):
    boris, vesna, ana = academy["boris"], academy["vesna"], academy["ana"].user
    assert has_teaching_role(boris) and has_teaching_role(vesna)
    assert not has_teaching_role(ana)
    assert teaches_or_manages(boris) and teaches_or_manages(vesna)
    assert not teaches_or_manages(ana)


# The admin's rows


def test_an_instructor_sees_the_enrolments_and_trainees_of_their_runs(academy):
    boris = academy["boris"]
    assert list(enrolments_visible_to(boris)) == [academy["ana_rust"]]
    assert list(enrolments_managed_by(boris)) == [academy["ana_rust"]]
    assert list(trainees_visible_to(boris)) == [academy["ana"]]


def test_an_academy_admin_sees_every_enrolment_and_trainee(academy):
    vesna = academy["vesna"]
    everyone = {academy["ana_rust"], academy["marko_go"]}
    assert set(enrolments_visible_to(vesna)) == everyone
    assert set(enrolments_managed_by(vesna)) == everyone
    assert set(trainees_visible_to(vesna)) == {academy["ana"], academy["marko"]}


# Assignments


def test_instructors_grade_their_runs_work_and_admins_all_of_it(academy):
    boris, vesna = academy["boris"], academy["vesna"]
    assert list(submissions_gradable_by(boris)) == [academy["ana_essay"]]
    assert grades_all_submissions(vesna) and not grades_all_submissions(boris)
    assert set(submissions_gradable_by(vesna)) == {
        academy["ana_essay"],
        academy["marko_essay"],
    }


def test_a_trainee_reads_their_own_work_only(academy):
    ana = academy["ana"].user
    assert not submissions_gradable_by(ana).exists()
    assert list(submissions_readable_by(ana)) == [academy["ana_essay"]]
    assert not submissions_readable_by(AnonymousUser()).exists()


# Reports and erasure


def test_academy_admins_view_reports_and_erase_trainees_and_instructors_do_not(
    academy,
):
    vesna, boris = academy["vesna"], academy["boris"]
    assert may_view_reports(vesna) and may_erase_trainees(vesna)
    assert not may_view_reports(boris) and not may_erase_trainees(boris)
    vesna.is_active = False
    assert not may_view_reports(vesna) and not may_erase_trainees(vesna)
