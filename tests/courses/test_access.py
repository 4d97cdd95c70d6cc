"""Who may see or change which courses and runs (courses/access.py), asked
directly with course teams built through the services."""

import pytest

from academy_site.roles import ACADEMY_ADMIN, INSTRUCTOR, grant_role, roles_sync
from courses.access import (
    courses_editable_by,
    is_instructor,
    may_add_below,
    runs_scheduled_by,
    runs_taught_by,
)
from courses.services import course_team_sync
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def account(name: str, role: str | None = None):
    user = UserFactory(username=f"{name.lower()}@academy.local", is_staff=True)
    if role:
        grant_role(user=user, role=role)
    return user


@pytest.fixture
def academy(catalogue):
    """Go is taught (course-level) by Ana; Rust by Boris on its run only."""
    roles_sync()
    ana, boris = account("Ana", INSTRUCTOR), account("Boris", INSTRUCTOR)
    profile_ana = InstructorFactory(full_name="Ana Anić", user=ana)
    profile_boris = InstructorFactory(full_name="Boris Borić", user=boris)
    go = CoursePageFactory(parent=catalogue, title="Go", instructors=[profile_ana])
    rust = CoursePageFactory(parent=catalogue, title="Rust")
    go_run, rust_run = CourseRunFactory(course=go), CourseRunFactory(course=rust)
    rust_run.instructors.add(profile_boris)
    rust_run.save()  # a ParentalManyToManyField writes on save
    for course in (go, rust):
        course_team_sync(course=course)
    return locals()


def test_an_instructor_edits_the_courses_of_their_team_only(academy):
    assert list(courses_editable_by(academy["ana"])) == [academy["go"]]
    assert list(courses_editable_by(academy["boris"])) == [academy["rust"]]


def test_academy_admins_and_superusers_edit_every_course(academy):
    admin = account("Admin", ACADEMY_ADMIN)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for user in (admin, superuser):
        assert set(courses_editable_by(user)) == {academy["go"], academy["rust"]}


def test_visitors_and_inactive_users_edit_nothing(academy):
    from django.contrib.auth.models import AnonymousUser

    academy["ana"].is_active = False
    assert not courses_editable_by(AnonymousUser()).exists()
    assert not courses_editable_by(academy["ana"]).exists()
    assert not runs_taught_by(academy["ana"]).exists()


def test_runs_scheduled_by_follow_the_courses_one_may_edit(academy):
    assert list(runs_scheduled_by(academy["ana"])) == [academy["go_run"]]
    assert list(runs_scheduled_by(academy["boris"])) == [academy["rust_run"]]


def test_runs_taught_by_are_the_runs_one_is_named_on(academy):
    # Ana teaches the Go course, not its run: she schedules it but is not on it.
    assert not runs_taught_by(academy["ana"]).exists()
    assert list(runs_taught_by(academy["boris"])) == [academy["rust_run"]]


def test_instructors_by_group_or_profile(academy):
    assert is_instructor(academy["ana"])
    profile_only = UserFactory()
    InstructorFactory(full_name="Vesna", user=profile_only)
    assert is_instructor(profile_only)
    assert not is_instructor(UserFactory())


def test_pages_go_below_a_course_only_for_those_who_may_edit_it(academy):
    assert may_add_below(academy["ana"], academy["go"])
    assert not may_add_below(academy["ana"], academy["rust"])
    assert may_add_below(academy["ana"], academy["catalogue"])
