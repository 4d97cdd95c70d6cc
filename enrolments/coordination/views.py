"""A coordinator's organisation page: the staff claims waiting for them and
the confirmed staff. Organisations and claims are looked up through
enrolments/access.py, so an id outside the coordinator's organisations
answers 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from academy_site.links import absolute_url
from courses.models import CourseRun
from enrolments.access import (
    claims_decidable_by_coordinator,
    coordinated_organisation_or_404,
    organisations_coordinated_by,
    requests_decidable_by_coordinator,
)
from enrolments.accounts.selectors import email_normalise
from enrolments.errors import CoordinatorError, InvalidTransition
from enrolments.extensions import organisation_downloads, staff_panels
from enrolments.models import Coordinator, JoinLink, MembershipClaim, TraineeProfile
from enrolments.selectors import (
    join_link_for,
    join_links_active,
    organisation_claims,
    organisation_enrolments,
    runs_open_for_enrolment,
    staff_of,
)
from enrolments.services.membership import (
    MAX_INVITATIONS,
    coordinator_summary_set,
    invitations_send,
    join_link_create,
    join_link_revoke,
    membership_confirm,
    membership_join,
    membership_refuse,
    staff_enrol,
)
from enrolments.teaching.exports import lines_csv, lines_xlsx


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=gettext_lazy("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One or more, one per line or separated by commas; at most 50."
        ),
        error_messages={"required": gettext_lazy("Enter at least one address.")},
    )

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n")
        emails, bad = [], []
        for item in filter(None, (line.strip() for line in raw.splitlines())):
            try:
                validate_email(item)
            except forms.ValidationError:
                bad.append(item)
            else:
                emails.append(email_normalise(item))
        if bad:
            raise forms.ValidationError(
                gettext_lazy("These are not e-mail addresses: %(bad)s")
                % {"bad": ", ".join(bad[:5])}
            )
        emails = list(dict.fromkeys(emails))
        if len(emails) > MAX_INVITATIONS:
            raise forms.ValidationError(
                gettext_lazy("Send at most %(count)d invitations at once.")
                % {"count": MAX_INVITATIONS}
            )
        return emails


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why not?"),
        max_length=1000,
        help_text=gettext_lazy("The person reads this on their profile."),
        error_messages={"required": gettext_lazy("Say why you refuse the claim.")},
    )


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    """Straight to the organisation of a coordinator of one; a list for a
    coordinator of several; 404 for everyone else."""
    coordinated = list(organisations_coordinated_by(request.user))
    if not coordinated:
        raise Http404
    if len(coordinated) == 1:
        return redirect("coordination:organisation", organisation_id=coordinated[0].pk)
    return render(
        request,
        "enrolments/coordination/choose.html",
        {"organisations": coordinated},
    )


@login_required
def organisation_page(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    return _render_page(request, organisation)


def _render_page(
    request, organisation, *, refuse_form=None, refusing=None, invite_form=None
):
    people = organisation_claims(organisation=organisation)
    invalid = refuse_form is not None or invite_form is not None
    return render(
        request,
        "enrolments/coordination/organisation.html",
        {
            "organisation": organisation,
            "pending": people["pending"],
            "staff": people["staff"],
            "links": [
                (link, absolute_url(reverse("coordination:join", args=[link.token])))
                for link in join_links_active(organisation=organisation)
            ],
            "refuse_form": refuse_form,
            "refusing": refusing,
            "requests_waiting": requests_decidable_by_coordinator(
                request.user, organisation
            ).count(),
            "invite_form": invite_form or InviteForm(),
            "coordinator": Coordinator.objects.filter(
                organisation=organisation, user=request.user
            ).first(),
        },
        status=400 if invalid else 200,
    )


def _claim_or_404(request, organisation_id, claim_id):
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    claim = get_object_or_404(
        claims_decidable_by_coordinator(request.user, organisation).select_related(
            "trainee"
        ),
        pk=claim_id,
    )
    return organisation, claim


@login_required
@require_POST
def claim_confirm(request, organisation_id: int, claim_id: int) -> HttpResponse:
    organisation, claim = _claim_or_404(request, organisation_id, claim_id)
    try:
        membership_confirm(
            claim=claim, by=request.user, method=MembershipClaim.Method.COORDINATOR
        )
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s is confirmed as your staff: member prices apply from now on.")
            % {"name": claim.trainee.full_name},
        )
    return redirect("coordination:organisation", organisation_id=organisation.pk)


@login_required
@require_POST
def claim_refuse(request, organisation_id: int, claim_id: int) -> HttpResponse:
    organisation, claim = _claim_or_404(request, organisation_id, claim_id)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _render_page(request, organisation, refuse_form=form, refusing=claim)
    try:
        membership_refuse(
            claim=claim, by=request.user, reason=form.cleaned_data["reason"]
        )
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The claim of %(name)s is refused.") % {"name": claim.trainee.full_name},
        )
    return redirect("coordination:organisation", organisation_id=organisation.pk)


@login_required
@require_POST
def link_create(request, organisation_id: int) -> HttpResponse:
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    join_link_create(organisation=organisation, by=request.user)
    messages.success(
        request,
        _(
            "A new invitation link is ready: copy it below and share it with "
            "your staff."
        ),
    )
    return redirect("coordination:organisation", organisation_id=organisation.pk)


@login_required
@require_POST
def link_revoke(request, organisation_id: int, link_id: int) -> HttpResponse:
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    link = get_object_or_404(JoinLink, pk=link_id, organisation=organisation)
    join_link_revoke(link=link, by=request.user)
    messages.success(request, _("The link no longer works."))
    return redirect("coordination:organisation", organisation_id=organisation.pk)


@login_required
@require_POST
def invite(request, organisation_id: int) -> HttpResponse:
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _render_page(request, organisation, invite_form=form)
    sent = invitations_send(
        organisation=organisation, emails=form.cleaned_data["emails"], by=request.user
    )
    messages.success(
        request,
        ngettext(
            "%(count)d invitation is on its way.",
            "%(count)d invitations are on their way.",
            sent,
        )
        % {"count": sent},
    )
    return redirect("coordination:organisation", organisation_id=organisation.pk)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link. Visitors are asked to sign up or log in and come
    back here; a signed-in trainee joins with one button (a POST)."""
    link = join_link_for(token=token)
    if link is None:
        return render(request, "enrolments/coordination/join_invalid.html", status=404)
    context = {"link": link, "organisation": link.organisation}
    if request.method == "POST" and request.user.is_authenticated:
        trainee = getattr(request.user, "trainee", None)
        if trainee is None:
            context["error"] = _(
                "Your account has no trainee profile yet: fill in your profile first."
            )
            return render(
                request, "enrolments/coordination/join.html", context, status=400
            )
        try:
            membership_join(trainee=trainee, token=token)
        except InvalidTransition as error:
            context["error"] = str(error)
            return render(
                request, "enrolments/coordination/join.html", context, status=400
            )
        messages.success(
            request,
            _("You are confirmed as staff of %(organisation)s.")
            % {"organisation": link.organisation.name},
        )
        return redirect("learning:home")
    return render(request, "enrolments/coordination/join.html", context)


@login_required
def staff_enrolments(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Their staff's enrolments: run, status, attendance, progress, outcome and
    certificates to download."""
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    lines = organisation_enrolments(organisation=organisation)
    panels = staff_panels([line.enrolment for line in lines])
    return render(
        request,
        "enrolments/coordination/enrolments.html",
        {
            "organisation": organisation,
            "lines": [(line, panels.get(line.enrolment.pk, [])) for line in lines],
            "downloads": organisation_downloads(organisation),
        },
    )


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@never_cache
@login_required
def staff_enrolments_export(
    request: HttpRequest, organisation_id: int, file_format: str
) -> HttpResponse:
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    if file_format not in EXPORT_TYPES:
        raise Http404
    rows = staff_enrolment_rows(organisation_enrolments(organisation=organisation))
    if file_format == "csv":
        content = lines_csv(rows)
    else:
        content = lines_xlsx(
            rows,
            sheet_title=_("Enrolments"),
            title=_("Enrolments: %(organisation)s")
            % {"organisation": organisation.name},
        )
    response = HttpResponse(content, content_type=EXPORT_TYPES[file_format])
    filename = (
        f"enrolments-{slugify(organisation.name) or organisation.pk}.{file_format}"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def staff_enrolment_rows(lines) -> list[list]:
    """The table of the export: a header row, then one row per enrolment."""
    rows = [
        [
            _("Name"),
            _("E-mail"),
            _("Course"),
            _("Run starts"),
            _("Status"),
            _("Attendance (%)"),
            _("Progress (%)"),
            _("Outcome"),
        ]
    ]
    for line in lines:
        enrolment = line.enrolment
        rows.append(
            [
                enrolment.trainee.full_name,
                enrolment.trainee.user.email,
                enrolment.course.title,
                enrolment.run.starts_on if enrolment.run else "",
                enrolment.get_status_display(),
                (
                    float(line.attendance_percent)
                    if line.attendance_percent is not None
                    else ""
                ),
                line.progress_percent if line.progress_percent is not None else "",
                line.outcome,
            ]
        )
    return rows


ONLY_STAFF = gettext_lazy("Only your confirmed staff can be enrolled.")


class StaffEnrolForm(forms.Form):
    """A run open for enrolment and the confirmed staff to enrol in it."""

    run = forms.ModelChoiceField(
        label=gettext_lazy("Run"),
        queryset=CourseRun.objects.none(),
        empty_label=gettext_lazy("Choose a run"),
        error_messages={
            "required": gettext_lazy("Choose a run."),
            "invalid_choice": gettext_lazy("That run is not open for enrolment."),
        },
    )
    trainees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Staff"),
        queryset=TraineeProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Tick at least one person."),
            "invalid_choice": gettext_lazy(
                "Only your confirmed staff can be enrolled."
            ),
        },
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs_open_for_enrolment()
        self.fields["run"].label_from_instance = run_label
        self.fields["trainees"].queryset = staff_of(organisation=organisation)
        self.fields["trainees"].label_from_instance = lambda t: (
            f"{t.full_name} ({t.user.email})"
        )


def run_label(run) -> str:
    return _("%(course)s, from %(date)s (%(seats)s seats left)") % {
        "course": run.course.title,
        "date": date_format(run.starts_on, "DATE_FORMAT"),
        "seats": run.seats_left,
    }


@login_required
@require_http_methods(["GET", "POST"])
def staff_enrol_page(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Enrol several of their staff in one run at once."""
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    form = StaffEnrolForm(request.POST or None, organisation=organisation)
    results = None
    if request.method == "POST" and form.is_valid():
        trainees = list(form.cleaned_data["trainees"])
        try:
            outcome = staff_enrol(
                organisation=organisation,
                run=form.cleaned_data["run"],
                trainees=trainees,
                by=request.user,
            )
        except CoordinatorError as error:
            form.add_error("trainees", error.message)
        else:
            results = [(t, outcome[t.pk]) for t in trainees]
    return render(
        request,
        "enrolments/coordination/enrol.html",
        {"organisation": organisation, "form": form, "results": results},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def summary_setting(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    coordinator = get_object_or_404(
        Coordinator, organisation=organisation, user=request.user
    )
    wanted = request.POST.get("monthly_summary") == "on"
    coordinator_summary_set(coordinator=coordinator, wanted=wanted)
    messages.success(
        request,
        (
            _("You will get a summary by e-mail each month.")
            if wanted
            else _("You will no longer get the monthly summary.")
        ),
    )
    return redirect("coordination:organisation", organisation_id=organisation.pk)
