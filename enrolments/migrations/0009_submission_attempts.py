"""Assignments may be handed in again after a failed grade: each submission
becomes a numbered attempt. Until now a trainee had one submission per
assignment, so every existing row is attempt 1."""

from django.db import migrations, models
from django.db.models import Q


def number_existing_submissions(apps, schema_editor):
    AssignmentSubmission = apps.get_model("enrolments", "AssignmentSubmission")
    AssignmentSubmission.objects.update(attempt=1)


class Migration(migrations.Migration):
    dependencies = [
        ("enrolments", "0008_enrolment_final_result"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignmentsubmission",
            name="attempt",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(number_existing_submissions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assignmentsubmission",
            name="attempt",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="1 for the first submission, 2 for the next, and so on.",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="assignmentsubmission",
            name="submission_once",
        ),
        migrations.AlterModelOptions(
            name="assignmentsubmission",
            options={"ordering": ["enrolment", "assignment_id", "attempt"]},
        ),
        migrations.AddConstraint(
            model_name="assignmentsubmission",
            constraint=models.UniqueConstraint(
                fields=("enrolment", "assignment_id", "attempt"),
                name="submission_attempt_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="assignmentsubmission",
            constraint=models.UniqueConstraint(
                condition=Q(graded_at__isnull=True),
                fields=("enrolment", "assignment_id"),
                name="submission_one_open_attempt",
            ),
        ),
        migrations.AddConstraint(
            model_name="assignmentsubmission",
            constraint=models.CheckConstraint(
                condition=Q(attempt__gte=1), name="submission_attempt_positive"
            ),
        ),
    ]
