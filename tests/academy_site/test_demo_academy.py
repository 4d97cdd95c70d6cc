"""`manage.py load_demo_academy`: `make run` calls it on every start, so a second
run must change nothing, and what it loads must be what the public site and the
demo logins promise."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision

from courses.models import CourseIndexPage, CoursePage, CourseRun, Meeting, ModulePage
from enrolments.models import MembershipPeriod, Organisation, TraineeProfile
from enrolments.validators import validate_pib
from home.models import HomePage

DEMO_COURSE_TITLE = "Kubernetes in Production"


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_academy", *args, stdout=out)
    return out.getvalue()


def database_counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        "runs": CourseRun.objects.count(),
        "meetings": Meeting.objects.count(),
        "users": get_user_model().objects.count(),
        "organisations": Organisation.objects.count(),
        "membership periods": MembershipPeriod.objects.count(),
        "trainee profiles": TraineeProfile.objects.count(),
        "featured courses": HomePage.objects.get().featured_courses.count(),
    }


@pytest.fixture
def demo(db) -> None:
    load_demo("--quiet")


@pytest.mark.django_db
def test_second_run_creates_and_publishes_nothing():
    load_demo("--quiet")
    first = database_counts()

    load_demo("--quiet")

    assert database_counts() == first
    assert first["runs"] > 0 and first["meetings"] > 0


@pytest.mark.django_db
def test_quiet_prints_nothing():
    assert load_demo("--quiet") == ""


@pytest.mark.django_db
def test_summary_gives_counts_urls_and_logins():
    output = load_demo()

    assert "8 courses" in output
    assert "http://127.0.0.1:8000/" in output
    assert "/admin/" in output
    assert "admin / demo-admin-pass-2026" in output
    assert "milica@academy.local / demo-instructor-2026" in output
    assert "demo-trainee-2026" in output
    assert "nothing, the demo academy was already complete" in load_demo()


@pytest.mark.django_db
def test_courses_cover_every_format_and_both_languages(demo):
    courses = CoursePage.objects.live()

    assert set(courses.values_list("format", flat=True)) == {
        "self_paced",
        "in_person",
        "blended",
    }
    assert set(courses.values_list("language", flat=True)) == {"sr", "en"}
    assert set(courses.values_list("level", flat=True)) == {
        "beginner",
        "intermediate",
        "advanced",
    }
    assert courses.filter(price_member=0, price_non_member=0).exists()
    assert courses.filter(enrolment_policy="approval").exists()


@pytest.mark.django_db
def test_every_course_is_published_with_modules_and_a_body(demo):
    catalogue = CourseIndexPage.objects.get(slug="courses")
    assert catalogue.live and catalogue.get_parent().specific_class is HomePage

    for course in CoursePage.objects.all():
        assert course.live and not course.has_unpublished_changes
        assert course.body and course.learning_outcome_list
        modules = ModulePage.objects.child_of(course)
        assert 2 <= modules.count() <= 4
        assert all(module.live and module.body for module in modules)


@pytest.mark.django_db
def test_runs_have_ended_in_progress_and_upcoming(demo):
    today = timezone.localdate()
    runs = CourseRun.objects.all()

    assert runs.filter(ends_on__lt=today).exists()
    assert runs.filter(starts_on__lte=today, ends_on__gte=today).exists()
    assert any(
        run.enrolment_state() == "open" for run in runs.filter(starts_on__gt=today)
    )
    assert not runs.filter(course__format="self_paced").exists()
    for run in runs:
        assert 12 <= run.capacity <= 30 and run.seats_taken == 0
        meetings = list(run.meetings.all())
        assert 2 <= len(meetings) <= 6
        assert all(run.starts_on <= m.date <= run.ends_on for m in meetings)


@pytest.mark.django_db
def test_trainee_names_keep_latin_diacritics_and_cyrillic(demo):
    assert TraineeProfile.objects.filter(full_name="Đorđe Petrović").exists()
    assert TraineeProfile.objects.filter(full_name="Јована Јовановић").exists()
    assert TraineeProfile.objects.filter(organisation__isnull=True).exists()
    assert len(set(TraineeProfile.objects.values_list("preferred_language"))) > 1


@pytest.mark.django_db
def test_organisations_have_valid_pibs_members_and_non_members(demo):
    today = timezone.localdate()

    for pib in Organisation.objects.values_list("pib", flat=True):
        validate_pib(pib)
    members = Organisation.objects.members_on(today)
    assert members.count() >= 3
    assert Organisation.objects.exclude(pk__in=members).count() >= 2
    assert MembershipPeriod.objects.filter(ends_on__year=today.year - 1).exists()


@pytest.mark.django_db
def test_demo_logins_work_and_instructors_can_open_the_admin(demo):
    assert authenticate(username="admin", password="demo-admin-pass-2026").is_superuser
    instructor = authenticate(
        username="milica@academy.local", password="demo-instructor-2026"
    )
    assert instructor.is_staff and instructor.has_perm("wagtailadmin.access_admin")
    assert authenticate(
        username="djordje.petrovic@panonijasoft.example", password="demo-trainee-2026"
    )


@pytest.mark.django_db
def test_rerun_keeps_a_changed_password(demo):
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-by-the-admin-2026")
    admin.save()

    load_demo("--quiet")

    assert authenticate(username="admin", password="changed-by-the-admin-2026")


@pytest.mark.django_db
def test_home_page_features_demo_courses(demo):
    home = HomePage.objects.get()

    assert home.featured_courses.count() == 3
    assert home.live and not home.has_unpublished_changes


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/courses/"])
def test_home_and_catalogue_show_a_demo_course(demo, client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert DEMO_COURSE_TITLE in response.content.decode()
