from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db.models.signals import post_save

        # Registers the app's tasks in every process that queues them by name.
        import courses.calendar_versions  # noqa: F401
        import courses.tasks  # noqa: F401
        from courses.models import CourseIndexPage, Instructor, Topic
        from courses.public_pages import connect_signals
        from courses.search_text import refresh_related_courses
        from courses.views import catalogue_context

        # The catalogue page renders its filters and paging through the view
        # module, which the models may not import (it imports them).
        CourseIndexPage.catalogue_context = staticmethod(catalogue_context)
        connect_signals()
        for model in (Topic, Instructor):
            post_save.connect(
                refresh_related_courses, sender=model, dispatch_uid=f"search-{model}"
            )
