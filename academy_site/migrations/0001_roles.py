"""The academy's role groups (academy_site/roles.py): Academy admins,
Instructors and Trainees, with their permissions.

On a fresh database Django creates permissions only after every migration has
run (post_migrate), so they are created here first, from this migration's
state of the apps.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_role_groups(apps, schema_editor):
    from academy_site.roles import roles_sync

    for app_config in apps.get_app_configs():
        # create_permissions skips app configs without a models module; the
        # migration state's configs have none, so mark them for the call.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(apps=apps)


def remove_role_groups(apps, schema_editor):
    from academy_site.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("home", "0002_create_homepage"),
        ("courses", "0008_keep_name_after_erasure"),
        ("enrolments", "0005_reports_and_erasure"),
        ("certificates", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
