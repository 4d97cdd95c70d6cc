"""Enrolment and grade e-mails move to the academy's outbox: what was sent (or
waited to be sent) before is recorded there under the same "once" keys, so
nothing already announced is announced again, and the old stamps go."""

from django.db import migrations

BEFORE_THE_OUTBOX = "(written before the outbox; text not kept)"


def notices_to_outbox(apps, schema_editor):
    EnrolmentNotice = apps.get_model("enrolments", "EnrolmentNotice")
    AssignmentSubmission = apps.get_model("enrolments", "AssignmentSubmission")
    OutboundEmail = apps.get_model("academy_site", "OutboundEmail")
    rows = []
    for notice in EnrolmentNotice.objects.select_related("enrolment__trainee__user"):
        user = notice.enrolment.trainee.user
        rows.append(
            OutboundEmail(
                kind=f"enrolment.{notice.kind}",
                to=user.email,
                user=user,
                subject=BEFORE_THE_OUTBOX,
                dedupe_key=f"enrolment:{notice.enrolment_id}:{notice.kind}",
                # Unsent ones were the old sweep's to retry; the outbox's sweep
                # takes them only with a text, so they are kept as cancelled.
                status="sent" if notice.sent_at else "cancelled",
                created_at=notice.created_at,
                next_attempt_at=notice.created_at,
                sent_at=notice.sent_at,
            )
        )
    graded = AssignmentSubmission.objects.filter(
        grade_notified_at__isnull=False, graded_at__isnull=False
    ).select_related("enrolment__trainee__user")
    for submission in graded:
        user = submission.enrolment.trainee.user
        rows.append(
            OutboundEmail(
                kind="assignment.graded",
                to=user.email,
                user=user,
                subject=BEFORE_THE_OUTBOX,
                dedupe_key=f"graded:{submission.pk}:{submission.graded_at.isoformat()}",
                status="sent",
                created_at=submission.grade_notified_at,
                next_attempt_at=submission.grade_notified_at,
                sent_at=submission.grade_notified_at,
            )
        )
    OutboundEmail.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("enrolments", "0005_reports_and_erasure"),
        ("academy_site", "0003_outbound_email"),
    ]

    operations = [
        migrations.RunPython(notices_to_outbox, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="assignmentsubmission",
            name="grade_notified_at",
        ),
        migrations.DeleteModel(
            name="EnrolmentNotice",
        ),
    ]
