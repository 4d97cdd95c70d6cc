"""The academy as a did:web issuer: /.well-known/did.json lists every key it
has signed credentials with (certificates/services/credentials.py), so
anyone can check an Open Badges credential without asking the academy."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from certificates.services.credentials import did_document

# Verifiers may keep the document an hour; a new key is added before it
# signs anything (keys are registered on first use, old ones stay listed).
MAX_AGE = 3600


@require_GET
def did_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(did_document(), content_type="application/did+json")
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
