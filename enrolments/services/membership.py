"""Who works for which organisation: trainees' claims and their confirmation.

A trainee who names an organisation (at sign-up or in their profile) makes a
claim. It is confirmed
- at once, when the trainee's confirmed e-mail address is on one of the
  organisation's verified domains (and when the address is confirmed later,
  or the domain is added later);
- by an academy admin.
Until then the trainee pays the non-member price and stays out of the
organisation's reports (enrolments/rules/membership.py reads the standing).

`TraineeProfile.organisation` always names the organisation of the open
claim (pending or confirmed), None without one: these services are the only
writers of both. A trainee has one open claim at most (a database
constraint); naming another organisation ends the open one, which stays as
history of who was staff when.

Every decision locks the claim row, so two admins confirming at once, or a
confirmation racing a refusal, end in one result: the second sees the first's
decision (confirming a confirmed claim is a no-op, anything else on a decided
claim is refused with the reason).
"""

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolments import audit
from enrolments.errors import CoordinatorError, EnrolmentError, InvalidTransition
from enrolments.models import (
    Coordinator,
    JoinLink,
    MembershipClaim,
    Organisation,
    OrganisationDomain,
    TraineeProfile,
)
from enrolments.notifications import notify_invitation
from enrolments.services.enrolment import enrolment_create
from enrolments.validators import email_domain

Status = MembershipClaim.Status
Method = MembershipClaim.Method


def membership_claim(
    *, trainee: TraineeProfile, organisation: Organisation | None, by=None
) -> MembershipClaim | None:
    """`trainee` says they work for `organisation` (None: for no registered
    organisation). A claim for the organisation already claimed is kept as it
    is; one for another ends the open claim. `by` is the academy admin making
    the change for the trainee (audited, and the new claim is confirmed), None
    when the trainee makes it."""
    with transaction.atomic():
        trainee = _locked_trainee(trainee)
        current = _open_claim(trainee)
        if current is not None and organisation is not None:
            if current.organisation_id == organisation.pk:
                if by is not None and current.status == Status.PENDING:
                    return _confirm(current, by=by, method=Method.ADMIN)
                return current
        if current is not None:
            _end(current)
        claim = None
        if organisation is not None:
            claim = MembershipClaim.objects.create(
                trainee=trainee, organisation=organisation
            )
        trainee.organisation = organisation
        trainee.save(update_fields=["organisation"])
        if by is not None:
            audit.log_organisation_changed(
                trainee=trainee, organisation=organisation, by=by
            )
            if claim is not None:
                claim = _confirm(claim, by=by, method=Method.ADMIN, log=False)
        elif claim is not None and _on_verified_domain(trainee, organisation):
            claim = _confirm(claim, by=None, method=Method.DOMAIN)
        return claim


def membership_confirm(
    *, claim: MembershipClaim, by, method: str = Method.ADMIN
) -> MembershipClaim:
    """An academy admin (or, with `method` COORDINATOR, the organisation's
    coordinator: the caller checks who may) confirms a pending claim.
    Confirming a confirmed claim changes nothing; a refused or ended one
    cannot be confirmed."""
    with transaction.atomic():
        claim = _locked_claim(claim)
        if claim.status == Status.CONFIRMED:
            return claim
        if claim.status != Status.PENDING:
            raise InvalidTransition(
                _("This claim was already %(status)s: it cannot be confirmed.")
                % {"status": claim.get_status_display().lower()}
            )
        return _confirm(claim, by=by, method=method)


def membership_refuse(*, claim: MembershipClaim, by, reason: str) -> MembershipClaim:
    """An academy admin or the organisation's coordinator (the caller checks
    who may) refuses a claim (pending, or confirmed by mistake):
    the trainee is no longer named as the organisation's staff. Enrolments
    already made keep the price they were made with."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition(
            _("Say why the claim is refused: the trainee reads it.")
        )
    with transaction.atomic():
        # Trainee first, then claim: the order membership_claim locks them in.
        trainee = _locked_trainee(TraineeProfile(pk=claim.trainee_id))
        claim = _locked_claim(claim)
        if not claim.is_open:
            raise InvalidTransition(
                _("This claim was already %(status)s.")
                % {"status": claim.get_status_display().lower()}
            )
        claim.status = Status.REFUSED
        claim.decided_at, claim.decided_by, claim.note = timezone.now(), by, reason
        claim.save(update_fields=["status", "decided_at", "decided_by", "note"])
        trainee.organisation = None
        trainee.save(update_fields=["organisation"])
        audit.log_membership_refused(claim=claim, by=by)
        return claim


def memberships_confirm_by_domain(
    *, trainee: TraineeProfile | None = None, organisation: Organisation | None = None
) -> int:
    """Confirm the pending claims that a verified domain now proves: one
    trainee's (after they confirmed their address) or one organisation's
    (after a domain was added to it). Returns how many were confirmed."""
    claims = MembershipClaim.objects.filter(
        status=Status.PENDING, trainee__user__is_active=True
    ).select_related("trainee__user")
    if trainee is not None:
        claims = claims.filter(trainee=trainee)
    if organisation is not None:
        claims = claims.filter(organisation=organisation)
    confirmed = 0
    for claim in claims:
        with transaction.atomic():
            claim = _locked_claim(claim)
            if claim.status == Status.PENDING and _on_verified_domain(
                claim.trainee, claim.organisation
            ):
                _confirm(claim, by=None, method=Method.DOMAIN)
                confirmed += 1
    return confirmed


def coordinator_appoint(*, organisation: Organisation, user, by) -> Coordinator:
    """Make `user` a coordinator of `organisation` (appointing someone twice
    changes nothing). Raises CoordinatorError for an account that is not
    confirmed."""
    if not user.is_active:
        raise CoordinatorError(
            _("This account is not confirmed yet: ask them to confirm their address.")
        )
    with transaction.atomic():
        coordinator, created = Coordinator.objects.get_or_create(
            organisation=organisation, user=user, defaults={"appointed_by": by}
        )
        if created:
            audit.log_coordinator_appointed(coordinator=coordinator, by=by)
    return coordinator


def coordinator_summary_set(*, coordinator: Coordinator, wanted: bool) -> None:
    """The coordinator turns their monthly summary e-mail on or off."""
    Coordinator.objects.filter(pk=coordinator.pk).update(monthly_summary=wanted)


def coordinator_remove(*, coordinator: Coordinator, by) -> None:
    with transaction.atomic():
        audit.log_coordinator_removed(coordinator=coordinator, by=by)
        coordinator.delete()


# --- Invitations ----------------------------------------------------------------

JOIN_LINK_DAYS = 30
INVITATION_DAYS = 14
MAX_INVITATIONS = 50


def join_link_create(
    *, organisation: Organisation, by, email: str = "", days: int | None = None
) -> JoinLink:
    """A new invitation link to `organisation`'s staff: for anyone who has
    it (JOIN_LINK_DAYS), or personal for `email` (INVITATION_DAYS, one use)."""
    days = days or (INVITATION_DAYS if email else JOIN_LINK_DAYS)
    now = timezone.now()
    return JoinLink.objects.create(
        organisation=organisation,
        token=secrets.token_urlsafe(32),
        email=email,
        created_by=by,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )


def join_link_revoke(*, link: JoinLink, by) -> JoinLink:
    with transaction.atomic():
        link = JoinLink.objects.select_for_update().get(pk=link.pk)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
    return link


def invitations_send(*, organisation: Organisation, emails: list[str], by) -> int:
    """E-mail each address a personal invitation (through the outbox, in the
    same transaction as its link). Returns how many were sent."""
    if len(emails) > MAX_INVITATIONS:
        raise CoordinatorError(
            _("Send at most %(count)d invitations at once.")
            % {"count": MAX_INVITATIONS}
        )
    inviter = by.get_full_name() or by.email
    with transaction.atomic():
        for email in emails:
            link = join_link_create(organisation=organisation, by=by, email=email)
            notify_invitation(link=link, inviter=inviter)
    return len(emails)


def membership_join(*, trainee: TraineeProfile, token: str) -> MembershipClaim:
    """`trainee`, signed in with a confirmed account, joins the organisation
    of the invitation `token`: their claim to it is confirmed at once.
    Raises InvalidTransition when the link does not work (unknown, expired,
    revoked, used, or a personal invitation for another address)."""
    with transaction.atomic():
        link = (
            JoinLink.objects.select_for_update()
            .select_related("organisation")
            .filter(token=token)
            .first()
        )
        if link is None or not link.is_valid():
            raise InvalidTransition(
                _(
                    "This invitation link no longer works: ask your organisation's "
                    "coordinator for a new one."
                )
            )
        user = get_user_model()._default_manager.get(pk=trainee.user_id)
        if link.email and link.email != user.email:
            raise InvalidTransition(
                _(
                    "This invitation was sent to another address: sign in with "
                    "that address, or ask for an invitation of your own."
                )
            )
        claim = membership_claim(trainee=trainee, organisation=link.organisation)
        claim = _locked_claim(claim)
        if claim.status == Status.PENDING:
            claim = _confirm(claim, by=None, method=Method.JOIN_LINK)
        link.uses += 1
        link.used_at = timezone.now()
        link.save(update_fields=["uses", "used_at"])
        return claim


# --- Enrolling staff ----------------------------------------------------------------


def staff_enrol(
    *, organisation: Organisation, run, trainees: list[TraineeProfile], by
) -> dict[int, str]:
    """The coordinator enrols `trainees` in `run`, each through the one
    enrolment service (seats, the waitlist and the course's approval apply, and
    each trainee is e-mailed as if they had enrolled themselves). Only the
    organisation's confirmed staff may be enrolled: anyone else is refused
    before anything is written. Returns {trainee id: the status, or why not}."""
    staff_ids = set(
        MembershipClaim.objects.filter(
            organisation=organisation,
            status=Status.CONFIRMED,
            trainee__in=[t.pk for t in trainees],
        ).values_list("trainee_id", flat=True)
    )
    outsiders = [t for t in trainees if t.pk not in staff_ids]
    if outsiders:
        raise CoordinatorError(
            _("Only your confirmed staff can be enrolled: %(names)s are not.")
            % {"names": ", ".join(t.full_name for t in outsiders)}
        )
    results = {}
    for trainee in trainees:
        # One transaction per trainee: one who is already enrolled does not
        # undo the others' places.
        try:
            enrolment = enrolment_create(trainee=trainee, run=run, by_employer=True)
        except EnrolmentError as error:
            results[trainee.pk] = error.message
        else:
            results[trainee.pk] = enrolment.get_status_display()
            audit.log_staff_enrolled(enrolment=enrolment, by=by)
    return results


# --- Helpers (inside the callers' transactions) ---------------------------------


def _confirm(
    claim: MembershipClaim, *, by, method: str, log: bool = True
) -> MembershipClaim:
    claim.status, claim.method = Status.CONFIRMED, method
    claim.decided_at, claim.decided_by = timezone.now(), by
    claim.save(update_fields=["status", "method", "decided_at", "decided_by"])
    if log:
        audit.log_membership_confirmed(claim=claim, by=by)
    return claim


def _end(claim: MembershipClaim) -> None:
    claim.status, claim.ended_at = Status.ENDED, timezone.now()
    claim.save(update_fields=["status", "ended_at"])


def _on_verified_domain(trainee: TraineeProfile, organisation: Organisation) -> bool:
    """Whether the trainee's address is confirmed and on one of the
    organisation's verified domains."""
    user = get_user_model()._default_manager.get(pk=trainee.user_id)
    domain = email_domain(user.email)
    return bool(
        user.is_active
        and domain
        and OrganisationDomain.objects.filter(
            organisation=organisation, domain=domain
        ).exists()
    )


def _open_claim(trainee: TraineeProfile) -> MembershipClaim | None:
    return (
        MembershipClaim.objects.select_for_update()
        .filter(trainee=trainee, status__in=[Status.PENDING, Status.CONFIRMED])
        .first()
    )


def _locked_claim(claim: MembershipClaim) -> MembershipClaim:
    return (
        MembershipClaim.objects.select_for_update(of=("self",))
        .select_related("trainee", "organisation")
        .get(pk=claim.pk)
    )


def _locked_trainee(trainee: TraineeProfile) -> TraineeProfile:
    return TraineeProfile.objects.select_for_update().get(pk=trainee.pk)
