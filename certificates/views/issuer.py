"""The academy as a did:web issuer: /.well-known/did.json lists every key it
has signed credentials with (certificates/services/credentials.py), and
/credentials/status/<n>.jwt are the revocation lists, so anyone can check an
Open Badges credential without asking the academy about it."""

import hashlib

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
)
from django.views.decorators.http import require_GET

from certificates.services.credentials import did_document, status_list_token

# Verifiers may keep the document an hour; a new key is added before it
# signs anything (keys are registered on first use, old ones stay listed).
MAX_AGE = 3600


@require_GET
def did_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(did_document(), content_type="application/did+json")
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# How long a verifier or proxy may keep a status list: a revocation shows
# within five minutes everywhere, at once here (the list is made on request).
STATUS_LIST_MAX_AGE = 300


@require_GET
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    """A revocation status list, signed like the credentials (vc+jwt)."""
    token = status_list_token(number)
    if token is None:
        raise Http404("No such status list.")
    etag = '"' + hashlib.sha256(token.encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(token, content_type="application/vc+jwt")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={STATUS_LIST_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
