"""The academy's comparison of course evaluations (Reports > Course
evaluations): per run, per course and per instructor, the answers, response
rate, mean rating and NPS; CSV and XLSX; queries that do not grow with runs."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import EvaluationForm
from enrolments.services.attendance import register_save
from enrolments.services.evaluations import evaluation_submit
from tests.enrolments.evaluation_setup import (
    at,
    evaluation_form,
    good_answers,
    run_with_trainees,
)
from tests.factories import InstructorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_reports"])
    )
    return user


def evaluated_run(time_machine, catalogue, *, title, instructor, ratings, prefix):
    """A run whose trainees all came, one answer per rating in `ratings`
    (NPS 9 for a 5, else 5), and one trainee more who did not answer."""
    time_machine.move_to(at(1, 9), tick=False)
    if not EvaluationForm.objects.exists():
        evaluation_form()
    names = [f"{prefix} {n}" for n in range(len(ratings) + 1)]
    setup = run_with_trainees(catalogue, names=names, email_prefix=prefix, title=title)
    setup["run"].instructors.add(instructor)
    setup["run"].save()
    time_machine.move_to(at(10, 12), tick=False)
    register_save(
        meeting=setup["meetings"][0],
        marks={e.pk: "present" for e in setup["enrolments"]},
        by=None,
    )
    time_machine.move_to(at(11, 12), tick=False)
    for enrolment, rating in zip(setup["enrolments"], ratings, strict=False):
        answers = good_answers(
            **{"q-useful": str(rating), "q-nps": "9" if rating == 5 else "5"}
        )
        evaluation_submit(enrolment=enrolment, raw=answers, language="en")
    return setup


@pytest.fixture
def academy(time_machine, catalogue):
    milica = InstructorFactory(full_name="Milica Đurić")
    petar = InstructorFactory(full_name="Petar Ilić")
    evaluated_run(
        time_machine,
        catalogue,
        title="Kubernetes",
        instructor=milica,
        ratings=[5, 5, 4],
        prefix="k",
    )
    evaluated_run(
        time_machine,
        catalogue,
        title="Python",
        instructor=petar,
        ratings=[2, 3],
        prefix="p",
    )
    return {"milica": milica, "petar": petar}


def csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def rows_of(client, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = reverse("academy_reports:evaluations") + (f"?{query}" if query else "")
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_report_compares_runs_courses_and_instructors(academy, client, reporter):
    client.force_login(reporter)
    csv = csv_lines(rows_of(client, export="csv"))
    assert csv[0] == (
        "Run,Runs,Took part,Answers,Response rate,Mean rating (1-5),"
        "Net promoter score"
    )
    assert csv[1] == '"Kubernetes, 10 December 2026",1,4,3,75.0,4.67,33.3'
    assert csv[2] == '"Python, 10 December 2026",1,3,2,66.7,2.5,-100.0'
    assert csv[-1] == "Total,2,7,5,71.4,3.8,-20.0"
    lines = csv_lines(rows_of(client, by="instructor", export="csv"))
    assert lines[0].startswith("Instructor,")
    assert lines[1].startswith("Milica Đurić,1,4,3,")
    assert lines[2].startswith("Petar Ilić,1,3,2,")
    page = rows_of(client, by="course").content.decode()
    assert "Course evaluations" in page
    assert "Kubernetes" in page and "Python" in page


def test_only_report_readers_see_it(academy, client):
    client.force_login(UserFactory())
    response = client.get(reverse("academy_reports:evaluations"))
    assert response.status_code in (302, 403)


def test_the_report_reads_in_queries_that_do_not_grow(
    time_machine, catalogue, client, reporter
):
    client.force_login(reporter)
    milica = InstructorFactory(full_name="Milica Đurić")

    def queries():
        url = reverse("academy_reports:evaluations")
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    evaluated_run(
        time_machine, catalogue, title="A", instructor=milica, ratings=[5], prefix="a"
    )
    few = queries()
    for n in range(4):
        evaluated_run(
            time_machine,
            catalogue,
            title=f"B{n}",
            instructor=milica,
            ratings=[4, 3],
            prefix=f"b{n}",
        )
    assert queries() == few
