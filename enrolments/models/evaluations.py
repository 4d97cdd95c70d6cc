import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Evaluation(models.Model):
    """The evaluation of one run (or of a self-paced course, which has no run):
    the course's form frozen, with all its translations, when it opened.

    Opened by enrolments/services/evaluations.py when the first trainee can
    answer; its results are read by enrolments/reports/evaluations.py.
    `snapshot` is {"original": language, "anonymous": bool, "versions":
    {language: {"title", "intro", "questions": [...]}}}; every version has the
    same question and option ids (a translation is a copy of the form).
    """

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="+"
    )
    run = models.OneToOneField(
        "courses.CourseRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation",
    )
    form = models.ForeignKey(
        "courses.EvaluationForm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The form it was taken from; the snapshot is what was asked."),
    )
    anonymous = models.BooleanField()
    snapshot = models.JSONField()
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            # A self-paced course has one evaluation for all its trainees.
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(run__isnull=True),
                name="one_evaluation_per_self_paced_course",
            ),
        ]

    def __str__(self):
        return f"Evaluation of {self.run or self.course}"


class EvaluationParticipation(models.Model):
    """That a trainee was invited to a run's evaluation and whether they have
    answered: never what they answered, nor when (an anonymous answer must
    not be traceable to its author by time or order). Stops a second answer
    and reminders to those who have answered; erasure deletes it."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="participations"
    )
    enrolment = models.ForeignKey(
        "enrolments.Enrolment", on_delete=models.CASCADE, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "enrolment"],
                name="one_participation_per_enrolment",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} in {self.evaluation}"


class EvaluationResponse(models.Model):
    """One trainee's answers: {question id: value}. Anonymous unless the form
    was named (then `trainee` is set, until erasure unlinks it). A random id
    and a day, not a time, so the rows' order says nothing of who answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="responses"
    )
    trainee = models.ForeignKey(
        "enrolments.TraineeProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(max_length=10)
    submitted_on = models.DateField()
    answers = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "trainee"],
                condition=Q(trainee__isnull=False),
                name="one_named_response_per_trainee",
            ),
        ]

    def __str__(self):
        return f"Response to {self.evaluation}"
