"""What a trainee does online: modules done, quiz attempts, assignment
submissions. Quizzes and assignments are StreamField blocks of a ModulePage
(courses/blocks.py); a row here names its block by the block's stable id."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ModuleProgress(models.Model):
    """A module a trainee has finished: marked done, or its quiz passed."""

    class Source(models.TextChoices):
        MARKED = "marked", _("Marked done by the trainee")
        QUIZ = "quiz", _("Quiz passed")

    enrolment = models.ForeignKey(
        "enrolments.Enrolment", on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey(
        "courses.ModulePage", on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "module"], name="module_progress_once"
            )
        ]

    def __str__(self):
        return f"{self.enrolment.trainee} finished {self.module}"


class QuizAttempt(models.Model):
    """One attempt at a quiz. `questions` is a snapshot of the quiz as it was
    when the attempt started (with the correct answers, never sent to the
    browser before submission), so editing the quiz later never changes a past
    result. Graded by enrolments/services/quizzes.py."""

    enrolment = models.ForeignKey(
        "enrolments.Enrolment", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    module = models.ForeignKey(
        "courses.ModulePage", on_delete=models.CASCADE, related_name="+"
    )
    quiz_id = models.CharField(max_length=64, help_text=_("The quiz block's id."))
    number = models.PositiveSmallIntegerField()
    questions = models.JSONField()
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    time_limit_ends_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2)
    pass_mark_percent = models.PositiveSmallIntegerField()
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "quiz_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "quiz_id", "number"],
                name="quiz_attempt_number_once",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "quiz_id"],
                condition=Q(submitted_at__isnull=True),
                name="quiz_one_open_attempt",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="quiz_attempt_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0),
                name="quiz_attempt_score_not_negative",
            ),
        ]

    def __str__(self):
        return f"Attempt {self.number} of {self.enrolment.trainee}"

    @property
    def percent(self):
        if self.score is None or not self.max_score:
            return None
        return round(self.score * 100 / self.max_score, 1)


def submission_upload_to(instance, filename: str) -> str:
    """Unguessable private path; the original name is kept in `file_name`."""
    return f"submissions/{instance.enrolment_id}/{uuid.uuid4().hex}"


class AssignmentSubmission(models.Model):
    """One attempt at an assignment: sanitised rich text and/or a file kept in
    private storage and served only through a permission-checking view.

    Every attempt is kept. A trainee may replace the open (ungraded) attempt;
    after a failed grade they may start the next one while the assignment's
    "submissions allowed" remain. Written by enrolments/services/assignments.py.
    """

    enrolment = models.ForeignKey(
        "enrolments.Enrolment", on_delete=models.CASCADE, related_name="submissions"
    )
    module = models.ForeignKey(
        "courses.ModulePage", on_delete=models.CASCADE, related_name="+"
    )
    assignment_id = models.CharField(max_length=64, help_text=_("The block's id."))
    # The service numbers every submission; the default names the first, and
    # the constraints refuse a second "1" for the same assignment.
    attempt = models.PositiveSmallIntegerField(
        default=1,
        help_text=_("1 for the first submission, 2 for the next, and so on."),
    )
    text_html = models.TextField(blank=True, help_text=_("Sanitised with nh3."))
    file = models.FileField(upload_to=submission_upload_to, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField()
    max_points = models.DecimalField(max_digits=7, decimal_places=2)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    feedback_html = models.TextField(blank=True, help_text=_("Sanitised with nh3."))
    passed = models.BooleanField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["enrolment", "assignment_id", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "assignment_id", "attempt"],
                name="submission_attempt_once",
            ),
            # A trainee hands in again only after a grade: never two attempts
            # waiting for an instructor at once.
            models.UniqueConstraint(
                fields=["enrolment", "assignment_id"],
                condition=Q(graded_at__isnull=True),
                name="submission_one_open_attempt",
            ),
            models.CheckConstraint(
                condition=Q(attempt__gte=1), name="submission_attempt_positive"
            ),
            models.CheckConstraint(
                condition=~Q(text_html="") | ~Q(file=""),
                name="submission_not_empty",
                violation_error_message=_("Write an answer or attach a file."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True)
                | (Q(score__gte=0) & Q(score__lte=models.F("max_points"))),
                name="submission_score_within_points",
                violation_error_message=_(
                    "The score must be between 0 and the maximum."
                ),
            ),
        ]

    def __str__(self):
        return f"Submission {self.attempt} of {self.enrolment.trainee}"
