"""Every write of the enrolments app goes through a function here."""

from .enrolment import (
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
    enrolment_create_by_academy,
    enrolment_reject,
    enrolment_reprice,
    waitlist_promote,
)
from .privacy import trainee_erase

__all__ = [
    "enrolment_approve",
    "enrolment_cancel",
    "enrolment_create",
    "enrolment_create_by_academy",
    "enrolment_reject",
    "enrolment_reprice",
    "trainee_erase",
    "waitlist_promote",
]
