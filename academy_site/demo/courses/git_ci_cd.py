"""Git i CI/CD za timove (git-i-ci-cd-za-timove): the course page, its modules with
their quizzes and assignments, and its runs.
"""

from academy_site.demo.blocks import callout, heading, paragraph
from academy_site.demo.people import TEACHING_INSTRUCTOR

COURSE = {
    "slug": "git-i-ci-cd-za-timove",
    "title": "Git i CI/CD za timove",
    "summary": (
        "Dva dana praktičnog rada sa Gitom i GitLab CI-jem: grane, pregled koda, "
        "rešavanje konflikata i automatsko testiranje i isporuka."
    ),
    "learning_outcomes": [
        "Svakodnevni rad sa Gitom: commit, grane, merge i rebase",
        "Rešavanje konflikata bez panike",
        "Pregled koda kroz merge request",
        "Pisanje CI pipeline-a koji testira i isporučuje aplikaciju",
    ],
    "level": "beginner",
    "language": "sr",
    "format": "in_person",
    "duration_hours": "8",
    "price_member": "6000",
    "price_non_member": "10000",
    "enrolment_policy": "open",
    "attendance_threshold_percent": 100,
    "pass_mark_percent": 60,
    "topics": ["software-development", "cloud-devops"],
    "instructors": ["Marko Nikolić", "Nenad Šćekić"],
    "body": [
        heading("O kursu"),
        paragraph(
            "<p>Dva intenzivna dana za programere, testere i administratore "
            "koji Git koriste, ali mu ne veruju sasvim.</p>"
        ),
        callout(
            "info",
            "Sertifikat",
            "<p>Za sertifikat o pohađanju potrebno je prisustvo na oba " "dana.</p>",
        ),
    ],
    "modules": [
        {
            "slug": "git-bez-straha",
            "title": "Git bez straha",
            "summary": "Grane, merge, rebase i vraćanje izgubljenog rada.",
            "estimated_minutes": 120,
            "body": [
                paragraph(
                    "<p>Pravimo grane, spajamo ih, namerno izazivamo konflikte "
                    "i vraćamo „izgubljene“ commitove pomoću reflog-a.</p>"
                ),
            ],
        },
        {
            "slug": "prvi-ci-pipeline",
            "title": "Prvi CI pipeline",
            "summary": "Testovi, build i isporuka na svaki push.",
            "estimated_minutes": 120,
            "body": [
                paragraph(
                    "<p>Pišemo <code>.gitlab-ci.yml</code> koji pokreće testove, "
                    "pravi Docker sliku i isporučuje je na test okruženje.</p>"
                ),
            ],
        },
    ],
    "schedule": [
        (0, "09:00", 240, "room", "Dan 1: Git"),
        (1, "09:00", 240, "room", "Dan 2: CI/CD"),
    ],
    "runs": [
        {
            "starts_in_days": -40,
            "location": "nis",
            "capacity": 20,
            "also_taught_by": [TEACHING_INSTRUCTOR],
        },
        # A lab with six workstations: the demo fills it and puts one more
        # trainee on the waitlist.
        {"starts_in_days": 10, "location": "nis", "capacity": 6},
    ],
}
