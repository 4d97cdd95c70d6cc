"""Stored e-mail addresses in the form log-in looks them up by (NFKC, then
case-folded: enrolments/accounts/selectors.py email_normalise). Sign-up stored
them lower-cased, which differs for a few letters only ('ß', 'ſ', the Kelvin
sign, full-width forms); a username is changed only when it is an address and
no other account already holds the normalised one."""

import unicodedata

from django.conf import settings
from django.db import migrations


def normalise(email: str) -> str:
    # A copy of email_normalise: a migration must not import code that changes.
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def addresses_normalise(apps, schema_editor):
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    User = apps.get_model(app_label, model_name)
    taken = set(User.objects.values_list("username", flat=True))
    for user in User.objects.only("pk", "username", "email").iterator():
        changed = []
        if user.email and normalise(user.email) != user.email:
            user.email = normalise(user.email)
            changed.append("email")
        username = normalise(user.username)
        if "@" in user.username and username != user.username:
            if username not in taken:
                taken.discard(user.username)
                taken.add(username)
                user.username = username
                changed.append("username")
        if changed:
            user.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("enrolments", "0006_emails_in_outbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(addresses_normalise, migrations.RunPython.noop),
    ]
