"""Certificate e-mails move to the academy's outbox: each one sent before is
recorded there under the certificate's "once" key, and the old stamp goes."""

from django.db import migrations


def sent_to_outbox(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    OutboundEmail = apps.get_model("academy_site", "OutboundEmail")
    OutboundEmail.objects.bulk_create(
        [
            OutboundEmail(
                kind="certificate.issued",
                to=certificate.enrolment.trainee.user.email,
                user=certificate.enrolment.trainee.user,
                subject="(written before the outbox; text not kept)",
                dedupe_key=f"certificate:{certificate.pk}",
                status="sent",
                created_at=certificate.notified_at,
                next_attempt_at=certificate.notified_at,
                sent_at=certificate.notified_at,
            )
            for certificate in Certificate.objects.filter(
                notified_at__isnull=False
            ).select_related("enrolment__trainee__user")
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_holder_erased"),
        ("academy_site", "0003_outbound_email"),
    ]

    operations = [
        migrations.RunPython(sent_to_outbox, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="certificate",
            name="notified_at",
        ),
    ]
