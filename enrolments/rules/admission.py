"""What a request to enrol becomes, decided in one place for the enrolment
service (enrolments/services/enrolment.py) and for the confirmation page that
tells the trainee beforehand (enrolments/views/learning.py):

- waitlisted when the run is full (the employer and the academy are asked on
  promotion);
- pending, waiting for the employer, when the course needs the employer's
  approval and the trainee is confirmed staff of an organisation with a
  coordinator (enrolments/rules/membership.py: employer_must_approve), unless
  that coordinator is the one enrolling them;
- pending, waiting for the academy, when the course needs its approval;
- confirmed otherwise.

A waitlisted trainee who gets a seat (promoted at once, or accepting a seat
offered to them) goes through the same steps, from the organisation
snapshot taken when they joined: admission_on_seat.
"""

from dataclasses import dataclass

from courses.models import CoursePage
from enrolments.models import Enrolment
from enrolments.rules.membership import Standing, employer_must_approve

Status = Enrolment.Status
EmployerApproval = Enrolment.EmployerApproval


@dataclass(frozen=True)
class Admission:
    status: str
    employer_approval: str

    @property
    def waits_for_employer(self) -> bool:
        return self.employer_approval == EmployerApproval.WAITING


def admission_for(
    *, course, run, standing: Standing, by_employer: bool = False
) -> Admission:
    """The status and employer's approval of an enrolment made now; one query
    at most (whether the organisation has a coordinator)."""
    approved = by_employer and course.needs_employer_approval
    employer = EmployerApproval.APPROVED if approved else EmployerApproval.NOT_ASKED
    if run is not None and run.is_full:
        # Kept on the waitlist too, so a promotion does not ask again.
        return Admission(Status.WAITLISTED, employer)
    if not approved and employer_must_approve(course, standing.staff_of):
        return Admission(Status.PENDING, EmployerApproval.WAITING)
    if course.enrolment_policy == CoursePage.EnrolmentPolicy.APPROVAL:
        return Admission(Status.PENDING, employer)
    return Admission(Status.CONFIRMED, employer)


def admission_on_seat(*, course, enrolment, asks_employer: dict | None = None):
    """What a waitlisted enrolment becomes when it gets a seat: an employer's
    approval given when it joined the waitlist stands. `asks_employer` caches
    the employer rule per organisation over a batch of promotions."""
    organisation = enrolment.organisation
    employer = enrolment.employer_approval
    if employer != EmployerApproval.APPROVED and organisation is not None:
        if asks_employer is None:
            asks_employer = {}
        if organisation.pk not in asks_employer:
            asks_employer[organisation.pk] = employer_must_approve(course, organisation)
        if asks_employer[organisation.pk]:
            return Admission(Status.PENDING, EmployerApproval.WAITING)
    if course.enrolment_policy == CoursePage.EnrolmentPolicy.APPROVAL:
        return Admission(Status.PENDING, employer)
    return Admission(Status.CONFIRMED, employer)
