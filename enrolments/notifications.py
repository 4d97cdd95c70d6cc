"""E-mails about enrolments, rendered from templates/enrolments/email/ in the
trainee's language and queued in the academy's outbox (academy_site/outbox/)
in the transaction of the change they report.

Each kind goes once per enrolment: the outbox's dedupe key says so, so a
service that runs again (a retried request, a second low-attendance check)
queues nothing new.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from academy_site.dispatch import task_on_commit
from academy_site.languages import in_language
from academy_site.links import absolute_url, site_url
from academy_site.outbox.services import email_queue, email_render
from courses.locales import title_in
from enrolments.models import Coordinator, Enrolment
from enrolments.rules.attendance import attendance_summaries
from enrolments.rules.reasons import reasons_text

LOW_ATTENDANCE_TASK = "enrolments.tasks.warn_low_attendance"


class NoticeKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Enrolment confirmed")
    REQUESTED = "requested", _("Request received")
    WAITLISTED = "waitlisted", _("Added to the waitlist")
    PROMOTED = "promoted", _("Promoted from the waitlist")
    OFFERED = "offered", _("Seat offered from the waitlist")
    OFFER_EXPIRED = "offer_expired", _("Seat offer expired")
    OFFER_DECLINED = "offer_declined", _("Seat offer declined")
    APPROVED = "approved", _("Request approved")
    EMPLOYER_APPROVED = "employer_approved", _("Request approved by the employer")
    REJECTED = "rejected", _("Request rejected")
    CANCELLED = "cancelled", _("Enrolment cancelled")
    LOW_ATTENDANCE = "low_attendance", _("Attendance below the threshold")
    ABSENCES = "absences", _("Absent from meetings in a row")
    COMPLETED = "completed", _("Course completed")
    NOT_COMPLETED = "not_completed", _("Course not completed")
    ENDED_WITH_RUN = "ended_with_run", _("Request ended with the run")


SUBJECTS = {
    NoticeKind.CONFIRMED: _("Your place is confirmed: %(course)s"),
    NoticeKind.REQUESTED: _("We received your request: %(course)s"),
    NoticeKind.WAITLISTED: _("You are on the waitlist: %(course)s"),
    NoticeKind.PROMOTED: _("A place opened up for you: %(course)s"),
    NoticeKind.OFFERED: _("A seat is yours if you want it: %(course)s"),
    NoticeKind.OFFER_EXPIRED: _("Your seat offer expired: %(course)s"),
    NoticeKind.OFFER_DECLINED: _("You declined the seat: %(course)s"),
    NoticeKind.APPROVED: _("Your request was approved: %(course)s"),
    NoticeKind.EMPLOYER_APPROVED: _("Your employer approved your request: %(course)s"),
    NoticeKind.REJECTED: _("About your request: %(course)s"),
    NoticeKind.CANCELLED: _("Your enrolment is cancelled: %(course)s"),
    NoticeKind.LOW_ATTENDANCE: _("Your attendance in %(course)s"),
    NoticeKind.ABSENCES: _("We missed you at %(course)s"),
    NoticeKind.COMPLETED: _("You completed %(course)s"),
    NoticeKind.NOT_COMPLETED: _("Your result in %(course)s"),
    NoticeKind.ENDED_WITH_RUN: _("%(course)s has ended"),
}
# The final status an outcome e-mail reports, by the enrolment's status.
OUTCOME_KINDS = {
    Enrolment.Status.COMPLETED: NoticeKind.COMPLETED,
    Enrolment.Status.NOT_COMPLETED: NoticeKind.NOT_COMPLETED,
    Enrolment.Status.CANCELLED: NoticeKind.ENDED_WITH_RUN,
}


def notice_dedupe_key(*, enrolment_id: int, kind: str) -> str:
    return f"enrolment:{enrolment_id}:{kind}"


def trainee_email_queue(
    *, trainee, kind: str, template: str, compose, dedupe_key: str
) -> bool:
    """Queue an e-mail to `trainee` in their language and script, once per
    `dedupe_key`; True when queued now, nothing for an erased trainee.
    `compose()` runs in the trainee's language and returns the subject and the
    context of `template` (`<template>.txt` and `.html`). Every e-mail to a
    trainee goes through here: enrolment notices, grades, certificates."""
    if trainee.erased_at is not None:
        return False
    language = trainee.preferred_language
    with in_language(language):
        subject, context = compose()
        text, html = email_render(template=template, context=context)
    email = email_queue(
        kind=kind,
        to=trainee.user.email,
        user=trainee.user,
        language=language,
        subject=str(subject),
        body_text=text,
        body_html=html,
        dedupe_key=dedupe_key,
    )
    return email is not None


def notice_queue(
    *, enrolment: Enrolment, kind: str, occasion: str = "", attendance=None
) -> bool:
    """Queue the e-mail `kind` about `enrolment` unless it went (or waits to
    go) already; True when queued now. `occasion` tells apart notices of one
    kind that may come again (each streak of absences)."""

    def compose():
        # The course's title as the trainee reads it.
        course_title = title_in(enrolment.course, translation.get_language())
        context = {
            "enrolment": enrolment,
            "trainee": enrolment.trainee,
            "course": enrolment.course,
            "course_title": course_title,
            "run": enrolment.run,
            "kind": kind,
            "site_url": site_url(),
        }
        if kind == NoticeKind.OFFERED:
            context["offer_url"] = absolute_url(
                reverse("learning:offer", args=[enrolment.pk])
            )
            context["offer_expires_at"] = timezone.localtime(enrolment.offer_expires_at)
        if kind in (NoticeKind.LOW_ATTENDANCE, NoticeKind.ABSENCES):
            context["attendance"] = attendance or (
                attendance_summaries([enrolment]).get(enrolment.pk)
            )
        return SUBJECTS[kind] % {"course": course_title}, context

    return trainee_email_queue(
        trainee=enrolment.trainee,
        kind=f"enrolment.{kind}",
        template="enrolments/email/notice",
        compose=compose,
        dedupe_key=notice_dedupe_key(enrolment_id=enrolment.pk, kind=kind)
        + (f":{occasion}" if occasion else ""),
    )


def outcome_notice_queue(*, enrolment: Enrolment) -> bool:
    """Tell the trainee how their course ended (completed, not completed and
    why, or a request that ended with the run), in their language. Once per
    finishing: the key carries `finished_at`, so a run reopened and closed
    again tells them again, a repeated close does not."""
    kind = OUTCOME_KINDS[enrolment.status]

    def compose():
        course_title = title_in(enrolment.course, translation.get_language())
        context = {
            "enrolment": enrolment,
            "trainee": enrolment.trainee,
            "course_title": course_title,
            "run": enrolment.run,
            "kind": kind,
            "reasons": reasons_text(enrolment.final_reasons),
            "outcome": enrolment.outcome,
            "site_url": site_url(),
        }
        return SUBJECTS[kind] % {"course": course_title}, context

    finished = enrolment.finished_at.isoformat() if enrolment.finished_at else ""
    return trainee_email_queue(
        trainee=enrolment.trainee,
        kind=f"enrolment.{kind}",
        template="enrolments/email/outcome",
        compose=compose,
        dedupe_key=f"{notice_dedupe_key(enrolment_id=enrolment.pk, kind=kind)}:"
        f"{finished}",
    )


def low_attendance_check_on_commit(*, run_id: int) -> None:
    task_on_commit(LOW_ATTENDANCE_TASK, run_id)


def low_attendance_warn(*, run_id: int) -> int:
    """After a register is saved: warn, once per enrolment, every confirmed
    trainee of the run who is below the course's attendance threshold or can
    no longer reach it, and tell, once per streak, those absent from the
    course's `absence_alert_after` meetings in a row. Returns how many e-mails
    were queued now."""
    enrolments = list(
        Enrolment.objects.filter(
            run_id=run_id,
            status=Enrolment.Status.CONFIRMED,
            trainee__erased_at__isnull=True,
        ).select_related("course", "run", "trainee__user")
    )
    summaries = attendance_summaries(enrolments)
    queued = 0
    for enrolment in enrolments:
        summary = summaries.get(enrolment.pk)
        if summary is None:
            continue
        if summary.below_threshold or not summary.threshold_reachable:
            queued += notice_queue(enrolment=enrolment, kind=NoticeKind.LOW_ATTENDANCE)
        alert_after = enrolment.course.absence_alert_after
        if alert_after and summary.absent_in_a_row >= alert_after:
            queued += notice_queue(
                enrolment=enrolment,
                kind=NoticeKind.ABSENCES,
                occasion=f"from-meeting-{summary.absent_since}",
                attendance=summary,
            )
    return queued


def notify_invitation(*, link, inviter: str) -> None:
    """E-mail a personal invitation (a JoinLink with an address) in the
    language the coordinator is using: the address may have no account yet,
    so no preferred language is known. Once per link."""
    url = absolute_url(reverse("coordination:join", args=[link.token]))
    context = {
        "organisation": link.organisation.name,
        "inviter": inviter,
        "url": url,
        "expires_at": link.expires_at,
    }
    text, html = email_render(template="enrolments/email/invitation", context=context)
    email_queue(
        kind="organisation.invitation",
        to=link.email,
        language=translation.get_language() or "",
        subject=str(
            _("%(organisation)s invites you to the Cluster Academy")
            % {"organisation": link.organisation.name}
        ),
        body_text=text,
        body_html=html,
        dedupe_key=f"join-link:{link.pk}",
    )


def employer_request_notify(*, enrolment: Enrolment) -> int:
    """Tell each coordinator of the trainee's organisation that a request
    waits for them, in their language, once per request and coordinator.
    Returns how many e-mails were queued now."""
    coordinators = Coordinator.objects.filter(
        organisation_id=enrolment.organisation_id, user__is_active=True
    ).select_related("user__trainee", "organisation")
    queued = 0
    for coordinator in coordinators:
        user = coordinator.user
        trainee = getattr(user, "trainee", None)
        language = trainee.preferred_language if trainee else "sr-latn"
        with in_language(language):
            url = absolute_url(
                reverse("coordination:requests", args=[enrolment.organisation_id])
            )
            course_title = title_in(enrolment.course, translation.get_language())
            context = {
                "organisation": coordinator.organisation.name,
                "trainee": enrolment.trainee.full_name,
                "course_title": course_title,
                "run": enrolment.run,
                "price": enrolment.price,
                "url": url,
            }
            text, html = email_render(
                template="enrolments/email/employer_request", context=context
            )
            subject = str(
                _("%(trainee)s asks to join %(course)s")
                % {"trainee": context["trainee"], "course": course_title}
            )
        email = email_queue(
            kind="organisation.staff_request",
            to=user.email,
            user=user,
            language=language,
            subject=subject,
            body_text=text,
            body_html=html,
            dedupe_key=f"staff-request:{enrolment.pk}:{coordinator.pk}",
        )
        queued += email is not None
    return queued
