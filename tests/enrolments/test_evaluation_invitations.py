"""Invitations to a run's evaluation and the one reminder, queued by beat
every quarter of an hour through the outbox: driven with a frozen clock over
a week, they go once each, in the trainee's language, only to those who took
part, and no reminder goes to who has answered."""

import datetime as dt

import pytest

from academy_site.outbox.models import OutboundEmail
from enrolments.models import EvaluationParticipation, TraineeProfile
from enrolments.services.closing import run_close
from enrolments.services.evaluations import evaluation_submit
from enrolments.tasks import send_evaluation_invitations
from tests.enrolments.evaluation_setup import (
    at,
    evaluation_form,
    good_answers,
    mark_first_meeting,
    run_with_trainees,
)

pytestmark = pytest.mark.django_db


def quarter_hours(start: dt.datetime, end: dt.datetime):
    moment = start
    while moment <= end:
        yield moment
        moment += dt.timedelta(minutes=15)


@pytest.fixture
def academy(time_machine, catalogue):
    time_machine.move_to(at(1, 9), tick=False)
    evaluation_form()
    setup = run_with_trainees(
        catalogue, names=("Ana Jovanović", "Bojan Ilić", "Ceca Marković")
    )
    TraineeProfile.objects.filter(pk=setup["enrolments"][0].trainee_id).update(
        preferred_language="sr-latn"
    )
    time_machine.move_to(at(10, 12), tick=False)
    mark_first_meeting(setup, present=(0, 2))
    return setup


def evaluation_emails():
    return OutboundEmail.objects.filter(kind__startswith="enrolment.evaluation_")


def test_beat_invites_once_when_the_last_meeting_starts_and_reminds_once(
    academy, time_machine
):
    ana, bojan, ceca = academy["enrolments"]
    sent_at = {}
    for moment in quarter_hours(at(11, 9), at(16, 11)):
        time_machine.move_to(moment, tick=False)
        if moment == at(12, 18):
            evaluation_submit(enrolment=ceca, raw=good_answers(), language="en")
        send_evaluation_invitations.delay()
        for email in evaluation_emails():
            sent_at.setdefault((email.to, email.kind), moment)
    assert sent_at == {
        ("trainee0@example.rs", "enrolment.evaluation_invitation"): at(11, 10),
        ("trainee2@example.rs", "enrolment.evaluation_invitation"): at(11, 10),
        # four days later; Ceca answered on the 12th, Bojan never came
        ("trainee0@example.rs", "enrolment.evaluation_reminder"): at(15, 10),
    }
    invitation = evaluation_emails().get(
        to="trainee0@example.rs", kind="enrolment.evaluation_invitation"
    )
    assert invitation.language == "sr-latn"
    assert f"/learning/enrolments/{ana.pk}/evaluation/" in invitation.body_text
    assert "Anonymous" in evaluation_emails().get(to="trainee2@example.rs").body_text
    assert not EvaluationParticipation.objects.filter(enrolment=bojan).exists()


def test_the_reminder_comes_early_when_the_window_closes_soon(academy, time_machine):
    time_machine.move_to(at(11, 10, 5), tick=False)
    send_evaluation_invitations.delay()
    # Closed on the 12th at 9:00 with one day to answer: the reminder goes
    # a day after the invitation, not four.
    course = academy["course"]
    course.evaluation_days = 1
    course.save()
    time_machine.move_to(at(12, 9), tick=False)
    run_close(run=academy["run"])
    time_machine.move_to(at(12, 10, 15), tick=False)
    send_evaluation_invitations.delay()
    reminders = evaluation_emails().filter(kind="enrolment.evaluation_reminder")
    assert sorted(reminders.values_list("to", flat=True)) == [
        "trainee0@example.rs",
        "trainee2@example.rs",
    ]
    time_machine.move_to(at(13, 9, 30), tick=False)
    send_evaluation_invitations.delay()
    assert reminders.count() == 2


def test_no_invitation_when_the_course_has_no_form(academy, time_machine):
    from courses.models import EvaluationForm

    EvaluationForm.objects.update(is_default=False)
    time_machine.move_to(at(11, 10, 5), tick=False)
    send_evaluation_invitations.delay()
    assert not evaluation_emails().exists()
