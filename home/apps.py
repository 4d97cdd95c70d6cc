from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home")

    def ready(self):
        from django.db.models.signals import post_save

        from home.models import AcademySettings

        post_save.connect(
            settings_changed,
            sender=AcademySettings,
            dispatch_uid="public-pages-academy-settings",
        )


def settings_changed(sender, instance, created, **kwargs):
    """The footer and contact details are on every visitor's page. Wagtail
    creates the row with its defaults on the first page view (which shows
    them already): only an edit changes what visitors see."""
    from academy_site.public_cache import public_pages_changed

    if not created:
        public_pages_changed()
