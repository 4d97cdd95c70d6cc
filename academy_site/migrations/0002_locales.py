"""Wagtail locales for the site's languages (course content is written in the
default locale, LANGUAGE_CODE, which Wagtail creates, and translated into
these), and the Translate permission for Academy admins, whose app
(wagtail.contrib.simple_translation) came after the roles' first migration."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations


def locales_create(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for language_code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=language_code)


def translation_role_sync(apps, schema_editor):
    from academy_site.roles import roles_sync

    app_config = apps.get_app_config("simple_translation")
    # As in 0001_roles: permissions exist only after post_migrate otherwise.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("academy_site", "0001_roles"),
        ("wagtailcore", "0054_initial_locale"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(locales_create, migrations.RunPython.noop),
        migrations.RunPython(translation_role_sync, migrations.RunPython.noop),
    ]
