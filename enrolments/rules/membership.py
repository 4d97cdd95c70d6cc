"""Whether a trainee pays the member price. One place, read by the enrolment
service (the price and the organisation an enrolment snapshots), the course
page and the enrolment confirmation.

- A trainee is an organisation's staff when their claim to work for it is
  confirmed (enrolments/services/membership.py says how a claim is
  confirmed). A pending claim counts for nothing yet.
- The member price applies on a day when the trainee is confirmed staff of an
  organisation that is a member on that day (its membership periods).
- An enrolment keeps what applied when it was made: a later confirmation
  changes the price of enrolments made afterwards only.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from enrolments.models import MembershipClaim, MembershipPeriod, TraineeProfile
from enrolments.models.membership import Organisation

OPEN = (MembershipClaim.Status.PENDING, MembershipClaim.Status.CONFIRMED)


@dataclass(frozen=True)
class Standing:
    """A trainee's link to an organisation on one day."""

    organisation: Organisation | None  # the one named by the open claim
    confirmed: bool
    organisation_is_member: bool

    @property
    def member_price(self) -> bool:
        """The member price applies."""
        return self.confirmed and self.organisation_is_member

    @property
    def awaiting_confirmation(self) -> bool:
        """The member price would apply once the claim is confirmed."""
        return not self.confirmed and self.organisation_is_member

    @property
    def staff_of(self) -> Organisation | None:
        """The organisation an enrolment made now is counted for (reports,
        the organisation's people): a confirmed one only."""
        return self.organisation if self.confirmed else None

    def price(self, course) -> Decimal:
        return course.price_member if self.member_price else course.price_non_member


NO_ORGANISATION = Standing(
    organisation=None, confirmed=False, organisation_is_member=False
)


def standing_of(trainee: TraineeProfile | None, on: dt.date | None = None) -> Standing:
    """The trainee's standing on `on` (today by default): two queries."""
    if trainee is None:
        return NO_ORGANISATION
    on = on or timezone.localdate()
    claim = (
        MembershipClaim.objects.filter(trainee=trainee, status__in=OPEN)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "organisation__membership_periods",
                queryset=MembershipPeriod.objects.all(),
            )
        )
        .first()
    )
    if claim is None:
        return NO_ORGANISATION
    return Standing(
        organisation=claim.organisation,
        confirmed=claim.status == MembershipClaim.Status.CONFIRMED,
        organisation_is_member=claim.organisation.is_member_on(on),
    )


def employer_must_approve(course, organisation: Organisation | None) -> bool:
    """Whether a request to join `course` waits for the trainee's employer:
    the course says so, the trainee is confirmed staff of `organisation` (a
    Standing's `staff_of`, or an enrolment's snapshot), and the organisation
    has a coordinator to decide (without one, the request follows the
    course's enrolment policy as anyone's does). One query at most."""
    return bool(
        course.needs_employer_approval
        and organisation is not None
        and organisation.coordinators.exists()
    )
