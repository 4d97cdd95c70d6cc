"""Reads of certificates: the trainee's own, the ones a user may download, the
public facts that verification shows, a batch's progress, and what a
certificate's PDF says (built from its snapshots, in its language).

Verification pages get a `PublicFacts`, never the Certificate row, so a
template cannot reach the e-mail, organisation, price or grades behind it
however it is edited later.
"""

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from academy_site.languages import strip_language_prefix
from academy_site.links import absolute_url
from academy_site.transliteration import name_to_script
from certificates import pdf
from certificates.models import Certificate, CertificateBatch, CertificateReview, Kind
from courses.models import CourseRun
from enrolments.models import Enrolment
from enrolments.names import full_name_normalise

Status = Certificate.Status
# The certificates an enrolment holds now: at most one of each kind.
CURRENT_STATUSES = (Status.PENDING, Status.ISSUED, Status.FAILED)
# What a certificate can be issued for, by enrolment outcome.
KIND_FOR_OUTCOME = {"attendance": Kind.ATTENDANCE, "completion": Kind.COMPLETION}
# Enrolments that ended without the trainee taking part keep no claim to a
# certificate, whatever outcome was last computed for them.
NOT_ELIGIBLE_STATUSES = (Enrolment.Status.CANCELLED, Enrolment.Status.REJECTED)
# Who appears on a run's issue page: those who took part, and anyone the
# completion rules gave an outcome.
TOOK_PART = (
    Enrolment.Status.CONFIRMED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
)
# Serbian in its two scripts; "sr" is Cyrillic (Django's and Wagtail's code).
CYRILLIC = "sr"
SERBIAN = ("sr-latn", CYRILLIC)
# The alphabet of secrets.token_urlsafe; anything else cannot be a code.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def certificates_for_trainee(*, trainee) -> QuerySet[Certificate]:
    """Every certificate of the trainee, in any status, newest first, with the
    enrolment, course and run joined for My learning."""
    return (
        Certificate.objects.filter(enrolment__trainee=trainee)
        .select_related("enrolment__course", "enrolment__run")
        .order_by("-created_at", "-pk")
    )


def certificate_by_code(*, code: str) -> Certificate | None:
    """An exact match on the unique verification code, as stored (never a
    prefix or a case-insensitive match); a malformed code is not looked up."""
    if not CODE_PATTERN.fullmatch(code or ""):
        return None
    return (
        Certificate.objects.select_related("superseded_by")
        .filter(verification_code=code)
        .first()
    )


def certificate_by_sha256(*, digest: str) -> Certificate | None:
    """The certificate whose issued PDF has exactly this SHA-256 (hex)."""
    if not digest:
        return None
    return Certificate.objects.filter(sha256=digest.lower()).order_by("pk").first()


@dataclass(frozen=True)
class PublicFacts:
    """What anyone may learn about a certificate: what it says and whether it
    still stands. `status` is one of valid, revoked, superseded, expired and
    not_issued."""

    full_name: str
    course_title: str
    kind_title: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    serial: str
    issued_at: dt.datetime | None
    status: str
    revoked_at: dt.datetime | None
    expires_at: dt.datetime | None
    # The replacement's verification page, for a superseded certificate whose
    # replacement is issued to the same name (a corrected course title or
    # kind). A replacement with a corrected name is not linked: whoever holds
    # the old PDF (an employer, say) need not learn a name its holder changed.
    replaced_by_url: str = ""


def public_facts(certificate: Certificate) -> PublicFacts:
    status = certificate.public_status
    return PublicFacts(
        # Cleaned as the PDF's name is, so both show the letters in one order.
        full_name=full_name_normalise(certificate.full_name),
        course_title=certificate.course_title,
        kind_title=certificate.kind_title,
        starts_on=certificate.starts_on,
        ends_on=certificate.ends_on,
        serial=certificate.serial,
        issued_at=None if status == "not_issued" else certificate.issued_at,
        status=status,
        revoked_at=certificate.revoked_at if status == "revoked" else None,
        expires_at=certificate.expires_at,
        replaced_by_url=replacement_url(certificate) if status == "superseded" else "",
    )


def replacement_url(certificate: Certificate) -> str:
    """The verification page of the certificate that replaced this one, when
    it is issued and prints the same name; "" otherwise (see PublicFacts)."""
    replacement = certificate.superseded_by
    if replacement is None or replacement.status != Certificate.Status.ISSUED:
        return ""
    same_name = full_name_normalise(replacement.full_name) == full_name_normalise(
        certificate.full_name
    )
    return replacement.get_absolute_url() if same_name else ""


def certificate_current(*, enrolment_id: int, kind: str) -> Certificate | None:
    """The enrolment's pending, issued or failed certificate of `kind`."""
    return Certificate.objects.filter(
        enrolment_id=enrolment_id, kind=kind, status__in=CURRENT_STATUSES
    ).first()


def enrolments_eligible(*, run: CourseRun) -> QuerySet[Enrolment]:
    """The run's enrolments that have earned a certificate."""
    return Enrolment.objects.filter(
        run=run, outcome__in=list(KIND_FOR_OUTCOME)
    ).exclude(status__in=NOT_ELIGIBLE_STATUSES)


def enrolment_is_eligible(enrolment: Enrolment) -> bool:
    """The same test as enrolments_eligible, for one row in hand."""
    return (
        enrolment.outcome in KIND_FOR_OUTCOME
        and enrolment.status not in NOT_ELIGIBLE_STATUSES
    )


def run_issue_rows(*, run: CourseRun) -> QuerySet[Enrolment]:
    """The rows of a run's "Issue certificates" page: each enrolment with its
    trainee and current certificates (pending, issued or failed) in two
    queries."""
    current = Certificate.objects.filter(status__in=CURRENT_STATUSES).order_by("kind")
    return (
        Enrolment.objects.filter(run=run)
        .filter(Q(status__in=TOOK_PART) | Q(outcome__in=list(KIND_FOR_OUTCOME)))
        .exclude(status__in=NOT_ELIGIBLE_STATUSES)
        .select_related("trainee__user")
        .prefetch_related(
            Prefetch("certificates", queryset=current, to_attr="current_certificates")
        )
        .order_by("trainee__full_name", "pk")
    )


def batch_progress(*, batch: CertificateBatch) -> dict:
    """Done / failed / pending / total of a batch, in one query, for the
    progress bar the admin watches while the workers render."""
    counts = {status: 0 for status in Status.values}
    rows = batch.certificates.order_by().values("status").annotate(n=Count("pk"))
    for row in rows:
        counts[row["status"]] = row["n"]
    total = sum(counts.values())
    done = counts[Status.ISSUED] + counts[Status.REVOKED] + counts[Status.SUPERSEDED]
    return {
        "total": total,
        "done": done,
        "failed": counts[Status.FAILED],
        "pending": counts[Status.PENDING],
        "finished": counts[Status.PENDING] == 0,
    }


# --- What the PDF says --------------------------------------------------------


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT")


def printed_name(full_name: str, language: str) -> str:
    """The holder's name in the certificate's script: a Serbian certificate
    prints it in its own script when every letter is a Serbian one
    (transliterated when typed in the other script); any other name, and any
    name on another certificate, prints exactly as typed, less the invisible
    and direction-changing characters a record made before they were refused
    may hold. The record keeps it as typed."""
    full_name = full_name_normalise(full_name)
    if language not in SERBIAN:
        return full_name
    return name_to_script(full_name, cyrillic=language == CYRILLIC)


def certificate_data(certificate: Certificate) -> pdf.CertificateData:
    """What the PDF says, all from the certificate's snapshots and template,
    in the certificate's language (its template's)."""
    with translation.override(certificate.language or settings.LANGUAGE_CODE):
        return _certificate_data(certificate)


def _certificate_data(certificate: Certificate) -> pdf.CertificateData:
    template = certificate.template
    hours = certificate.hours.normalize()
    details = ngettext(
        "%(hours)s hour", "%(hours)s hours", 1 if hours == 1 else int(hours) or 2
    ) % {"hours": number_format(hours)}
    if certificate.starts_on and certificate.ends_on:
        details += f" · {_date(certificate.starts_on)} – {_date(certificate.ends_on)}"
    issued_on = _("Issued %(date)s") % {
        "date": _date(timezone.localdate(certificate.issued_at or timezone.now()))
    }
    if certificate.expires_at:
        issued_on += " · " + _("valid until %(date)s") % {
            "date": _date(timezone.localdate(certificate.expires_at))
        }
    signatories = tuple(
        pdf.Signatory(name, title)
        for name, title in (
            (template.signatory_1_name, template.signatory_1_title),
            (template.signatory_2_name, template.signatory_2_title),
        )
        if name
    )
    return pdf.CertificateData(
        heading=template.heading,
        full_name=printed_name(certificate.full_name, certificate.language),
        statement=template.statement,
        course_title=certificate.course_title,
        details=details,
        issued_on=issued_on,
        serial=certificate.serial,
        verify_url=verification_url(certificate),
        verify_label=_("Verify this certificate:"),
        signatories=signatories,
        language=certificate.language,
    )


def verification_url(certificate: Certificate) -> str:
    """The absolute URL the QR code carries: the public /verify/<code>/ page
    without a language prefix, so it opens in the reader's own language."""
    return absolute_url(strip_language_prefix(certificate.get_absolute_url()))


def pdf_name(certificate: Certificate) -> str:
    """Fixed per certificate, so a retried render overwrites, never adds."""
    return f"certificates/{certificate.serial}-{certificate.verification_code[:12]}.pdf"


# --- Reviews ------------------------------------------------------------------


def kind_earned(*, outcome: str, kind: str) -> bool:
    """Whether an enrolment `outcome` earns a certificate of `kind`:
    completion earns both kinds, attendance only the attendance one."""
    earned = KIND_FOR_OUTCOME.get(outcome)
    return earned == kind or (kind == Kind.ATTENDANCE and earned == Kind.COMPLETION)


def kind_corrected(certificate: Certificate) -> str | None:
    """The kind a reissue of `certificate` should have now: its own while the
    enrolment's outcome earns it, attendance when only that is earned, None
    when nothing is (then revoking is the correction)."""
    outcome = certificate.enrolment.outcome
    for kind in (certificate.kind, Kind.ATTENDANCE):
        if kind_earned(outcome=outcome, kind=kind):
            return kind
    return None


def with_review_flag(certificates: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """`needs_review` on each row, in the same query (a subquery)."""
    return certificates.annotate(
        needs_review=Exists(
            CertificateReview.objects.filter(
                certificate=OuterRef("pk"), closed_at__isnull=True
            )
        )
    )


def review_open(*, certificate: Certificate) -> CertificateReview | None:
    return CertificateReview.objects.filter(
        certificate=certificate, closed_at__isnull=True
    ).first()


def reviews_of(*, certificate: Certificate) -> QuerySet[CertificateReview]:
    """Every review of the certificate, open first, then newest first."""
    return (
        CertificateReview.objects.filter(certificate=certificate)
        .select_related("closed_by")
        .order_by(F("closed_at").desc(nulls_first=True), "-opened_at", "-pk")
    )


# How many days ahead holders are reminded and the dashboard looks
# (certificates/services/expiry.py).
EXPIRY_HORIZON_DAYS = 90


def certificates_expiring(
    *, now: dt.datetime | None = None, days: int = EXPIRY_HORIZON_DAYS
) -> QuerySet[Certificate]:
    """Issued certificates that expire after `now` and on one of the next
    `days` days (in the academy's time zone), soonest first, with their
    holder and course joined; not those of erased holders (nobody to
    remind)."""
    now = now or timezone.now()
    after_last_day = timezone.make_aware(
        dt.datetime.combine(
            timezone.localdate(now) + dt.timedelta(days=days + 1), dt.time.min
        )
    )
    return (
        Certificate.objects.filter(
            status=Status.ISSUED,
            expires_at__gt=now,
            expires_at__lt=after_last_day,
            holder_erased_at__isnull=True,
            enrolment__trainee__erased_at__isnull=True,
        )
        .select_related("enrolment__trainee__user", "enrolment__course")
        .order_by("expires_at", "pk")
    )


LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"
ISSUING_ORGANISATION = "Cluster Academy"


def linkedin_add_url(certificate: Certificate) -> str:
    """LinkedIn's "Add to profile" link for a certification, prefilled: the
    certificate's name, the academy, the issue (and expiry) month, the serial
    and the verification page. Nothing of the holder's goes to LinkedIn in
    the link: they add it to their own profile."""
    issued = timezone.localtime(certificate.issued_at)
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": f"{certificate.kind_title}: {certificate.course_title}",
        "organizationName": ISSUING_ORGANISATION,
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": verification_url(certificate),
        "certId": certificate.serial,
    }
    if certificate.expires_at:
        expires = timezone.localtime(certificate.expires_at)
        params |= {"expirationYear": expires.year, "expirationMonth": expires.month}
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params)}"
