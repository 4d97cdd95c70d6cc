"""The audit trail of enrolments: who approved, rejected or cancelled an
enrolment, who marked a register and who graded a piece of work, and when.

Each entry is one row of Wagtail's audit log (ModelLogEntry), written by the
service that makes the change (enrolments/services/), in its transaction, so a
refused or rolled-back change leaves no entry. Entries are read in the admin
under Reports > Site history (which Wagtail shows per model to users holding a
permission on the model: academy admins, not instructors) and on an
enrolment's History page ("History" on its inspect page, RecordHistoryView
below). In Site history a register save links to the meeting's register and a
grade to the grading page, both scoped views. The actions are registered by
enrolments/wagtail_hooks.py, which imports this module.

Labels are whole sentences written when the action happens ("Approved
enrolment of Ana Petrović in Python Basics (Mar 2026)"), so the history reads
the same after the run or course is renamed. `data` keeps the ids behind them
(enrolment, trainee, run) for anyone who later needs to find a trainee's
entries.
"""

from django.contrib.admin.utils import quote
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format, time_format
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy
from wagtail import hooks
from wagtail.admin.admin_url_finder import (
    ModelAdminURLFinder,
    register_admin_url_finder,
)
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.log_actions import LogFormatter, log
from wagtail.snippets.views.snippets import HistoryView, InspectView

from courses.models import Meeting
from enrolments.models import AssignmentSubmission
from enrolments.readable import readable

APPROVE = "academy.enrolment.approve"
REJECT = "academy.enrolment.reject"
CANCEL = "academy.enrolment.cancel"
ATTENDANCE = "academy.attendance.mark"
GRADE = "academy.submission.grade"
CLOSE_RUN = "academy.run.close"
REOPEN_RUN = "academy.run.reopen"
MEMBERSHIP_CONFIRM = "academy.membership.confirm"
MEMBERSHIP_REFUSE = "academy.membership.refuse"
ORGANISATION_CHANGE = "academy.membership.change"
COORDINATOR_APPOINT = "academy.coordinator.appoint"
STAFF_ENROL = "academy.coordinator.enrol"
ACADEMY_ENROL = "academy.enrolment.create"
PRICE_CHANGE = "academy.enrolment.price"
COORDINATOR_REMOVE = "academy.coordinator.remove"
EMPLOYER_APPROVE = "academy.enrolment.employer_approve"
EMPLOYER_REFUSE = "academy.enrolment.employer_refuse"


def run_name(*, course, run) -> str:
    """ "Python Basics (Mar 2026)", "Python Basics (Mar 2026, Novi Sad)", or
    "Python Basics (self-paced)" for an enrolment without a run."""
    if run is None:
        return gettext("%(course)s (self-paced)") % {"course": course.title}
    # The month's short name in the language of whoever made the change.
    when = date_format(run.starts_on, "M Y")
    if run.label:
        when = f"{when}, {run.label}"
    return f"{course.title} ({when})"


def _enrolment_data(enrolment) -> dict:
    return {
        "enrolment_id": enrolment.pk,
        "trainee_id": enrolment.trainee_id,
        "run_id": enrolment.run_id,
    }


def _enrolment_subject(enrolment) -> dict:
    return {
        "trainee": enrolment.trainee.full_name,
        "run": run_name(course=enrolment.course, run=enrolment.run),
    }


# --- Writing entries (called by the services, inside their transaction) -------


def log_enrolment_approved(*, enrolment, by) -> None:
    log(
        enrolment,
        APPROVE,
        user=by,
        title=gettext("Approved enrolment of %(trainee)s in %(run)s")
        % _enrolment_subject(enrolment),
        data=_enrolment_data(enrolment),
    )


def log_enrolment_rejected(*, enrolment, by, reason: str) -> None:
    log(
        enrolment,
        REJECT,
        user=by,
        title=gettext("Rejected enrolment of %(trainee)s in %(run)s")
        % _enrolment_subject(enrolment),
        data={**_enrolment_data(enrolment), "reason": reason},
    )


def log_enrolment_cancelled(*, enrolment, by) -> None:
    log(
        enrolment,
        CANCEL,
        user=by,
        title=gettext("Cancelled enrolment of %(trainee)s in %(run)s for the academy")
        % _enrolment_subject(enrolment),
        data=_enrolment_data(enrolment),
    )


def log_register_saved(*, meeting, by, changed: int) -> None:
    """One entry per register save that changed something, on the meeting;
    each row's own history is AttendanceChange. On the meeting rather than
    its run: Site history shows an entry to whoever holds a permission on its
    model, and instructors hold run permissions (for their own runs) but none
    on meetings, so they never see other instructors' registers there."""
    run = meeting.run
    meeting_name = (
        f"{date_format(meeting.date, 'j M Y')} {time_format(meeting.start_time, 'H:i')}"
    )
    log(
        meeting,
        ATTENDANCE,
        user=by,
        title=gettext(
            "Marked attendance of %(run)s, meeting of %(meeting)s: %(changed)s changed"
        )
        % {
            "run": run_name(course=run.course, run=run),
            "meeting": meeting_name,
            "changed": changed,
        },
        data={
            "run_id": run.pk,
            "meeting_id": meeting.pk,
            "meeting": meeting_name,
            "changed": changed,
        },
    )


def log_submission_graded(*, submission, by) -> None:
    enrolment = submission.enrolment
    score = f"{submission.score.normalize():f}"
    max_points = f"{submission.max_points.normalize():f}"
    log(
        submission,
        GRADE,
        user=by,
        title=gettext("Graded the work of %(trainee)s in %(run)s: %(score)s of %(max)s")
        % {**_enrolment_subject(enrolment), "score": score, "max": max_points},
        data={
            **_enrolment_data(enrolment),
            "submission_id": submission.pk,
            "assignment_id": submission.assignment_id,
            "attempt": submission.attempt,
            "score": score,
            "max_points": max_points,
            "passed": submission.passed,
        },
    )


def log_run_closed(
    *, run, by, completed: int, not_completed: int, requests_ended: int
) -> None:
    """One entry per close, on the run; `by` None is the automatic close."""
    counts = {
        "completed": completed,
        "not_completed": not_completed,
        "requests_ended": requests_ended,
    }
    title = (
        gettext(
            "Closed %(run)s: %(completed)s completed, %(not_completed)s not "
            "completed, %(requests_ended)s requests ended"
        )
        if by is not None
        else gettext(
            "Closed %(run)s automatically: %(completed)s completed, "
            "%(not_completed)s not completed, %(requests_ended)s requests ended"
        )
    )
    log(
        run,
        CLOSE_RUN,
        user=by,
        title=title % {"run": run_name(course=run.course, run=run), **counts},
        data={"run_id": run.pk, "automatic": by is None, **counts},
    )


def log_run_reopened(*, run, by, reason: str, enrolments: int) -> None:
    log(
        run,
        REOPEN_RUN,
        user=by,
        title=gettext("Reopened %(run)s")
        % {"run": run_name(course=run.course, run=run)},
        data={"run_id": run.pk, "reason": reason, "enrolments": enrolments},
    )


def _claim_data(claim) -> dict:
    return {
        "claim_id": claim.pk,
        "trainee_id": claim.trainee_id,
        "organisation_id": claim.organisation_id,
        "organisation": claim.organisation.name,
    }


def log_membership_confirmed(*, claim, by) -> None:
    """On the trainee's profile; `by` None is a confirmation by a verified
    e-mail domain."""
    subject = {"trainee": claim.trainee.full_name, "organisation": claim.organisation}
    title = (
        gettext("Confirmed %(trainee)s as staff of %(organisation)s") % subject
        if by is not None
        else gettext(
            "Confirmed %(trainee)s as staff of %(organisation)s by a verified "
            "e-mail domain"
        )
        % subject
    )
    log(
        claim.trainee,
        MEMBERSHIP_CONFIRM,
        user=by,
        title=title,
        data={**_claim_data(claim), "method": claim.method},
    )


def log_membership_refused(*, claim, by) -> None:
    log(
        claim.trainee,
        MEMBERSHIP_REFUSE,
        user=by,
        title=gettext("Refused the claim of %(trainee)s to work for %(organisation)s")
        % {"trainee": claim.trainee.full_name, "organisation": claim.organisation},
        data={**_claim_data(claim), "reason": claim.note},
    )


def log_organisation_changed(*, trainee, organisation, by) -> None:
    log(
        trainee,
        ORGANISATION_CHANGE,
        user=by,
        title=(
            gettext("Set the organisation of %(trainee)s to %(organisation)s")
            % {"trainee": trainee.full_name, "organisation": organisation}
            if organisation is not None
            else gettext("Removed the organisation of %(trainee)s")
            % {"trainee": trainee.full_name}
        ),
        data={
            "trainee_id": trainee.pk,
            "organisation_id": organisation.pk if organisation else None,
        },
    )


def _coordinator_subject(coordinator) -> dict:
    user = coordinator.user
    return {
        "person": user.get_full_name() or user.email,
        "organisation": coordinator.organisation.name,
    }


def log_enrolled_by_academy(*, enrolment, by) -> None:
    log(
        enrolment,
        ACADEMY_ENROL,
        user=by,
        title=gettext("Enrolled %(trainee)s in %(run)s for the academy")
        % _enrolment_subject(enrolment),
        data=_enrolment_data(enrolment),
    )


def log_price_changed(*, enrolment, by, old, reason: str) -> None:
    log(
        enrolment,
        PRICE_CHANGE,
        user=by,
        title=gettext(
            "Changed the price of %(trainee)s in %(run)s from %(old)s to %(new)s"
        )
        % {
            **_enrolment_subject(enrolment),
            "old": f"{old:.2f}",
            "new": f"{enrolment.price:.2f}",
        },
        data={
            **_enrolment_data(enrolment),
            "old": f"{old:.2f}",
            "new": f"{enrolment.price:.2f}",
            "member": enrolment.is_member,
            "reason": reason,
        },
    )


def log_staff_enrolled(*, enrolment, by) -> None:
    log(
        enrolment,
        STAFF_ENROL,
        user=by,
        title=gettext("Enrolled %(trainee)s in %(run)s for their organisation")
        % _enrolment_subject(enrolment),
        data=_enrolment_data(enrolment),
    )


def log_employer_approved(*, enrolment, by) -> None:
    log(
        enrolment,
        EMPLOYER_APPROVE,
        user=by,
        title=gettext("Employer approved the request of %(trainee)s for %(run)s")
        % _enrolment_subject(enrolment),
        data=_enrolment_data(enrolment),
    )


def log_employer_refused(*, enrolment, by, reason: str) -> None:
    log(
        enrolment,
        EMPLOYER_REFUSE,
        user=by,
        title=gettext("Employer refused the request of %(trainee)s for %(run)s")
        % _enrolment_subject(enrolment),
        data={**_enrolment_data(enrolment), "reason": reason},
    )


def log_coordinator_appointed(*, coordinator, by) -> None:
    """On the organisation, whose History lists its coordinators' changes."""
    log(
        coordinator.organisation,
        COORDINATOR_APPOINT,
        user=by,
        title=gettext("Appointed %(person)s coordinator of %(organisation)s")
        % _coordinator_subject(coordinator),
        data={"user_id": coordinator.user_id, **_coordinator_subject(coordinator)},
    )


def log_coordinator_removed(*, coordinator, by) -> None:
    log(
        coordinator.organisation,
        COORDINATOR_REMOVE,
        user=by,
        title=gettext("Removed %(person)s as coordinator of %(organisation)s")
        % _coordinator_subject(coordinator),
        data={"user_id": coordinator.user_id, **_coordinator_subject(coordinator)},
    )


# --- How entries read in the admin ---------------------------------------------


class RejectFormatter(LogFormatter):
    label = gettext_lazy("Reject enrolment")

    def format_message(self, log_entry):
        reason = log_entry.data.get("reason")
        if reason:
            return gettext("Enrolment rejected: %(reason)s") % {"reason": reason}
        return gettext("Enrolment rejected")

    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "")


class EmployerRefuseFormatter(RejectFormatter):
    label = gettext_lazy("Refuse a staff request (coordinator)")

    def format_message(self, log_entry):
        return gettext("Refused by the employer: %(reason)s") % {
            "reason": log_entry.data.get("reason", "")
        }


class AttendanceFormatter(LogFormatter):
    label = gettext_lazy("Mark attendance")

    def format_message(self, log_entry):
        try:
            return gettext(
                "Attendance marked for the meeting of %(meeting)s: %(changed)s changed"
            ) % {
                "meeting": log_entry.data["meeting"],
                "changed": log_entry.data["changed"],
            }
        except KeyError:
            return gettext("Attendance marked")


class GradeFormatter(LogFormatter):
    label = gettext_lazy("Grade work")

    def format_message(self, log_entry):
        data = log_entry.data
        try:
            verdict = gettext("passed") if data["passed"] else gettext("failed")
            return gettext("Graded: %(score)s of %(max)s points, %(verdict)s") % {
                "score": data["score"],
                "max": data["max_points"],
                "verdict": verdict,
            }
        except KeyError:
            return gettext("Graded")


class CloseRunFormatter(LogFormatter):
    label = gettext_lazy("Close run")

    def format_message(self, log_entry):
        data = log_entry.data
        try:
            return gettext(
                "Run closed: %(completed)s completed, %(not_completed)s not "
                "completed, %(requests_ended)s requests ended"
            ) % {
                "completed": data["completed"],
                "not_completed": data["not_completed"],
                "requests_ended": data["requests_ended"],
            }
        except KeyError:
            return gettext("Run closed")


class PriceChangeFormatter(LogFormatter):
    label = gettext_lazy("Change an enrolment's price")

    def format_message(self, log_entry):
        data = log_entry.data
        try:
            return gettext("Price changed from %(old)s to %(new)s: %(reason)s") % {
                "old": data["old"],
                "new": data["new"],
                "reason": data["reason"],
            }
        except KeyError:
            return gettext("Price changed")

    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "")


class MembershipRefuseFormatter(LogFormatter):
    label = gettext_lazy("Refuse an organisation claim")

    def format_message(self, log_entry):
        data = log_entry.data
        try:
            return gettext("Claim to work for %(organisation)s refused: %(reason)s") % {
                "organisation": data["organisation"],
                "reason": data["reason"],
            }
        except KeyError:
            return gettext("Organisation claim refused")

    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "")


class ReopenRunFormatter(LogFormatter):
    label = gettext_lazy("Reopen run")

    def format_message(self, log_entry):
        reason = log_entry.data.get("reason")
        if reason:
            return gettext("Run reopened: %(reason)s") % {"reason": reason}
        return gettext("Run reopened")

    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "")


@hooks.register("register_log_actions")
def register_enrolment_log_actions(actions):
    actions.register_action(
        APPROVE, gettext_lazy("Approve enrolment"), gettext_lazy("Enrolment approved")
    )
    actions.register_action(REJECT)(RejectFormatter)
    actions.register_action(
        CANCEL,
        gettext_lazy("Cancel enrolment (academy)"),
        gettext_lazy("Enrolment cancelled by the academy"),
    )
    actions.register_action(ATTENDANCE)(AttendanceFormatter)
    actions.register_action(GRADE)(GradeFormatter)
    actions.register_action(CLOSE_RUN)(CloseRunFormatter)
    actions.register_action(REOPEN_RUN)(ReopenRunFormatter)
    actions.register_action(
        MEMBERSHIP_CONFIRM,
        gettext_lazy("Confirm an organisation claim"),
        gettext_lazy("Organisation claim confirmed"),
    )
    actions.register_action(MEMBERSHIP_REFUSE)(MembershipRefuseFormatter)
    actions.register_action(
        ACADEMY_ENROL,
        gettext_lazy("Enrol a trainee (academy)"),
        gettext_lazy("Enrolled by the academy"),
    )
    actions.register_action(PRICE_CHANGE)(PriceChangeFormatter)
    actions.register_action(
        STAFF_ENROL,
        gettext_lazy("Enrol staff (coordinator)"),
        gettext_lazy("Enrolled by the organisation's coordinator"),
    )
    actions.register_action(
        EMPLOYER_APPROVE,
        gettext_lazy("Approve a staff request (coordinator)"),
        gettext_lazy("Approved by the employer"),
    )
    actions.register_action(EMPLOYER_REFUSE)(EmployerRefuseFormatter)
    actions.register_action(
        COORDINATOR_APPOINT,
        gettext_lazy("Appoint a coordinator"),
        gettext_lazy("Coordinator appointed"),
    )
    actions.register_action(
        COORDINATOR_REMOVE,
        gettext_lazy("Remove a coordinator"),
        gettext_lazy("Coordinator removed"),
    )
    actions.register_action(
        ORGANISATION_CHANGE,
        gettext_lazy("Change a trainee's organisation"),
        gettext_lazy("Organisation changed by the academy"),
    )


# --- Where entries are read: History of the read-only records ------------------


class RecordHistoryView(HistoryView):
    """The History page of a record the admin only reads (an enrolment, a
    certificate; enrolments/admin/viewsets.py ReadOnlyViewSetMixin). Wagtail's
    asks for add, change or delete, which the read-only policies refuse to
    everyone, and links to an edit page that is not routed; this one is open
    to whoever may view the record and links back to its inspect page."""

    any_permission_required = ["view"]
    inspect_url_name = None

    def get_edit_url(self, instance):
        if self.inspect_url_name:
            return reverse(self.inspect_url_name, args=(quote(instance.pk),))
        return None

    @cached_property
    def header_buttons(self):
        url = self.get_edit_url(self.object)
        if not url:
            return []
        return [
            HeaderButton(label=gettext("Inspect"), url=url, icon_name="info-circle")
        ]


class RecordInspectView(InspectView):
    """The inspect page of a read-only record, with a link to its History:
    values in words (enrolments/readable.py) and, where the viewset
    says so, in sections: `inspect_sections` is [(heading, [field, ...])]."""

    history_url_name = None
    inspect_sections = None
    # Labels that say more than the field's name ("Member price", not "Is member").
    inspect_labels: dict = {}
    template_name = "enrolments/admin/record_inspect.html"

    def get_field_label(self, field_name, field):
        if field_name in self.inspect_labels:
            return self.inspect_labels[field_name]
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return readable(value, field_name=field_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.inspect_sections:
            context["sections"] = [
                (heading, [self.get_context_for_field(name) for name in names])
                for heading, names in self.inspect_sections
            ]
        return context

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        try:
            url = reverse(self.history_url_name, args=(quote(self.object.pk),))
        except NoReverseMatch:  # a viewset that routes no history (Trainees)
            return buttons
        buttons.append(
            Button(gettext("History"), url=url, icon_name="history", priority=30)
        )
        return buttons


class RegisterURLFinder(ModelAdminURLFinder):
    """A meeting's entry in Site history opens its register (/teaching/),
    which answers 404 to anyone who does not manage the run."""

    edit_url_name = "teaching:register"

    def get_edit_url(self, instance):
        return self.construct_edit_url(instance)


class GradingURLFinder(ModelAdminURLFinder):
    """A grade's entry opens the grading page, scoped the same way."""

    edit_url_name = "learning:submission_grade"

    def get_edit_url(self, instance):
        return self.construct_edit_url(instance)


register_admin_url_finder(Meeting, RegisterURLFinder)
register_admin_url_finder(AssignmentSubmission, GradingURLFinder)
