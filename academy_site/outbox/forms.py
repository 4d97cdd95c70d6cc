"""Django's own forms that send e-mail, sending through the outbox."""

from django.contrib.auth import forms as auth_forms
from django.template.loader import render_to_string
from django.utils.translation import get_language

from academy_site.outbox.services import email_queue


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its e-mail queued in the academy's outbox (sent
    by the worker, retried if the mail server is down) instead of sent from
    the request."""

    def send_mail(  # the name Django's form calls
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = render_to_string(subject_template_name, context)
        email_queue(
            kind="account.password_reset",
            to=to_email,
            user=context.get("user"),
            language=get_language() or "",
            subject="".join(subject.splitlines()),
            body_text=render_to_string(email_template_name, context),
            body_html=(
                render_to_string(html_email_template_name, context)
                if html_email_template_name
                else ""
            ),
        )
