"""Domain errors of enrolment. Each carries a message a view can show as is."""

from django.utils.translation import gettext_lazy as _


class EnrolmentError(Exception):
    message = _("This enrolment cannot be made.")

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message


class EnrolmentClosed(EnrolmentError):
    message = _("Enrolment for this run is closed.")


class AlreadyEnrolled(EnrolmentError):
    message = _("You are already enrolled.")


class CourseNotAvailable(EnrolmentError):
    message = _("This course is not open for enrolment.")


class CancellationTooLate(EnrolmentError):
    message = _("The cancellation deadline has passed.")


class InvalidTransition(EnrolmentError):
    message = _("This enrolment cannot change that way.")


class CoordinatorError(EnrolmentError):
    message = _("This person cannot coordinate the organisation.")


class OfferLapsed(EnrolmentError):
    message = _(
        "This offer has expired: the seat went to the next person on the waitlist. "
        "You can join the waitlist again from the course page."
    )
