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
