"""Every write of the enrolments app goes through a function here."""

from .enrolment import (
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
    enrolment_create_by_academy,
    enrolment_reject,
    enrolment_reprice,
    offer_decline,
)
from .privacy import trainee_erase
from .waitlist import offer_accept, offers_expire, waitlist_promote

__all__ = [
    "enrolment_approve",
    "enrolment_cancel",
    "enrolment_create",
    "enrolment_create_by_academy",
    "enrolment_reject",
    "enrolment_reprice",
    "offer_accept",
    "offer_decline",
    "offers_expire",
    "trainee_erase",
    "waitlist_promote",
]
