"""The roles (academy_site/roles.py) and what each may see in the admin:
academy admins run the back office without being superusers, instructors see
the people of their own runs only, trainees never get into the admin."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from academy_site.roles import (
    ACADEMY_ADMIN,
    INSTRUCTOR,
    TRAINEE,
    grant_role,
    roles_sync,
)
from courses.models import CourseIndexPage, Meeting
from enrolments.accounts.services import trainee_sign_up
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from tests.factories import UserFactory, home_page
from tests.test_admin_walk import (
    COURSE_1_TRAINEES,
    COURSE_2_TRAINEES,
    academy,
    trainee,
)

__all__ = ["academy"]  # the fixture, shared with the walk

pytestmark = pytest.mark.django_db

ENROLMENTS = "wagtailsnippets_enrolments_enrolment"
OWN_NAME, OWN_EMAIL = COURSE_1_TRAINEES[0]
OTHER_NAME, OTHER_EMAIL = COURSE_2_TRAINEES[0]


def permissions_of(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def counts() -> dict:
    return {
        "groups": Group.objects.count(),
        "model": {r: sorted(permissions_of(r)) for r in (ACADEMY_ADMIN, INSTRUCTOR)},
        "page": GroupPagePermission.objects.count(),
        "collection": GroupCollectionPermission.objects.count(),
    }


# --- The groups -------------------------------------------------------------------


def test_the_migration_makes_the_three_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        ACADEMY_ADMIN,
        INSTRUCTOR,
        TRAINEE,
    }


def test_academy_admins_hold_the_back_office_permissions():
    held = permissions_of(ACADEMY_ADMIN)
    assert {
        "wagtailadmin.access_admin",
        "enrolments.view_reports",
        "enrolments.erase_traineeprofile",
        "enrolments.change_enrolment",
        "enrolments.change_attendancerecord",
        "enrolments.add_organisation",
        "certificates.add_certificate",
        "certificates.change_certificatetemplate",
        "courses.change_courserun",
        "home.change_academysettings",
    } <= held
    # Users and groups stay with the superuser.
    assert not {p for p in held if p.startswith("auth.")}
    group = Group.objects.get(name=ACADEMY_ADMIN)
    assert {
        p.permission.codename
        for p in group.page_permissions.filter(page__depth=1).select_related(
            "permission"
        )
    } == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
    assert group.collection_permissions.filter(
        permission__codename="choose_image"
    ).exists()


def test_instructors_hold_only_what_teaching_needs():
    assert permissions_of(INSTRUCTOR) == {
        "wagtailadmin.access_admin",
        "courses.add_courserun",
        "courses.change_courserun",
        "courses.view_courserun",
        "courses.add_latinterm",
        "courses.change_latinterm",
        "courses.view_latinterm",
        "courses.view_instructor",
        "courses.view_topic",
        "courses.view_evaluationform",
    }
    assert {
        p.permission.codename
        for p in Group.objects.get(name=INSTRUCTOR).collection_permissions.all()
    } == {"add_image", "choose_image", "add_document", "choose_document"}


def test_trainees_hold_no_permission_at_all():
    group = Group.objects.get(name=TRAINEE)
    assert not group.permissions.exists()
    assert not group.page_permissions.exists()
    assert not group.collection_permissions.exists()


def test_instructors_may_add_courses_under_every_catalogue_page(catalogue):
    roles_sync()
    rows = GroupPagePermission.objects.filter(group__name=INSTRUCTOR)
    assert {(r.page_id, r.permission.codename) for r in rows} == {
        (catalogue.pk, "add_page")
    }


def test_syncing_again_changes_nothing(catalogue):
    roles_sync()
    before = counts()
    call_command("roles_sync", verbosity=0)
    assert counts() == before


def test_syncing_takes_back_what_a_role_must_not_hold():
    trainees = Group.objects.get(name=TRAINEE)
    trainees.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=trainees,
        page=home_page(),
        permission=Permission.objects.get(codename="change_page"),
    )
    roles_sync()
    assert not trainees.permissions.exists()
    assert not trainees.page_permissions.exists()


def test_grant_role_refuses_an_unknown_role():
    with pytest.raises(ValueError, match="Unknown role"):
        grant_role(user=UserFactory(), role="Superheroes")


def test_grant_role_makes_missing_groups():
    Group.objects.filter(name=INSTRUCTOR).delete()
    user = UserFactory()
    grant_role(user=user, role=INSTRUCTOR)
    assert user.has_perm("wagtailadmin.access_admin")


def test_a_new_catalogue_page_made_in_the_admin_opens_to_instructors(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    home = home_page()
    url = reverse(
        "wagtailadmin_pages:add", args=["courses", "courseindexpage", home.pk]
    )
    response = client.post(
        url,
        {"title": "Courses", "slug": "courses", "intro": "", "courses_per_page": 12},
    )
    assert response.status_code == 302
    catalogue = CourseIndexPage.objects.get(slug="courses")
    assert GroupPagePermission.objects.filter(
        group__name=INSTRUCTOR, page=catalogue, permission__codename="add_page"
    ).exists()


def test_sign_up_puts_the_new_trainee_in_the_trainees_group():
    user = trainee_sign_up(
        email="nova@mail.example",
        full_name="Nova Trainee",
        organisation=None,
        preferred_language="en",
        password="a-long-passphrase-2026",
    )
    assert list(user.groups.values_list("name", flat=True)) == [TRAINEE]
    assert not user.has_perm("wagtailadmin.access_admin")


# --- Trainees and the admin ------------------------------------------------------


def test_a_trainee_opening_the_admin_is_sent_to_log_in(client, academy):
    client.force_login(academy["trainee"])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    followed = client.get("/admin/", follow=True).content.decode()
    assert "You do not have permission to access the admin" in followed
    assert OWN_NAME not in followed


# --- Academy admins ----------------------------------------------------------------


def test_the_academy_admin_runs_the_back_office_but_not_user_accounts(client, academy):
    admin = academy["admin"]
    assert not admin.is_superuser
    client.force_login(admin)
    for name in (
        f"{ENROLMENTS}:list",
        "trainees:index",
        "wagtailsnippets_enrolments_organisation:list",
        "certificates_admin:list",
        "certificate_templates:list",
        "wagtailsnippets_courses_courserun:list",
        "wagtailimages:index",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    body = client.get(reverse(f"{ENROLMENTS}:list")).content.decode()
    assert OWN_NAME in body and OTHER_NAME in body
    for name in ("wagtailusers_users:index", "wagtailusers_groups:index"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name


# --- Instructors ---------------------------------------------------------------------


@pytest.fixture
def instructor_client(client, academy):
    client.force_login(academy["a"])
    return client


def other_enrolment():
    return Enrolment.objects.get(trainee__full_name=OTHER_NAME)


def test_instructor_sees_the_enrolments_and_trainees_of_their_runs_only(
    instructor_client,
):
    for name in (f"{ENROLMENTS}:list", "trainees:index"):
        body = instructor_client.get(reverse(name)).content.decode()
        assert OWN_NAME in body, name
        assert OTHER_NAME not in body and OTHER_EMAIL not in body, name


def test_instructor_filters_offer_only_their_courses_and_runs(
    instructor_client, academy
):
    body = instructor_client.get(reverse(f"{ENROLMENTS}:list")).content.decode()
    assert "Walk course 1" in body
    assert "Walk course 2" not in body
    # Choosing the other run by URL is a refused filter: still their rows only.
    other_run = academy["runs"][1].pk
    body = instructor_client.get(
        reverse(f"{ENROLMENTS}:list"), {"run": other_run}
    ).content.decode()
    assert OTHER_NAME not in body


def test_instructor_opening_another_runs_enrolment_or_trainee_gets_404(
    instructor_client,
):
    enrolment = other_enrolment()
    for url in (
        reverse(f"{ENROLMENTS}:inspect", args=[enrolment.pk]),
        reverse("trainees:inspect", args=[enrolment.trainee_id]),
    ):
        assert instructor_client.get(url).status_code == 404, url


def test_instructor_may_not_decide_enrolments(instructor_client):
    own = Enrolment.objects.get(trainee__full_name=OWN_NAME)
    for enrolment in (own, other_enrolment()):
        url = reverse("wagtail_bulk_action", args=("enrolments", "enrolment", "cancel"))
        response = instructor_client.post(f"{url}?id={enrolment.pk}")
        assert response.status_code in (302, 403, 404)
        enrolment.refresh_from_db()
        assert enrolment.status == Enrolment.Status.CONFIRMED


def test_bulk_action_pages_never_name_another_runs_trainee(client, academy):
    """Even someone who may decide sees only their own runs' rows."""
    user = academy["a"]
    user.user_permissions.add(Permission.objects.get(codename="change_enrolment"))
    client.force_login(user)
    url = reverse("wagtail_bulk_action", args=("enrolments", "enrolment", "approve"))
    response = client.get(f"{url}?id={other_enrolment().pk}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"export": "csv"},
        {"export": "xlsx"},
        {"export": "csv", "run": "not-a-number", "status": "bogus"},
        {"export": "csv", "created_at": "31.02.2026", "organisation": "-1"},
    ],
)
def test_instructor_exports_hold_only_their_rows_even_with_bad_filters(
    instructor_client, query
):
    response = instructor_client.get(reverse(f"{ENROLMENTS}:list"), query)
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if query["export"] == "csv":
        text = content.decode("utf-8-sig")
        assert OWN_NAME in text
        assert OTHER_NAME not in text and OTHER_EMAIL not in text


def test_a_malformed_export_filter_gives_the_admin_a_file_not_an_error(client, academy):
    client.force_login(academy["admin"])
    response = client.get(
        reverse(f"{ENROLMENTS}:list"),
        {"export": "csv", "run": "x", "course": "1;DROP", "created_at": "soon"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_instructor_gets_404_for_another_runs_register_gradebook_and_exports(
    instructor_client, academy
):
    other_run = academy["runs"][1]
    meeting = Meeting.objects.get(run=other_run)
    urls = [
        reverse(f"teaching:{name}", args=[other_run.pk])
        for name in (
            "run_overview",
            "export_csv",
            "export_xlsx",
            "gradebook",
            "gradebook_csv",
            "gradebook_xlsx",
        )
    ] + [
        reverse(f"teaching:{name}", args=[meeting.pk])
        for name in ("register", "check_in_display", "check_in_code", "sign_in_sheet")
    ]
    for url in urls:
        assert instructor_client.get(url).status_code == 404, url
    response = instructor_client.post(
        reverse("teaching:register", args=[meeting.pk]), {}
    )
    assert response.status_code == 404


def test_instructor_is_turned_away_from_organisations_certificates_and_users(
    instructor_client,
):
    for name in (
        "wagtailsnippets_enrolments_organisation:list",
        "certificates_admin:list",
        "certificate_templates:list",
        "wagtailusers_users:index",
        "wagtailsettings:edit",
    ):
        args = ["home", "academysettings"] if name == "wagtailsettings:edit" else []
        response = instructor_client.get(reverse(name, args=args))
        assert response.status_code in (302, 403), name


def test_the_instructor_menu_shows_their_people_but_not_the_office(
    instructor_client,
):
    body = instructor_client.get("/admin/").content.decode()
    assert reverse(f"{ENROLMENTS}:list") in body
    assert reverse("trainees:index") in body
    assert reverse("wagtailsnippets_enrolments_organisation:list") not in body
    assert reverse("certificates_admin:list") not in body


def test_instructor_listings_cost_the_same_queries_for_few_or_many_rows(
    client, academy
):
    client.force_login(academy["a"])
    run = academy["runs"][0]

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    few = {name: queries(name) for name in (f"{ENROLMENTS}:list", "trainees:index")}
    for number in range(10):
        enrolment_create(
            trainee=trainee(f"Extra Trainee {number}", f"extra{number}@one.example"),
            run=run,
        )
    many = {name: queries(name) for name in few}
    assert many == few


@pytest.mark.parametrize(
    "chooser", ["enrolments/organisation", "certificates/certificatetemplate"]
)
def test_office_choosers_list_nothing_to_instructors(client, academy, chooser):
    app_label, model_name = chooser.split("/")
    namespace = f"wagtailsnippetchoosers_{app_label}_{model_name}"
    # The first row's id: sequences are not reset between tests on PostgreSQL.
    pk = apps.get_model(app_label, model_name).objects.order_by("pk").first().pk
    client.force_login(academy["a"])
    body = client.get(reverse(f"{namespace}:choose")).content.decode()
    assert "Walkers d.o.o." not in body
    response = client.get(reverse(f"{namespace}:chosen", args=[pk]))
    assert response.status_code == 404
    client.force_login(academy["admin"])
    response = client.get(reverse(f"{namespace}:chosen", args=[pk]))
    assert response.status_code == 200
    if model_name == "organisation":
        body = client.get(reverse(f"{namespace}:choose")).content.decode()
        assert "Walkers d.o.o." in body


def test_groups_are_synced_again_after_every_migrate():
    from django.apps import apps

    from academy_site.apps import roles_sync_after_migrate

    Group.objects.filter(name=TRAINEE).delete()
    roles_sync_after_migrate(sender=apps.get_app_config("academy_site"))
    assert not Group.objects.filter(name=TRAINEE).exists()  # not the last app yet
    # Django sends post_migrate only for apps with models: the last of those.
    senders = [c for c in apps.get_app_configs() if c.models_module is not None]
    roles_sync_after_migrate(sender=senders[-1])
    assert Group.objects.filter(name=TRAINEE).exists()
