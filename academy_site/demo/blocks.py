"""Builders for the demo's page bodies, quizzes and assignments."""

# --- Body content -----------------------------------------------------------
# Small builders for the StreamField blocks of courses/blocks.py, in the
# JSON-ish form ({"type": ..., "value": ...}) that StreamBlock.to_python reads.


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def callout(kind: str, title: str, html: str) -> dict:
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": html}}


def video(url: str, title: str, caption: str = "") -> dict:
    return {"type": "video", "value": {"url": url, "title": title, "caption": caption}}


# --- Assessments ----------------------------------------------------------------
# Quizzes and assignments are blocks of a module's body (courses/blocks.py),
# listed under a module's `assessments` rather than in its `body` so that the
# loader can add them to module pages an earlier version of the demo created.
# Their block ids are fixed: enrolments' records (attempts, submissions) name
# a block by its id, and a re-run finds a block by it. Each course module
# names its own.


def single(prompt: str, options: list[tuple[str, bool]], points: str = "1") -> dict:
    """A single-choice question: `options` as (text, correct), one correct."""
    return {
        "type": "single_choice",
        "value": {"prompt": prompt, "options": options, "points": points},
    }


def multiple(prompt: str, options: list[tuple[str, bool]], points: str = "2") -> dict:
    """A multiple-choice question: full points only for exactly the right set."""
    return {
        "type": "multiple_choice",
        "value": {"prompt": prompt, "options": options, "points": points},
    }


def true_false(prompt: str, answer: bool, points: str = "1") -> dict:
    return {
        "type": "true_false",
        "value": {"prompt": prompt, "answer": answer, "points": points},
    }


def numeric(prompt: str, answer: str, tolerance: str = "0", points: str = "1") -> dict:
    return {
        "type": "numeric",
        "value": {
            "prompt": prompt,
            "answer": answer,
            "tolerance": tolerance,
            "points": points,
        },
    }


def quiz(
    block_id: str,
    *,
    title: str,
    introduction: str,
    questions: list[dict],
    attempts_allowed: int = 3,
    time_limit_minutes: int | None = None,
) -> dict:
    """A required quiz with the course's pass mark. Questions and options get
    ids made from the quiz's ("demo-quiz-k8s-1-q2-b"), as stable as its own:
    an answer names the question and the option it chose by these ids."""
    numbered = []
    for number, question in enumerate(questions, start=1):
        question_id = f"{block_id}-q{number}"
        value = dict(question["value"])
        if "options" in value:
            value["options"] = [
                {
                    "type": "item",
                    "id": f"{question_id}-{letter}",
                    "value": {"text": text, "correct": correct},
                }
                for letter, (text, correct) in zip(
                    "abcdefghij", value["options"], strict=False
                )
            ]
        numbered.append({"type": question["type"], "id": question_id, "value": value})
    return {
        "type": "quiz",
        "id": block_id,
        "value": {
            "title": title,
            "introduction": introduction,
            "pass_mark_percent": None,
            "attempts_allowed": attempts_allowed,
            "time_limit_minutes": time_limit_minutes,
            "required": True,
            "questions": numbered,
        },
    }


def assignment(
    block_id: str,
    *,
    title: str,
    instructions: str,
    max_points: str,
    deadline_in_days: int,
    required: bool = True,
    file_kinds: list[str] | None = None,
) -> dict:
    """An assignment taking text and/or a file (of `file_kinds`, or the
    defaults). The deadline is given in days from the day of loading (at
    23:59), since the demo has no fixed dates; the loader turns it into the
    block's `deadline`."""
    return {
        "type": "assignment",
        "id": block_id,
        "value": {
            "title": title,
            "instructions": instructions,
            "deadline": None,
            "max_points": max_points,
            "accepts": "both",
            "required": required,
            "file_kinds": file_kinds or [],
        },
        "deadline_in_days": deadline_in_days,
    }
