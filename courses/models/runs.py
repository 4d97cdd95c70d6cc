import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)

from courses.widgets import DateInput

RUN_FACTS_FIELDS = (
    "facts_recorded_at",
    "facts_hours",
    "facts_title",
    "facts_titles",
    "facts_instructors",
)
LIFECYCLE_LABELS = {
    "scheduled": _("Scheduled"),
    "open": _("Open for enrolment"),
    "running": _("Running"),
}
# Columns only services write (see CourseRun.save): the seats and the closing
# (enrolments), the recorded facts (courses/services.py: run_facts_record).
SERVICE_OWNED_FIELDS = {"seats_taken", "closed_at", "closed_by", *RUN_FACTS_FIELDS}


class CourseRun(ClusterableModel):
    """A scheduled edition of a course: dates, enrolment window, seats, place.

    Edited in Snippets > Course runs, with its meetings inline; shown on the course
    page and in the catalogue. `seats_taken` is maintained by the enrolment
    services under a row lock, so the catalogue can show seats left without
    reading enrolments, and the database refuses more seats than capacity.
    """

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="runs"
    )
    label = models.CharField(
        max_length=100,
        blank=True,
        help_text=_('Optional, e.g. "Winter 2026, Novi Sad".'),
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    enrolment_opens_on = models.DateField(
        null=True, blank=True, help_text=_("Leave empty to open enrolment now.")
    )
    enrolment_closes_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Last day to enrol. Empty: the day before the run starts."),
    )
    # A plain IntegerField, so a negative number gets the same message as zero
    # rather than a form's generic minimum; the constraint below guards the table.
    capacity = models.IntegerField(
        help_text=_("Number of seats."),
        validators=[MinValueValidator(1, _("Capacity must be at least one seat."))],
    )
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    location = models.CharField(
        max_length=255, blank=True, help_text=_("Venue address for in-person meetings.")
    )
    online_url = models.URLField(
        _("online meeting link"),
        blank=True,
        help_text=_("Shown to enrolled trainees only."),
    )
    instructors = ParentalManyToManyField(
        "courses.Instructor", blank=True, related_name="runs"
    )
    # What the run's certificates print, recorded once when the run starts or
    # closes (courses/services.py: run_facts_record), so that editing the
    # course later does not rewrite a past run; read them with
    # courses/selectors.py: run_facts. Titles are kept per language, as
    # certificates print the title in the trainee's language.
    facts_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    facts_hours = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    facts_title = models.CharField(max_length=255, blank=True, editable=False)
    facts_titles = models.JSONField(default=dict, blank=True, editable=False)
    facts_instructors = models.JSONField(default=list, blank=True, editable=False)
    # Set by enrolments/services/closing.py (run_close / run_reopen), never by
    # the run's form: a closed run takes no enrolments and no register changes.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    panels = [
        PageChooserPanel("course", page_type="courses.CoursePage"),
        FieldPanel("label"),
        FieldRowPanel(
            [
                FieldPanel("starts_on", widget=DateInput),
                FieldPanel("ends_on", widget=DateInput),
            ],
            heading=_("Dates"),
        ),
        FieldRowPanel(
            [
                FieldPanel("enrolment_opens_on", widget=DateInput),
                FieldPanel("enrolment_closes_on", widget=DateInput),
            ],
            heading=_("Enrolment window"),
        ),
        FieldPanel("capacity"),
        MultiFieldPanel(
            [FieldPanel("location"), FieldPanel("online_url")], heading=_("Where")
        ),
        FieldPanel("instructors"),
        InlinePanel("meetings", heading=_("Meetings"), label=_("Meeting")),
    ]

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="run_ends_after_it_starts",
                violation_error_message=_("A run cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="run_capacity_positive",
                violation_error_message=_("Capacity must be at least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")),
                name="run_seats_within_capacity",
                violation_error_message=_(
                    "Capacity cannot be lower than the seats already taken."
                ),
            ),
            models.CheckConstraint(
                condition=Q(enrolment_closes_on__isnull=True)
                | Q(enrolment_closes_on__lte=F("ends_on")),
                name="run_enrolment_closes_by_end",
                violation_error_message=_(
                    "The enrolment window must close on or before the run ends."
                ),
            ),
            models.CheckConstraint(
                condition=Q(enrolment_opens_on__isnull=True)
                | Q(enrolment_closes_on__isnull=True)
                | Q(enrolment_opens_on__lte=F("enrolment_closes_on")),
                name="run_enrolment_opens_before_it_closes",
                violation_error_message=_(
                    "The enrolment window must open before it closes."
                ),
            ),
            models.CheckConstraint(
                # Explicit about NULL hours: a CHECK lets NULL comparisons pass.
                condition=Q(facts_recorded_at__isnull=True)
                | (
                    Q(facts_hours__isnull=False)
                    & Q(facts_hours__gt=0)
                    & ~Q(facts_title="")
                ),
                name="run_facts_recorded_whole",
            ),
        ]

    def __str__(self):
        name = f"{self.course.title}, {self.starts_on:%d %b %Y}"
        return f"{name} ({self.label})" if self.label else name

    def save(self, *args, **kwargs):
        # `seats_taken` and the closing are changed only by the enrolment
        # services, with updates under a row lock, and the recorded facts only
        # by run_facts_record. Saving an edited run (the admin form holds a copy
        # read before the edit) must not write that stale copy back: an edit
        # made while the run closed would reopen it.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in SERVICE_OWNED_FIELDS
            ] + ["meetings", "instructors"]
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not (self.location or self.online_url):
            raise ValidationError(
                gettext("Give a venue address, an online meeting link, or both."),
                code="no_place",
            )

    @property
    def enrolment_closes(self) -> dt.date:
        """The last day to enrol: the set date, else the day before the run starts."""
        return self.enrolment_closes_on or self.starts_on - dt.timedelta(days=1)

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def is_open_for_enrolment(self, on: dt.date | None = None) -> bool:
        if self.is_closed:
            return False
        on = on or timezone.localdate()
        opened = self.enrolment_opens_on is None or self.enrolment_opens_on <= on
        return opened and on <= self.enrolment_closes

    def enrolment_state(self, on: dt.date | None = None) -> str:
        """One of "open", "not_yet_open", "closed", "in_progress" or "ended",
        for the labels on cards."""
        on = on or timezone.localdate()
        if self.is_closed or self.ends_on < on:
            return "ended"
        if self.starts_on <= on and on > self.enrolment_closes:
            return "in_progress"
        if self.enrolment_opens_on and on < self.enrolment_opens_on:
            return "not_yet_open"
        if on > self.enrolment_closes:
            return "closed"
        return "open"

    def lifecycle_state(self, on: dt.date | None = None) -> str:
        """Where the run is in its life: "scheduled" (enrolment not open yet),
        "open" (open for enrolment), "running" (enrolment over, not closed:
        teaching and grading) or "closed" (final statuses set)."""
        if self.is_closed:
            return "closed"
        on = on or timezone.localdate()
        if self.is_open_for_enrolment(on):
            return "open"
        if self.enrolment_opens_on and on < self.enrolment_opens_on:
            return "scheduled"
        return "running"

    def lifecycle_label(self, on: dt.date | None = None) -> str:
        """The state in words: "Scheduled", "Open for enrolment", "Running",
        "Closed on 4 December 2026 by Ana Petrović" (or "automatically")."""
        state = self.lifecycle_state(on)
        if state != "closed":
            return str(LIFECYCLE_LABELS[state])
        day = date_format(timezone.localtime(self.closed_at), "DATE_FORMAT")
        if self.closed_by is None:
            return gettext("Closed automatically on %(date)s") % {"date": day}
        who = self.closed_by.get_full_name() or self.closed_by.get_username()
        return gettext("Closed on %(date)s by %(who)s") % {"date": day, "who": who}

    def last_meeting_day(self) -> dt.date:
        """The day of the last meeting, or `ends_on` for a run without any:
        the grace before the automatic close counts from it."""
        last = max((m.date for m in self.meetings.all()), default=None)
        return last or self.ends_on


class Meeting(models.Model):
    """One session of a run: in a room, online, or both. Edited inline on its run."""

    run = ParentalKey(CourseRun, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=150, blank=True)
    date = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=90, help_text=_("Between 5 minutes and 12 hours.")
    )
    room = models.CharField(max_length=150, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    # When the outcomes of the run's trainees were last recomputed with this
    # meeting started (enrolments' outcome sweep); null: not since it started
    # or since its time was edited.
    counted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The iCalendar SEQUENCE of the meeting's event: one more after every
    # change of its time, place or title (courses/calendar_versions.py), so
    # calendar apps replace the event rather than keep the old one.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    panels = [
        FieldPanel("title"),
        FieldRowPanel(
            [
                FieldPanel("date", widget=DateInput),
                FieldPanel("start_time"),
                FieldPanel("duration_minutes"),
            ]
        ),
        FieldRowPanel([FieldPanel("room"), FieldPanel("online_url")]),
    ]

    class Meta:
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=720),
                name="meeting_duration_sensible",
                violation_error_message=_(
                    "A meeting lasts between 5 minutes and 12 hours."
                ),
            ),
            models.UniqueConstraint(
                fields=["run", "date", "start_time"],
                name="meeting_unique_start_per_run",
                violation_error_message=_(
                    "This run already has a meeting at that time."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.date:%d %b %Y} {self.start_time:%H:%M}"

    def clean(self):
        super().clean()
        run = getattr(self, "run", None)
        if run and run.starts_on and run.ends_on and self.date:
            if not run.starts_on <= self.date <= run.ends_on:
                raise ValidationError(
                    {
                        "date": gettext(
                            "Pick a date within the run (%(starts)s to %(ends)s)."
                        )
                        % {
                            "starts": date_format(run.starts_on, "DATE_FORMAT"),
                            "ends": date_format(run.ends_on, "DATE_FORMAT"),
                        }
                    }
                )

    @property
    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class CancelledMeeting(models.Model):
    """A meeting removed from its run, kept so that calendar subscriptions
    (enrolments/ics.py) can mark its event STATUS:CANCELLED instead of
    leaving it in the calendars that imported it. Written when a meeting is
    deleted (courses/calendar_versions.py), never edited."""

    # The run's id, not a key: deleting a run deletes its meetings, and their
    # records must not stand in the way.
    run_id = models.PositiveIntegerField(db_index=True)
    # The deleted meeting's id: its event's UID stays the same.
    meeting_id = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=150, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    sequence = models.PositiveIntegerField()
    cancelled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.run_id}: {self.starts_at:%Y-%m-%d %H:%M} (cancelled)"
