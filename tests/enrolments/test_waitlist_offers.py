"""A seat that frees up is offered to the first person on the waitlist, who
accepts or declines it before a deadline; on expiry or decline the next person
is offered it. Driven through the real pages and beat's task, with a frozen
clock. The PostgreSQL races are in test_waitlist_offer_races.py."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from academy_site.settings.base import CELERY_BEAT_SCHEDULE
from courses.models import CoursePage, CourseRun
from enrolments.errors import InvalidTransition, OfferLapsed
from enrolments.models import Enrolment
from enrolments.rules.offers import MINIMUM_OFFER, offer_deadline
from enrolments.services import (
    enrolment_cancel,
    enrolment_create,
    offer_accept,
    offers_expire,
    waitlist_promote,
)
from enrolments.services.closing import run_close
from enrolments.tasks import expire_waitlist_offers
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
BELGRADE = ZoneInfo("Europe/Belgrade")
Status = Enrolment.Status


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=BELGRADE)


def person(name: str, email: str, language: str = "en"):
    return TraineeProfileFactory(
        full_name=name,
        preferred_language=language,
        user=UserFactory(username=email, email=email),
    )


def mails_to(address: str):
    return [m for m in mail.outbox if m.to == [address]]


def fresh(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.get(pk=enrolment.pk)


def seats_taken(run) -> int:
    return CourseRun.objects.get(pk=run.pk).seats_taken


@pytest.fixture
def academy(time_machine, catalogue, django_capture_on_commit_callbacks):
    """A one-seat run starting on 20 December, held by Ana; Bojan (English)
    and Jovana (Serbian, Cyrillic) wait, in that order. At 1 December, 9:00."""
    time_machine.move_to(at(1, 9), tick=False)
    course = CoursePageFactory(parent=catalogue, title="Kubernetes u produkciji")
    run = CourseRunFactory(
        course=course,
        capacity=1,
        starts_on=dt.date(2026, 12, 20),
        ends_on=dt.date(2026, 12, 21),
        enrolment_opens_on=dt.date(2026, 11, 20),
        enrolment_closes_on=dt.date(2026, 12, 18),
    )
    MeetingFactory(run=run, date=dt.date(2026, 12, 20), start_time=dt.time(10))
    with django_capture_on_commit_callbacks(execute=True):
        holder = enrolment_create(trainee=person("Ana Kovač", "ana@firma.rs"), run=run)
        first = enrolment_create(
            trainee=person("Bojan Ilić", "bojan@firma.rs"), run=run
        )
        second = enrolment_create(
            trainee=person("Јована Јовановић", "jovana@firma.rs", "sr"), run=run
        )
    assert (holder.status, first.status, second.status) == (
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    )
    mail.outbox.clear()
    return {
        "run": run,
        "course": course,
        "ana": holder,
        "bojan": first,
        "jovana": second,
    }


# --- The deadline rule ------------------------------------------------------


def test_an_offer_lasts_the_courses_hours_when_the_run_is_far_off():
    now = at(1, 9)
    assert offer_deadline(now=now, hours=48, starts_at=at(20, 10)) == at(3, 9)


def test_an_offer_lasts_half_the_time_left_when_the_run_starts_soon():
    now = at(1, 9)
    # 20 hours to the start: 10 hours to answer, 10 for the next person.
    assert offer_deadline(now=now, hours=48, starts_at=at(2, 5)) == at(1, 19)


def test_an_offer_never_lasts_less_than_the_minimum_unless_the_course_says_so():
    now = at(1, 9)
    assert offer_deadline(now=now, hours=48, starts_at=at(1, 11)) == now + MINIMUM_OFFER
    assert offer_deadline(now=now, hours=2, starts_at=at(20, 10)) == at(1, 11)


# --- Offering, accepting, declining -----------------------------------------


def test_a_freed_seat_is_offered_to_the_first_on_the_waitlist_with_a_deadline(
    academy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment=academy["ana"])

    bojan, jovana = fresh(academy["bojan"]), fresh(academy["jovana"])
    assert bojan.status == Status.OFFERED
    assert bojan.offer_expires_at == at(3, 9)
    assert jovana.status == Status.WAITLISTED
    assert seats_taken(academy["run"]) == 1  # held for Bojan
    [offer] = mails_to("bojan@firma.rs")
    assert offer.subject == "A seat is yours if you want it: Kubernetes u produkciji"
    assert "It is held for you until 3 December 2026, 09:00." in offer.body
    offer_url = reverse("learning:offer", args=[bojan.pk])
    assert f"http://testserver{offer_url}" in offer.body or offer_url in offer.body
    assert "Nothing is booked or owed until you accept." in offer.body
    assert not mails_to("jovana@firma.rs")


def test_the_trainee_accepts_through_my_learning_and_is_confirmed(
    academy, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment=academy["ana"])
    bojan = academy["bojan"]
    client.force_login(bojan.trainee.user)

    page = client.get(reverse("learning:home")).content.decode()
    assert "A seat freed up and is held for you until 3 December 2026, 09:00." in page
    assert page.index("Accept the seat") < page.index("Bulevar")  # first thing
    offer_url = reverse("learning:offer", args=[bojan.pk])
    details = client.get(offer_url).content.decode()
    assert "Your place is confirmed at once" in details
    assert "30,000 RSD" in details
    assert fresh(bojan).status == Status.OFFERED  # looking changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(offer_url, {"answer": "accept"}, follow=True)
    assert "your place in Kubernetes u produkciji is confirmed" in (
        response.content.decode()
    )
    assert fresh(bojan).status == Status.CONFIRMED
    assert seats_taken(academy["run"]) == 1
    assert mails_to("bojan@firma.rs")[-1].subject == (
        "Your place is confirmed: Kubernetes u produkciji"
    )
    assert fresh(academy["jovana"]).status == Status.WAITLISTED


def test_declining_offers_the_seat_to_the_next_person_in_their_language(
    academy, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment=academy["ana"])
    bojan = academy["bojan"]
    client.force_login(bojan.trainee.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("learning:offer", args=[bojan.pk]),
            {"answer": "decline"},
            follow=True,
        )
    assert "You declined the seat in Kubernetes u produkciji" in (
        response.content.decode()
    )
    assert fresh(bojan).status == Status.CANCELLED
    assert mails_to("bojan@firma.rs")[-1].subject == (
        "You declined the seat: Kubernetes u produkciji"
    )
    jovana = fresh(academy["jovana"])
    assert jovana.status == Status.OFFERED
    assert seats_taken(academy["run"]) == 1
    [offer] = mails_to("jovana@firma.rs")
    assert offer.subject == "Место је ваше ако га желите: Kubernetes u produkciji"


def test_a_seat_offered_on_a_course_needing_approval_becomes_a_request(
    academy, django_capture_on_commit_callbacks
):
    CoursePage.objects.filter(pk=academy["course"].pk).update(
        enrolment_policy=CoursePage.EnrolmentPolicy.APPROVAL
    )
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment=academy["ana"], by_staff=True)
        bojan = offer_accept(enrolment=academy["bojan"])
    assert bojan.status == Status.PENDING
    assert seats_taken(academy["run"]) == 1
    assert mails_to("bojan@firma.rs")[-1].subject == (
        "We received your request: Kubernetes u produkciji"
    )


def test_links_in_the_email_change_nothing_and_others_get_404(
    academy, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment=academy["ana"])
    bojan = academy["bojan"]
    offer_url = reverse("learning:offer", args=[bojan.pk])

    client.force_login(academy["jovana"].trainee.user)
    assert client.get(offer_url).status_code == 404
    assert client.post(offer_url, {"answer": "accept"}).status_code == 404
    assert client.post(offer_url, {"answer": "decline"}).status_code == 404
    assert fresh(bojan).status == Status.OFFERED

    client.force_login(bojan.trainee.user)
    response = client.post(offer_url, {"answer": "maybe"}, follow=True)
    assert "Choose to accept or decline the seat." in response.content.decode()
    assert fresh(bojan).status == Status.OFFERED

    # Jovana, still waiting, has no offer to open.
    client.force_login(academy["jovana"].trainee.user)
    jovana_url = reverse("learning:offer", args=[academy["jovana"].pk])
    response = client.get(jovana_url, follow=True)
    assert "There is no seat offer open for Kubernetes u produkciji" in (
        response.content.decode()
    )
    response = client.post(jovana_url, {"answer": "accept"}, follow=True)
    assert "This offer is no longer open." in response.content.decode()
    assert fresh(academy["jovana"]).status == Status.WAITLISTED


# --- Deadlines --------------------------------------------------------------


def test_beat_lapses_an_expired_offer_and_offers_the_seat_to_the_next(
    academy, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment=academy["ana"])
    assert "expire-waitlist-offers" in CELERY_BEAT_SCHEDULE

    # Beat every five minutes, from just before the deadline to after it.
    lapsed = []
    moment = at(3, 8, 50)
    while moment <= at(3, 9, 10):
        time_machine.move_to(moment, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            lapsed.append(expire_waitlist_offers())
        moment += dt.timedelta(minutes=5)
    assert lapsed == [0, 0, 1, 0, 0]  # at 9:00, once

    bojan, jovana = fresh(academy["bojan"]), fresh(academy["jovana"])
    assert bojan.status == Status.CANCELLED
    assert mails_to("bojan@firma.rs")[-1].subject == (
        "Your seat offer expired: Kubernetes u produkciji"
    )
    assert "You can join the waitlist again" in mails_to("bojan@firma.rs")[-1].body
    assert jovana.status == Status.OFFERED
    assert jovana.offer_expires_at == at(5, 9)
    assert seats_taken(academy["run"]) == 1
    assert len(mails_to("jovana@firma.rs")) == 1


def test_an_accept_after_the_deadline_is_refused_and_the_seat_moves_on(
    academy, client, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment=academy["ana"])
    bojan = academy["bojan"]
    client.force_login(bojan.trainee.user)
    # One minute late, before beat has run.
    time_machine.move_to(at(3, 9, 1), tick=False)
    client.force_login(bojan.trainee.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("learning:offer", args=[bojan.pk]),
            {"answer": "accept"},
            follow=True,
        )
    assert "This offer has expired" in response.content.decode()
    assert fresh(bojan).status == Status.CANCELLED
    assert fresh(academy["jovana"]).status == Status.OFFERED
    assert seats_taken(academy["run"]) == 1
    with pytest.raises(InvalidTransition):
        offer_accept(enrolment=bojan)
    assert offers_expire() == 0  # nothing left for beat


def test_an_offer_accepted_in_time_is_left_alone_by_beat(
    academy, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment=academy["ana"])
    time_machine.move_to(at(3, 8, 59), tick=False)
    offer_accept(enrolment=academy["bojan"])
    time_machine.move_to(at(3, 9, 5), tick=False)
    assert offers_expire() == 0
    assert fresh(academy["bojan"]).status == Status.CONFIRMED


def test_offer_accept_raises_offer_lapsed_once_then_no_offer(academy):
    enrolment_cancel(enrolment=academy["ana"])
    with pytest.raises(OfferLapsed):
        offer_accept(enrolment=academy["bojan"], now=at(3, 9))
    assert fresh(academy["bojan"]).status == Status.CANCELLED


# --- Seats: several at once, cancels, closing -------------------------------


def test_two_seats_freed_at_once_make_two_offers_and_keep_the_count(
    academy, django_capture_on_commit_callbacks
):
    run = academy["run"]
    CourseRun.objects.filter(pk=run.pk).update(capacity=3)
    with django_capture_on_commit_callbacks(execute=True):
        offered = waitlist_promote(run=run)
    assert [e.pk for e in offered] == [academy["bojan"].pk, academy["jovana"].pk]
    assert {fresh(e).status for e in offered} == {Status.OFFERED}
    assert seats_taken(run) == 3
    assert mails_to("jovana@firma.rs")[-1].subject.startswith("Место је ваше")
    # Nothing left to offer: a second call changes nothing.
    assert waitlist_promote(run=run) == []
    assert seats_taken(run) == 3


def test_a_staff_cancel_of_an_open_offer_moves_the_seat_on(academy):
    enrolment_cancel(enrolment=academy["ana"])
    enrolment_cancel(enrolment=fresh(academy["bojan"]), by_staff=True)
    assert fresh(academy["jovana"]).status == Status.OFFERED
    assert seats_taken(academy["run"]) == 1


def test_closing_the_run_ends_open_offers_and_frees_their_seats(academy):
    enrolment_cancel(enrolment=academy["ana"])
    run_close(run=academy["run"], by=None)
    assert fresh(academy["bojan"]).status == Status.CANCELLED
    assert fresh(academy["jovana"]).status == Status.CANCELLED
    assert seats_taken(academy["run"]) == 0


def test_a_course_giving_no_time_confirms_the_next_at_once(academy):
    CoursePage.objects.filter(pk=academy["course"].pk).update(waitlist_offer_hours=0)
    enrolment_cancel(enrolment=academy["ana"])
    assert fresh(academy["bojan"]).status == Status.CONFIRMED
    assert fresh(academy["bojan"]).offer_expires_at is None


def test_the_database_refuses_an_offer_without_a_deadline(academy):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=academy["bojan"].pk).update(status=Status.OFFERED)
