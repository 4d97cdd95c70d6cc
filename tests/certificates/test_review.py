"""Certificates follow the record (certificates/services/review.py): when what
a certificate rests on changes after issue (a corrected register, a new
grade, a corrected name, a reopened run), it is flagged for review, the
verification page still says valid, and an academy admin reissues, revokes or
keeps it from the dashboard's queue."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from wagtail.models import ModelLogEntry

from certificates import audit
from certificates.models import Certificate, CertificateReview, Kind
from certificates.services.errors import CertificateError
from certificates.services.issuing import certificate_request
from certificates.services.lifecycle import certificate_reissue, certificate_revoke
from certificates.services.review import (
    certificate_flag_for_review,
    certificate_review_close,
    certificates_flag_run_reopened,
)
from courses.models import CoursePage
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from enrolments.services.assignments import submission_grade, submission_submit
from enrolments.services.attendance import register_save
from enrolments.services.progress import module_mark_done
from tests.certificates.factories import (
    certificate_template,
    issue_certificate,
)
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Certificate.Status
Decision = CertificateReview.Decision
# Every test runs on this day, after the run's two meetings were held.
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
ESSAY = {
    "type": "assignment",
    "id": "essay-1",
    "value": {
        "title": "Essay",
        "instructions": "<p>Write about Kubernetes.</p>",
        "deadline": None,
        "max_points": "10",
        "accepts": "text",
        "required": True,
    },
}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def instructor():
    return UserFactory(username="milica@academy.rs")


@pytest.fixture
def course(catalogue):
    # 75%: both meetings attended is completion, one of two (50%) is not.
    return CoursePageFactory(
        parent=catalogue,
        title="Kubernetes in Production",
        attendance_threshold_percent=75,
        pass_mark_percent=60,
    )


@pytest.fixture
def run(course):
    run = CourseRunFactory(
        course=course,
        starts_on=dt.date(2026, 11, 10),
        ends_on=dt.date(2026, 11, 20),
        enrolment_closes_on=dt.date(2026, 11, 20),
    )
    return run


@pytest.fixture
def meetings(run):
    return [
        MeetingFactory(run=run, date=dt.date(2026, 11, day), start_time=dt.time(9))
        for day in (12, 13)
    ]


@pytest.fixture
def enrolment(run, meetings):
    trainee = TraineeProfileFactory(full_name="Djordje Petrovic")
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC), tick=False):
        return enrolment_create(trainee=trainee, run=run)


def attend(capture, meetings, enrolment, instructor, *statuses):
    for meeting, status in zip(meetings, statuses, strict=True):
        with capture(execute=True):
            register_save(meeting=meeting, marks={enrolment.pk: status}, by=instructor)
    enrolment.refresh_from_db()


@pytest.fixture
def certificate(django_capture_on_commit_callbacks, enrolment, meetings, instructor):
    """The completion certificate the trainee earned by attending both
    meetings, issued (rendered by the worker) through the services."""
    attend(
        django_capture_on_commit_callbacks,
        meetings,
        enrolment,
        instructor,
        "present",
        "present",
    )
    assert enrolment.outcome == "completion"
    return issue_certificate(django_capture_on_commit_callbacks, enrolment=enrolment)


def open_review(certificate) -> CertificateReview | None:
    return CertificateReview.objects.filter(
        certificate=certificate, closed_at__isnull=True
    ).first()


def verification_text(client, certificate) -> str:
    response = client.get(
        reverse("certificates:verify", args=[certificate.verification_code])
    )
    assert response.status_code == 200
    return response.content.decode()


# --- Flagging -------------------------------------------------------------------


def test_a_corrected_register_flags_the_certificate_and_verification_still_says_valid(
    client, django_capture_on_commit_callbacks, certificate, meetings, instructor
):
    assert certificate.status == Status.ISSUED
    enrolment = certificate.enrolment
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        register_save(
            meeting=meetings[1], marks={enrolment.pk: "absent"}, by=instructor
        )
        # Nothing is flagged before the register's transaction commits.
        assert open_review(certificate) is None
    assert callbacks

    enrolment.refresh_from_db()
    assert enrolment.outcome == "none"
    review = open_review(certificate)
    [reason] = review.reasons
    assert reason["code"] == "outcome_dropped"
    assert (reason["old"], reason["new"]) == ("completion", "none")
    assert reason["attendance_percent"] == "50.0"
    assert reason["threshold_percent"] == 75

    certificate.refresh_from_db()
    assert certificate.status == Status.ISSUED
    assert certificate.public_status == "valid"
    html = verification_text(client, certificate)
    assert "review" not in html.lower()
    assert certificate.serial in html
    assert "Revoked" not in html


def test_a_changed_grade_flags_the_certificate(
    catalogue, django_capture_on_commit_callbacks, instructor
):
    course = CoursePageFactory(
        parent=catalogue,
        title="Go",
        pass_mark_percent=60,
        format=CoursePage.Format.SELF_PACED,
    )
    module = ModulePageFactory(parent=course, title="Essay", body=[ESSAY])
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), course=course)
    submission = submission_submit(
        enrolment=enrolment,
        module=module,
        assignment_id="essay-1",
        text_html="<p>Pods and deployments.</p>",
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission_grade(submission=submission, by=instructor, score=8)
        module_mark_done(enrolment=enrolment, module=module)
    enrolment.refresh_from_db()
    assert enrolment.outcome == "completion"
    certificate = issue_certificate(
        django_capture_on_commit_callbacks, enrolment=enrolment
    )

    with django_capture_on_commit_callbacks(execute=True):
        submission_grade(submission=submission, by=instructor, score=3)

    [reason] = open_review(certificate).reasons
    assert (reason["old"], reason["new"]) == ("completion", "none")
    assert (reason["assessments_passed"], reason["assessments_required"]) == (0, 1)
    certificate.refresh_from_db()
    assert certificate.status == Status.ISSUED


def test_a_name_corrected_in_the_account_form_flags_the_certificate(
    client, django_capture_on_commit_callbacks, certificate
):
    trainee = certificate.enrolment.trainee
    client.force_login(trainee.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:profile"),
            {
                "full_name": "Đorđe Petrović",
                "organisation": "",
                "preferred_language": "en",
            },
        )
    assert response.status_code == 302
    [reason] = open_review(certificate).reasons
    assert reason["code"] == "name_changed"
    assert (reason["printed"], reason["new"]) == ("Djordje Petrovic", "Đorđe Petrović")


def test_saving_the_profile_without_a_new_name_flags_nothing(
    client, django_capture_on_commit_callbacks, certificate
):
    client.force_login(certificate.enrolment.trainee.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:profile"),
            {
                "full_name": "Djordje Petrovic",
                "organisation": "",
                "preferred_language": "sr-latn",
            },
        )
    assert open_review(certificate) is None


def test_completion_falling_to_attendance_flags_only_the_completion_certificate(
    django_capture_on_commit_callbacks, course, enrolment, meetings, instructor
):
    capture = django_capture_on_commit_callbacks
    module = ModulePageFactory(parent=course, title="Essay", body=[ESSAY])
    submission = submission_submit(
        enrolment=enrolment,
        module=module,
        assignment_id="essay-1",
        text_html="<p>Pods and deployments.</p>",
    )
    with capture(execute=True):
        submission_grade(submission=submission, by=instructor, score=8)
        module_mark_done(enrolment=enrolment, module=module)
    attend(capture, meetings, enrolment, instructor, "present", "present")
    assert enrolment.outcome == "completion"
    certificate_template(Kind.ATTENDANCE)
    with capture(execute=True):
        attendance = certificate_request(enrolment=enrolment, kind=Kind.ATTENDANCE)
    completion = issue_certificate(capture, enrolment=enrolment)

    with capture(execute=True):
        submission_grade(submission=submission, by=instructor, score=3)

    [reason] = open_review(completion).reasons
    assert (reason["old"], reason["new"]) == ("completion", "attendance")
    assert reason["attendance_percent"] == "100.0"
    assert open_review(attendance) is None


def test_flagging_twice_with_the_same_reason_adds_nothing(certificate):
    reason = {"code": "run_reopened", "note": "A meeting was recorded twice."}
    first = certificate_flag_for_review(certificates=[certificate], reason=reason)
    again = certificate_flag_for_review(
        enrolment_id=certificate.enrolment_id, reason=reason
    )
    assert [r.pk for r in first] == [r.pk for r in again]
    assert len(open_review(certificate).reasons) == 1
    assert CertificateReview.objects.count() == 1
    assert ModelLogEntry.objects.filter(action=audit.REVIEW).count() == 1


def test_a_new_reason_is_added_to_the_open_review(certificate):
    certificate_flag_for_review(
        certificates=[certificate],
        reason={"code": "run_reopened", "note": "Register corrected."},
    )
    certificate_flag_for_review(
        certificates=[certificate],
        reason={"code": "name_changed", "printed": "Djordje Petrovic", "new": "Đorđe"},
    )
    review = open_review(certificate)
    assert [r["code"] for r in review.reasons] == ["run_reopened", "name_changed"]


def test_revoked_certificates_are_not_flagged(certificate):
    certificate_revoke(certificate=certificate, by=None, reason="Issued in error.")
    reviews = certificate_flag_for_review(
        certificates=[certificate], reason={"code": "run_reopened", "note": ""}
    )
    assert reviews == []


def test_one_open_review_per_certificate_is_a_database_rule(certificate):
    from django.db import IntegrityError, transaction

    certificate_flag_for_review(
        certificates=[certificate], reason={"code": "run_reopened", "note": ""}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateReview.objects.create(
            certificate=certificate, opened_at=NOW, updated_at=NOW
        )


def test_a_reopened_run_flags_its_certificates(certificate):
    reviews = certificates_flag_run_reopened(
        run_id=certificate.enrolment.run_id, reason="Attendance re-checked."
    )
    assert [r.certificate_id for r in reviews] == [certificate.pk]
    assert open_review(certificate).reasons[0]["note"] == "Attendance re-checked."
    assert certificates_flag_run_reopened(run_id=999999, reason="x") == []


def test_the_record_restored_closes_the_review_by_itself(
    django_capture_on_commit_callbacks, certificate, meetings, instructor
):
    enrolment = certificate.enrolment
    attend(
        django_capture_on_commit_callbacks,
        meetings[1:],
        enrolment,
        instructor,
        "absent",
    )
    assert open_review(certificate) is not None
    attend(
        django_capture_on_commit_callbacks,
        meetings[1:],
        enrolment,
        instructor,
        "present",
    )
    assert open_review(certificate) is None
    review = CertificateReview.objects.get(certificate=certificate)
    assert review.decision == Decision.RESTORED
    assert review.closed_by is None


def test_a_rise_is_noted_when_another_reason_still_stands(
    django_capture_on_commit_callbacks, certificate, meetings, instructor
):
    certificates_flag_run_reopened(
        run_id=certificate.enrolment.run_id, reason="Attendance re-checked."
    )
    enrolment = certificate.enrolment
    attend(
        django_capture_on_commit_callbacks,
        meetings[1:],
        enrolment,
        instructor,
        "absent",
    )
    attend(
        django_capture_on_commit_callbacks,
        meetings[1:],
        enrolment,
        instructor,
        "present",
    )
    review = open_review(certificate)
    assert [r["code"] for r in review.reasons] == [
        "run_reopened",
        "outcome_dropped",
        "outcome_restored",
    ]


# --- Deciding -------------------------------------------------------------------


def test_reissue_closes_the_review_and_prints_the_corrected_name(
    client, django_capture_on_commit_callbacks, certificate
):
    trainee = certificate.enrolment.trainee
    client.force_login(trainee.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:profile"),
            {
                "full_name": "Đorđe Petrović",
                "organisation": "",
                "preferred_language": "en",
            },
        )
    admin = UserFactory(username="vesna@academy.rs")
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(certificate=certificate, by=admin)
    new.refresh_from_db()
    assert new.status == Status.ISSUED
    assert new.full_name == "Đorđe Petrović"
    review = CertificateReview.objects.get(certificate=certificate)
    assert (review.decision, review.closed_by, review.note) == (
        Decision.REISSUED,
        admin,
        new.serial,
    )
    assert open_review(new) is None


def test_reissue_corrects_the_kind_to_what_the_outcome_earns(
    django_capture_on_commit_callbacks, certificate
):
    certificate_template(Kind.ATTENDANCE)
    Enrolment.objects.filter(pk=certificate.enrolment_id).update(outcome="none")
    with pytest.raises(CertificateError):
        certificate_reissue(certificate=certificate, by=None, kind=Kind.ATTENDANCE)
    Enrolment.objects.filter(pk=certificate.enrolment_id).update(outcome="attendance")
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(
            certificate=certificate, by=None, kind=Kind.ATTENDANCE
        )
    assert new.kind == Kind.ATTENDANCE


def test_revoke_closes_the_review_with_its_reason(certificate):
    certificates_flag_run_reopened(run_id=certificate.enrolment.run_id, reason="x")
    admin = UserFactory(username="vesna@academy.rs")
    certificate_revoke(certificate=certificate, by=admin, reason="Attendance 50%.")
    review = CertificateReview.objects.get(certificate=certificate)
    assert (review.decision, review.note) == (Decision.REVOKED, "Attendance 50%.")


def test_keep_needs_a_note_and_closes_the_review(certificate):
    certificates_flag_run_reopened(run_id=certificate.enrolment.run_id, reason="x")
    admin = UserFactory(username="vesna@academy.rs")
    with pytest.raises(CertificateError):
        certificate_review_close(
            certificate=certificate, by=admin, decision=Decision.KEPT, note=" "
        )
    review = certificate_review_close(
        certificate=certificate,
        by=admin,
        decision=Decision.KEPT,
        note="The absence was excused.",
    )
    assert review.decision == Decision.KEPT
    assert open_review(certificate) is None
    with pytest.raises(CertificateError):
        certificate_review_close(
            certificate=certificate, by=admin, decision=Decision.KEPT, note="again"
        )
    certificate.refresh_from_db()
    assert certificate.status == Status.ISSUED
