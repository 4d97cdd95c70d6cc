"""Values on the admin's read-only record pages (enrolments, trainees,
certificates) in words: "Yes" and "No" rather than True and False, "—" for
nothing rather than None, times in the academy's time zone in the admin's
language, prices as prices, people by name."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from courses.templatetags.course_tags import rsd

NOTHING = "—"


def readable(value, *, field_name: str = ""):
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal) and "price" in field_name:
        return rsd(value)
    if isinstance(value, get_user_model()):
        return person(value)
    return value


def person(user) -> str:
    """Whom an admin knows: the instructor's or trainee's name, else the
    account's name or e-mail."""
    for profile in ("instructor", "trainee"):
        found = getattr(user, profile, None)
        if found is not None:
            return found.full_name
    return user.get_full_name() or user.email or user.get_username()
