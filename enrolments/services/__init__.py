"""Every write of the enrolments app goes through a function here."""

from .enrolment import (
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
    enrolment_reject,
    waitlist_promote,
)
from .privacy import trainee_erase

__all__ = [
    "enrolment_approve",
    "enrolment_cancel",
    "enrolment_create",
    "enrolment_reject",
    "trainee_erase",
    "waitlist_promote",
]
