"""Meetings as iCalendar (RFC 5545): the one-run file My learning offers for
download, and each user's subscription feed (enrolments/views/calendar.py).

The icalendar library writes them: it escapes every text value (section
3.3.11) and folds every line at 75 octets without splitting a UTF-8
character (section 3.1), so a title an instructor writes can never start a
property of its own, and Cyrillic titles stay whole.

A meeting is one event everywhere, in both files and for life: its UID is
`meeting-<id>@<host>` and its SEQUENCE (courses.Meeting.sequence) grows with
every change of its time, place or title, so a calendar app replaces the
event rather than showing the old one beside it. A meeting removed from its
run, and the meetings of a place the trainee no longer has, stay in the
feed as STATUS:CANCELLED. Each event has an alarm an hour before.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from enrolments.models import Enrolment

PRODUCT_ID = "-//Cluster Academy//LMS//EN"
ALARM_BEFORE = dt.timedelta(hours=1)
# The library escapes CR and LF; these other line breaks some calendar apps
# also honour (Unicode's line and paragraph separators, NEL, VT, FF) become a
# plain line break first, so they are escaped too.
_OTHER_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
# Section 3.3.11 allows no control character in TEXT but the horizontal tab.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    return _CONTROL.sub("", _OTHER_LINE_BREAKS.sub("\n", value))


@dataclass(frozen=True)
class CalendarEntry:
    """One event: a meeting (or a cancelled one) as one user sees it."""

    meeting_id: int
    sequence: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = ""
    cancelled: bool = False


def meeting_entry(meeting, *, course_title: str, run, with_link: bool, cancelled=False):
    """The entry of `meeting` of `run`: the room (or the run's venue), else the
    online link for those with a confirmed place (a secret for them only, as
    "Join online" is in My learning)."""
    place = meeting.room or run.location
    if not place and with_link and not cancelled:
        place = meeting.online_url or run.online_url
    return CalendarEntry(
        meeting_id=meeting.pk,
        sequence=meeting.sequence + (1 if cancelled else 0),
        title=_title(course_title, meeting.title),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        place=place,
        cancelled=cancelled,
    )


def removed_meeting_entry(removed, *, course_title: str) -> CalendarEntry:
    """The cancelled event of a meeting removed from its run
    (courses.CancelledMeeting), under the meeting's own UID."""
    return CalendarEntry(
        meeting_id=removed.meeting_id,
        sequence=removed.sequence,
        title=_title(course_title, removed.title),
        starts_at=removed.starts_at,
        ends_at=removed.ends_at,
        cancelled=True,
    )


def _title(course_title: str, meeting_title: str) -> str:
    return course_title + (f": {meeting_title}" if meeting_title else "")


def calendar_render(*, name: str, entries, host: str) -> bytes:
    """The calendar `name` with one event per entry, times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(name))
    stamp = timezone.now().astimezone(dt.UTC)
    domain = host.split(":")[0]
    for entry in entries:
        event = Event()
        event.add("uid", f"meeting-{entry.meeting_id}@{domain}")
        event.add("dtstamp", stamp)
        event.add("sequence", entry.sequence)
        event.add("dtstart", entry.starts_at.astimezone(dt.UTC))
        event.add("dtend", entry.ends_at.astimezone(dt.UTC))
        event.add("summary", _text(entry.title))
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        if entry.place:
            event.add("location", _text(entry.place))
        if not entry.cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _text(entry.title))
            alarm.add("trigger", -ALARM_BEFORE)
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


def run_calendar(*, enrolment: Enrolment, meetings, host: str) -> bytes:
    """The one-run file of My learning: the run's meetings for `enrolment`."""
    with_link = enrolment.status == Enrolment.Status.CONFIRMED
    entries = [
        meeting_entry(
            meeting,
            course_title=enrolment.course.title,
            run=enrolment.run,
            with_link=with_link,
        )
        for meeting in meetings
    ]
    return calendar_render(name=enrolment.course.title, entries=entries, host=host)
