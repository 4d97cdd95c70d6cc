"""Reads for trainee accounts: which account an e-mail address stands for."""

import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q

from enrolments.models import MembershipClaim, TraineeProfile


def email_normalise(email: str) -> str:
    """The one form of an e-mail address that accounts are stored, looked up
    and throttled by: NFKC, then case-folded, as Django's password reset
    compares addresses. 'Ana@Firma.rs', 'ana@ﬁrma.rs' and a Kelvin sign for k
    are one account; letters that only a database's case rules equate (the
    dotless 'ı' and 'I' on PostgreSQL) are not, so every part of the log-in
    agrees on which account an address names."""
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def _users_for_email(email: str) -> list[AbstractBaseUser]:
    # The database narrows the candidates (iexact is wider on PostgreSQL, which
    # upper-cases 'ı' to 'I', and ASCII-only on SQLite, where stored addresses
    # are already normalised); Python decides, by the one normalisation.
    email = email_normalise(email)
    candidates = get_user_model()._default_manager.filter(
        Q(username__iexact=email) | Q(email__iexact=email)
    )[:20]
    return [
        user
        for user in candidates
        if email_normalise(user.get_username()) == email
        or email_normalise(user.email or "") == email
    ]


def email_has_account(*, email: str) -> bool:
    """True when any account, a trainee's or a staff member's, uses the address
    as its username or its e-mail."""
    return bool(_users_for_email(email))


def user_for_email(*, email: str) -> AbstractBaseUser | None:
    """The account an address logs in to: the user whose username is the
    address (sign-up stores it so), else the only user with that e-mail."""
    email = email_normalise(email)
    users = _users_for_email(email)
    by_username = [u for u in users if email_normalise(u.get_username()) == email]
    if by_username:
        return next((u for u in by_username if u.username == email), by_username[0])
    return users[0] if len(users) == 1 else None


def user_awaiting_confirmation(*, email: str) -> AbstractBaseUser | None:
    """The trainee who signed up with the address and has not confirmed it yet.

    A confirmed account has logged in at least once (confirming logs in), so an
    inactive account that has logged in was deactivated by staff and must not
    be able to reactivate itself with a new link.
    """
    user = user_for_email(email=email)
    if user is None or user.is_active or user.last_login is not None:
        return None
    if not TraineeProfile.objects.filter(user=user).exists():
        return None
    return user


OPEN_CLAIM = (MembershipClaim.Status.PENDING, MembershipClaim.Status.CONFIRMED)


def latest_claim(*, user):
    """The user's open organisation claim, else the last decided one (so a
    refusal and its reason stay visible until the trainee names another
    organisation), or None."""
    if not user.is_authenticated:
        return None
    claims = MembershipClaim.objects.filter(trainee__user=user).select_related(
        "organisation"
    )
    return (
        claims.filter(
            status__in=[
                MembershipClaim.Status.PENDING,
                MembershipClaim.Status.CONFIRMED,
            ]
        ).first()
        or claims.exclude(status=MembershipClaim.Status.ENDED).first()
    )
