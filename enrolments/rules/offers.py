"""How long a freed seat waits for the trainee it is offered to.

A seat that frees up in a full run goes to the first person on its waitlist as
an offer (enrolments/services/waitlist.py). The offer lasts the course's
`waitlist_offer_hours`, but never more than half the time left before the run
starts: a seat offered on the eve of a course must leave the next person on
the list time to answer too. It never lasts less than MINIMUM_OFFER, so
nobody loses a seat while on their way home from work.
"""

import datetime as dt

from django.utils import timezone

MINIMUM_OFFER = dt.timedelta(hours=4)


def offer_deadline(
    *, now: dt.datetime, hours: int, starts_at: dt.datetime
) -> dt.datetime:
    """Until when an offer made at `now` stays open, for a course that gives
    `hours` and a run starting at `starts_at`."""
    half_left = (starts_at - now) / 2
    lasts = min(dt.timedelta(hours=hours), max(half_left, MINIMUM_OFFER))
    return now + lasts


def run_starts_at(run, meetings) -> dt.datetime:
    """The start of the run's first meeting, or the start of its first day
    in the academy's time zone when it has no meetings."""
    first = min((meeting.starts_at for meeting in meetings), default=None)
    if first is not None:
        return first
    return timezone.make_aware(dt.datetime.combine(run.starts_on, dt.time.min))
