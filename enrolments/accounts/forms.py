"""Forms for the account pages. They parse and validate; services write."""

from django import forms
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from enrolments.accounts import throttling
from enrolments.accounts.selectors import email_normalise, user_for_email
from enrolments.models import Organisation, TraineeProfile
from enrolments.names import full_name_clean

NO_ORGANISATION = _("None / I am not employed by a registered organisation")
FULL_NAME_HELP = _(
    "Exactly as it must appear on your certificates, with any diacritics "
    "(Đorđe Petrović) or in Cyrillic (Јована Јовановић)."
)
LOG_IN_FAILED = _(
    "The e-mail or password is not correct, or the account is not confirmed yet."
)


class TraineeDetailsForm(forms.Form):
    """The details a trainee gives at sign-up and can change in their profile."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=FULL_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=NO_ORGANISATION,
        help_text=_(
            "Staff of member organisations pay the member price once the academy "
            "confirms they work there: at once when your e-mail address is on "
            "the organisation's own domain."
        ),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=TraineeProfile.Language.choices,
        initial=TraineeProfile.Language.SERBIAN_LATIN,
    )

    def clean_full_name(self):
        typed = self.cleaned_data["full_name"]
        if not typed.strip():
            raise ValidationError(gettext("Enter your full name."), code="required")
        return full_name_clean(typed)


class SignUpForm(TraineeDetailsForm):
    """Sign-up: the trainee's details, an e-mail address and a new password."""

    email = forms.EmailField(
        label=_("E-mail"),
        # The address becomes the username, which holds at most 150 characters.
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The same password, to catch a typing mistake."),
    )

    field_order = [
        "email",
        "full_name",
        "organisation",
        "preferred_language",
        "password1",
        "password2",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here rather than at import: it reads the validator settings.
        self.fields["password1"].help_text = (
            password_validation.password_validators_help_text_html()
        )
        # The language the visitor is reading the form in is the likely choice.
        if get_language() in TraineeProfile.Language.values:
            self.fields["preferred_language"].initial = get_language()

    def clean_email(self):
        return email_normalise(self.cleaned_data["email"])

    def clean(self):
        cleaned_data = super().clean()
        password1 = cleaned_data.get("password1")
        password2 = cleaned_data.get("password2")
        if password1:
            # Checked against the e-mail and name too: a password made of them
            # is refused by Django's similarity validator. The username is the
            # e-mail; left blank so the message speaks of the e-mail address.
            candidate = get_user_model()(
                email=cleaned_data.get("email", ""),
                first_name=cleaned_data.get("full_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        if password1 and password2 and password1 != password2:
            self.add_error("password2", gettext("The two passwords are not the same."))
        return cleaned_data


class ProfileForm(TraineeDetailsForm):
    """The profile: the details asked at sign-up, and what the trainee wants
    to be e-mailed."""

    meeting_reminders = forms.BooleanField(
        label=_("E-mail me a reminder the day before each meeting"),
        required=False,
        help_text=_(
            "With the time, the place or the online link, and a link to say "
            "you cannot come."
        ),
    )
    meeting_reminders_soon = forms.BooleanField(
        label=_("E-mail me again two hours before each meeting"),
        required=False,
        help_text=_("Handy for a meeting early in the day or right after work."),
    )


class EmailForm(forms.Form):
    """One e-mail address: asking for a new confirmation link."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class LogInForm(AuthenticationForm):
    """Log-in by e-mail, in any letter case, with throttled failures.

    A wrong password, an unknown address and an unconfirmed account all get the
    same message, and unknown addresses are throttled like known ones, so the
    form never tells which addresses have an account.
    """

    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": LOG_IN_FAILED,
        "inactive": LOG_IN_FAILED,
        "throttled": _("Too many attempts. Try again in %(wait)s."),
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not email or not password:
            return self.cleaned_data
        address = throttling.client_address(self.request)
        wait = throttling.login_attempt_reserve(email=email, address=address)
        if wait:
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"wait": throttling.minutes_to_wait(wait)},
            )
        user = user_for_email(email=email)
        # An unknown address still goes through authenticate(), which hashes
        # the password, so it takes as long to refuse as a known one.
        self.user_cache = authenticate(
            self.request,
            username=user.get_username() if user else email,
            password=password,
        )
        if self.user_cache is None:
            # The reservation stays: it is this failure's count.
            raise self.get_invalid_login_error()
        throttling.login_attempt_release(email=email, address=address)
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
