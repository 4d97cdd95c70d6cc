"""Course teams: an instructor edits and publishes the courses they teach (and
their modules), and no other; Scheduling > Runs shows them their courses' runs
only (courses/services.py, courses/wagtail_hooks.py, courses/admin_forms.py)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, streamfield

from academy_site.roles import INSTRUCTOR, grant_role, roles_sync
from courses.models import CoursePage, CourseRun, Instructor, ModulePage
from courses.services import (
    course_team_group,
    course_team_sync,
    course_teams_prune,
)
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    ModulePageFactory,
    UserFactory,
    today,
)

pytestmark = pytest.mark.django_db


def instructor_account(name: str):
    user = UserFactory(username=f"{name.lower()}@academy.local", is_staff=True)
    user.first_name = name
    user.save()
    grant_role(user=user, role=INSTRUCTOR)
    return user


@pytest.fixture
def academy(catalogue):
    """Course 1 taught (course-level) by A, course 2 by B (on its run only)."""
    roles_sync()  # "add" on the catalogue made by the factory
    a, b = instructor_account("Ana"), instructor_account("Boris")
    profile_a = InstructorFactory(full_name="Ana Anić", user=a)
    profile_b = InstructorFactory(full_name="Boris Borić", user=b)
    course_1 = CoursePageFactory(parent=catalogue, title="Go", instructors=[profile_a])
    course_2 = CoursePageFactory(parent=catalogue, title="Rust")
    module_1 = ModulePageFactory(parent=course_1, title="Goroutines")
    module_2 = ModulePageFactory(parent=course_2, title="Ownership")
    run_1 = CourseRunFactory(course=course_1)
    run_2 = CourseRunFactory(course=course_2)
    run_2.instructors.add(profile_b)
    run_2.save()
    for course in (course_1, course_2):
        course_team_sync(course=course)
    return {
        "a": a,
        "b": b,
        "course_1": course_1,
        "course_2": course_2,
        "module_1": module_1,
        "module_2": module_2,
        "run_1": run_1,
        "run_2": run_2,
        "catalogue": catalogue,
    }


def page_form(page, user, **changes) -> dict:
    """The edit form's data for `page` as it is (StreamFields empty, as the
    factories make them), with `changes`."""
    form_class = page.specific_class.get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=user)
    data, lists = {}, {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("body",) or field.__class__.__name__ == "BlockField":
            data[name] = streamfield([])
        elif isinstance(value, (list, tuple, QuerySet)):
            lists[name] = [getattr(item, "pk", item) for item in value]
        elif value is None or value is False:
            continue
        elif value is True:
            data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    for name in form.formsets:
        data[name] = {
            "TOTAL_FORMS": "0",
            "INITIAL_FORMS": "0",
            "MIN_NUM_FORMS": "0",
            "MAX_NUM_FORMS": "1000",
        }
    for name, value in changes.items():
        (lists if isinstance(value, list) else data)[name] = value
    # nested_form_data would number a list's items; a multiple choice field
    # reads the repeated key.
    return {**nested_form_data(data), **lists}


def form_errors(response):
    form = response.context and response.context.get("form")
    if form is None:
        return response.status_code
    return {
        "form": form.errors,
        "formsets": {n: f.errors for n, f in form.formsets.items()},
    }


def edit(client, page, user, *, publish=False, **changes):
    data = page_form(page.specific, user, **changes)
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_team_holds_change_publish_and_add_on_its_course_only(academy):
    team = course_team_group(academy["course_1"])
    assert team.name == f"Course team: Go (#{academy['course_1'].pk})"
    assert set(team.user_set.all()) == {academy["a"]}
    assert {
        (p.page_id, p.permission.codename) for p in team.page_permissions.all()
    } == {
        (academy["course_1"].pk, "add_page"),
        (academy["course_1"].pk, "change_page"),
        (academy["course_1"].pk, "publish_page"),
    }


def test_run_instructors_join_the_course_team(academy):
    assert set(course_team_group(academy["course_2"]).user_set.all()) == {academy["b"]}


def test_syncing_again_changes_nothing_and_drops_who_no_longer_teaches(academy):
    course = academy["course_1"]
    course_team_sync(course=course)
    assert Group.objects.filter(name__startswith="Course team: Go").count() == 1
    course.instructors.clear()
    course.save()
    course.save_revision().publish()
    course_team_sync(course=course)
    assert not course_team_group(course).user_set.exists()


def test_instructor_edits_and_publishes_their_course_and_its_module(client, academy):
    client.force_login(academy["a"])
    course, module = academy["course_1"], academy["module_1"]
    response = edit(client, course, academy["a"], publish=True, title="Go, updated")
    assert response.status_code == 302, form_errors(response)
    assert CoursePage.objects.get(pk=course.pk).title == "Go, updated"
    response = edit(client, module, academy["a"], publish=True, title="Channels")
    assert response.status_code == 302
    assert ModulePage.objects.get(pk=module.pk).title == "Channels"
    # The team follows the new title.
    assert course_team_group(course).name.startswith("Course team: Go, updated")


def test_instructor_adds_a_module_to_their_course(client, academy):
    client.force_login(academy["a"])
    url = reverse(
        "wagtailadmin_pages:add",
        args=["courses", "modulepage", academy["course_1"].pk],
    )
    assert client.get(url).status_code == 200
    data = page_form(
        ModulePage(title="", estimated_minutes=30),
        academy["a"],
        title="Select",
        slug="select",
        estimated_minutes="30",
    )
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert academy["course_1"].get_children().filter(slug="select").exists()


def test_instructor_cannot_open_edit_or_publish_another_course(client, academy):
    client.force_login(academy["a"])
    course_2 = academy["course_2"]
    for page in (course_2, academy["module_2"]):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code in (302, 403)
        assert page.title not in response.content.decode()
    response = edit(client, course_2, academy["a"], publish=True, title="Hacked")
    assert response.status_code in (302, 403)
    assert Page.objects.get(pk=course_2.pk).title == "Rust"
    assert not Page.objects.get(pk=course_2.pk).has_unpublished_changes
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course_2.pk]),
        page_form(ModulePage(title=""), academy["a"], title="X", slug="x"),
    )
    assert response.status_code in (302, 403)
    assert not course_2.get_children().filter(slug="x").exists()


def test_instructor_creating_a_course_teaches_it_and_may_publish_it(client, academy):
    user = UserFactory(username="new@academy.local", is_staff=True)
    user.first_name, user.last_name = "Nova", "Novak"
    user.save()
    grant_role(user=user, role=INSTRUCTOR)
    client.force_login(user)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["courses", "coursepage", academy["catalogue"].pk],
    )
    data = page_form(
        CoursePage(title=""),
        user,
        title="Zig",
        slug="zig",
        summary="Systems programming.",
        level="beginner",
        language="en",
        format="in_person",
        duration_hours="8",
    )
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    course = CoursePage.objects.get(slug="zig")
    profile = Instructor.objects.get(user=user)
    assert profile.full_name == "Nova Novak"
    assert list(course.instructors.all()) == [profile]
    assert list(course.get_latest_revision_as_object().instructors.all()) == [profile]
    assert user in course_team_group(course).user_set.all()

    response = edit(client, course, user, publish=True)
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.live
    assert list(course.instructors.all()) == [profile]


def test_deleting_a_course_removes_its_team(academy):
    course = academy["course_2"]
    course.runs.all().delete()
    course.delete()
    assert course_teams_prune() == 1
    assert course_team_group(course) is None
    assert course_team_group(academy["course_1"]) is not None


# --- Scheduling > Runs ----------------------------------------------------------

RUNS = "wagtailsnippets_courses_courserun"


def test_run_listing_shows_an_instructor_only_their_courses_runs(client, academy):
    client.force_login(academy["a"])
    body = client.get(reverse(f"{RUNS}:list")).content.decode()
    assert "Go, " in body
    assert "Rust" not in body


def test_another_courses_run_answers_404_by_url(client, academy):
    client.force_login(academy["a"])
    run_2 = academy["run_2"]
    for view in ("edit", "delete", "usage", "history"):
        response = client.get(reverse(f"{RUNS}:{view}", args=[run_2.pk]))
        assert response.status_code == 404, view
    response = client.post(reverse(f"{RUNS}:edit", args=[run_2.pk]), {"capacity": "1"})
    assert response.status_code == 404
    assert CourseRun.objects.get(pk=run_2.pk).capacity == run_2.capacity


def test_run_form_offers_and_accepts_only_the_instructors_courses(client, academy):
    client.force_login(academy["a"])
    body = client.get(reverse(f"{RUNS}:add")).content.decode()
    assert ">Go</option>" in body
    assert "Rust" not in body
    start = today() + dt.timedelta(days=30)
    data = {
        "course": academy["course_2"].pk,
        "label": "",
        "starts_on": start.isoformat(),
        "ends_on": start.isoformat(),
        "enrolment_opens_on": "",
        "enrolment_closes_on": "",
        "capacity": "10",
        "location": "Novi Sad",
        "online_url": "",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse(f"{RUNS}:add"), data)
    assert response.status_code == 200  # the form again, with the error
    assert (
        not CourseRun.objects.filter(course=academy["course_2"])
        .exclude(pk=academy["run_2"].pk)
        .exists()
    )
    data["course"] = academy["course_1"].pk
    response = client.post(reverse(f"{RUNS}:add"), data)
    assert response.status_code == 302
    assert CourseRun.objects.filter(course=academy["course_1"]).count() == 2
    # Named no instructor: the instructor who scheduled it teaches it.
    new_run = CourseRun.objects.filter(course=academy["course_1"]).latest("pk")
    assert list(new_run.instructors.all()) == [academy["a"].instructor]


def test_a_run_scheduled_with_its_instructors_named_keeps_them(client, academy):
    client.force_login(academy["a"])
    start = today() + dt.timedelta(days=40)
    profile_b = academy["b"].instructor
    response = client.post(
        reverse(f"{RUNS}:add"),
        {
            "course": academy["course_1"].pk,
            "label": "",
            "starts_on": start.isoformat(),
            "ends_on": start.isoformat(),
            "enrolment_opens_on": "",
            "enrolment_closes_on": "",
            "capacity": "10",
            "location": "Novi Sad",
            "online_url": "",
            "instructors": [profile_b.pk],
            "meetings-TOTAL_FORMS": "0",
            "meetings-INITIAL_FORMS": "0",
            "meetings-MIN_NUM_FORMS": "0",
            "meetings-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    new_run = CourseRun.objects.filter(course=academy["course_1"]).latest("pk")
    assert list(new_run.instructors.all()) == [profile_b]


def test_a_course_with_instructors_added_in_memory_syncs_its_team(academy):
    course = academy["course_2"]
    course.instructors.add(academy["a"].instructor)  # not saved yet

    group = course_team_sync(course=course)

    assert academy["a"] in group.user_set.all()


def test_a_run_saved_in_the_admin_brings_its_instructors_into_the_team(client, academy):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    run_1 = academy["run_1"]
    profile_b = academy["b"].instructor
    data = {
        "course": run_1.course_id,
        "label": "",
        "starts_on": run_1.starts_on.isoformat(),
        "ends_on": run_1.ends_on.isoformat(),
        "enrolment_opens_on": "",
        "enrolment_closes_on": "",
        "capacity": str(run_1.capacity),
        "location": run_1.location,
        "online_url": "",
        "instructors": [profile_b.pk],
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse(f"{RUNS}:edit", args=[run_1.pk]), data)
    assert response.status_code == 302
    assert academy["b"] in course_team_group(academy["course_1"]).user_set.all()


def test_instructors_may_view_but_not_edit_instructors_and_topics(client, academy):
    client.force_login(academy["a"])
    profile_b = academy["b"].instructor
    assert (
        client.get(reverse("wagtailsnippets_courses_instructor:list")).status_code
        == 200
    )
    response = client.get(
        reverse("wagtailsnippets_courses_instructor:edit", args=[profile_b.pk])
    )
    assert response.status_code in (302, 403)
    response = client.get(reverse("wagtailsnippets_courses_topic:add"))
    assert response.status_code in (302, 403)


def test_run_chooser_offers_an_instructor_only_their_courses_runs(client, academy):
    client.force_login(academy["a"])
    chooser = "wagtailsnippetchoosers_courses_courserun"
    body = client.get(reverse(f"{chooser}:choose")).content.decode()
    assert "Go, " in body
    assert "Rust" not in body
    other = reverse(f"{chooser}:chosen", args=[academy["run_2"].pk])
    assert client.get(other).status_code == 404
    own = reverse(f"{chooser}:chosen", args=[academy["run_1"].pk])
    assert client.get(own).status_code == 200
    body = client.get(
        reverse(f"{chooser}:chosen_multiple"),
        {"id": [academy["run_1"].pk, academy["run_2"].pk]},
    ).content.decode()
    assert "Rust" not in body


def test_instructor_cannot_move_or_copy_a_module_into_another_course(client, academy):
    client.force_login(academy["a"])
    module, course_2 = academy["module_1"], academy["course_2"]
    response = client.get(
        reverse("wagtailadmin_pages:move_confirm", args=[module.pk, course_2.pk])
    )
    assert response.status_code in (302, 403)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[module.pk]),
        {
            "new_title": "Copied",
            "new_slug": "copied",
            "new_parent_page": course_2.pk,
        },
    )
    assert response.status_code in (302, 403)
    assert not course_2.get_children().filter(slug="copied").exists()
    assert module.get_parent().pk == academy["course_1"].pk
