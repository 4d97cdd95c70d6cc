"""Certificates follow the record (certificates/services/review.py): when what
a certificate rests on changes after issue (a corrected register, a new
grade, a corrected name, a reopened run), it is flagged for review, the
verification page still says valid, and an academy admin reissues, revokes or
keeps it from the dashboard's queue."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from academy_site.roles import ACADEMY_ADMIN, INSTRUCTOR, grant_role, roles_sync
from certificates import audit
from certificates.admin.review import review_url
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
    completed_enrolment,
    issue_certificate,
)
from tests.enrolments.test_dashboard import count_queries
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
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


# --- The admin: queue, listing, Review page ----------------------------------------


def staff(name: str, role: str):
    user = UserFactory(username=f"{name.lower()}@academy.local", is_staff=True)
    grant_role(user=user, role=role)
    return user


@pytest.fixture
def academy_admin(db):
    roles_sync()
    return staff("Vesna", ACADEMY_ADMIN)


@pytest.fixture
def admin_client(client, academy_admin):
    client.force_login(academy_admin)
    return client


def flagged(certificate, note="Attendance re-checked."):
    certificates_flag_run_reopened(run_id=certificate.enrolment.run_id, reason=note)
    return certificate


def page(client, name, *args, **query) -> str:
    url = reverse(name, args=args)
    response = client.get(url, query)
    assert response.status_code == 200, response
    return response.content.decode()


def test_dashboard_lists_open_reviews_in_constant_queries(
    admin_client, certificate, catalogue, django_capture_on_commit_callbacks
):
    html = page(admin_client, "wagtailadmin_home")
    assert "No certificate needs review" in html
    flagged(certificate)
    html = page(admin_client, "wagtailadmin_home")
    assert "1 certificate needs review" in html
    assert review_url(certificate.pk) in html
    assert "The run was reopened: Attendance re-checked." in html
    single = count_queries(admin_client, reverse("wagtailadmin_home"))

    for title in ("Rust", "Go", "Elixir"):
        other = issue_certificate(
            django_capture_on_commit_callbacks,
            enrolment=completed_enrolment(catalogue, title=title, slug=title.lower()),
        )
        flagged(other)
    assert count_queries(admin_client, reverse("wagtailadmin_home")) == single
    assert "4 certificates need review" in page(admin_client, "wagtailadmin_home")


def test_instructors_never_see_the_queue_nor_the_review_page(client, certificate, run):
    roles_sync()
    boris = staff("Boris", INSTRUCTOR)
    InstructorFactory(full_name="Boris Borić", user=boris)
    run.instructors.add(boris.instructor)
    run.save()
    # Even certificate permissions given by hand do not make them a reviewer.
    boris.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="certificates",
            codename__in=["view_certificate", "change_certificate"],
        )
    )
    flagged(certificate)
    client.force_login(boris)
    html = page(client, "wagtailadmin_home")
    assert "needs review" not in html.lower()
    response = client.get(review_url(certificate.pk))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/admin/" in response["Location"]
    assert open_review(certificate) is not None


def test_anonymous_visitors_are_sent_to_log_in(client, certificate):
    flagged(certificate)
    response = client.get(review_url(certificate.pk))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_listing_tags_and_filters_certificates_that_need_review(
    admin_client, certificate, catalogue, django_capture_on_commit_callbacks
):
    calm = issue_certificate(
        django_capture_on_commit_callbacks,
        enrolment=completed_enrolment(catalogue, title="Go", slug="go"),
    )
    flagged(certificate)
    html = page(admin_client, "certificates_admin:list")
    assert html.count("Needs review") >= 2  # the filter's choice and the tag
    assert reverse("certificates_admin:review", args=[certificate.pk]) in html
    assert reverse("certificates_admin:review", args=[calm.pk]) not in html

    html = page(admin_client, "certificates_admin:list", review="open")
    assert certificate.serial in html
    assert calm.serial not in html


def test_review_page_reissues_corrected_in_one_click(
    admin_client, certificate, django_capture_on_commit_callbacks
):
    own = Client()
    own.force_login(certificate.enrolment.trainee.user)
    with django_capture_on_commit_callbacks(execute=True):
        own.post(
            reverse("accounts:profile"),
            {
                "full_name": "Đorđe Petrović",
                "organisation": "",
                "preferred_language": "en",
            },
        )
    html = page(admin_client, "certificates_admin:review", certificate.pk)
    assert "Djordje Petrovic" in html  # what it prints
    assert "the certificate prints" in html
    assert 'name="full_name" value="Đorđe Petrović"' in html
    assert 'name="kind" value="completion"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("certificates_admin:reissue", args=[certificate.pk]),
            {"full_name": "Đorđe Petrović", "kind": "completion"},
            follow=True,
        )
    assert "is superseded by" in response.content.decode()
    certificate.refresh_from_db()
    new = certificate.superseded_by
    assert (new.status, new.full_name) == (Status.ISSUED, "Đorđe Petrović")
    review = CertificateReview.objects.get(certificate=certificate)
    assert review.decision == Decision.REISSUED


def test_review_page_offers_revoke_with_the_reason_prefilled(
    admin_client, certificate, meetings, instructor, django_capture_on_commit_callbacks
):
    enrolment = certificate.enrolment
    attend(
        django_capture_on_commit_callbacks,
        meetings[1:],
        enrolment,
        instructor,
        "absent",
    )
    html = page(admin_client, "certificates_admin:review", certificate.pk)
    assert "The record no longer earns any certificate" in html
    assert "Reissue corrected" not in html
    revoke = reverse("certificates_admin:revoke", args=[certificate.pk])
    assert revoke in html

    html = page(admin_client, "certificates_admin:revoke", certificate.pk)
    assert "Outcome fell from completion to no certificate." in html
    assert "Attendance 50.0% (75% needed)." in html

    admin_client.post(revoke, {"reason": "Attended one of two meetings."})
    certificate.refresh_from_db()
    assert certificate.status == Status.REVOKED
    review = CertificateReview.objects.get(certificate=certificate)
    assert (review.decision, review.note) == (
        Decision.REVOKED,
        "Attended one of two meetings.",
    )


def test_keep_from_the_review_page_needs_a_note(
    admin_client, academy_admin, certificate
):
    flagged(certificate)
    url = reverse("certificates_admin:review", args=[certificate.pk])
    response = admin_client.post(url, {"note": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert open_review(certificate) is not None

    response = admin_client.post(
        url, {"note": "The meeting was cancelled."}, follow=True
    )
    assert "stands as issued; its review is closed." in response.content.decode()
    review = CertificateReview.objects.get(certificate=certificate)
    assert (review.decision, review.closed_by) == (Decision.KEPT, academy_admin)
    # Nothing left to decide: the page says so instead of offering it again.
    response = admin_client.get(url, follow=True)
    assert "has no open review." in response.content.decode()


def test_inspect_page_and_history_show_the_flag_and_the_decision(
    admin_client, academy_admin, certificate
):
    flagged(certificate)
    html = page(admin_client, "certificates_admin:inspect", certificate.pk)
    assert "Needs review since" in html
    assert review_url(certificate.pk) in html
    html = page(admin_client, "certificates_admin:history", certificate.pk)
    assert "Flagged for review: The run was reopened: Attendance re-checked." in html

    certificate_review_close(
        certificate=certificate,
        by=academy_admin,
        decision=Decision.KEPT,
        note="Checked with the instructor.",
    )
    html = page(admin_client, "certificates_admin:inspect", certificate.pk)
    assert "Kept as issued" in html
    assert "Checked with the instructor." in html
    html = page(admin_client, "certificates_admin:history", certificate.pk)
    assert "Review closed: Kept as issued" in html
