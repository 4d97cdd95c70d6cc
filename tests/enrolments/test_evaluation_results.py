"""A run's evaluation results: the figures (means, distributions, NPS,
comments), hidden from instructors under five answers, exported as CSV/XLSX
(formula injection kept as text) and as a PDF summary read back with pypdf;
queries that do not grow with the answers."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from academy_site.roles import ACADEMY_ADMIN, grant_role
from courses.models import EvaluationForm
from enrolments.reports.evaluations import nps_score
from enrolments.services import enrolment_create
from enrolments.services.attendance import register_save
from enrolments.services.evaluations import evaluation_submit
from tests.enrolments.evaluation_setup import (
    at,
    evaluation_form,
    good_answers,
    run_with_trainees,
)
from tests.factories import (
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Five answers: ratings 5, 4, 4, 3, 5 (mean 4.2); NPS 10, 9, 7, 3, 9 (three
# promoters, one detractor of five: 40).
ANSWERS = [
    good_answers(**{"q-useful": "5", "q-nps": "10", "q-pace": "o-right"}),
    good_answers(**{"q-useful": "4", "q-nps": "9", "q-pace": "o-right"}),
    good_answers(**{"q-useful": "4", "q-nps": "7", "q-pace": "o-fast"}),
    good_answers(
        **{
            "q-useful": "3",
            "q-nps": "3",
            "q-pace": "o-fast",
            "q-better": '=HYPERLINK("http://evil.example") <script>alert(1)</script>',
        }
    ),
    good_answers(
        **{"q-useful": "5", "q-nps": "9", "q-better": "Više vežbi, Đorđe je super."}
    ),
]


def academy_with_answers(time_machine, catalogue, count, email_prefix="trainee"):
    time_machine.move_to(at(1, 9), tick=False)
    if not EvaluationForm.objects.exists():
        evaluation_form()
    names = [f"Trainee {n}" for n in range(count + 1)]
    setup = run_with_trainees(
        catalogue, names=names, email_prefix=email_prefix, capacity=count + 10
    )
    run = setup["run"]
    instructor = UserFactory()
    run.instructors.add(InstructorFactory(user=instructor, full_name="Milica Đurić"))
    run.save()
    time_machine.move_to(at(10, 12), tick=False)
    register_save(
        meeting=setup["meetings"][0],
        marks={e.pk: "present" for e in setup["enrolments"]},
        by=None,
    )
    time_machine.move_to(at(11, 12), tick=False)
    for index, enrolment in enumerate(setup["enrolments"][:count]):
        evaluation_submit(
            enrolment=enrolment, raw=ANSWERS[index % len(ANSWERS)], language="en"
        )
    setup["instructor"] = instructor
    return setup


@pytest.fixture
def five(time_machine, catalogue):
    return academy_with_answers(time_machine, catalogue, 5)


@pytest.fixture
def admin():
    user = UserFactory()
    grant_role(user=user, role=ACADEMY_ADMIN)
    return user


def test_nps_is_promoters_minus_detractors():
    assert nps_score([10, 9, 7, 3, 9]) == 40.0
    assert nps_score([0, 6]) == -100.0
    assert nps_score([]) is None


def test_the_instructor_reads_the_runs_figures(five, client):
    client.force_login(five["instructor"])
    page = client.get(reverse("teaching:evaluation", args=[five["run"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "5 answers from 6 trainees who took part" in html
    assert "response rate 83.3%" in html
    assert "mean 4.20 (1 = Useless, 5 = Very useful)" in html
    assert "net promoter score 40" in html
    # The distribution of the rating: 5 twice, 4 twice, 3 once.
    results = page.context["results"]
    rating = results.questions[0]
    assert [(s.label, s.count) for s in rating.shares] == [
        ("1 (Useless)", 0),
        ("2", 0),
        ("3", 1),
        ("4", 2),
        ("5 (Very useful)", 2),
    ]
    pace = results.questions[1]
    assert [(s.label, s.count) for s in pace.shares] == [
        ("Too slow", 0),
        ("Just right", 3),
        ("Too fast", 2),
    ]
    liked = results.questions[2]
    assert [(s.label, s.count, s.percent) for s in liked.shares] == [
        ("Labs", 5, 100.0),
        ("Slides", 0, 0.0),
        ("Discussions", 5, 100.0),
    ]
    # A comment is text, never markup.
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_under_five_answers_instructors_see_only_the_count(
    time_machine, catalogue, client, admin
):
    setup = academy_with_answers(time_machine, catalogue, 4)
    url = reverse("teaching:evaluation", args=[setup["run"].pk])
    client.force_login(setup["instructor"])
    html = client.get(url).content.decode()
    assert "4 answers from 5 trainees who took part" in html
    assert "shown once 5 trainees have answered" in html
    assert "More labs" not in html and "Useless" not in html
    for name in ("evaluation_csv", "evaluation_xlsx", "evaluation_pdf"):
        export = client.get(reverse(f"teaching:{name}", args=[setup["run"].pk]))
        assert export.status_code == 403
    # The academy sees them, warned.
    client.force_login(admin)
    html = client.get(url).content.decode()
    assert "Fewer than 5 answers" in html
    assert "More labs, please." in html


def test_another_instructors_run_is_not_found(five, client):
    other = UserFactory()
    InstructorFactory(user=other)
    client.force_login(other)
    names = ("evaluation", "evaluation_csv", "evaluation_xlsx", "evaluation_pdf")
    for name in names:
        assert (
            client.get(reverse(f"teaching:{name}", args=[five["run"].pk])).status_code
            == 404
        )


def test_the_answers_export_as_csv_and_xlsx_with_formulas_kept_as_text(five, client):
    client.force_login(five["instructor"])
    csv = client.get(reverse("teaching:evaluation_csv", args=[five["run"].pk]))
    text = csv.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("How useful was the course?,The pace was,")
    assert len(lines) == 6
    assert "'=HYPERLINK" in text
    assert "Više vežbi, Đorđe je super." in text
    assert "Trainee" not in text  # anonymous: no names, ever
    xlsx = client.get(reverse("teaching:evaluation_xlsx", args=[five["run"].pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    hyperlink = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert hyperlink.data_type == "s"


def test_the_pdf_summary_says_what_the_page_says(five, client, admin):
    client.force_login(admin)
    response = client.get(reverse("teaching:evaluation_pdf", args=[five["run"].pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Kubernetes u produkciji" in text
    assert "Milica Đurić" in text
    assert "5 answers from 6 trainees who took part (response rate 83.3 %)" in text
    assert "Mean rating 4.20 of 5" in text
    assert "net promoter score 40.0" in text
    assert "Više vežbi, Đorđe je super." in text
    assert "<script>alert(1)</script>" in text  # printed as typed, not run


def results_queries(client, run) -> int:
    url = reverse("teaching:evaluation", args=[run.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_results_page_reads_in_queries_that_do_not_grow(
    time_machine, catalogue, client
):
    few = academy_with_answers(time_machine, catalogue, 10)
    client.force_login(few["instructor"])
    few_queries = results_queries(client, few["run"])
    many = academy_with_answers(time_machine, catalogue, 500, email_prefix="many")
    client.force_login(many["instructor"])
    assert results_queries(client, many["run"]) == few_queries


def test_a_courses_runs_side_by_side_leave_small_runs_out_of_the_pool(
    time_machine, catalogue, client, admin
):
    big = academy_with_answers(time_machine, catalogue, 5)
    course = big["course"]
    # A second, later run of the same course with two answers.
    time_machine.move_to(at(1, 9), tick=False)
    small = CourseRunFactory(
        course=course,
        starts_on=dt.date(2026, 12, 14),
        ends_on=dt.date(2026, 12, 14),
        enrolment_opens_on=dt.date(2026, 11, 20),
        enrolment_closes_on=dt.date(2026, 12, 12),
    )
    small.instructors.add(*big["run"].instructors.all())
    small.save()
    meeting = MeetingFactory(
        run=small, date=dt.date(2026, 12, 14), start_time=dt.time(9)
    )
    enrolments = [
        enrolment_create(trainee=TraineeProfileFactory(), run=small) for _ in range(2)
    ]
    time_machine.move_to(at(14, 12), tick=False)
    register_save(meeting=meeting, marks={e.pk: "present" for e in enrolments}, by=None)
    for enrolment in enrolments:
        evaluation_submit(
            enrolment=enrolment,
            raw=good_answers(**{"q-useful": "1", "q-better": "Only two of us."}),
            language="en",
        )
    url = reverse("teaching:course_evaluation", args=[course.pk])

    client.force_login(big["instructor"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["results"].responses == 5  # the small run is left out
    assert "Only two of us." not in html
    assert "shown from 5 answers" in html
    assert [row.responses for row in page.context["results"].rows] == [2, 5]

    client.force_login(admin)
    page = client.get(url)
    assert page.context["results"].responses == 7
    assert "Only two of us." in page.content.decode()

    other = UserFactory()
    InstructorFactory(user=other)
    client.force_login(other)
    assert client.get(url).status_code == 404
