"""A panel of the template editor (Certificates > Templates) that says what
became of the uploaded background: being checked, ready, or refused and why,
so the admin who uploaded it need not go back to the listing to find out."""

from wagtail.admin.panels import Panel


class BackgroundStatusPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "certificates/admin/includes/background_status_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk and self.instance.background)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["template"] = self.instance
            return context
