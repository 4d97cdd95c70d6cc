from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A user's private calendar subscription: every meeting of the runs they
    take part in (and those they teach) as one iCalendar feed at
    /calendar/<token>.ics, which calendar apps re-read on their own
    (enrolments/views/calendar.py). The token is the only key, so it is long
    and random, and the user can replace or withdraw it from their calendar
    page (enrolments/services/calendar.py); the old address then answers 404.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
