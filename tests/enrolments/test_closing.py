"""Closing a run: final statuses with reasons, e-mails in each trainee's
language, the audit entry, certificates, the refusals of a closed run,
reopening, the automatic close after the grace period, and the outcomes that
follow the clock (issue 22.9). The clock is frozen in March 2026."""

import datetime as dt

import pytest
from wagtail.models import ModelLogEntry

from academy_site.outbox.models import OutboundEmail
from certificates.models import Certificate, Kind
from courses.models import CourseRun
from enrolments.errors import EnrolmentClosed, EnrolmentError
from enrolments.models import Enrolment
from enrolments.services import enrolment_approve, enrolment_create
from enrolments.services.attendance import register_save
from enrolments.services.closing import (
    RunClosingError,
    run_close,
    run_reopen,
    runs_close_due,
)
from enrolments.services.outcome_sweep import outcomes_sweep
from enrolments.services.progress import module_mark_done
from enrolments.signals import run_reopened
from enrolments.tasks import close_due_runs, sweep_meeting_outcomes
from tests.certificates.factories import certificate_template
from tests.enrolments.closing_setup import at, closing_run, enrol, mark
from tests.enrolments.factories import quiz_attempt_taken, quiz_block
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status

QUIZ = quiz_block(title="Final check")
ESSAY = {
    "title": "Essay",
    "instructions": "<p>Write.</p>",
    "deadline": None,
    "max_points": "100",
    "accepts": "text",
    "required": True,
}


def emails_of(enrolment, kind=None):
    rows = OutboundEmail.objects.filter(to=enrolment.trainee.user.email)
    if kind:
        rows = rows.filter(kind=f"enrolment.{kind}")
    return list(rows.order_by("pk"))


def reload(enrolment) -> Enrolment:
    return Enrolment.objects.get(pk=enrolment.pk)


@pytest.fixture
def march(time_machine):
    time_machine.move_to(at(2, 10), tick=False)
    return time_machine


@pytest.fixture
def three_trainees(catalogue, march):
    """Ana attends 4 of 4 meetings, Boris 2 of 4 (50 % of 75 %), Vesna (who
    reads Serbian) 3 of 4; the clock then stands on 13 March."""
    run = closing_run(catalogue, title="Kubernetes")
    ana = enrol(run, full_name="Ana Petrović")
    boris = enrol(run, full_name="Boris Ilić")
    vesna = enrol(run, full_name="Vesna Đurić", preferred_language="sr-latn")
    march.move_to(at(13, 10), tick=False)
    mark(run, {ana: 4, boris: 2, vesna: 3})
    return run, ana, boris, vesna


# --- Closing ------------------------------------------------------------------


def test_closing_sets_every_final_status_with_its_reasons(three_trainees):
    run, ana, boris, vesna = three_trainees
    admin = UserFactory()

    result = run_close(run=run, by=admin)

    assert (result.completed, result.not_completed, result.requests_ended) == (2, 1, 0)
    ana, boris, vesna = reload(ana), reload(boris), reload(vesna)
    assert (ana.status, boris.status, vesna.status) == (
        Status.COMPLETED,
        Status.NOT_COMPLETED,
        Status.COMPLETED,
    )
    assert boris.final_reasons == [
        {"code": "attendance", "percent": "50.0", "required": 75, "met": False}
    ]
    assert ana.finished_at == boris.finished_at == at(13, 10)
    run.refresh_from_db()
    assert run.closed_at == at(13, 10) and run.closed_by == admin
    assert run.lifecycle_state() == "closed"


def test_reasons_read_in_words_in_the_readers_language(three_trainees):
    from django.utils import translation

    from enrolments.rules.reasons import reasons_text

    run, _ana, boris, _vesna = three_trainees
    run_close(run=run)
    reasons = reload(boris).final_reasons
    with translation.override("en"):
        assert reasons_text(reasons) == "attendance 50 % of 75 % required"


def test_an_unpassed_assessment_is_a_reason_and_attendance_still_earns_its_certificate(
    catalogue, march
):
    run = closing_run(catalogue)
    ModulePageFactory(parent=run.course, body=[QUIZ])
    certificate_template(Kind.ATTENDANCE)
    certificate_template(Kind.COMPLETION)
    passed, failed = enrol(run), enrol(run)
    march.move_to(at(13, 10), tick=False)
    mark(run, {passed: 4, failed: 4})
    module = run.course.get_children().specific().get()
    # Through the quiz service, which also counts the module as done.
    assert quiz_attempt_taken(enrolment=passed, module=module).passed

    run_close(run=run)

    failed = reload(failed)
    assert failed.status == Status.NOT_COMPLETED
    assert failed.outcome == "attendance"
    assert {"code": "assessment", "title": "Final check"} in failed.final_reasons
    assert reload(passed).status == Status.COMPLETED
    kinds = dict(Certificate.objects.values_list("enrolment_id", "kind"))
    assert kinds == {passed.pk: Kind.COMPLETION, failed.pk: Kind.ATTENDANCE}


def test_closing_requests_each_granted_certificate_once(three_trainees):
    run, ana, boris, vesna = three_trainees
    certificate_template(Kind.COMPLETION)
    run_close(run=run)

    certificates = Certificate.objects.filter(enrolment__run=run)
    assert sorted(certificates.values_list("enrolment_id", flat=True)) == sorted(
        [ana.pk, vesna.pk]
    )
    assert set(certificates.values_list("kind", flat=True)) == {Kind.COMPLETION}
    # Reopened and closed again: the current certificates are not requested twice.
    run_reopen(run=run, by=UserFactory(), reason="Boris's register was wrong")
    run_close(run=run)
    assert Certificate.objects.filter(enrolment__run=run).count() == 2


def test_reopening_flags_the_runs_certificates_for_review_and_they_stay_valid(
    three_trainees,
):
    """The reopen's reason goes with the flag: an admin decides whether the
    certificates stand; the verification page still says valid meanwhile."""
    from certificates.models import CertificateReview

    run, ana, boris, vesna = three_trainees
    certificate_template(Kind.COMPLETION)
    run_close(run=run)

    run_reopen(run=run, by=UserFactory(), reason="Boris's register was wrong")

    reviews = CertificateReview.objects.filter(
        certificate__enrolment__run=run, closed_at__isnull=True
    )
    assert reviews.count() == 2
    assert {r.reasons[0]["note"] for r in reviews} == {"Boris's register was wrong"}
    assert not Certificate.objects.filter(
        enrolment__run=run, status=Certificate.Status.REVOKED
    ).exists()


def test_closing_does_not_undo_an_admins_revocation(three_trainees):
    from certificates.services.issuing import certificate_request
    from certificates.services.lifecycle import certificate_revoke
    from certificates.services.rendering import certificate_generate

    run, ana, boris, vesna = three_trainees
    certificate_template(Kind.COMPLETION)
    certificate = certificate_request(enrolment=ana, kind=Kind.COMPLETION)
    certificate_generate(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    certificate_revoke(certificate=certificate, by=UserFactory(), reason="Copied work")

    run_close(run=run)

    ana_certificates = Certificate.objects.filter(enrolment=ana)
    assert list(ana_certificates.values_list("status", flat=True)) == ["revoked"]
    assert Certificate.objects.filter(enrolment=vesna).count() == 1


def test_closing_without_a_template_still_closes_and_logs_the_refusal(
    three_trainees, caplog
):
    run, ana, _boris, _vesna = three_trainees
    run_close(run=run)
    assert reload(ana).status == Status.COMPLETED
    assert not Certificate.objects.exists()
    assert "not requested at close" in caplog.text


def test_each_trainee_is_emailed_the_result_in_their_language(three_trainees):
    run, ana, boris, vesna = three_trainees
    run_close(run=run)

    (ana_email,) = emails_of(ana, "completed")
    assert ana_email.language == "en"
    assert "You completed Kubernetes" == ana_email.subject
    (boris_email,) = emails_of(boris, "not_completed")
    assert "attendance 50 % of 75 % required" in boris_email.body_text
    (vesna_email,) = emails_of(vesna, "completed")
    assert vesna_email.language == "sr-latn"
    assert "Poštovani/a Vesna Đurić," in vesna_email.body_text
    assert "Dear" not in vesna_email.body_text


def test_closing_is_in_the_audit_log(three_trainees):
    run, *_ = three_trainees
    admin = UserFactory()
    run_close(run=run, by=admin)
    entry = ModelLogEntry.objects.get(action="academy.run.close")
    assert entry.user_id == admin.pk
    assert entry.object_id == str(run.pk)
    assert entry.data["completed"] == 2 and entry.data["not_completed"] == 1
    assert "Closed Kubernetes" in entry.label


def test_a_run_closes_once(three_trainees):
    run, ana, *_ = three_trainees
    run_close(run=run)
    with pytest.raises(RunClosingError, match="closed"):
        run_close(run=run)
    assert len(emails_of(ana, "completed")) == 1


def test_requests_without_a_place_end_as_cancelled_and_are_told(catalogue, march):
    run = closing_run(catalogue, capacity=2, enrolment_policy="approval")
    approved = enrol(run)
    enrolment_approve(enrolment=approved, by=UserFactory())
    pending, waiting = enrol(run), enrol(run)
    assert reload(waiting).status == Status.WAITLISTED
    march.move_to(at(13, 10), tick=False)
    mark(run, {approved: 4})

    result = run_close(run=run)

    assert result.requests_ended == 2
    for enrolment in (pending, waiting):
        enrolment = reload(enrolment)
        assert enrolment.status == Status.CANCELLED
        assert enrolment.final_reasons == [{"code": "run_closed"}]
        (email,) = emails_of(enrolment, "ended_with_run")
        assert "has ended before your request got a place" in email.body_text
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1


def test_a_run_without_meetings_closes_everyone_as_not_completed(catalogue, march):
    run = closing_run(catalogue, meetings=0)
    enrolment = enrol(run)
    march.move_to(at(20, 10), tick=False)
    run_close(run=run)
    enrolment = reload(enrolment)
    assert enrolment.status == Status.NOT_COMPLETED
    assert enrolment.final_reasons[0]["percent"] is None


# --- A closed run refuses changes ----------------------------------------------


def test_a_closed_run_refuses_register_saves_with_who_closed_it(three_trainees):
    run, ana, *_ = three_trainees
    closer = UserFactory(first_name="Milica", last_name="Jović")
    run_close(run=run, by=closer)
    meeting = run.meetings.first()
    with pytest.raises(EnrolmentError, match="closed on .* by Milica Jović"):
        register_save(meeting=meeting, marks={ana.pk: "absent"}, by=UserFactory())
    assert meeting.attendance.get(enrolment=ana).status == "present"


def test_a_closed_run_takes_no_enrolments(catalogue, march):
    run = closing_run(catalogue)
    run_close(run=run)
    with pytest.raises(EnrolmentClosed):
        enrolment_create(trainee=TraineeProfileFactory(), run=run)
    assert not run.enrolments.exists()


# --- Reopening ------------------------------------------------------------------


def test_reopening_needs_a_reason(three_trainees):
    run, *_ = three_trainees
    run_close(run=run)
    with pytest.raises(RunClosingError, match="reason"):
        run_reopen(run=run, by=UserFactory(), reason="  ")
    assert CourseRun.objects.get(pk=run.pk).is_closed


def test_reopening_recomputes_and_a_second_close_decides_and_emails_again(
    three_trainees, march
):
    run, ana, boris, vesna = three_trainees
    admin = UserFactory()
    heard = []

    def listener(sender, run_id, by, reason, **kwargs):
        heard.append((run_id, by, reason))

    run_close(run=run, by=admin)
    run_reopened.connect(listener)
    try:
        run_reopen(run=run, by=admin, reason="Boris signed the paper sheet")
    finally:
        run_reopened.disconnect(listener)

    assert heard == [(run.pk, admin, "Boris signed the paper sheet")]
    boris = reload(boris)
    assert boris.status == Status.CONFIRMED
    assert boris.finished_at is None and boris.final_reasons == []
    entry = ModelLogEntry.objects.get(action="academy.run.reopen")
    assert entry.data["reason"] == "Boris signed the paper sheet"

    march.move_to(at(14, 10), tick=False)
    meetings = list(run.meetings.order_by("date", "start_time"))
    register_save(meeting=meetings[2], marks={boris.pk: "present"}, by=admin)
    assert reload(boris).outcome == "completion"  # recomputed on saving
    run_close(run=run, by=admin)

    assert reload(boris).status == Status.COMPLETED
    assert len(emails_of(boris, "not_completed")) == 1
    assert len(emails_of(boris, "completed")) == 1
    assert len(emails_of(ana, "completed")) == 2  # each close tells its result


def test_only_a_closed_run_can_be_reopened(catalogue, march):
    run = closing_run(catalogue)
    with pytest.raises(RunClosingError, match="not closed"):
        run_reopen(run=run, by=UserFactory(), reason="Why not")


# --- Automatic close after the grace period ------------------------------------


def test_a_run_closes_itself_after_the_grace_period_once(three_trainees, march):
    run, ana, *_ = three_trainees  # last meeting: 12 March
    march.move_to(at(25, 23, 59), tick=False)
    assert close_due_runs() == []
    assert not CourseRun.objects.get(pk=run.pk).is_closed

    march.move_to(at(26, 3, 15), tick=False)
    assert close_due_runs() == [run.pk]
    run.refresh_from_db()
    assert run.is_closed and run.closed_by is None
    assert reload(ana).status == Status.COMPLETED
    assert "automatically" in run.lifecycle_label()

    assert close_due_runs() == []
    assert len(emails_of(ana, "completed")) == 1


def test_the_grace_period_is_a_setting_and_counts_from_the_end_without_meetings(
    catalogue, march, settings
):
    settings.ACADEMY_RUN_CLOSE_GRACE_DAYS = 3
    run = closing_run(catalogue, meetings=0)  # ends 13 March
    assert runs_close_due(today=dt.date(2026, 3, 15)) == []
    assert runs_close_due(today=dt.date(2026, 3, 16)) == [run.pk]


# --- Issue 22.9: outcomes follow the clock -------------------------------------


@pytest.fixture
def one_meeting_run(catalogue, march):
    """A course with a required quiz and one meeting at 12:27 on 10 March."""
    course = CoursePageFactory(parent=catalogue, attendance_threshold_percent=75)
    ModulePageFactory(parent=course, body=[QUIZ])
    run = CourseRunFactory(
        course=course, starts_on=dt.date(2026, 3, 10), ends_on=dt.date(2026, 3, 10)
    )
    meeting = MeetingFactory(run=run, start_time=dt.time(12, 27))
    enrolment = enrol(run)
    return run, meeting, enrolment


def test_a_register_saved_before_the_meeting_counts_once_the_meeting_starts(
    one_meeting_run, march
):
    run, meeting, enrolment = one_meeting_run
    march.move_to(at(10, 12, 26), tick=False)
    register_save(meeting=meeting, marks={enrolment.pk: "present"}, by=UserFactory())
    assert reload(enrolment).outcome == "none"  # the meeting has not started
    assert sweep_meeting_outcomes() == 0

    march.move_to(at(10, 12, 28), tick=False)
    assert sweep_meeting_outcomes() == 1

    assert reload(enrolment).outcome == "attendance"
    meeting.refresh_from_db()
    assert meeting.counted_at == at(10, 12, 28)
    assert outcomes_sweep() == 0  # nothing new: idempotent


def test_saving_the_same_marks_again_recomputes_the_outcome(one_meeting_run, march):
    run, meeting, enrolment = one_meeting_run
    by = UserFactory()
    march.move_to(at(10, 12, 26), tick=False)
    register_save(meeting=meeting, marks={enrolment.pk: "present"}, by=by)

    march.move_to(at(10, 12, 40), tick=False)
    assert register_save(meeting=meeting, marks={enrolment.pk: "present"}, by=by) == 0
    assert reload(enrolment).outcome == "attendance"


def test_a_register_save_recomputes_trainees_whose_marks_did_not_change(
    catalogue, march
):
    run = closing_run(catalogue, threshold=50, meetings=2)
    first, second = enrol(run), enrol(run)
    meetings = list(run.meetings.order_by("date", "start_time"))
    march.move_to(at(10, 10), tick=False)  # the first meeting has started
    register_save(
        meeting=meetings[1],
        marks={first.pk: "present", second.pk: "present"},
        by=UserFactory(),
    )
    march.move_to(at(10, 15), tick=False)  # so has the second
    register_save(meeting=meetings[0], marks={first.pk: "absent"}, by=UserFactory())
    # Second's marks did not change in this save, yet its outcome caught up.
    assert reload(second).outcome == "completion"


def test_the_sweep_skips_closed_runs_and_moved_meetings_count_again(
    one_meeting_run, march
):
    run, meeting, enrolment = one_meeting_run
    march.move_to(at(10, 12, 30), tick=False)
    assert outcomes_sweep() == 1
    # The meeting moves to 14:00: counted before its new start, so counted again.
    meeting.start_time = dt.time(14, 0)
    meeting.save()
    march.move_to(at(10, 14, 5), tick=False)
    assert outcomes_sweep() == 1
    run_close(run=run)
    meeting.counted_at = None
    meeting.save()
    assert outcomes_sweep() == 0


def test_closing_recomputes_every_enrolment_final_over_all_meetings(
    one_meeting_run, march
):
    run, meeting, enrolment = one_meeting_run
    march.move_to(at(10, 12, 26), tick=False)
    register_save(meeting=meeting, marks={enrolment.pk: "present"}, by=UserFactory())
    march.move_to(at(25, 9), tick=False)  # no sweep ran in between
    run_close(run=run)
    enrolment = reload(enrolment)
    assert enrolment.outcome == "attendance"
    assert enrolment.status == Status.NOT_COMPLETED
    assert {"code": "assessment", "title": "Final check"} in enrolment.final_reasons


# --- Self-paced ---------------------------------------------------------------


def test_a_self_paced_enrolment_completes_when_the_rules_are_met(
    catalogue, march, django_capture_on_commit_callbacks
):
    course = CoursePageFactory(parent=catalogue, format="self_paced")
    module = ModulePageFactory(parent=course)
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), course=course)
    with django_capture_on_commit_callbacks(execute=True):
        module_mark_done(enrolment=enrolment, module=module)
    enrolment = reload(enrolment)
    assert enrolment.status == Status.COMPLETED
    assert enrolment.finished_at == at(2, 10)
    assert len(emails_of(enrolment, "completed")) == 1


def test_grading_after_the_close_is_refused_with_who_closed_the_run(catalogue, march):
    from enrolments.services.assignments import (
        GradeRefused,
        submission_grade,
        submission_submit,
    )

    run = closing_run(catalogue, pass_mark_percent=60)
    ModulePageFactory(
        parent=run.course,
        body=[{**QUIZ, "type": "assignment", "id": "essay", "value": ESSAY}],
    )
    enrolment = enrol(run)
    module = run.course.get_children().specific().get()
    submission = submission_submit(
        enrolment=enrolment, module=module, assignment_id="essay", text_html="<p>Hi</p>"
    )
    march.move_to(at(13, 10), tick=False)
    run_close(run=run, by=UserFactory(first_name="Milica", last_name="Jović"))

    with pytest.raises(GradeRefused, match="closed on .* by Milica Jović"):
        submission_grade(submission=submission, by=UserFactory(), score="90")
    submission.refresh_from_db()
    assert submission.score is None
