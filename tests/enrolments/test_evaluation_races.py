"""A double-click on "Send my answers", through the real view on PostgreSQL:
eight identical POSTs at once store one answer, anonymous or named; the
others are told the evaluation was answered already. The enrolment's row
lock (enrolments/services/evaluations.py: evaluation_submit) decides.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evaluations \\
        .venv/bin/python -m pytest tests/enrolments/test_evaluation_races.py -s
"""

import collections
from functools import partial

import pytest
from django.urls import reverse

from enrolments.models import EvaluationParticipation, EvaluationResponse
from tests.concurrency import together
from tests.enrolments.evaluation_setup import (
    at,
    evaluation_form,
    good_answers,
    mark_first_meeting,
    run_with_trainees,
)
from tests.enrolments.test_last_seat_race import logged_in_client

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLICKS = 8


def post(client, url, data):
    status = client.post(url, data).status_code
    if status >= 500:
        raise AssertionError(f"{url} answered {status}")
    return status


@pytest.mark.parametrize("anonymous", [True, False])
def test_a_double_click_stores_one_answer(time_machine, catalogue, anonymous):
    time_machine.move_to(at(1, 9), tick=False)
    evaluation_form(anonymous=anonymous)
    setup = run_with_trainees(catalogue, names=("Ana Jovanović",))
    time_machine.move_to(at(10, 12), tick=False)
    mark_first_meeting(setup)
    time_machine.move_to(at(11, 12), tick=False)
    ana = setup["enrolments"][0]
    url = reverse("learning:evaluation", args=[ana.pk])
    data = {f"q-{key}": value for key, value in good_answers().items()}
    clients = [logged_in_client(ana.trainee.user) for _ in range(CLICKS)]

    results = together(
        [partial(post, client, url, data) for client in clients],
        jitter_seconds=0.01,
    )

    statuses = collections.Counter(results)
    print(f"\n{CLICKS} clicks, anonymous={anonymous}: {dict(statuses)}")
    assert statuses == {302: 1, 400: CLICKS - 1}
    assert EvaluationResponse.objects.count() == 1
    assert EvaluationParticipation.objects.get(enrolment=ana).answered
