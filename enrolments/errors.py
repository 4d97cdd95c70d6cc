"""Domain errors of enrolment. Each carries a message a view can show as is."""


class EnrolmentError(Exception):
    message = "This enrolment cannot be made."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message


class EnrolmentClosed(EnrolmentError):
    message = "Enrolment for this run is closed."


class AlreadyEnrolled(EnrolmentError):
    message = "You are already enrolled."


class CourseNotAvailable(EnrolmentError):
    message = "This course is not open for enrolment."


class CancellationTooLate(EnrolmentError):
    message = "The cancellation deadline has passed."


class InvalidTransition(EnrolmentError):
    message = "This enrolment cannot change that way."
