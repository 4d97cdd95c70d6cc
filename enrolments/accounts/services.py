"""Writes for trainee accounts: sign-up, confirmation and profile changes.

E-mails are queued in the academy's outbox in the same transaction, so nobody
is sent a link to an account that was rolled back, and a mail server that is
down delays them instead of losing them.
"""

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from academy_site.languages import in_language_of
from academy_site.links import absolute_url
from academy_site.outbox.services import email_queue, email_render
from academy_site.roles import TRAINEE, grant_role
from enrolments.accounts.selectors import (
    email_has_account,
    email_normalise,
    user_awaiting_confirmation,
)
from enrolments.accounts.tokens import CONFIRMATION_MAX_AGE, confirmation_token_make
from enrolments.models import Organisation, TraineeProfile
from enrolments.names import NO_VISIBLE_LETTER, full_name_normalise, has_visible_letter
from enrolments.services.membership import (
    membership_claim,
    memberships_confirm_by_domain,
)
from enrolments.signals import trainee_renamed


def trainee_sign_up(
    *,
    email: str,
    full_name: str,
    organisation: Organisation | None,
    preferred_language: str,
    password: str,
    next_path: str = "",
) -> AbstractBaseUser | None:
    """Create an inactive account with its trainee profile and e-mail it a
    confirmation link (leading on to `next_path`, a path on this site, e.g.
    the course the visitor was about to enrol in); return None when the
    address already has an account.

    An existing address gets a note instead of a second account and the caller
    shows the same page either way, so sign-up cannot tell a visitor who has an
    account here.
    """
    email = email_normalise(email)
    full_name = full_name_normalise(full_name)
    user_model = get_user_model()
    # Checked against the address and the name, as the sign-up form does.
    password_validation.validate_password(
        password, user_model(email=email, first_name=full_name)
    )
    with transaction.atomic():
        if email_has_account(email=email):
            return _already_registered(email=email, password=password)
        try:
            with transaction.atomic():
                user = user_model._default_manager.create_user(
                    username=email, email=email, password=password, is_active=False
                )
        except IntegrityError:
            # Another sign-up with this address committed first.
            return _already_registered(email=email, password=password)
        profile = TraineeProfile.objects.create(
            user=user, full_name=full_name, preferred_language=preferred_language
        )
        # A claim, confirmed once the address is (when on a verified domain).
        membership_claim(trainee=profile, organisation=organisation)
        grant_role(user=user, role=TRAINEE)
        _send_confirmation(user=user, full_name=full_name, next_path=next_path)
    return user


def trainee_confirm(*, user: AbstractBaseUser) -> AbstractBaseUser:
    """Activate the account whose owner followed the confirmation link."""
    with transaction.atomic():
        user = get_user_model()._default_manager.select_for_update().get(pk=user.pk)
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
            profile = TraineeProfile.objects.filter(user=user).first()
            if profile is not None:
                memberships_confirm_by_domain(trainee=profile)
    return user


def confirmation_resend(*, email: str) -> None:
    """E-mail a new link when the address belongs to an account awaiting
    confirmation. Otherwise nothing is sent and nothing is said, so the answer
    reveals nothing about the address."""
    user = user_awaiting_confirmation(email=email)
    if user is not None:
        with transaction.atomic():
            _send_confirmation(user=user, full_name=user.trainee.full_name)


def trainee_profile_update(
    *,
    user: AbstractBaseUser,
    full_name: str,
    organisation: Organisation | None,
    preferred_language: str,
    meeting_reminders: bool | None = None,
    meeting_reminders_soon: bool | None = None,
) -> TraineeProfile:
    """Save what the trainee says about themselves; a user without a profile
    (staff who also take courses) gets one on the first save.
    `meeting_reminders` (the day before) and `meeting_reminders_soon` (two
    hours before): None leaves the choice as it is."""
    reminders = {
        field: value
        for field, value in (
            ("meeting_reminders", meeting_reminders),
            ("meeting_reminders_soon", meeting_reminders_soon),
        )
        if value is not None
    }
    full_name = full_name_normalise(full_name)
    if not full_name:
        raise ValidationError({"full_name": _("A trainee needs a full name.")})
    if not has_visible_letter(full_name):
        raise ValidationError({"full_name": NO_VISIBLE_LETTER})
    with transaction.atomic():
        old_name = (
            TraineeProfile.objects.select_for_update()
            .filter(user=user)
            .values_list("full_name", flat=True)
            .first()
        )
        profile, _created = TraineeProfile.objects.update_or_create(
            user=user,
            defaults={
                "full_name": full_name,
                "preferred_language": preferred_language,
                **reminders,
            },
        )
        membership_claim(trainee=profile, organisation=organisation)
        if old_name is not None and old_name != full_name:
            transaction.on_commit(
                lambda: trainee_renamed.send(
                    sender=TraineeProfile,
                    trainee_id=profile.pk,
                    old=old_name,
                    new=full_name,
                )
            )
    return profile


def _already_registered(*, email: str, password: str) -> None:
    # Hash the password anyway: a new account costs one hashing, and a faster
    # answer for known addresses would give them away.
    make_password(password)
    _send_on_commit(
        kind="account.already_registered",
        to=email,
        subject=_("Someone tried to sign up with your address"),
        template="accounts/email/already_registered",
        context={
            "log_in_url": absolute_url(reverse("accounts:log_in")),
            "password_reset_url": absolute_url(reverse("accounts:password_reset")),
            "resend_url": absolute_url(reverse("accounts:confirm_resend")),
        },
    )
    return None


def _send_confirmation(
    *, user: AbstractBaseUser, full_name: str, next_path: str = ""
) -> None:
    token = confirmation_token_make(user, next_path=next_path)
    # In the language chosen at sign-up, with links in it.
    with in_language_of(user):
        _send_on_commit(
            kind="account.confirm",
            to=user.email,
            user=user,
            subject=_("Confirm your e-mail address"),
            template="accounts/email/confirm",
            context={
                "full_name": full_name,
                "confirm_url": absolute_url(reverse("accounts:confirm", args=[token])),
                "resend_url": absolute_url(reverse("accounts:confirm_resend")),
                "valid_days": CONFIRMATION_MAX_AGE.days,
            },
        )


def _send_on_commit(
    *, kind: str, to: str, subject: str, template: str, context: dict, user=None
) -> None:
    """Render a plain-text and an HTML version now, in the active language,
    and queue them in the outbox: sent once the account's transaction
    commits, retried by the worker if the mail server is down."""
    context = {"site_url": absolute_url(""), **context}
    text, html = email_render(template=template, context=context)
    email_queue(
        kind=kind,
        to=to,
        user=user,
        language=translation.get_language() or "",
        subject=str(subject),
        body_text=text,
        body_html=html,
    )
