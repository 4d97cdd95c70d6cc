"""Course evaluations: the window, who may answer, anonymous and named
answers, bad input refused with nothing stored, the certificate a course
holds back until the evaluation is answered, erasure and the data export."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate
from enrolments.models import Enrolment, EvaluationParticipation, EvaluationResponse
from enrolments.privacy import evaluations_section
from enrolments.rules.evaluations import AnswersInvalid
from enrolments.services import enrolment_cancel, enrolment_create
from enrolments.services.closing import run_close
from enrolments.services.evaluations import (
    EvaluationRefused,
    answering_refusal,
    evaluation_submit,
)
from enrolments.services.privacy import trainee_erase
from tests.certificates.factories import certificate_template
from tests.enrolments.evaluation_setup import (
    at,
    evaluation_form,
    good_answers,
    mark_first_meeting,
    run_with_trainees,
    translate_form,
)
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def academy(time_machine, catalogue):
    time_machine.move_to(at(1, 9), tick=False)
    form = evaluation_form()
    setup = run_with_trainees(catalogue)
    time_machine.move_to(at(10, 12), tick=False)
    mark_first_meeting(setup)
    setup["form"] = form
    return setup


def submit(enrolment, answers=None, language="en"):
    return evaluation_submit(
        enrolment=enrolment, raw=answers or good_answers(), language=language
    )


def test_evaluation_opens_at_the_start_of_the_last_meeting(academy, time_machine):
    ana = academy["enrolments"][0]
    time_machine.move_to(at(11, 9, 59), tick=False)
    assert "opens at the start of the last meeting" in answering_refusal(ana)
    with pytest.raises(EvaluationRefused):
        submit(ana)
    time_machine.move_to(at(11, 10), tick=False)
    assert answering_refusal(ana) is None


def test_evaluation_closes_the_courses_days_after_the_run_closes(academy, time_machine):
    ana = academy["enrolments"][0]
    time_machine.move_to(at(20, 9), tick=False)
    run_close(run=academy["run"])
    time_machine.move_to(at(3, 8, month=1).replace(year=2027), tick=False)
    ana.refresh_from_db()
    assert answering_refusal(ana) is None  # 14 days: until 3 January, 9:00
    time_machine.move_to(at(3, 9, month=1).replace(year=2027), tick=False)
    with pytest.raises(EvaluationRefused, match="has closed"):
        submit(ana)
    assert not EvaluationResponse.objects.exists()


def test_anonymous_answers_are_stored_without_the_trainee(academy, time_machine):
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    response = submit(ana)
    response.refresh_from_db()
    assert response.trainee is None
    assert response.answers == {
        "q-useful": 4,
        "q-pace": "o-right",
        "q-liked": ["o-labs", "o-talks"],
        "q-better": "More labs, please.",
        "q-nps": 9,
    }
    # Only that she answered is kept with her enrolment; not when.
    participation = EvaluationParticipation.objects.get(enrolment=ana)
    assert participation.answered
    assert response.submitted_on.isoformat() == "2026-12-11"


def test_a_second_answer_is_refused_and_stores_nothing(academy, time_machine):
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    submit(ana)
    with pytest.raises(EvaluationRefused, match="answered this evaluation already"):
        submit(ana, good_answers(**{"q-useful": "1"}))
    assert EvaluationResponse.objects.count() == 1


@pytest.mark.parametrize(
    "changes, question, message",
    [
        ({"q-useful": "6"}, "q-useful", "from 1 to 5"),
        ({"q-useful": "0"}, "q-useful", "from 1 to 5"),
        ({"q-useful": "four"}, "q-useful", "from 1 to 5"),
        ({"q-nps": "11"}, "q-nps", "from 0 to 10"),
        ({"q-pace": "o-nope"}, "q-pace", "options given"),
        ({"q-pace": ["o-slow", "o-fast"]}, "q-pace", "one option"),
        ({"q-liked": ["o-labs", "o-labs"]}, "q-liked", "options given"),
        ({"q-useful": ""}, "q-useful", "answer this question"),
        ({"q-better": "x" * 2001}, "q-better", "2000 characters"),
        ({"q-elsewhere": "5"}, "", "does not ask"),
    ],
)
def test_answers_that_do_not_fit_are_refused_and_nothing_is_stored(
    academy, time_machine, changes, question, message
):
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    with pytest.raises(AnswersInvalid) as refused:
        submit(ana, good_answers(**changes))
    assert message in refused.value.errors[question]
    assert not EvaluationResponse.objects.exists()
    assert not EvaluationParticipation.objects.filter(answered=True).exists()


def test_optional_questions_may_be_left_empty(academy, time_machine):
    time_machine.move_to(at(11, 12), tick=False)
    response = submit(
        academy["enrolments"][0], good_answers(**{"q-liked": [], "q-better": "  "})
    )
    assert set(response.answers) == {"q-useful", "q-pace", "q-nps"}


def test_only_trainees_who_took_part_may_answer(academy, time_machine):
    time_machine.move_to(at(11, 12), tick=False)
    bojan = academy["enrolments"][1]  # marked absent at the only meeting held
    with pytest.raises(EvaluationRefused, match="took part"):
        submit(bojan)
    assert not EvaluationResponse.objects.exists()


def test_a_cancelled_place_cannot_answer(academy, time_machine):
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    ana = enrolment_cancel(enrolment=ana, by_staff=True, by=None)
    with pytest.raises(EvaluationRefused):
        submit(ana)


def test_editing_the_form_later_does_not_change_an_opened_evaluation(
    academy, time_machine
):
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    submit(ana)
    form = academy["form"]
    form.questions = form.questions.raw_data[:1]  # an editor removes four questions
    form.save()
    evaluation = EvaluationResponse.objects.get().evaluation
    assert len(evaluation.snapshot["versions"]["en"]["questions"]) == 5


def test_named_forms_keep_the_trainee_and_show_in_their_data(time_machine, catalogue):
    time_machine.move_to(at(1, 9), tick=False)
    evaluation_form(anonymous=False)
    setup = run_with_trainees(catalogue)
    time_machine.move_to(at(10, 12), tick=False)
    mark_first_meeting(setup)
    time_machine.move_to(at(11, 12), tick=False)
    ana = setup["enrolments"][0]
    response = submit(ana)
    assert response.trainee == ana.trainee
    title, rows = evaluations_section(ana.trainee)
    assert rows[0]["Answers"]["Would you recommend it to a colleague?"] == "9"
    assert rows[0]["Answers"]["What helped you most?"] == "Labs; Discussions"

    trainee_erase(trainee=ana.trainee, by=UserFactory(is_staff=False))
    response.refresh_from_db()
    assert response.trainee is None  # unlinked, the answers stay
    assert response.answers["q-nps"] == 9
    assert not EvaluationParticipation.objects.filter(enrolment=ana).exists()


def test_anonymous_answers_are_not_in_the_trainees_data(academy, time_machine):
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    submit(ana)
    title, rows = evaluations_section(ana.trainee)
    assert len(rows) == 1
    assert "More labs" not in str(rows)
    assert rows[0]["Answered"] == "yes"


def test_serbian_readers_answer_the_translation_and_it_counts_with_english(
    academy, time_machine
):
    translate_form(academy["form"], "sr-latn")
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    response = submit(ana, language="sr-latn")
    assert response.language == "sr-latn"
    versions = response.evaluation.snapshot["versions"]
    assert versions["sr-latn"]["questions"][0]["prompt"].startswith("Koliko")
    assert versions["en"]["questions"][0]["id"] == "q-useful"


def test_course_without_a_form_has_no_evaluation(academy, time_machine):
    academy["form"].is_default = False
    academy["form"].save()
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    assert answering_refusal(ana) == "This course has no evaluation."


# --- The certificate a course holds back -------------------------------------


@pytest.fixture
def required(time_machine, catalogue, django_capture_on_commit_callbacks):
    time_machine.move_to(at(1, 9), tick=False)
    evaluation_form()
    certificate_template("attendance")
    certificate_template("completion")
    setup = run_with_trainees(
        catalogue,
        names=("Ana Jovanović",),
        evaluation_required=True,
        auto_issue_certificates=True,
        attendance_threshold_percent=50,
    )
    time_machine.move_to(at(10, 12), tick=False)
    mark_first_meeting(setup)
    time_machine.move_to(at(11, 12), tick=False)
    return setup


def test_a_course_that_requires_the_evaluation_holds_the_certificate(
    required, time_machine, django_capture_on_commit_callbacks
):
    ana = Enrolment.objects.get(pk=required["enrolments"][0].pk)
    assert ana.outcome == "completion"  # half the meetings, no modules
    assert not Certificate.objects.filter(enrolment=ana).exists()
    with django_capture_on_commit_callbacks(execute=True):
        submit(ana)
    certificate = Certificate.objects.get(enrolment=ana)
    assert certificate.kind == "completion"


def test_closing_the_run_issues_nothing_to_who_has_not_answered(
    required, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(20, 9), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        run_close(run=required["run"])
    ana = Enrolment.objects.get(pk=required["enrolments"][0].pk)
    assert ana.status == "completed"
    assert not Certificate.objects.filter(enrolment=ana).exists()
    with django_capture_on_commit_callbacks(execute=True):
        submit(ana)
    assert Certificate.objects.filter(enrolment=ana).count() == 1


# --- The page ------------------------------------------------------------------


def test_the_page_asks_the_questions_and_thanks_the_trainee(
    academy, time_machine, client
):
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    client.force_login(ana.trainee.user)
    url = reverse("learning:evaluation", args=[ana.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "How useful was the course?" in html
    assert "Anonymous: your answers are kept without your name." in html
    posted = {f"q-{key}": value for key, value in good_answers().items()}
    answer = client.post(url, posted, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("learning:home")
    assert "your answers reached the academy" in answer.content.decode()
    assert EvaluationResponse.objects.count() == 1
    again = client.get(url)
    assert "You have answered this evaluation" in again.content.decode()


def test_the_page_keeps_the_answers_and_marks_what_to_correct(
    academy, time_machine, client
):
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    client.force_login(ana.trainee.user)
    url = reverse("learning:evaluation", args=[ana.pk])
    posted = {
        f"q-{key}": value for key, value in good_answers(**{"q-nps": "12"}).items()
    }
    page = client.post(url, posted)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Choose a number from 0 to 10." in html
    assert "More labs, please." in html  # kept for the trainee
    assert 'value="o-right" checked' in html
    assert not EvaluationResponse.objects.exists()


def test_another_trainees_evaluation_is_not_found(academy, time_machine, client):
    time_machine.move_to(at(11, 12), tick=False)
    ana, bojan = academy["enrolments"]
    client.force_login(bojan.trainee.user)
    url = reverse("learning:evaluation", args=[ana.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"q-q-useful": "5"}).status_code == 404


def test_the_page_is_in_serbian_for_serbian_readers(academy, time_machine, client):
    translate_form(academy["form"], "sr-latn")
    time_machine.move_to(at(11, 12), tick=False)
    ana = academy["enrolments"][0]
    client.force_login(ana.trainee.user)
    latin = client.get(f"/sr-latn/learning/enrolments/{ana.pk}/evaluation/")
    assert "Koliko vam je kurs bio koristan?" in latin.content.decode()
    # No Cyrillic translation: the Latin one, transliterated.
    cyrillic = client.get(f"/sr/learning/enrolments/{ana.pk}/evaluation/")
    assert "Колико вам је курс био користан?" in cyrillic.content.decode()


def test_my_learning_invites_until_the_trainee_answers(academy, time_machine, client):
    ana = academy["enrolments"][0]
    client.force_login(ana.trainee.user)
    time_machine.move_to(at(11, 9), tick=False)
    assert (
        "Tell us what you thought"
        not in client.get(reverse("learning:home")).content.decode()
    )
    time_machine.move_to(at(11, 12), tick=False)
    page = client.get(reverse("learning:home")).content.decode()
    assert "Tell us what you thought" in page
    assert reverse("learning:evaluation", args=[ana.pk]) in page
    submit(ana)
    assert (
        "Tell us what you thought"
        not in client.get(reverse("learning:home")).content.decode()
    )


def test_my_learning_reads_evaluations_in_queries_that_do_not_grow(
    time_machine, catalogue, client
):
    time_machine.move_to(at(1, 9), tick=False)
    evaluation_form()
    trainee = TraineeProfileFactory()
    client.force_login(trainee.user)

    def add_runs(count):
        for _index in range(count):
            setup = run_with_trainees(catalogue, names=())
            enrolment = enrolment_create(trainee=trainee, run=setup["run"])
            setup["enrolments"] = [enrolment]
            with time_machine_at(time_machine, at(10, 12)):
                mark_first_meeting(setup)

    def queries():
        time_machine.move_to(at(11, 12), tick=False)
        client.get(reverse("learning:home"))  # the session's first visit
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("learning:home"))
        time_machine.move_to(at(1, 9), tick=False)
        return len(captured), page.content.decode().count("Answer the evaluation")

    add_runs(2)
    few, shown = queries()
    assert shown == 2
    add_runs(6)
    many, shown = queries()
    assert shown == 8
    assert many == few


class time_machine_at:
    def __init__(self, machine, moment):
        self.machine, self.moment = machine, moment

    def __enter__(self):
        self.machine.move_to(self.moment, tick=False)

    def __exit__(self, *exc):
        self.machine.move_to(at(1, 9), tick=False)


def test_the_bulk_issue_summary_says_who_waits_for_the_evaluation(
    required, time_machine, django_capture_on_commit_callbacks
):
    from certificates.issue_summary import issue_summary

    run = required["run"]
    ana = Enrolment.objects.get(pk=required["enrolments"][0].pk)
    summary = issue_summary(run=run, enrolment_ids=None, templates={})
    assert [(e.pk, why) for e, why in summary.refused] == [
        (ana.pk, "the course evaluation, which comes first, not answered")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        submit(ana)
    summary = issue_summary(run=run, enrolment_ids=None, templates={})
    assert summary.refused == []
    assert [e.pk for e in summary.already] == [ana.pk]


def test_the_forms_listing_looks_up_only_known_locales(client):
    from academy_site.roles import ACADEMY_ADMIN, grant_role

    admin = UserFactory()
    grant_role(user=admin, role=ACADEMY_ADMIN)
    client.force_login(admin)
    listing = "/admin/snippets/courses/evaluationform/"
    for url in (
        f"{listing}?locale=%00%07%1B",
        f"{listing}results/?q=&locale=%00%07%1B",
        f"{listing}add/?locale=xx",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"{listing}?locale=sr-latn").status_code == 200
    assert client.get(f"{listing}add/?locale=sr").status_code == 200
