from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        import certificates.privacy  # noqa: F401 - data section, erasure receiver
        from certificates import receivers  # noqa: F401 - connects the receivers
        from certificates.panels import certificates_panel
        from enrolments.extensions import register_enrolment_panel

        register_enrolment_panel(certificates_panel)
