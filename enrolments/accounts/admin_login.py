"""The Wagtail admin's log-in form with the same failure limits as the site's,
so /admin/login/ is no way around them (WAGTAILADMIN_USER_LOGIN_FORM), and its
password reset with the site's limits on e-mails sent on request (routed
before Wagtail's own in academy_site/urls.py)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.views.account import PasswordResetView

from enrolments.accounts import throttling


class ThrottledAdminLoginForm(LoginForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()
        address = throttling.client_address(self.request)
        wait = throttling.login_attempt_reserve(email=username, address=address)
        if wait:
            raise ValidationError(
                _("Too many attempts. Try again in %(wait)s."),
                code="throttled",
                params={"wait": throttling.minutes_to_wait(wait)},
            )
        # A failure keeps the reservation as its count; a success gives it back.
        cleaned_data = super().clean()
        throttling.login_attempt_release(email=username, address=address)
        return cleaned_data


class ThrottledAdminPasswordResetView(PasswordResetView):
    def form_valid(self, form):
        return throttling.mail_limited(self, form) or super().form_valid(form)
