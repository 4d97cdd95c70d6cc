"""The tone of each status on admin pages (academy_site/admin_ui.py): to act
on (warning), in progress (info), done (good), gone wrong (bad), out of play
(neutral). One place, for the listings and the trainee's page."""

ENROLMENT_TONES = {
    "pending": "warning",  # waits for a decision
    "offered": "warning",  # waits for the trainee's answer
    "waitlisted": "warning",
    "confirmed": "info",
    "completed": "good",
    "not_completed": "bad",
    "rejected": "bad",
    "cancelled": "neutral",
}
CLAIM_TONES = {
    "pending": "warning",
    "confirmed": "good",
    "refused": "bad",
    "ended": "neutral",
}


def tone_of(tones: dict[str, str], status: str) -> str:
    return tones.get(status, "neutral")
