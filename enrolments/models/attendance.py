from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceRecord(models.Model):
    """Whether a trainee attended one meeting. One row per (meeting, enrolment),
    written by the instructor's register or by the trainee's self check-in
    (enrolments/services/attendance.py); every change is also kept in
    AttendanceChange. How the rows become a rate: enrolments/rules/attendance.py.
    """

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    class Source(models.TextChoices):
        REGISTER = "register", _("Marked by the instructor")
        CHECK_IN = "check_in", _("Checked in by the trainee")
        APOLOGY = "apology", _("Apology from the trainee")

    meeting = models.ForeignKey(
        "courses.Meeting", on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(
        "enrolments.Enrolment", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # Said by the trainee before the meeting ("I can't come"): kept whatever
    # the instructor then marks, so the register shows why.
    apologised_at = models.DateTimeField(null=True, blank=True)
    apology = models.TextField(_("reason given"), blank=True, max_length=500)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "enrolment"], name="attendance_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["present", "late", "excused", "absent"]),
                name="attendance_status_known",
            ),
        ]

    def __str__(self):
        return (
            f"{self.enrolment.trainee} at {self.meeting}: {self.get_status_display()}"
        )


class AttendanceChange(models.Model):
    """The history of a record: who set which status, when, and how."""

    record = models.ForeignKey(
        AttendanceRecord, on_delete=models.CASCADE, related_name="changes"
    )
    old_status = models.CharField(max_length=10, blank=True)
    new_status = models.CharField(max_length=10)
    source = models.CharField(max_length=10, choices=AttendanceRecord.Source.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.old_status or '—'} → {self.new_status}"
