"""CSRF is enforced on every state-changing route.

Every URL pattern of /learning/, /account/, /teaching/ and the certificate
URLs (/verify/, downloads) is found from Django's resolver, so a view added
later is covered too. Each is POSTed without a token by a user who may use it,
with `Client(enforce_csrf_checks=True)`: the answer must be 403 and the
database unchanged. The two views exempt from the middleware (the assignment
upload and the public verification upload, exempt so that size and rate limits
apply before the body is read) check the token themselves: they are in the
walk like the rest. A few routes are then POSTed with the token from their
form (the control: the 403 really is the missing token), and three Wagtail
admin actions are refused without a token.

The academy is the one of tests/test_admin_walk.py (imported, not copied).
"""

import re
from collections import Counter

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from certificates.models import Certificate
from courses.models import Meeting
from enrolments.admin.privacy import ERASE_URL_NAME
from enrolments.models import AssignmentSubmission, Enrolment
from tests import test_admin_walk
from tests.test_admin_walk import PARAMETER_NAMES

# The walk's academy fixture, shared rather than copied.
academy = test_admin_walk.academy

pytestmark = pytest.mark.django_db

NAMESPACES = ("learning", "accounts", "teaching", "certificates", "coordination")
# The apps whose rows a refused POST must leave as they were.
WATCHED_APPS = ("enrolments", "certificates", "courses", "auth", "wagtailcore")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def routes():
    """(namespaced name, route) of every pattern in the four namespaces."""

    def walk(patterns, prefix, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), inner
                )
            elif pattern.name and namespaces and namespaces[-1] in NAMESPACES:
                yield ":".join(namespaces + (pattern.name,)), prefix + str(
                    pattern.pattern
                )

    return list(walk(get_resolver().url_patterns, "", ()))


def objects(academy):
    trainee = academy["trainee"]
    enrolment = Enrolment.objects.get(trainee__user=trainee)
    submission = AssignmentSubmission.objects.get(enrolment=enrolment)
    certificate = Certificate.objects.get(enrolment=enrolment)
    return {
        "enrolment": enrolment,
        "submission": submission,
        "certificate": certificate,
        "meeting": Meeting.objects.filter(run=enrolment.run).first(),
        "module": submission.module,
    }


def kwargs_for(route, objs, academy) -> dict:
    values = {
        "run_id": academy["runs"][1].pk,
        "course_id": academy["courses"][1].pk,
        "enrolment_id": objs["enrolment"].pk,
        "meeting_id": objs["meeting"].pk,
        "module_id": objs["module"].pk,
        "quiz_id": "quiz-1",
        "attempt_id": 1,
        "assignment_id": objs["submission"].assignment_id,
        "submission_id": objs["submission"].pk,
        "certificate_id": objs["certificate"].pk,
        "code": objs["certificate"].verification_code,
        "token": "not-a-token",
        "uidb64": "MQ",
        # The CSRF check comes before the view looks anything up.
        "organisation_id": 1,
        "claim_id": 1,
        "link_id": 1,
        "file_format": "csv",
    }
    return {name: values[name] for name in PARAMETER_NAMES.findall(route)}


def snapshot() -> dict:
    """Every row of the watched apps, to compare before and after."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
    }


def client_for(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    if user is not None:
        client.force_login(user)
    # A forged cross-site POST carries the victim's CSRF cookie, only not the
    # token: get the cookie first, so the refusal is for the missing token.
    client.get(reverse("accounts:profile" if user else "accounts:log_in"))
    assert "csrftoken" in client.cookies
    return client


def test_every_route_refuses_a_post_without_the_csrf_token(academy, capsys):
    objs = objects(academy)
    # The user who may use each area: teaching pages and grading are the
    # instructor's, the rest the trainee's.
    teacher, trainee = academy["a"], academy["trainee"]
    clients = {"trainee": client_for(trainee), "instructor": client_for(teacher)}
    found = routes()
    before = snapshot()
    statuses, accepted = Counter(), []
    for name, route in found:
        who = (
            "instructor"
            if name.startswith("teaching:") or name == "learning:submission_grade"
            else "trainee"
        )
        url = reverse(name, kwargs=kwargs_for(route, objs, academy))
        response = clients[who].post(url, {"text": "<p>x</p>", "status": "present"})
        statuses[response.status_code] += 1
        if response.status_code != 403:
            accepted.append((name, url, response.status_code))
    with capsys.disabled():
        print(f"\nPOSTed without a token to {len(found)} routes: {dict(statuses)}")
    assert not accepted, accepted
    assert snapshot() == before
    # The walk saw the routes that change state, in every namespace.
    names = {name for name, _ in found}
    for expected in (
        "learning:enrol_run",
        "learning:cancel",
        "learning:quiz_attempt",
        "learning:assignment",
        "learning:submission_grade",
        "learning:check_in",
        "accounts:profile",
        "accounts:password_change",
        "teaching:register",
        "certificates:verify_upload",
    ):
        assert expected in names


def test_anonymous_verification_upload_refuses_a_post_without_the_token(academy):
    before = snapshot()
    response = client_for().post(reverse("certificates:verify_upload"), {})
    assert response.status_code == 403
    assert snapshot() == before


def post_with_form_token(client, url, data):
    page = client.get(url)
    assert page.status_code == 200, url
    token = TOKEN.search(page.content.decode()).group(1)
    return client.post(url, {**data, "csrfmiddlewaretoken": token})


def test_with_the_token_from_the_form_the_same_posts_are_accepted(academy):
    """The control: the 403 above is the missing token, nothing else."""
    objs = objects(academy)
    trainee = client_for(academy["trainee"])
    teacher = client_for(academy["a"])
    anonymous = client_for()
    cases = [
        (
            anonymous,
            reverse("certificates:verify_upload"),
            {},
        ),
        (trainee, reverse("accounts:profile"), {}),
        (
            trainee,
            reverse(
                "learning:assignment",
                args=[objs["module"].pk, objs["submission"].assignment_id],
            ),
            {"text": "<p>Second try.</p>"},
        ),
        (
            teacher,
            reverse("teaching:register", args=[objs["meeting"].pk]),
            {},
        ),
    ]
    for client, url, data in cases:
        response = post_with_form_token(client, url, data)
        assert response.status_code in (200, 302), (url, response.status_code)


def test_admin_actions_refuse_a_post_without_the_token(academy):
    objs = objects(academy)
    admin = client_for(academy["admin"])
    pending = objs["enrolment"]
    urls = [
        reverse(
            "wagtail_bulk_action",
            args=["enrolments", "enrolment", "approve"],
        )
        + f"?id={pending.pk}",
        reverse(ERASE_URL_NAME, args=[pending.trainee.pk]),
        reverse("certificates_admin:revoke", args=[objs["certificate"].pk]),
    ]
    before = snapshot()
    for url in urls:
        response = admin.post(url, {"reason": "Issued in error."})
        assert response.status_code == 403, url
    assert snapshot() == before
