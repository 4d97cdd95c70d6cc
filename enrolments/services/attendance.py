"""Writes of attendance: the instructor's register and the trainee's check-in.

The register saves a whole meeting in one transaction with a constant number of
queries (bulk writes), whatever the number of trainees. Every change is also
written to AttendanceChange with who made it and how.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.models import Meeting
from enrolments import audit, checkin_codes
from enrolments.errors import EnrolmentError
from enrolments.models import AttendanceChange, AttendanceRecord, Enrolment
from enrolments.notifications import low_attendance_check_on_commit
from enrolments.rules.completion import outcomes_recompute
from enrolments.services.closing import run_closed_message, run_lock
from enrolments.services.outcome_sweep import run_outcomes_recompute

Status = AttendanceRecord.Status
Source = AttendanceRecord.Source
# Confirmed trainees are on the register; so are those whose enrolment has since
# been closed as completed or not completed, so their marks can be corrected.
REGISTER_STATUSES = (
    Enrolment.Status.CONFIRMED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
)
LATE_AFTER = dt.timedelta(minutes=15)


class RegisterError(EnrolmentError):
    message = _("The register could not be saved.")


class CheckInRefused(EnrolmentError):
    message = _("Check-in failed.")


def register_enrolments(meeting: Meeting):
    return (
        Enrolment.objects.filter(run_id=meeting.run_id, status__in=REGISTER_STATUSES)
        .select_related("trainee")
        .order_by("trainee__full_name", "pk")
    )


def register_save(*, meeting: Meeting, marks: dict[int, str], by) -> int:
    """Save the register of `meeting`: {enrolment id: status}. Returns how many
    marks changed. Refuses, saving nothing, an enrolment that is not on this
    meeting's register, a status outside the list, or a closed run. Recomputes
    the outcome of everyone on the register, whatever changed."""
    valid = set(Status.values)
    bad_status = sorted({s for s in marks.values() if s not in valid})
    if bad_status:
        raise RegisterError(
            gettext("Unknown attendance status: %(statuses)s.")
            % {"statuses": ", ".join(bad_status)}
        )
    with transaction.atomic():
        # The run's lock first, as closing takes it: a register saved while the
        # run closes is either counted in the close or refused after it.
        run = run_lock(run_id=meeting.run_id)
        if run.is_closed:
            raise RegisterError(run_closed_message(run))
        on_register = set(register_enrolments(meeting).values_list("pk", flat=True))
        strangers = set(marks) - on_register
        if strangers:
            raise RegisterError(
                gettext(
                    "Some trainees are not on this meeting's register; "
                    "reload the page and try again."
                )
            )
        existing = {
            record.enrolment_id: record
            for record in AttendanceRecord.objects.filter(
                meeting=meeting, enrolment_id__in=list(marks)
            )
        }
        now = timezone.now()
        created, updated, changes = [], [], []
        for enrolment_id, status in marks.items():
            record = existing.get(enrolment_id)
            if record is None:
                record = AttendanceRecord(
                    meeting=meeting,
                    enrolment_id=enrolment_id,
                    status=status,
                    source=Source.REGISTER,
                    updated_by=by,
                )
                created.append(record)
                changes.append((record, "", status))
            elif record.status != status:
                changes.append((record, record.status, status))
                record.status, record.source = status, Source.REGISTER
                record.updated_by, record.updated_at = by, now
                updated.append(record)
        # Both databases return the new ids (RETURNING), which the history
        # rows below point to.
        AttendanceRecord.objects.bulk_create(created)
        AttendanceRecord.objects.bulk_update(
            updated, ["status", "source", "updated_by", "updated_at"]
        )
        AttendanceChange.objects.bulk_create(
            AttendanceChange(
                record=record,
                old_status=old,
                new_status=new,
                source=Source.REGISTER,
                changed_by=by,
            )
            for record, old, new in changes
        )
        # Every trainee on the register, changed or not: a register saved
        # before its meeting started counted nothing then, and saving it again
        # is how an instructor expects the outcomes to catch up.
        run_outcomes_recompute(run=run, enrolment_ids=on_register, now=now)
        if changes:
            low_attendance_check_on_commit(run_id=meeting.run_id)
            audit.log_register_saved(meeting=meeting, by=by, changed=len(changes))
        return len(changes)


def check_in(
    *, enrolment_owner, meeting: Meeting, code: str, now: dt.datetime | None = None
) -> AttendanceRecord:
    """Mark the trainee present (late after 15 minutes) with the code shown in
    the room. Raises CheckInRefused with the reason, changing nothing."""
    now = now or timezone.now()
    at = now.timestamp()
    if not checkin_codes.window_is_open(meeting, now):
        opens, closes = checkin_codes.check_in_window(meeting)
        raise CheckInRefused(
            gettext(
                "Check-in for this meeting is open from %(opens)s to %(closes)s "
                "on %(day)s."
            )
            % {
                "opens": time_format(timezone.localtime(opens), "H:i"),
                "closes": time_format(timezone.localtime(closes), "H:i"),
                "day": date_format(meeting.date),
            }
        )
    if not checkin_codes.matches(meeting.pk, code, at=at):
        if checkin_codes.matched_recently(meeting.pk, code, at=at):
            raise CheckInRefused(
                gettext("This code has expired. Type the code shown now.")
            )
        raise CheckInRefused(
            gettext(
                "This is not the code of this meeting. Check the code on the screen."
            )
        )
    with transaction.atomic():
        enrolment, record = _own_record_locked(enrolment_owner, meeting, CheckInRefused)
        if record and record.status in (Status.PRESENT, Status.LATE):
            raise CheckInRefused(
                gettext("You are already checked in for this meeting.")
            )
        status = Status.LATE if now > meeting.starts_at + LATE_AFTER else Status.PRESENT
        old = record.status if record else ""
        if record is None:
            record = AttendanceRecord(meeting=meeting, enrolment=enrolment)
        record.status, record.source = status, Source.CHECK_IN
        record.checked_in_at, record.updated_by = now, enrolment_owner.user
        record.save()
        AttendanceChange.objects.create(
            record=record,
            old_status=old,
            new_status=status,
            source=Source.CHECK_IN,
            changed_by=enrolment_owner.user,
        )
        outcomes_recompute(enrolment_ids=[enrolment.pk])
        return record


APOLOGY_MAX_LENGTH = 500


class ApologyRefused(EnrolmentError):
    message = _("Your apology cannot be recorded.")


def apology_send(
    *, enrolment_owner, meeting: Meeting, reason: str = "", now=None
) -> AttendanceRecord:
    """The trainee says before the meeting starts that they cannot come: the
    register shows it with the reason and marks them excused, unless the
    instructor has marked them already (their mark stands; the apology is
    kept beside it). Saying it again replaces the reason. How an excused
    absence counts is the course's setting (enrolments/rules/attendance.py).
    Raises ApologyRefused with the reason, changing nothing."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) > APOLOGY_MAX_LENGTH:
        raise ApologyRefused(
            gettext("Keep the reason under %(count)d characters.")
            % {"count": APOLOGY_MAX_LENGTH}
        )
    if now >= meeting.starts_at:
        raise ApologyRefused(
            gettext(
                "This meeting has started: tell your instructor, who marks the "
                "register."
            )
        )
    with transaction.atomic():
        enrolment, record = _own_record_locked(enrolment_owner, meeting, ApologyRefused)
        if record is None:
            record = AttendanceRecord(
                meeting=meeting,
                enrolment=enrolment,
                status=Status.EXCUSED,
                source=Source.APOLOGY,
            )
            changed = True
        else:
            changed = False  # the instructor's (or an earlier apology's) mark
        record.apology, record.apologised_at = reason, now
        record.updated_by = enrolment_owner.user
        record.save()
        if changed:
            AttendanceChange.objects.create(
                record=record,
                old_status="",
                new_status=Status.EXCUSED,
                source=Source.APOLOGY,
                changed_by=enrolment_owner.user,
            )
        return record


def _own_record_locked(trainee, meeting: Meeting, refusal: type[EnrolmentError]):
    """The trainee's confirmed enrolment in the meeting's run, locked (two
    tabs of one trainee take turns), and its record for the meeting, if any.
    Raises `refusal` when they have no confirmed place in the run."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(
            trainee=trainee,
            run_id=meeting.run_id,
            status=Enrolment.Status.CONFIRMED,
        )
        .first()
    )
    if enrolment is None:
        raise refusal(gettext("You do not have a confirmed place in this run."))
    record = AttendanceRecord.objects.filter(
        meeting=meeting, enrolment=enrolment
    ).first()
    return enrolment, record
