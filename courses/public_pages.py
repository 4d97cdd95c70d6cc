"""Changes that visitors' cached pages show (academy_site/public_cache.py):
a run's dates, seats and place, its meetings, and the topics, instructors
and Latin terms printed on course pages and cards. Receivers, because runs
and meetings are edited in Wagtail's snippet forms; they only raise the
cache's generation. Seats taken and freed by the enrolment services raise it
there (enrolments/services/seats.py)."""

from django.db.models.signals import post_delete, post_save

from academy_site.public_cache import public_pages_changed
from courses.models import CourseRun, Instructor, LatinTerm, Meeting, Topic

SHOWN_TO_VISITORS = (CourseRun, Meeting, Topic, Instructor, LatinTerm)


def _changed(sender, **kwargs):
    public_pages_changed()


def connect_signals() -> None:
    for model in SHOWN_TO_VISITORS:
        for signal in (post_save, post_delete):
            signal.connect(
                _changed,
                sender=model,
                dispatch_uid=f"public-pages-{model.__name__}-{signal}",
            )
