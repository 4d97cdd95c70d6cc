from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        # Imported for their effects: privacy's data section and erasure
        # receiver, the auto-issue receiver, and the tasks, which the services
        # queue by their registered names (services/dispatch.py).
        import certificates.privacy  # noqa: F401
        from certificates import receivers, tasks  # noqa: F401
        from certificates.panels import (
            certificates_panel,
            organisation_certificate_downloads,
            staff_certificates_panel,
        )
        from certificates.run_section import run_certificates_section
        from enrolments.extensions import (
            register_enrolment_panel,
            register_organisation_downloads,
            register_run_section,
            register_staff_panel,
        )

        register_enrolment_panel(certificates_panel)
        register_staff_panel(staff_certificates_panel)
        register_organisation_downloads(organisation_certificate_downloads)
        register_run_section(run_certificates_section)
