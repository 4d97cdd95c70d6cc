"""Enrolments and learning activity: who enrolled where, their registers,
modules done, quiz attempts, submissions and grades."""

from academy_site.demo.courses.kubernetes_in_production import (
    K8S_ASSIGNMENT,
    K8S_QUIZ,
)
from academy_site.demo.people import (
    ANA,
    DJORDJE,
    IVANA,
    JOVANA,
    LUKA,
    MARIJA,
    MILOS,
    NIKOLA,
    PETAR,
    TEODORA,
)

# --- Enrolments and learning activity -----------------------------------------
# Made through the enrolment services, in this order: the first six in the small
# Git run fill it, so the seventh lands on its waitlist.
#
# `run` is the run's `starts_in_days` in COURSES (None: a self-paced course).
# `status` is where the loader takes a new enrolment, through the services:
# "confirmed" (approved by the admin when the course needs approval),
# "pending", "waitlisted" (the run is already full), "cancelled" (by the
# trainee) or "rejected" (by the admin, with `reason`).
# `attendance` is cycled over the run's meetings held before the day of
# loading: ["absent", "present"] means absent, present, absent, ...
# `apology` is a reason the trainee gives for not coming to the run's next
# meeting; `modules_done` are module slugs marked done; `quizzes` are attempts, each
# answering `correct` questions right (None: all) and the rest wrong;
# `submissions` are text answers to assignments, graded when `grade` is given;
# `attempt` numbers a submission handed in again after a failed grade.

K8S = "kubernetes-in-production"
PYTHON = "python-za-analizu-podataka"
GIT = "git-i-ci-cd-za-timove"
SCRUM = "agilno-upravljanje-projektima-scrum"
ML = "masinsko-ucenje-u-praksi"

ENROLMENTS = [
    # The run in progress: registers so far, a quiz, an assignment.
    {
        "trainee": DJORDJE,
        "course": K8S,
        "run": -10,
        "status": "confirmed",
        "attendance": ["present", "present", "late"],
        "modules_done": [
            "cluster-architecture-and-workloads",
            "networking-and-ingress",
        ],
        "quizzes": [
            {
                "module": "cluster-architecture-and-workloads",
                "quiz": K8S_QUIZ,
                "correct": None,
            }
        ],
        "submissions": [
            {
                "module": "networking-and-ingress",
                "assignment": K8S_ASSIGNMENT,
                "text": (
                    "<p>Ingress <b>shop</b>: host shop.lab.klaster.example, TLS "
                    "secret shop-tls issued through the cert-manager annotation "
                    "for the lab issuer, path / to service frontend:80.</p>"
                    "<p>NetworkPolicy <b>postgres-from-api</b>: podSelector "
                    "app=postgres, ingress only from pods with app=api on TCP "
                    "5432.</p>"
                    "<p>Check: from a throwaway busybox pod, <code>nc -zv "
                    "postgres 5432</code> timed out; from an api pod it "
                    "connected. The frontend answers over HTTPS with the lab "
                    "certificate.</p>"
                ),
                "grade": {
                    "score": "18",
                    "feedback": (
                        "<p>Clean manifests and a convincing check. Add a "
                        "default-deny policy for the namespace as well, so a new "
                        "service stays closed until someone opens it.</p>"
                    ),
                },
            }
        ],
    },
    {
        "trainee": MARIJA,
        "course": K8S,
        "run": -10,
        "status": "confirmed",
        "attendance": ["present"],
        "modules_done": ["cluster-architecture-and-workloads"],
        "quizzes": [
            {
                "module": "cluster-architecture-and-workloads",
                "quiz": K8S_QUIZ,
                "correct": 1,
            }
        ],
        # Failed once, handed in again: the second submission waits for a grade.
        "submissions": [
            {
                "module": "networking-and-ingress",
                "assignment": K8S_ASSIGNMENT,
                "attempt": 1,
                "text": (
                    "<p>The Ingress publishes frontend at "
                    "shop.lab.klaster.example with the lab issuer's "
                    "certificate.</p><p>The NetworkPolicy selects the postgres "
                    "pods and allows ingress from app=api only. I tested it by "
                    "connecting from the frontend pod, which was refused.</p>"
                ),
                "grade": {
                    "score": "8",
                    "feedback": (
                        "<p>A refused connection from the frontend shows that "
                        "something is closed, not that the policy lets the api "
                        "in. Show both sides of the check, and say which "
                        "secret holds the certificate.</p>"
                    ),
                },
            },
            {
                "module": "networking-and-ingress",
                "assignment": K8S_ASSIGNMENT,
                "attempt": 2,
                "text": (
                    "<p>Ingress <b>shop</b>: TLS from the secret shop-tls, "
                    "issued by the lab issuer through the cert-manager "
                    "annotation.</p><p>NetworkPolicy <b>postgres-from-api</b>: "
                    "from a frontend pod <code>nc -zv postgres 5432</code> times "
                    "out; from an api pod it connects.</p>"
                ),
                "grade": None,
            },
        ],
    },
    {
        # Missed every other session: below the 75% the course asks for.
        "trainee": LUKA,
        "course": K8S,
        "run": -10,
        "status": "confirmed",
        "attendance": ["absent", "present"],
    },
    # Ended runs: complete registers, and the certificates they earn.
    # Kubernetes half a year ago: six came, five answered its evaluation
    # (academy_site/demo/evaluations.py).
    *[
        {
            "trainee": trainee,
            "course": K8S,
            "run": -180,
            "status": "confirmed",
            "attendance": attendance,
        }
        for trainee, attendance in (
            (NIKOLA, ["present"]),
            (ANA, ["present", "present", "late"]),
            (IVANA, ["present"]),
            (PETAR, ["present", "present", "present", "absent"]),
            (JOVANA, ["present", "late"]),
            (TEODORA, ["present", "absent"]),
        )
    ],
    {
        "trainee": DJORDJE,
        "course": PYTHON,
        "run": -150,
        "status": "confirmed",
        "attendance": ["present"],
    },
    {
        "trainee": IVANA,
        "course": PYTHON,
        "run": -150,
        "status": "confirmed",
        "attendance": ["present", "present", "late"],
    },
    {
        "trainee": NIKOLA,
        "course": PYTHON,
        "run": -150,
        "status": "confirmed",
        "attendance": ["present", "present", "absent"],
    },
    {
        # Both days and both modules: the completion certificate.
        "trainee": LUKA,
        "course": GIT,
        "run": -40,
        "status": "confirmed",
        "attendance": ["present"],
        "modules_done": ["git-bez-straha", "prvi-ci-pipeline"],
    },
    {
        "trainee": MILOS,
        "course": GIT,
        "run": -40,
        "status": "confirmed",
        "attendance": ["present"],
    },
    # Upcoming runs.
    {"trainee": DJORDJE, "course": PYTHON, "run": 20, "status": "confirmed"},
    # Marija cannot come to the first meeting and said so from My learning.
    {
        "trainee": MARIJA,
        "course": PYTHON,
        "run": 20,
        "status": "confirmed",
        "apology": "Službeni put u Beograd tog dana; nadoknadiću gradivo.",
    },
    {"trainee": ANA, "course": PYTHON, "run": 20, "status": "cancelled"},
    {"trainee": IVANA, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": NIKOLA, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": PETAR, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": MILOS, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": ANA, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": MARIJA, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": TEODORA, "course": GIT, "run": 10, "status": "waitlisted"},
    {"trainee": JOVANA, "course": GIT, "run": 10, "status": "waitlisted"},
    {"trainee": JOVANA, "course": SCRUM, "run": 30, "status": "pending"},
    # Machine learning needs the employer's approval: Đorđe's request waits
    # for Dragana, Panonija Soft's coordinator.
    {"trainee": DJORDJE, "course": ML, "run": 40, "status": "pending"},
    {
        "trainee": PETAR,
        "course": SCRUM,
        "run": 30,
        "status": "rejected",
        "reason": (
            "Kurs je namenjen članovima timova koji već rade na softverskim "
            "projektima, a u prijavi nisu navedeni ni tim ni projekat. Rado ćemo "
            "razmotriti novu prijavu sa tim podacima."
        ),
    },
    # Self-paced courses.
    {
        "trainee": JOVANA,
        "course": "osnove-sajber-bezbednosti",
        "run": None,
        "status": "confirmed",
        "modules_done": ["fising", "lozinke-i-2fa"],
    },
    {
        "trainee": ANA,
        "course": "secure-coding-for-web-developers",
        "run": None,
        "status": "confirmed",
        "modules_done": ["threat-modelling"],
    },
]

# After everyone has enrolled: Ivana gives up her seat in the full Git run
# from My learning, so it is offered to Teodora, first on its waitlist, for
# 48 hours (an open offer in her My learning); Jovana waits behind her.
WITHDRAWALS = [{"trainee": IVANA, "course": GIT, "run": 10}]
