"""Certificates with an expiry: their holders are reminded 90, 30 and 7 days
before it, once each, in their language, with the course's next run; the
admin dashboard lists what expires in the next 90 days. Beat's daily run is
driven with a frozen clock over three months."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from academy_site.settings.base import CELERY_BEAT_SCHEDULE
from certificates.models import Certificate
from certificates.services.expiry import expiry_reminders_queue, stage_of
from certificates.services.lifecycle import certificate_revoke
from certificates.tasks import send_expiry_reminders
from enrolments.services import enrolment_create
from tests.certificates.factories import completed_enrolment, issue_certificate
from tests.factories import CourseRunFactory, TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
BELGRADE = ZoneInfo("Europe/Belgrade")


def at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=BELGRADE)


def holder(email: str, language: str = "en"):
    return TraineeProfileFactory(
        full_name="Ana Kovač",
        preferred_language=language,
        user=UserFactory(username=email, email=email),
    )


@pytest.fixture
def certificate(time_machine, catalogue, django_capture_on_commit_callbacks):
    """Ana's completion certificate, issued on 10 January 2026 at 9:00 for a
    course whose certificates last 12 months: it expires on 10 January 2027."""
    time_machine.move_to(at(2026, 1, 10), tick=False)
    enrolment = completed_enrolment(
        catalogue,
        trainee=holder("ana@firma.rs"),
        certificate_validity_months=12,
    )
    issued = issue_certificate(django_capture_on_commit_callbacks, enrolment=enrolment)
    assert issued.status == Certificate.Status.ISSUED
    assert issued.expires_at == at(2027, 1, 10)
    mail.outbox.clear()
    return issued


def reminders():
    return [m for m in mail.outbox if "expires" in m.subject or "истиче" in m.subject]


def test_the_stage_is_the_nearest_not_passed():
    assert [stage_of(d) for d in (120, 91, 90, 89, 31, 30, 8, 7, 0)] == [
        None,
        None,
        90,
        90,
        90,
        30,
        30,
        7,
        7,
    ]


def test_a_quarter_of_beat_sends_each_reminder_once_with_the_next_run(
    certificate, time_machine, django_capture_on_commit_callbacks
):
    assert "certificate-expiry-reminders" in CELERY_BEAT_SCHEDULE
    course = certificate.enrolment.course
    next_run = CourseRunFactory(
        course=course,
        starts_on=dt.date(2027, 2, 1),
        ends_on=dt.date(2027, 2, 2),
        enrolment_opens_on=dt.date(2026, 9, 1),
    )
    sent_on = []
    day = at(2026, 10, 1, 8)
    while day <= at(2027, 1, 12, 8):
        time_machine.move_to(day, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            # Beat may run the task twice (a restart): nothing goes twice.
            if send_expiry_reminders() + send_expiry_reminders():
                sent_on.append(timezone.localdate())
        day += dt.timedelta(days=1)

    assert sent_on == [
        dt.date(2026, 10, 12),  # 90 days before
        dt.date(2026, 12, 11),  # 30 days before
        dt.date(2027, 1, 3),  # 7 days before
    ]
    subjects = [m.subject for m in reminders()]
    assert (
        subjects
        == ["Kubernetes u produkciji: your certificate expires on 10 January 2027"] * 3
    )
    body = reminders()[0].body.replace("\n", " ")
    assert "on 10 January 2027 your certificate of completion for" in body
    assert "its next run, starting on 1 February 2027, has free seats" in body
    assert reverse("learning:enrol_run", args=[next_run.pk]) in body
    assert certificate.get_absolute_url() in body


def test_a_full_next_run_offers_its_waitlist_in_the_holders_language(
    catalogue, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(2026, 11, 20), tick=False)
    enrolment = completed_enrolment(
        catalogue,
        trainee=holder("jovana@firma.rs", language="sr"),
        certificate_validity_months=1,
    )
    issued = issue_certificate(django_capture_on_commit_callbacks, enrolment=enrolment)
    full = CourseRunFactory(
        course=enrolment.course,
        capacity=1,
        starts_on=dt.date(2027, 1, 15),
        ends_on=dt.date(2027, 1, 16),
    )
    enrolment_create(trainee=TraineeProfileFactory(), run=full)
    mail.outbox.clear()

    # Issued with a month to go: the 30-day reminder only, never the 90-day.
    time_machine.move_to(at(2026, 11, 21, 8), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert expiry_reminders_queue() == 1
    [reminder] = reminders()
    assert reminder.subject == (
        "Kubernetes u produkciji: ваш сертификат истиче 20. децембра 2026."
    )
    assert "листу чекања" in reminder.body
    assert f"/sr/learning/enrol/run/{full.pk}/" in reminder.body
    assert issued.serial in reminder.body


def test_no_next_run_points_to_the_course_page_and_revoked_ones_get_nothing(
    certificate, catalogue, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(2027, 1, 5, 8), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert expiry_reminders_queue() == 1
    body = reminders()[0].body
    assert "No new run is scheduled yet" in body
    assert certificate.enrolment.course.url_path.split("/")[-2] in body

    other = issue_certificate(
        django_capture_on_commit_callbacks,
        enrolment=completed_enrolment(
            catalogue,
            trainee=holder("bojan@firma.rs"),
            title="Git",
            certificate_validity_months=1,
        ),
    )
    certificate_revoke(certificate=other, by=None, reason="Issued by mistake.")
    time_machine.move_to(at(2027, 1, 20, 8), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert expiry_reminders_queue() == 0


def test_the_dashboard_lists_what_expires_in_the_next_90_days(
    certificate, client, time_machine, admin_user
):
    client.force_login(admin_user)
    time_machine.move_to(at(2026, 9, 1), tick=False)
    client.force_login(admin_user)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "No certificate expires in the next 90 days." in page

    time_machine.move_to(at(2026, 11, 1), tick=False)
    client.force_login(admin_user)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 certificate expires in the next 90 days" in page
    assert certificate.serial in page
    assert "10 January 2027" in page
    listing = client.get(
        reverse("certificates_admin:list") + "?expiring=90"
    ).content.decode()
    assert certificate.serial in listing
