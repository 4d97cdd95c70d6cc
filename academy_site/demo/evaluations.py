"""The academy's evaluation form and what trainees answered after past runs.

The form is the academy's default (every demo course asks it), written in
English and translated into Serbian Latin as an editor would with Translate
(a copy keeps the question and option ids); Cyrillic readers get the Latin
translation transliterated. Answers go in through the evaluation service,
as the trainees would have sent them from My learning."""

from academy_site.demo.people import ANA, DJORDJE, IVANA, JOVANA, LUKA, NIKOLA, PETAR

K8S = "kubernetes-in-production"
PYTHON = "python-za-analizu-podataka"
GIT = "git-i-ci-cd-za-timove"


def _questions(words: dict) -> list[dict]:
    return [
        {
            "type": "rating",
            "id": "rating-useful",
            "value": {
                "prompt": words["useful"],
                "low_label": words["useful_low"],
                "high_label": words["useful_high"],
                "required": True,
            },
        },
        {
            "type": "rating",
            "id": "rating-instructor",
            "value": {
                "prompt": words["instructor"],
                "low_label": words["instructor_low"],
                "high_label": words["instructor_high"],
                "required": True,
            },
        },
        {
            "type": "choice",
            "id": "choice-pace",
            "value": {
                "prompt": words["pace"],
                "options": [
                    {"type": "item", "id": "pace-slow", "value": words["slow"]},
                    {"type": "item", "id": "pace-right", "value": words["right"]},
                    {"type": "item", "id": "pace-fast", "value": words["fast"]},
                ],
                "multiple": False,
                "required": True,
            },
        },
        {
            "type": "choice",
            "id": "choice-helped",
            "value": {
                "prompt": words["helped"],
                "options": [
                    {"type": "item", "id": "helped-labs", "value": words["labs"]},
                    {"type": "item", "id": "helped-talks", "value": words["talks"]},
                    {
                        "type": "item",
                        "id": "helped-material",
                        "value": words["material"],
                    },
                ],
                "multiple": True,
                "required": False,
            },
        },
        {
            "type": "text",
            "id": "text-better",
            "value": {"prompt": words["better"], "required": False},
        },
        {
            "type": "nps",
            "id": "nps",
            "value": {"prompt": words["nps"], "required": True},
        },
    ]


FORM = {
    "title": "After the course",
    "intro": "Six questions, about three minutes. Anonymous.",
    "questions": _questions(
        {
            "useful": "How useful was the course for your work?",
            "useful_low": "Not at all",
            "useful_high": "Very useful",
            "instructor": "How clearly did the instructor explain?",
            "instructor_low": "Hard to follow",
            "instructor_high": "Very clearly",
            "pace": "The pace was",
            "slow": "Too slow",
            "right": "Just right",
            "fast": "Too fast",
            "helped": "What helped you most?",
            "labs": "Hands-on labs",
            "talks": "Discussions with the group",
            "material": "The written material",
            "better": "What should we change next time?",
            "nps": "How likely is it that you would recommend this course to a "
            "colleague?",
        }
    ),
}
FORM_SR_LATN = {
    "title": "Posle kursa",
    "intro": "Šest pitanja, oko tri minuta. Anonimno.",
    "questions": _questions(
        {
            "useful": "Koliko vam je kurs bio koristan za posao?",
            "useful_low": "Nimalo",
            "useful_high": "Veoma",
            "instructor": "Koliko je predavač jasno objašnjavao?",
            "instructor_low": "Teško se pratilo",
            "instructor_high": "Veoma jasno",
            "pace": "Tempo je bio",
            "slow": "Prespor",
            "right": "Taman",
            "fast": "Prebrz",
            "helped": "Šta vam je najviše pomoglo?",
            "labs": "Praktične vežbe",
            "talks": "Razgovori u grupi",
            "material": "Pisani materijal",
            "better": "Šta da promenimo sledeći put?",
            "nps": "Koliko je verovatno da biste ovaj kurs preporučili kolegi?",
        }
    ),
}


def _answer(useful, instructor, pace, helped, nps, better=""):
    answers = {
        "rating-useful": str(useful),
        "rating-instructor": str(instructor),
        "choice-pace": f"pace-{pace}",
        "choice-helped": [f"helped-{item}" for item in helped],
        "nps": str(nps),
    }
    if better:
        answers["text-better"] = better
    return answers


# (trainee, course, the run's `starts_in_days`, language, answers). The
# Kubernetes run of half a year ago has five answers of six who came (its
# results are shown to its instructors); Python's has two, which only the
# academy sees; one of Git's two trainees answered.
ANSWERS = [
    (
        NIKOLA,
        K8S,
        -180,
        "sr-latn",
        _answer(5, 5, "right", ["labs", "talks"], 10, "Više vremena za vežbe."),
    ),
    (ANA, K8S, -180, "en", _answer(4, 5, "fast", ["labs"], 9)),
    (
        IVANA,
        K8S,
        -180,
        "sr-latn",
        _answer(
            4,
            4,
            "fast",
            ["labs", "material"],
            8,
            "Mrežni deo je išao prebrzo; dobro bi došao još jedan susret.",
        ),
    ),
    (
        PETAR,
        K8S,
        -180,
        "en",
        _answer(5, 4, "right", ["talks"], 9, "The production drill was the best part."),
    ),
    (JOVANA, K8S, -180, "sr", _answer(3, 4, "right", ["material"], 6)),
    (DJORDJE, PYTHON, -150, "sr-latn", _answer(5, 5, "right", ["labs"], 10)),
    (NIKOLA, PYTHON, -150, "sr-latn", _answer(4, 5, "slow", ["material"], 7)),
    (LUKA, GIT, -40, "sr-latn", _answer(5, 4, "right", ["labs", "talks"], 9)),
]
