from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import ContentStreamBlock, ModuleStreamBlock
from courses.locales import FallbackRoutingMixin, original, with_translations
from courses.search_text import course_search_texts


class CourseIndexPage(FallbackRoutingMixin, Page):
    """The public course catalogue: every published course below it, with filters
    and full-text search. Rendered by templates/courses/course_index_page.html."""

    intro = models.TextField(blank=True, help_text=_("Shown above the catalogue."))
    courses_per_page = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("courses_per_page")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1
    # The same for every visitor in a language: cached whole for them
    # (academy_site/public_cache.py).
    public_cache = True

    # Filtering and paging the catalogue is request handling (courses/views.py,
    # which reads through the selectors, which import these models): the app's
    # ready() plugs it in here rather than the model importing the view.
    catalogue_context = None

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.catalogue_context(request=request, index_page=self))
        return context


class CoursePage(FallbackRoutingMixin, Page):
    """A course: what it teaches, for whom, how it is delivered, what it costs and
    what earns a certificate. Modules are its child pages; runs (scheduled
    editions) are edited in Snippets > Course runs. Rendered by
    templates/courses/course_page.html."""

    # The same for every visitor in a language (seats and dates included):
    # cached whole for them (academy_site/public_cache.py).
    public_cache = True

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Format(models.TextChoices):
        SELF_PACED = "self_paced", _("Online, self-paced")
        IN_PERSON = "in_person", _("In person")
        BLENDED = "blended", _("Blended")

    class Language(models.TextChoices):
        SERBIAN = "sr", _("Serbian")
        ENGLISH = "en", _("English")

    class EnrolmentPolicy(models.TextChoices):
        OPEN = "open", _("Open: enrolment is confirmed at once")
        APPROVAL = "approval", _("Needs approval by the academy")

    summary = models.TextField(
        max_length=400, help_text=_("One or two sentences for the catalogue card.")
    )
    learning_outcomes = models.TextField(
        blank=True, help_text=_("What a trainee will be able to do; one per line.")
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    language = models.CharField(max_length=5, choices=Language.choices)
    format = models.CharField(max_length=20, choices=Format.choices)
    duration_hours = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Total learning hours, printed on certificates."),
    )
    topics = ParentalManyToManyField(
        "courses.Topic", blank=True, related_name="courses"
    )
    instructors = ParentalManyToManyField(
        "courses.Instructor", blank=True, related_name="courses"
    )
    price_member = models.DecimalField(
        _("price for members (RSD)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("For staff of member organisations. 0 means free."),
    )
    price_non_member = models.DecimalField(
        _("price for non-members (RSD)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    enrolment_policy = models.CharField(
        max_length=20, choices=EnrolmentPolicy.choices, default=EnrolmentPolicy.OPEN
    )
    needs_employer_approval = models.BooleanField(
        _("staff need their employer's approval"),
        default=False,
        help_text=_(
            "A trainee who is confirmed staff of an organisation with a training "
            "coordinator enrols once the coordinator approves; everyone else "
            "follows the enrolment policy."
        ),
    )
    waitlist_offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed seat"),
        default=48,
        validators=[MaxValueValidator(336)],
        help_text=_(
            "A seat that frees up is offered to the first person on the waitlist, "
            "who has this long to accept it (less when the run starts soon). "
            "0: the seat is given at once, without asking (suits free courses)."
        ),
    )
    cancellation_deadline_days = models.PositiveSmallIntegerField(
        _("cancellation deadline (days before start)"),
        default=3,
        validators=[MaxValueValidator(365)],
        help_text=_("Trainees can cancel until this many days before a run starts."),
    )
    attendance_threshold_percent = models.PositiveSmallIntegerField(
        _("attendance threshold (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Minimum attendance rate for an attendance certificate."),
    )
    absence_alert_after = models.PositiveSmallIntegerField(
        _("absences in a row before an alert"),
        default=2,
        validators=[MaxValueValidator(20)],
        help_text=_(
            "A trainee absent from this many meetings in a row is e-mailed, and "
            "the run's overview shows it. 0 turns the alert off."
        ),
    )
    excused_counts_as_present = models.BooleanField(
        _("excused absences count as attended"),
        default=False,
        help_text=_("Whether an excused absence counts towards the attendance rate."),
    )
    auto_issue_certificates = models.BooleanField(
        default=False,
        help_text=_("Issue the certificate as soon as a trainee earns it."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Certificates expire after this many months. Empty: never."),
    )
    keep_name_after_erasure = models.BooleanField(
        _("keep the holder's name after erasure"),
        default=False,
        help_text=_(
            "When a trainee's personal data is erased, their certificates stay "
            "verifiable by code. Tick to keep showing the holder's name on the "
            "verification page (for certificates that must stay attributable); "
            "otherwise it shows only the course, dates and status."
        ),
    )
    show_correct_answers = models.BooleanField(
        default=True,
        help_text=_("Show trainees the correct answers after they submit a quiz."),
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=60,
        validators=[MaxValueValidator(100)],
        help_text=_("Minimum score on each required assessment."),
    )
    evaluation_form = models.ForeignKey(
        "courses.EvaluationForm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the academy's default form (none: no evaluation)."),
    )
    evaluation_days = models.PositiveSmallIntegerField(
        _("days to answer after the run closes"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "The evaluation opens at the start of the last meeting and closes "
            "this many days after the run is closed."
        ),
    )
    evaluation_required = models.BooleanField(
        _("evaluation required for the certificate"),
        default=False,
        help_text=_(
            "Issue certificates only to trainees who answered the evaluation; "
            "answering issues the certificate at once."
        ),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ContentStreamBlock(), blank=True, use_json_field=True)
    # Folded text the catalogue search matches on (courses/search_text.py).
    search_title = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level"), FieldPanel("language")]),
                FieldRowPanel([FieldPanel("format"), FieldPanel("duration_hours")]),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("instructors", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Course details"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("price_member"), FieldPanel("price_non_member")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("enrolment_policy"),
                        FieldPanel("needs_employer_approval"),
                        FieldPanel("cancellation_deadline_days"),
                    ]
                ),
                FieldPanel("waitlist_offer_hours"),
            ],
            heading=_("Prices and enrolment"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("attendance_threshold_percent"),
                        FieldPanel("pass_mark_percent"),
                    ]
                ),
                FieldPanel("excused_counts_as_present"),
                FieldPanel("absence_alert_after"),
                FieldPanel("show_correct_answers"),
                FieldRowPanel(
                    [
                        FieldPanel("auto_issue_certificates"),
                        FieldPanel("certificate_validity_months"),
                    ]
                ),
                FieldPanel("keep_name_after_erasure"),
            ],
            heading=_("Certificate rules"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("evaluation_form"),
                FieldRowPanel(
                    [FieldPanel("evaluation_days"), FieldPanel("evaluation_required")]
                ),
            ],
            heading=_("Evaluation"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("instructors", [index.SearchField("full_name")]),
        index.FilterField("level"),
        index.FilterField("format"),
        index.FilterField("language"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0),
                name="course_duration_positive",
                violation_error_message=_("The duration must be more than 0 hours."),
            ),
            models.CheckConstraint(
                condition=Q(price_member__gte=0) & Q(price_non_member__gte=0),
                name="course_prices_not_negative",
                violation_error_message=_("Prices cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(attendance_threshold_percent__lte=100)
                & Q(pass_mark_percent__lte=100),
                name="course_percentages_at_most_100",
                violation_error_message=_("Percentages must be between 0 and 100."),
            ),
        ]

    def refresh_search_text(self) -> None:
        """Fold title, summary, outcomes, topics and instructors into the
        search fields. The topics and instructors being edited are read from
        the page itself (they are saved with it, after its own row)."""
        self.search_title, self.search_text = course_search_texts(
            title=self.title,
            summary=self.summary,
            learning_outcomes=self.learning_outcomes,
            topics=[name for topic in self.topics.all() for name in topic.names],
            instructors=[person.full_name for person in self.instructors.all()],
        )

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_title", "search_text"]
        return super().save(*args, **kwargs)

    @property
    def is_self_paced(self) -> bool:
        return self.format == self.Format.SELF_PACED

    @property
    def learning_outcome_list(self) -> list[str]:
        return [
            line.strip() for line in self.learning_outcomes.splitlines() if line.strip()
        ]

    @property
    def original(self) -> "CoursePage":
        """The course in the default locale, which holds runs and enrolments
        (this page when it is not a translation)."""
        return original(self)

    def modules(self):
        return ModulePage.objects.child_of(self).live().specific().order_by("path")

    def modules_shown(self, request=None) -> list["ModulePage"]:
        """The original's modules in its order, each in the active language
        when translated (with `shown` and `shown_url` set)."""
        return with_translations(self.original.modules(), request)

    def upcoming_runs(self):
        """Runs that have not ended yet, soonest first, with what their cards show."""
        today = timezone.localdate()
        return (
            self.runs.filter(ends_on__gte=today)
            .order_by("starts_on", "pk")
            .prefetch_related("meetings", "instructors")
        )

    def get_context(self, request, *args, **kwargs):
        # A translation shows its own text; facts, runs and people come from
        # the original, which is what trainees enrol in.
        course = self.original
        context = super().get_context(request, *args, **kwargs)
        context["course"] = course
        context["modules"] = self.modules_shown(request)
        context["runs"] = course.upcoming_runs()
        context["instructors"] = course.instructors.all()
        context["topics"] = course.topics.all()
        return context


class ModulePage(Page):
    """One unit of study inside a course. Rendered by
    templates/courses/module_page.html; the order in the page tree is the order
    trainees see."""

    summary = models.TextField(max_length=400, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_("How long a trainee needs for this module."),
    )
    is_required = models.BooleanField(
        default=True, help_text=_("Required modules count towards course completion.")
    )
    body = StreamField(ModuleStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("is_required")]),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("module")
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_minutes__gte=1),
                name="module_minutes_positive",
                violation_error_message=_("A module takes at least one minute."),
            ),
        ]

    @property
    def course(self) -> CoursePage:
        """The course that holds enrolments and progress: the original of this
        module's parent (a translated module belongs to the same course)."""
        return original(self.get_parent().specific)

    @property
    def original(self) -> "ModulePage":
        """The module in the default locale: progress, attempts and
        submissions point at it."""
        return original(self)

    def assessment_blocks(self, kind: str | None = None):
        """The module's quiz and assignment blocks (kind "quiz" or "assignment")."""
        return [
            block
            for block in self.body
            if block.block_type in ("quiz", "assignment")
            and (kind is None or block.block_type == kind)
        ]

    def assessment_block(self, block_id: str, kind: str):
        return next((b for b in self.assessment_blocks(kind) if b.id == block_id), None)

    def position_in(self, modules: list["ModulePage"]) -> int | None:
        """This module's index among `modules` (its course's, in order, as
        `CoursePage.modules_shown` returns them); None when it is not among
        them, as a draft being previewed is not among the live modules."""
        source_pk = self.original.pk
        return next((i for i, m in enumerate(modules) if m.pk == source_pk), None)

    def next_in(self, modules: list["ModulePage"]) -> "ModulePage | None":
        """The module after this one among `modules`, or None for the last: the
        one rule for "next module", read by the page's pager and by the
        redirect after "mark as done"."""
        position = self.position_in(modules)
        if position is None or position + 1 >= len(modules):
            return None
        return modules[position + 1]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.course
        siblings = course.modules_shown(request)
        position = self.position_in(siblings)
        context.update(
            course=with_translations([course], request)[0],
            module_source=self.original,
            modules=siblings,
            module_number=None,
        )
        if position is not None:
            context.update(
                module_number=position + 1,
                previous_module=siblings[position - 1] if position > 0 else None,
                next_module=self.next_in(siblings),
            )
        return context
