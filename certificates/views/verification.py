"""Public verification: by the code in a certificate's QR link, or by the PDF.

Anyone may ask, so the answer holds only what the certificate itself says and
whether it still stands (selectors.PublicFacts), never who the trainee is
beyond that. An unknown code gets the same 404 whatever is wrong with it, so a
guesser learns nothing. Every look-up counts against the client's address
(certificates/ratelimit.py), and no answer is indexed or cached: a
revocation must show at once.
"""

import json
from dataclasses import replace
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from academy_site.links import absolute_url
from certificates.forms import CodeForm, PdfSizeLimitHandler, PdfUploadForm
from certificates.privacy import NAME_WITHHELD
from certificates.ratelimit import lookup_record
from certificates.selectors import (
    PublicFacts,
    certificate_by_code,
    certificate_by_sha256,
    linkedin_add_url,
    public_facts,
    verification_url,
)
from certificates.services.credentials import credential_verify
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
    facts = shown_facts(certificate)
    share = None
    if certificate.credential and facts.status == "valid":
        certificate.linkedin_url = linkedin_add_url(certificate)
        share = certificate
    return render(
        request,
        "certificates/verify.html",
        {
            "facts": facts,
            "name_withheld": certificate.holder_erased_at is not None,
            "share": share,
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


# --- For machines and wallets ----------------------------------------------------


def _json_over_limit(request: HttpRequest) -> JsonResponse | None:
    seconds = lookup_record(address=client_address(request))
    if not seconds:
        return None
    response = JsonResponse(
        {"error": f"Too many look-ups from this address; try again in {seconds} s."},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


@noindex
@never_cache
@require_safe
def verify_api(request: HttpRequest, code: str) -> JsonResponse:
    """GET /api/verify/<code>: what the verification page says, as JSON, and
    the signed credential; counted against the same limit as the page."""
    if limited := _json_over_limit(request):
        return limited
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return JsonResponse({"error": "No certificate has this code."}, status=404)
    facts = shown_facts(certificate)
    response = JsonResponse(
        {
            "status": facts.status,
            "holder": facts.full_name,
            "course": facts.course_title,
            "kind": certificate.kind,
            "serial": facts.serial,
            "starts_on": _iso(facts.starts_on),
            "ends_on": _iso(facts.ends_on),
            "issued_at": _iso(facts.issued_at),
            "expires_at": _iso(facts.expires_at),
            "revoked_at": _iso(facts.revoked_at),
            "verification_url": verification_url(certificate),
            "replaced_by": (
                absolute_url(facts.replaced_by_url) if facts.replaced_by_url else None
            ),
            "credential": certificate.credential or None,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@noindex
@never_cache
@require_safe
def credential_download(request: HttpRequest, code: str, file_format: str):
    """The certificate's Open Badges credential as the signed token (.jwt)
    or its JSON, for a wallet or an employer's system."""
    if limited := over_limit(request):
        return limited
    certificate = certificate_by_code(code=code)
    if certificate is None or not certificate.credential:
        return render(request, "certificates/not_found.html", status=404)
    if file_format == "jwt":
        body, content_type = certificate.credential, "application/vc+jwt"
    else:
        body = json.dumps(
            credential_verify(certificate.credential), ensure_ascii=False, indent=2
        )
        content_type = "application/json"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    filename = f"{certificate.serial}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
