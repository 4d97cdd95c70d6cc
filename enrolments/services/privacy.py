"""Privacy: a trainee's erasure, and the audit record of their data exports.

Erasure anonymises the person and keeps the statistics. What goes and what
stays (the admin's confirmation page, templates/enrolments/admin/
trainee_erase.html, says the same):

- the login: deactivated, unusable password, username and e-mail replaced by
  `erased-<id>-<random>@erased.invalid` (the reserved .invalid domain never
  receives mail), first and last name cleared, every session ended;
- the profile: `full_name` becomes "Erased trainee #<id>", `erased_at` is set.
  Its organisation and language stay: the organisation is the employer's data
  (it is kept on every enrolment anyway) and keeps the Organisations
  listing's trainee counts right;
- enrolments stay with their status, member snapshot, price, organisation,
  outcome, attendance and quiz scores; pending, offered and waitlisted ones are
  cancelled through enrolment_cancel, so seats free and the waitlist moves;
- assignment submissions keep score, maximum, pass and grading date; the
  trainee's text and file name are removed, the file is deleted from storage
  after commit, and the instructor's feedback is cleared too (it is written
  to the trainee and often names them);
- course evaluations: named answers lose their author and stay, like the
  anonymous ones, in the results; the "has answered" rows are deleted;
- the audit log entries about the trainee (their profile, enrolments,
  submissions, or naming them by id) have the old name and e-mail replaced by
  the neutral label: Wagtail keeps each entry's words as they were written;
- other apps act through the `trainee_erased` signal in the same transaction
  (certificates withhold the name where the course's policy says so).

E-mails are no longer sent: those waiting in the outbox are cancelled, those
sent lose their address and text, and no new one is queued for an erased
trainee, and the erased person cannot log in, so My learning is gone.
"""

import logging
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from academy_site.outbox.services import emails_forget_user
from enrolments.errors import EnrolmentError
from enrolments.models import AssignmentSubmission, Enrolment, TraineeProfile
from enrolments.services.calendar import calendar_feed_revoke
from enrolments.services.enrolment import enrolment_cancel
from enrolments.services.evaluations import evaluations_unlink
from enrolments.signals import trainee_erased

logger = logging.getLogger(__name__)

ERASE_ACTION = "academy.trainee.erase"
EXPORT_ACTION = "academy.trainee.data_export"
ERASED_EMAIL_DOMAIN = "erased.invalid"
# What an erased submission says instead of the trainee's work: the database
# requires a submission to have text or a file.
ERASED_SUBMISSION_TEXT = (
    "<p><em>Removed: the trainee's personal data was erased.</em></p>"
)
CANCELLED_ON_ERASURE = (
    Enrolment.Status.PENDING,
    Enrolment.Status.OFFERED,
    Enrolment.Status.WAITLISTED,
)


class ErasureRefused(EnrolmentError):
    message = _("This trainee's personal data cannot be erased.")


class AlreadyErased(ErasureRefused):
    message = _("This trainee's personal data was erased already; nothing changed.")


def erased_label(trainee: TraineeProfile) -> str:
    """The neutral name an erased trainee is listed under."""
    return f"Erased trainee #{trainee.pk}"


def trainee_erase(*, trainee: TraineeProfile, by) -> dict[str, int]:
    """Erase the trainee's personal data and keep the statistics (see the
    module docstring), in one transaction, and log it. Returns the counts
    logged. Raises AlreadyErased for a second erasure (which changes nothing)
    and ErasureRefused for an account with admin access."""
    with transaction.atomic():
        # Lock order everywhere: trainee, then run (enrolment_cancel locks runs).
        trainee = (
            TraineeProfile.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=trainee.pk)
        )
        if trainee.erased_at is not None:
            raise AlreadyErased()
        user = trainee.user
        if user.is_staff or user.is_superuser:
            raise ErasureRefused(
                gettext(
                    "This account can use the admin. Remove its admin access "
                    "first: the erasure would lock out a member of staff."
                )
            )
        old_names = {
            trainee.full_name,
            user.email,
            user.get_username(),
            user.get_full_name(),
        }
        trainee.full_name = erased_label(trainee)
        trainee.erased_at = timezone.now()
        trainee.save(update_fields=["full_name", "erased_at"])
        _user_anonymise(user)

        enrolments = list(Enrolment.objects.filter(trainee=trainee).order_by("pk"))
        cancelled = 0
        for enrolment in enrolments:
            if enrolment.status in CANCELLED_ON_ERASURE:
                enrolment_cancel(enrolment=enrolment, by_staff=True, by=by)
                cancelled += 1
        submissions, files = _submissions_erase(trainee)
        evaluation_answers = evaluations_unlink(trainee=trainee)
        # What waits to be sent is cancelled; what went keeps only its kind,
        # status and times.
        emails_forget_user(user=user)
        audit_log_scrub(
            entries=_log_entries_of(trainee, enrolments, submissions),
            names=old_names,
            replacement=trainee.full_name,
        )

        counts = {
            "enrolments": len(enrolments),
            "enrolments_cancelled": cancelled,
            "submissions": len(submissions),
            "files_deleted": len(files),
            "evaluation_answers_unlinked": evaluation_answers,
        }
        for _receiver, response in trainee_erased.send(
            sender=TraineeProfile, trainee=trainee, by=by
        ):
            if isinstance(response, dict):
                counts.update(response)
        log(
            trainee,
            ERASE_ACTION,
            user=by,
            title=erased_label(trainee),
            data={"trainee_id": trainee.pk, **counts},
        )
        transaction.on_commit(lambda: storage_files_delete(names=files))
    return counts


def _user_anonymise(user) -> None:
    anonymous = f"erased-{user.pk}-{secrets.token_hex(4)}@{ERASED_EMAIL_DOMAIN}"
    user.username = anonymous
    user.email = anonymous
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    _sessions_end(user)
    # The calendar subscription's address would still list their meetings.
    calendar_feed_revoke(user=user)


def _sessions_end(user) -> None:
    """Delete the user's stored sessions. The new password hash and the
    inactive flag already refuse them on the next request (Django checks the
    session's auth hash); deleting them leaves nothing behind, in the cache
    too when sessions are read from it (cached_db). Only database-backed
    session engines can be searched by user."""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    get_model_class = getattr(store, "get_model_class", None)
    if get_model_class is None:
        return
    sessions = get_model_class().objects.filter(expire_date__gt=timezone.now())
    user_id = str(user.pk)
    doomed = [
        session.pk
        for session in sessions.iterator()
        if str(session.get_decoded().get("_auth_user_id")) == user_id
    ]
    if doomed:
        get_model_class().objects.filter(pk__in=doomed).delete()
        prefix = getattr(store, "cache_key_prefix", None)
        if prefix is not None:
            caches[settings.SESSION_CACHE_ALIAS].delete_many(
                [prefix + key for key in doomed]
            )


def _submissions_erase(
    trainee: TraineeProfile,
) -> tuple[list[AssignmentSubmission], list[str]]:
    """Remove the trainee's work and the feedback on it; keep the grades.
    Returns the submissions and the storage names of their files."""
    submissions = list(
        AssignmentSubmission.objects.select_for_update(of=("self",)).filter(
            enrolment__trainee=trainee
        )
    )
    files = []
    for submission in submissions:
        if submission.file:
            files.append(submission.file.name)
        submission.text_html = ERASED_SUBMISSION_TEXT
        submission.file = ""
        submission.file_name = ""
        submission.file_type = ""
        submission.file_size = None
        submission.feedback_html = ""
    AssignmentSubmission.objects.bulk_update(
        submissions,
        ["text_html", "file", "file_name", "file_type", "file_size", "feedback_html"],
    )
    return submissions, files


def audit_log_scrub(*, entries, names, replacement: str) -> int:
    """Replace each of `names` by `replacement` in the labels and data of
    the audit log `entries` (a ModelLogEntry queryset): Wagtail keeps each
    entry's words as they were when it was written, and the services write the
    trainee's name into them. Returns how many entries changed."""
    names = sorted({n for n in names if n and len(n) >= 3}, key=len, reverse=True)
    if not names:
        return 0

    def scrub(value):
        if isinstance(value, str):
            for name in names:
                value = value.replace(name, replacement)
            return value
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        if isinstance(value, list):
            return [scrub(item) for item in value]
        return value

    changed = 0
    for entry in entries.select_for_update().only("pk", "label", "data"):
        label, data = scrub(entry.label), scrub(entry.data)
        if label != entry.label or data != entry.data:
            entry.label, entry.data = label, data
            entry.save(update_fields=["label", "data"])
            changed += 1
    return changed


def _log_entries_of(trainee, enrolments, submissions):
    """The audit entries about the trainee: on their profile, enrolments and
    submissions, and any other naming them by id in its data."""
    query = Q(data__trainee_id=trainee.pk)
    if enrolments:
        # Certificate entries name the enrolment, not the trainee.
        query |= Q(data__enrolment_id__in=[e.pk for e in enrolments])
    for model, ids in (
        (TraineeProfile, [trainee.pk]),
        (Enrolment, [e.pk for e in enrolments]),
        (AssignmentSubmission, [s.pk for s in submissions]),
    ):
        if ids:
            query |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[str(pk) for pk in ids],
            )
    return ModelLogEntry.objects.filter(query)


def storage_files_delete(*, names: list[str]) -> None:
    """Delete files from the default storage; a missing file is fine, so a
    repeat (or a retry after a crash) does no harm. Failures are logged, not
    raised: the erasure has committed and the names are in the log."""
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # noqa: BLE001 - any storage error; the rest go on
            logger.exception("Could not delete %s from storage", name)


def trainee_data_export_log(*, trainee: TraineeProfile, user, format: str) -> None:
    """Record in the audit log that the trainee saw or downloaded their data
    (the format only: the data itself is never copied into the log)."""
    log(
        trainee,
        EXPORT_ACTION,
        user=user,
        title=f"Trainee #{trainee.pk}",
        data={"trainee_id": trainee.pk, "format": format},
    )
