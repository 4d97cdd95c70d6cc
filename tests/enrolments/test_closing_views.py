"""The "Close run" and "Reopen run" pages under /teaching/, as the run's
instructor, another instructor, a trainee and an academy admin use them."""

import pytest
from django.test import Client
from django.urls import reverse

from academy_site.roles import ACADEMY_ADMIN, grant_role
from enrolments.models import Enrolment
from tests.enrolments.closing_setup import at, closing_run, enrol, mark, teach
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def logged_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def run(catalogue, time_machine):
    time_machine.move_to(at(2, 10), tick=False)
    run = closing_run(catalogue, title="Kubernetes")
    ana = enrol(run, full_name="Ana Petrović")
    boris = enrol(run, full_name="Boris Ilić")
    time_machine.move_to(at(13, 10), tick=False)
    mark(run, {ana: 4, boris: 2})
    return run


@pytest.fixture
def admin():
    user = UserFactory(first_name="Jelena", last_name="Admin")
    grant_role(user=user, role=ACADEMY_ADMIN)
    return user


def close_url(run):
    return reverse("teaching:run_close", args=[run.pk])


def reopen_url(run):
    return reverse("teaching:run_reopen", args=[run.pk])


def test_the_runs_instructor_sees_who_will_complete_and_why(run):
    response = logged_in(teach(run)).get(close_url(run))
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 trainee will complete" in text
    assert "1 trainee will not complete" in text
    assert "attendance 50 % of 75 % required" in text
    assert "Ana Petrović" in text and "Boris Ilić" in text
    assert not Enrolment.objects.filter(run=run).exclude(status=Status.CONFIRMED)


def test_the_overview_offers_close_run_and_shows_the_state(run):
    response = logged_in(teach(run)).get(
        reverse("teaching:run_overview", args=[run.pk])
    )
    text = response.content.decode()
    assert close_url(run) in text
    assert "Running" in text
    assert reopen_url(run) not in text


def test_closing_from_the_page_closes_and_says_what_happened(run):
    instructor = teach(run)
    response = logged_in(instructor).post(close_url(run), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "teaching:run_overview", args=[run.pk]
    )
    text = response.content.decode()
    assert "The run is closed: 1 completed, 1 did not complete" in text
    assert "Closed on" in text
    run.refresh_from_db()
    assert run.closed_by == instructor
    assert close_url(run) not in text  # no second close offered


def test_another_instructor_and_a_trainee_get_404(run):
    other_run = closing_run(run.course.get_parent(), title="Other")
    someone_else = teach(other_run)
    trainee = TraineeProfileFactory().user
    for user in (someone_else, trainee):
        client = logged_in(user)
        assert client.get(close_url(run)).status_code == 404
        assert client.post(close_url(run)).status_code == 404
    run.refresh_from_db()
    assert not run.is_closed


def test_closing_needs_the_csrf_token(run):
    client = logged_in(teach(run), enforce_csrf_checks=True)
    assert client.post(close_url(run)).status_code == 403
    run.refresh_from_db()
    assert not run.is_closed


def test_a_visitor_is_sent_to_log_in(run):
    response = Client().post(close_url(run))
    assert response.status_code == 302
    run.refresh_from_db()
    assert not run.is_closed


def test_only_academy_admins_reopen_with_a_reason(run, admin):
    instructor = teach(run)
    logged_in(instructor).post(close_url(run))
    assert logged_in(instructor).get(reopen_url(run)).status_code == 403
    assert logged_in(instructor).post(reopen_url(run), {"reason": "x"}).status_code == (
        403
    )

    client = logged_in(admin)
    overview = client.get(reverse("teaching:run_overview", args=[run.pk]))
    assert reopen_url(run) in overview.content.decode()
    refused = client.post(reopen_url(run), {"reason": ""})
    assert refused.status_code == 400
    assert "Give the reason for reopening the run." in refused.content.decode()
    run.refresh_from_db()
    assert run.is_closed

    response = client.post(reopen_url(run), {"reason": "Wrong register"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert not run.is_closed
    assert set(run.enrolments.values_list("status", flat=True)) == {Status.CONFIRMED}


def test_the_register_of_a_closed_run_says_so_and_offers_no_save(run, admin):
    instructor = teach(run)
    logged_in(admin).post(close_url(run))
    meeting = run.meetings.first()
    response = logged_in(instructor).get(
        reverse("teaching:register", args=[meeting.pk])
    )
    text = response.content.decode()
    assert "This run was closed on" in text and "by Jelena Admin" in text
    assert "Save register" not in text


def test_the_close_summary_queries_do_not_grow_with_enrolments(
    run, django_assert_max_num_queries, time_machine
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(teach(run))
    with CaptureQueriesContext(connection) as few:
        client.get(close_url(run))
    time_machine.move_to(at(2, 10), tick=False)
    more = [enrol(run) for _ in range(12)]
    time_machine.move_to(at(13, 10), tick=False)
    mark(run, {enrolment: 3 for enrolment in more})
    with django_assert_max_num_queries(len(few)):
        response = client.get(close_url(run))
    assert "13 trainees will complete" in response.content.decode()


def test_scheduling_runs_lists_each_runs_state(run, admin):
    logged_in(admin).post(close_url(run))
    client = logged_in(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailsnippets_courses_courserun:list"))
    assert response.status_code == 200
    assert "Closed on" in response.content.decode()


def test_my_learning_shows_the_finished_course_with_its_result_and_reasons(run):
    run_close_as = teach(run)
    logged_in(run_close_as).post(close_url(run))
    boris = run.enrolments.get(trainee__full_name="Boris Ilić")
    response = logged_in(boris.trainee.user).get(reverse("learning:home"))
    text = response.content.decode()
    assert "Not completed" in text
    assert "Why: attendance 50 % of 75 % required" in text
    assert "finished on" in text


def test_the_admins_enrolment_page_reads_the_reasons_in_words(run, admin):
    logged_in(admin).post(close_url(run))
    boris = run.enrolments.get(trainee__full_name="Boris Ilić")
    response = logged_in(UserFactory(is_superuser=True, is_staff=True)).get(
        reverse("wagtailsnippets_enrolments_enrolment:inspect", args=[boris.pk])
    )
    assert response.status_code == 200
    assert "attendance 50 % of 75 % required" in response.content.decode()
