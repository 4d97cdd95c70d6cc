from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTIVE_STATUSES = (
    "pending",
    "confirmed",
    "offered",
    "waitlisted",
    "completed",
    "not_completed",
)
# An offered seat is held for its trainee until they answer or the offer
# lapses (enrolments/services/waitlist.py).
SEAT_HOLDING_STATUSES = ("pending", "confirmed", "offered")
# Who may open the course's modules (enrolments/access.py: may_study).
STUDYING_STATUSES = ("confirmed", "completed")
# The run's calendar is for those who will or may come: it can carry the
# online meeting's link, which a cancelled or rejected trainee should not keep.
CALENDAR_STATUSES = (*SEAT_HOLDING_STATUSES, "waitlisted")


class Enrolment(models.Model):
    """A trainee's place in a run (or in a self-paced course, with no run).

    Made and changed only through enrolments/services/enrolment.py, which keeps
    the run's `seats_taken` in step: pending, confirmed and offered enrolments hold a
    seat. Member status and price are snapshots taken when the enrolment is made,
    so a later change of membership or price never changes what was agreed.
    Listed in the admin under Enrolments; shown to the trainee in My learning.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        CONFIRMED = "confirmed", _("Confirmed")
        OFFERED = "offered", _("Seat offered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")

    class EmployerApproval(models.TextChoices):
        # Asked only when the course needs it and the trainee is staff of an
        # organisation with a coordinator (enrolments/rules/membership.py).
        NOT_ASKED = "", _("Not asked")
        WAITING = "waiting", _("Waiting for the employer")
        APPROVED = "approved", _("Approved by the employer")
        REFUSED = "refused", _("Refused by the employer")

    trainee = models.ForeignKey(
        "enrolments.TraineeProfile", on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="+"
    )
    run = models.ForeignKey(
        "courses.CourseRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    is_member = models.BooleanField(
        _("member price"),
        help_text=_("Whether the trainee's organisation was a member."),
    )
    organisation = models.ForeignKey(
        "enrolments.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    price = models.DecimalField(_("price (RSD)"), max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    seat_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the trainee got a seat: at enrolment, or on promotion."),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(blank=True)
    employer_approval = models.CharField(
        _("employer's approval"),
        max_length=10,
        choices=EmployerApproval.choices,
        blank=True,
        default=EmployerApproval.NOT_ASKED,
    )
    # Until when an offered seat waits for the trainee's answer; kept after
    # the answer, as a record of the offer.
    offer_expires_at = models.DateTimeField(
        _("offer open until"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=12,
        choices=[
            ("none", _("Not yet earned")),
            ("attendance", _("Attendance certificate")),
            ("completion", _("Completion certificate")),
        ],
        default="none",
        help_text=_("Set by the completion rules (enrolments/rules/completion.py)."),
    )
    outcome_changed_at = models.DateTimeField(null=True, blank=True)
    # Set when the enrolment ends with its result: the run's closing
    # (enrolments/services/closing.py) or, self-paced, the completion rules.
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Why it ended so, language-neutral ({"code": "attendance", "percent":
    # "62.0", "required": 75}, ...); rules/reasons.py renders them in words.
    final_reasons = models.JSONField(_("why"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("view_reports", _("Can view academy reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "run"],
                condition=Q(status__in=ACTIVE_STATUSES) & Q(run__isnull=False),
                name="enrolment_one_active_per_trainee_and_run",
                violation_error_message=_("You are already enrolled in this run."),
            ),
            models.UniqueConstraint(
                fields=["trainee", "course"],
                condition=Q(status__in=ACTIVE_STATUSES) & Q(run__isnull=True),
                name="enrolment_one_active_per_trainee_self_paced",
                violation_error_message=_("You are already enrolled in this course."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="enrolment_price_not_negative",
            ),
            models.CheckConstraint(
                # A request waits for the employer only while it is pending.
                condition=~Q(employer_approval="waiting") | Q(status="pending"),
                name="enrolment_waits_for_employer_only_when_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="enrolment_offer_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="enrolment_rejection_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
        ]
        indexes = [models.Index(fields=["run", "status", "created_at"])]

    def __str__(self):
        return gettext("%(trainee)s in %(run)s") % {
            "trainee": self.trainee,
            "run": self.run or self.course,
        }

    @property
    def waits_for_employer(self) -> bool:
        return self.employer_approval == self.EmployerApproval.WAITING

    @property
    def is_offered(self) -> bool:
        return self.status == self.Status.OFFERED

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING_STATUSES

    @property
    def has_calendar(self) -> bool:
        return self.run_id is not None and self.status in CALENDAR_STATUSES

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
