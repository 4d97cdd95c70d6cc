"""A course evaluation, end to end in Chromium: after the last meeting a
trainee finds the invitation in My learning and answers; the run's
instructor reads the results (six answers, so shown); the academy downloads
the PDF summary for a funder, whose text is read back."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from academy_site.roles import ACADEMY_ADMIN, INSTRUCTOR, grant_role
from enrolments.models import EvaluationResponse
from enrolments.services import enrolment_create
from enrolments.services.attendance import register_save
from enrolments.services.evaluations import evaluation_submit
from tests.browser.conftest import (
    axe_violations,
    describe_violations,
    expect,
    log_in_to_admin,
    log_in_to_site,
    screenshot,
)
from tests.enrolments.evaluation_setup import evaluation_form, good_answers
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

TRAINEE_EMAIL = "jovana@example.rs"
INSTRUCTOR_EMAIL = "milica@academy.local"
ADMIN_EMAIL = "office@academy.local"


@pytest.fixture
def ended_run(academy):
    """The Kubernetes run, enrolled while open, has since met twice: three
    days ago and yesterday (so its last meeting has started whatever the
    time of day). All six trainees came; five have answered already."""
    evaluation_form()
    run = academy.run
    instructor_user = UserFactory(username=INSTRUCTOR_EMAIL, email=INSTRUCTOR_EMAIL)
    grant_role(user=instructor_user, role=INSTRUCTOR)
    run.instructors.add(
        InstructorFactory(user=instructor_user, full_name="Milica Đorđević")
    )
    run.save()
    jovana = TraineeProfileFactory(
        full_name="Jovana Jovanović",
        preferred_language="en",
        user=UserFactory(username=TRAINEE_EMAIL, email=TRAINEE_EMAIL),
    )
    enrolments = [enrolment_create(trainee=jovana, run=run)] + [
        enrolment_create(trainee=TraineeProfileFactory(), run=run) for _ in range(5)
    ]
    today = timezone.localdate()
    run.starts_on, run.ends_on = today - dt.timedelta(days=3), today - dt.timedelta(
        days=1
    )
    run.save()
    run.meetings.all().delete()
    first = MeetingFactory(run=run, date=run.starts_on, start_time=dt.time(10))
    MeetingFactory(run=run, date=run.ends_on, start_time=dt.time(10))
    register_save(meeting=first, marks={e.pk: "present" for e in enrolments}, by=None)
    comments = [
        "The labs on rollouts were the best part.",
        "",
        "Networking went too fast.",
        "",
        "Više vežbi, molim.",
    ]
    for enrolment, rating, comment in zip(
        enrolments[1:], ["5", "4", "4", "3", "5"], comments, strict=True
    ):
        evaluation_submit(
            enrolment=enrolment,
            raw=good_answers(**{"q-useful": rating, "q-better": comment}),
            language="en",
        )
    admin = UserFactory(username=ADMIN_EMAIL, email=ADMIN_EMAIL)
    grant_role(user=admin, role=ACADEMY_ADMIN)
    return run


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation of WCAG 2.1 A/AA."""
    blocking = [
        v for v in axe_violations(page) if v["impact"] in ("serious", "critical")
    ]
    assert not blocking, describe_violations(blocking)


def test_trainee_answers_instructor_reads_academy_exports_the_pdf(
    new_page, ended_run, tmp_path
):
    # The trainee: the invitation waits in My learning.
    trainee = new_page()
    log_in_to_site(trainee, email=TRAINEE_EMAIL)
    trainee.get_by_role("link", name="My learning").click()
    invitation = trainee.get_by_role("region", name="Tell us what you thought")
    expect(invitation).to_contain_text("Kubernetes in Production")
    invitation.get_by_role("link", name="Answer the evaluation").click()
    expect(trainee.get_by_role("heading", name="After the course")).to_be_visible()
    expect(trainee.get_by_text("Anonymous: your answers are kept")).to_be_visible()
    assert_accessible(trainee)

    useful = trainee.get_by_role("group", name=re.compile("How useful"))
    useful.get_by_role("radio", name="5", exact=True).check()
    # Sent without the pace: refused, nothing lost.
    trainee.get_by_role("button", name="Send my answers").click()
    pace = trainee.get_by_role("group", name=re.compile("The pace was"))
    expect(pace.get_by_text("Please answer this question.")).to_be_visible()
    expect(useful.get_by_role("radio", name="5", exact=True)).to_be_checked()
    pace.get_by_role("radio", name="Just right").check()
    liked = trainee.get_by_role("group", name=re.compile("What helped you most"))
    liked.get_by_role("checkbox", name="Labs").check()
    trainee.get_by_role("textbox", name="What should we improve?").fill(
        "A cheat sheet of kubectl commands."
    )
    nps = trainee.get_by_role("group", name=re.compile("recommend it"))
    nps.get_by_role("radio", name="9", exact=True).check()
    screenshot(trainee, "evaluation-1-trainee-answers")
    trainee.get_by_role("button", name="Send my answers").click()
    expect(trainee.get_by_text("your answers reached the academy")).to_be_visible()
    expect(
        trainee.get_by_role("region", name="Tell us what you thought")
    ).to_have_count(0)
    assert EvaluationResponse.objects.count() == 6
    assert not EvaluationResponse.objects.exclude(trainee=None).exists()

    # The instructor: Teaching > the run > Evaluation.
    instructor = new_page()
    log_in_to_site(instructor, email=INSTRUCTOR_EMAIL)
    instructor.goto("/teaching/")
    instructor.get_by_role(
        "link", name=re.compile("Kubernetes in Production")
    ).first.click()
    instructor.get_by_role("link", name="Evaluation", exact=True).click()
    expect(
        instructor.get_by_text("6 answers from 6 trainees who took part")
    ).to_be_visible()
    expect(instructor.get_by_text("A cheat sheet of kubectl commands.")).to_be_visible()
    rating = instructor.get_by_role("region", name=re.compile("How useful"))
    expect(rating).to_contain_text("mean 4.33")
    screenshot(instructor, "evaluation-2-run-results")
    assert_accessible(instructor)

    # The academy: the PDF summary, for a funder's report.
    office = new_page()
    log_in_to_site(office, email=ADMIN_EMAIL)
    office.goto(f"/teaching/runs/{ended_run.pk}/evaluation/")
    with office.expect_download() as download_info:
        office.get_by_role("link", name="PDF summary").click()
    path = tmp_path / "summary.pdf"
    download_info.value.save_as(path)
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages
    )
    assert "Kubernetes in Production" in text
    assert "Milica Đorđević" in text
    assert "6 answers from 6 trainees who took part (response rate 100.0 %)" in text
    assert "Mean rating" in text
    assert "A cheat sheet of kubectl commands." in text
    assert "Više vežbi, molim." in text


def test_an_academy_admin_builds_an_evaluation_form_in_the_admin(new_page, db):
    """Scheduling > Evaluation forms > Add: a title, a rating and the NPS,
    saved as the academy's default; the questions keep block ids."""
    from courses.models import EvaluationForm

    admin = UserFactory(username="office2@academy.local", email="office2@academy.local")
    grant_role(user=admin, role=ACADEMY_ADMIN)
    page = new_page()
    log_in_to_admin(page, username="office2@academy.local")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "button", name="Scheduling"
    ).click()
    page.get_by_role("link", name="Evaluation forms").click()
    page.get_by_role("link", name=re.compile("Add evaluation form")).click()
    page.get_by_role("textbox", name="Title*").fill("After the course")
    page.get_by_role("checkbox", name="The academy's default").check()
    questions = page.get_by_role("region", name="Questions")
    questions.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Rating (1-5)").click()
    rating = questions.get_by_role("region", name=re.compile("^Rating"))
    rating.get_by_role("textbox", name="Prompt*").fill("How useful was it?")
    questions.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Net promoter (0-10)").click()
    screenshot(page, "evaluation-0-admin-builds-a-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("created")
    form = EvaluationForm.objects.get()
    assert form.is_default and form.anonymous
    kinds = [(child.block_type, child.id) for child in form.questions]
    assert [kind for kind, _id in kinds] == ["rating", "nps"]
    assert all(block_id for _kind, block_id in kinds)
    assert form.questions[0].value["low_label"] == "Poor"
