"""The meetings of a run as an iCalendar (RFC 5545) file."""

import datetime as dt

from django.utils import timezone

from enrolments.models import Enrolment


def _ics_escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _ics_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def render_ics(*, enrolment: Enrolment, meetings, host: str) -> str:
    """RFC 5545 text; times in UTC so every calendar app places them right."""
    stamp = _ics_time(timezone.now())
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
        place = (
            meeting.room
            or enrolment.run.location
            or meeting.online_url
            or enrolment.run.online_url
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host.split(':')[0]}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(meeting.starts_at)}",
            f"DTEND:{_ics_time(meeting.ends_at)}",
            f"SUMMARY:{_ics_escape(title)}",
        ]
        if place:
            lines.append(f"LOCATION:{_ics_escape(place)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
