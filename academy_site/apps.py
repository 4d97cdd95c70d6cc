"""The project package as an app: its commands, the role groups' data
migration (academy_site/roles.py), the content locales' migration, and the
language remembered at log-in (academy_site/languages.py), and integer `in`
lookups that ignore ids no database holds (academy_site/lookups.py)."""

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class AcademySiteConfig(AppConfig):
    name = "academy_site"
    verbose_name = "Cluster Academy"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models import IntegerField

        # Registers the outbox's tasks in every process that queues them.
        import academy_site.outbox.tasks  # noqa: F401
        from academy_site.languages import remember_at_log_in
        from academy_site.lookups import IntegerFieldIn
        from academy_site.public_cache import connect_signals

        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="roles_sync")
        user_logged_in.connect(remember_at_log_in, dispatch_uid="remember_language")
        IntegerField.register_lookup(IntegerFieldIn)
        connect_signals()


def roles_sync_after_migrate(sender, using="default", **kwargs):
    """Re-sync the role groups once every app has migrated, so a permission a
    later migration adds (a new report, say) reaches Academy admins, and a
    flushed test database gets its groups back. Django creates each app's
    permissions in the same signal, app by app: waiting for the last app
    means they all exist. The content locales likewise come back after a
    flush."""
    # Django sends the signal only for apps with models: the last of those.
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender is not with_models[-1]:
        return
    from academy_site.languages import locales_sync
    from academy_site.roles import roles_sync

    if using == "default":
        roles_sync()
        locales_sync()
