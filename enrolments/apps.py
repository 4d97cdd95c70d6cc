from django.apps import AppConfig


class EnrolmentsConfig(AppConfig):
    name = "enrolments"
    verbose_name = "Enrolments"

    def ready(self):
        # Registers the app's tasks in every process that queues them by name.
        import enrolments.receivers  # noqa: F401
        import enrolments.tasks  # noqa: F401
        from academy_site.languages import language_store_register
        from enrolments.accounts.languages import TRAINEE_LANGUAGE_STORE

        # The switcher and the log-in receiver (academy_site) keep a trainee's
        # language on the trainee profile.
        language_store_register(TRAINEE_LANGUAGE_STORE)
