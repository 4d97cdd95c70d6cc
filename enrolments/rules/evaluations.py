"""Course evaluations: when a run's trainees may answer, who may, and what
counts as an answer.

- The window opens at the start of the run's last meeting (trainees often
  answer at its end), or on the run's last day when it has no meetings, and
  closes the course's `evaluation_days` after the run is closed; until the
  run closes it stays open. A self-paced course (no run) is always open.
- Who may answer: a trainee whose place stood (confirmed, completed or not
  completed) and who took part: attended at least one meeting (present or
  late), or, in a run without meetings or a self-paced course, completed at
  least one module. Someone who never came has nothing to evaluate.
- An answer is checked against the questions frozen for the run: a rating
  1-5, a net-promoter score 0-10, options that exist (one, or several where
  the question allows), plain text up to TEXT_MAX_LENGTH characters;
  required questions answered; no question the form does not ask.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from courses.blocks import NPS_SCALE, RATING_SCALE

ANSWERING_STATUSES = ("confirmed", "completed", "not_completed")
TOOK_PART_MARKS = ("present", "late")
TEXT_MAX_LENGTH = 2000


@dataclass(frozen=True)
class EvaluationWindow:
    opens_at: dt.datetime | None  # None: open from the start (self-paced)
    closes_at: dt.datetime | None  # None: open until the run closes

    def is_open(self, now: dt.datetime) -> bool:
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )

    def has_closed(self, now: dt.datetime) -> bool:
        return self.closes_at is not None and now >= self.closes_at


def evaluation_window(*, run, meetings, days: int) -> EvaluationWindow:
    """The window of `run` (None: a self-paced course) with its `meetings`
    loaded, for a course that gives `days` after the close."""
    if run is None:
        return EvaluationWindow(opens_at=None, closes_at=None)
    last = max((meeting.starts_at for meeting in meetings), default=None)
    if last is None:
        last = timezone.make_aware(dt.datetime.combine(run.ends_on, dt.time.min))
    closes_at = run.closed_at + dt.timedelta(days=days) if run.closed_at else None
    return EvaluationWindow(opens_at=last, closes_at=closes_at)


def took_part(*, status: str, has_meetings: bool, attended: bool, modules_done: bool):
    """Whether a trainee may answer: their place stood and they came (or, with
    no meetings to come to, studied)."""
    if status not in ANSWERING_STATUSES:
        return False
    return attended if has_meetings else modules_done


class AnswersInvalid(Exception):
    """Answers that do not fit the questions: `errors` maps a question id to
    what is wrong with its answer ("" for the form as a whole)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _number(value, low: int, high: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _clean_one(question: dict, value) -> tuple[object, str]:
    """(the stored value or None when unanswered, an error or "")."""
    kind = question["type"]
    if kind in ("rating", "nps"):
        if value in (None, ""):
            return None, ""
        low, high = RATING_SCALE if kind == "rating" else NPS_SCALE
        number = _number(value, low, high)
        if number is None:
            return None, gettext("Choose a number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
        return number, ""
    if kind == "choice":
        picked = value if isinstance(value, list | tuple) else [value]
        picked = [str(item) for item in picked if item not in (None, "")]
        if not picked:
            return None, ""
        options = {option["id"] for option in question["options"]}
        if any(item not in options for item in picked) or len(set(picked)) < len(
            picked
        ):
            return None, gettext("Choose from the options given.")
        if not question["multiple"]:
            if len(picked) > 1:
                return None, gettext("Choose one option.")
            return picked[0], ""
        return sorted(picked), ""
    # Free text: plain text, kept as typed (escaped wherever it is shown).
    text = "" if value is None else str(value).replace("\x00", "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        return None, gettext("Keep it under %(count)s characters.") % {
            "count": TEXT_MAX_LENGTH
        }
    return (text or None), ""


def answers_clean(*, questions: list[dict], raw: dict) -> dict:
    """The answers to store, {question id: value}, from `raw` answers by
    question id; raises AnswersInvalid saying what to correct."""
    known = {question["id"] for question in questions}
    if any(key not in known for key in raw):
        raise AnswersInvalid(
            {"": gettext("These answers are for questions this form does not ask.")}
        )
    answers, errors = {}, {}
    for question in questions:
        value, error = _clean_one(question, raw.get(question["id"]))
        if error:
            errors[question["id"]] = error
        elif value is None:
            if question["required"]:
                errors[question["id"]] = gettext("Please answer this question.")
        else:
            answers[question["id"]] = value
    if errors:
        raise AnswersInvalid(errors)
    return answers


def answer_text(question: dict, value) -> str:
    """An answer as words: the number, the options' texts, the text."""
    if question["type"] == "choice":
        texts = {option["id"]: option["text"] for option in question["options"]}
        picked = value if isinstance(value, list) else [value]
        return "; ".join(texts.get(item, "") for item in picked)
    return str(value)
