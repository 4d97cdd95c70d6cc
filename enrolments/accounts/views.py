"""The pages under /account/: each parses the request, calls one service and
renders. Log-in, log-out and password reset are Django's views with the
academy's forms, templates and e-mails."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from academy_site.links import site_url
from academy_site.outbox.forms import PasswordResetForm
from enrolments.accounts import services, throttling
from enrolments.accounts.forms import (
    EmailForm,
    LogInForm,
    ProfileForm,
    SignUpForm,
)
from enrolments.accounts.selectors import latest_claim
from enrolments.accounts.throttling import mail_limited
from enrolments.accounts.tokens import confirmation_token_next, confirmation_token_user
from enrolments.models import TraineeProfile


def safe_next_path(request, candidate: str) -> str:
    """`candidate` when it is a path on this site, else "" (no open redirect)."""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=False
    ):
        return candidate
    return ""


@method_decorator(sensitive_post_parameters("password1", "password2"), "dispatch")
class SignUpView(FormView):
    form_class = SignUpForm
    template_name = "accounts/sign_up.html"
    success_url = reverse_lazy("accounts:sign_up_done")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def next_path(self) -> str:
        """?next=, kept through the form (it posts to its own URL) and the
        confirmation link: only a path on this site."""
        return safe_next_path(self.request, self.request.GET.get("next", ""))

    def form_valid(self, form):
        if refused := mail_limited(self, form):
            return refused
        data = form.cleaned_data
        try:
            services.trainee_sign_up(
                email=data["email"],
                full_name=data["full_name"],
                organisation=data["organisation"],
                preferred_language=data["preferred_language"],
                password=data["password1"],
                next_path=self.next_path(),
            )
        except ValidationError as error:
            form.add_error("password1", error)
            return self.form_invalid(form)
        # The same redirect whether or not the address had an account.
        return super().form_valid(form)


class SignUpDoneView(TemplateView):
    template_name = "accounts/sign_up_done.html"


@method_decorator(never_cache, "dispatch")
class ConfirmView(View):
    """The link in the confirmation e-mail. Opening it shows a button; only
    pressing it (a POST) activates the account, because mail scanners open
    links in e-mails and would otherwise use up the one-time link."""

    def get(self, request, token):
        if confirmation_token_user(token) is None:
            return render(request, "accounts/confirm_invalid.html")
        return render(request, "accounts/confirm.html", {"token": token})

    def post(self, request, token):
        user = confirmation_token_user(token)
        if user is None:
            return render(request, "accounts/confirm_invalid.html")
        user = services.trainee_confirm(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Your e-mail address is confirmed and you are logged in.")
        )
        next_path = safe_next_path(request, confirmation_token_next(token))
        return redirect(next_path or resolve_url(settings.LOGIN_REDIRECT_URL))


class ConfirmResendView(FormView):
    form_class = EmailForm
    template_name = "accounts/confirm_resend.html"
    success_url = reverse_lazy("accounts:confirm_resend_done")

    def form_valid(self, form):
        if refused := mail_limited(self, form):
            return refused
        services.confirmation_resend(email=form.cleaned_data["email"])
        return super().form_valid(form)


class ConfirmResendDoneView(TemplateView):
    template_name = "accounts/confirm_resend_done.html"


class LogInView(auth_views.LoginView):
    authentication_form = LogInForm
    template_name = "accounts/log_in.html"
    redirect_authenticated_user = True


class LogOutView(auth_views.LogoutView):
    next_page = "/"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_url": site_url()}

    def form_valid(self, form):
        return mail_limited(self, form) or super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The owner proved who they are: failed log-ins no longer hold them up.
        for email in {form.user.email, form.user.get_username()}:
            throttling.login_failures_clear(email=email)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed."))
        return super().form_valid(form)


class ProfileView(LoginRequiredMixin, FormView):
    form_class = ProfileForm
    template_name = "accounts/profile.html"
    success_url = reverse_lazy("accounts:profile")

    def get_initial(self):
        profile = TraineeProfile.objects.filter(user=self.request.user).first()
        if profile is None:
            return {"full_name": self.request.user.get_full_name()}
        return {
            "full_name": profile.full_name,
            "organisation": profile.organisation_id,
            "preferred_language": profile.preferred_language,
            "meeting_reminders": profile.meeting_reminders,
            "meeting_reminders_soon": profile.meeting_reminders_soon,
        }

    def form_valid(self, form):
        try:
            services.trainee_profile_update(
                user=self.request.user,
                full_name=form.cleaned_data["full_name"],
                organisation=form.cleaned_data["organisation"],
                preferred_language=form.cleaned_data["preferred_language"],
                meeting_reminders=form.cleaned_data["meeting_reminders"],
                meeting_reminders_soon=form.cleaned_data["meeting_reminders_soon"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your profile is saved."))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["password_change_url"] = reverse("accounts:password_change")
        context["claim"] = latest_claim(user=self.request.user)
        return context
