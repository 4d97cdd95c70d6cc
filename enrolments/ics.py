"""The meetings of a run as an iCalendar (RFC 5545) file.

Instructors write the titles, rooms and links that land in trainees' calendars,
so every text value is escaped (section 3.3.11) and every line folded (section
3.1): a title must never be able to end its line and start a property of its own.
"""

import datetime as dt
import re

from django.utils import timezone

from enrolments.models import Enrolment

# Section 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
FOLD_AT_OCTETS = 75
# Any line break a browser form or an API may send: CRLF, a bare LF, a bare CR,
# and the Unicode line and paragraph separators some calendar apps also honour.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029\x85\x0b\x0c]")
# Section 3.3.11 allows no control character in TEXT but the horizontal tab.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _ics_escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROL.sub("", _LINE_BREAK.sub("\\\\n", text))


def _ics_fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        # The first line holds 75 octets; each continuation starts with a space.
        limit = FOLD_AT_OCTETS if not parts else FOLD_AT_OCTETS - 1
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _ics_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def render_ics(*, enrolment: Enrolment, meetings, host: str) -> str:
    """RFC 5545 text; times in UTC so every calendar app places them right.

    The online meeting's link is a secret for those with a seat: it goes into
    the file of a confirmed enrolment only, as "Join online" does in My learning.
    """
    stamp = _ics_time(timezone.now())
    with_link = enrolment.status == Enrolment.Status.CONFIRMED
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Cluster Academy//LMS//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_escape(enrolment.course.title)}",
    ]
    for meeting in meetings:
        title = enrolment.course.title + (f": {meeting.title}" if meeting.title else "")
        place = meeting.room or enrolment.run.location
        if not place and with_link:
            place = meeting.online_url or enrolment.run.online_url
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{_ics_escape(host.split(':')[0])}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(meeting.starts_at)}",
            f"DTEND:{_ics_time(meeting.ends_at)}",
            f"SUMMARY:{_ics_escape(title)}",
        ]
        if place:
            lines.append(f"LOCATION:{_ics_escape(place)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_ics_fold(line) for line in lines) + "\r\n"
