"""Public verification: by the code in a certificate's QR link, or by the PDF.

Anyone may ask, so the answer holds only what the certificate itself says and
whether it still stands (selectors.PublicFacts), never who the trainee is
beyond that. An unknown code gets the same 404 whatever is wrong with it, so a
guesser learns nothing. Every look-up counts against the client's address
(certificates/ratelimit.py), and no answer is indexed or cached: a
revocation must show at once.
"""

from dataclasses import replace
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from certificates.forms import CodeForm, PdfSizeLimitHandler, PdfUploadForm
from certificates.privacy import NAME_WITHHELD
from certificates.ratelimit import lookup_record
from certificates.selectors import (
    PublicFacts,
    certificate_by_code,
    certificate_by_sha256,
    public_facts,
)
from enrolments.accounts.throttling import client_address, minutes_to_wait

ROBOTS = "noindex, nofollow"


def noindex(view):
    """Ask search engines not to index or follow whatever `view` answers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = ROBOTS
        return response

    return wrapped


def over_limit(request: HttpRequest) -> HttpResponse | None:
    """Count a look-up; past the limit, the 429 answer to send instead."""
    seconds = lookup_record(address=client_address(request))
    if not seconds:
        return None
    response = render(
        request,
        "certificates/rate_limited.html",
        {"wait": minutes_to_wait(seconds)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def shown_facts(certificate) -> PublicFacts:
    """The public facts, with the name withheld when the holder's personal
    data was erased and the course does not keep names (certificates/
    privacy.py): the rest still proves what was issued."""
    facts = public_facts(certificate)
    if certificate.holder_erased_at is not None:
        facts = replace(facts, full_name=str(NAME_WITHHELD))
    return facts


@noindex
@never_cache
@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The page the QR code on a certificate opens."""
    if limited := over_limit(request):
        return limited
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return render(request, "certificates/not_found.html", status=404)
    return render(
        request,
        "certificates/verify.html",
        {
            "facts": shown_facts(certificate),
            "name_withheld": certificate.holder_erased_at is not None,
        },
    )


@csrf_exempt
@noindex
@never_cache
@require_http_methods(["GET", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    """Exempt from the CSRF middleware only so that the rate limit and the
    upload size limit apply before the request body is read;
    `verify_upload_form` checks the token."""
    if request.method == "POST":
        if limited := over_limit(request):
            return limited
        request.upload_handlers.insert(0, PdfSizeLimitHandler(request))
    return verify_upload_form(request)


@csrf_protect
def verify_upload_form(request: HttpRequest) -> HttpResponse:
    """The form to drop a PDF (whose SHA-256 must match an issued certificate)
    or type a code (which leads to its verification page)."""
    code_form = CodeForm(request.GET if "code" in request.GET else None)
    if code_form.is_valid():
        return redirect("certificates:verify", code_form.cleaned_data["code"])
    result = None
    if request.method == "POST":
        form = PdfUploadForm(
            request.POST,
            request.FILES,
            refused=getattr(request, "upload_refused", ""),
        )
        if form.is_valid():
            certificate = certificate_by_sha256(digest=form.sha256)
            result = {
                "genuine": certificate is not None,
                "facts": shown_facts(certificate) if certificate else None,
                "holder_erased": bool(certificate and certificate.holder_erased_at),
            }
    else:
        form = PdfUploadForm()
    return render(
        request,
        "certificates/verify_upload.html",
        {"form": form, "code_form": code_form, "result": result},
    )
