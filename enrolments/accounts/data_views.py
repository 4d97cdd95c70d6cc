"""Your data: everything the academy holds about the logged-in trainee, as a
readable page (/account/data/, templates/accounts/data.html, linked from the
profile and My learning) and as a JSON download (/account/data.json).

Both are built from enrolments/privacy.py (and the sections other apps
register) in a fixed number of queries, and each is recorded in the audit log.
Neither may be stored by a browser or a proxy: they are personal data.
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from enrolments.models import TraineeProfile
from enrolments.privacy import personal_data, personal_data_json
from enrolments.services.privacy import trainee_data_export_log


@dataclass(frozen=True)
class Cell:
    """One value as the page shows it: text, and a URL when it is a link."""

    text: str
    url: str = ""


def display(value) -> Cell:
    if value is None or value == "":
        return Cell("—")
    if isinstance(value, bool):
        return Cell(_("Yes") if value else _("No"))
    if isinstance(value, dt.datetime):
        return Cell(
            formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
            if timezone.is_aware(value)
            else formats.date_format(value, "DATETIME_FORMAT")
        )
    if isinstance(value, dt.date):
        return Cell(formats.date_format(value, "DATE_FORMAT"))
    if isinstance(value, Decimal):
        # The active language's decimal separator: "0.5" in English, "0,5" in Serbian.
        return Cell(formats.number_format(value.normalize()))
    if isinstance(value, dict | list):
        return Cell(json.dumps(value, ensure_ascii=False, default=str))
    text = str(value)
    if text.startswith(("https://", "http://")):
        return Cell(text, url=text)
    return Cell(text)


def _trainee(request: HttpRequest) -> TraineeProfile | None:
    return (
        TraineeProfile.objects.select_related("user", "organisation")
        .filter(user=request.user)
        .first()
    )


def _no_trainee(request: HttpRequest) -> HttpResponse:
    """Staff accounts have no trainee profile: say so instead of an empty page."""
    return render(request, "accounts/data_none.html")


def _private(response: HttpResponse) -> HttpResponse:
    # "no-store, private" among others: neither the browser nor a proxy keeps it.
    add_never_cache_headers(response)
    return response


@login_required
@require_safe
def data_page(request: HttpRequest) -> HttpResponse:
    trainee = _trainee(request)
    if trainee is None:
        return _private(_no_trainee(request))
    sections = []
    for title, rows in personal_data(trainee):
        if isinstance(rows, dict):
            sections.append(
                {"title": title, "record": [(k, display(v)) for k, v in rows.items()]}
            )
        else:
            sections.append(
                {
                    "title": title,
                    "columns": list(rows[0]) if rows else [],
                    "rows": [[display(v) for v in row.values()] for row in rows],
                }
            )
    trainee_data_export_log(trainee=trainee, user=request.user, format="html")
    return _private(render(request, "accounts/data.html", {"sections": sections}))


@login_required
@require_safe
def data_json(request: HttpRequest) -> HttpResponse:
    trainee = _trainee(request)
    if trainee is None:
        return _private(_no_trainee(request))
    body = personal_data_json(personal_data(trainee))
    trainee_data_export_log(trainee=trainee, user=request.user, format="json")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"cluster-academy-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)
