"""UX Research and Prototyping (ux-research-and-prototyping): the course page, its
modules with their quizzes and assignments, and its runs.
"""

from academy_site.demo.blocks import callout, heading, paragraph

COURSE = {
    "slug": "ux-research-and-prototyping",
    "title": "UX Research and Prototyping",
    "summary": (
        "Learn to talk to users, turn what you hear into clear problems and test "
        "ideas with clickable prototypes before a line of code is written."
    ),
    "learning_outcomes": [
        "Plan and run user interviews",
        "Synthesise findings with affinity mapping and personas",
        "Build clickable prototypes in Figma",
        "Run moderated usability tests and report the results",
    ],
    "level": "intermediate",
    "language": "en",
    "format": "in_person",
    "duration_hours": "16",
    "price_member": "15000",
    "price_non_member": "25000",
    "enrolment_policy": "open",
    "attendance_threshold_percent": 90,
    "pass_mark_percent": 60,
    "topics": ["design-ux"],
    "instructors": ["Ana Kovačević"],
    "body": [
        heading("Four days, one product"),
        paragraph(
            "<p>Teams of three take a real product question from a member "
            "company through interviews, synthesis, a prototype and a round of "
            "usability tests.</p>"
        ),
        callout(
            "tip",
            "Bring a laptop",
            "<p>A free Figma account is enough; we share the templates on the "
            "first day.</p>",
        ),
    ],
    "modules": [
        {
            "slug": "interviewing-users",
            "title": "Interviewing users",
            "summary": "Recruiting, a discussion guide and questions that work.",
            "estimated_minutes": 90,
            "body": [
                paragraph(
                    "<p>Write a discussion guide, avoid leading questions and "
                    "take notes that survive the week.</p>"
                ),
            ],
        },
        {
            "slug": "from-findings-to-problems",
            "title": "From findings to problems",
            "summary": "Affinity mapping, personas and problem statements.",
            "estimated_minutes": 90,
            "body": [
                paragraph(
                    "<p>Cluster observations into themes and write problem "
                    "statements the whole team agrees on.</p>"
                ),
            ],
        },
        {
            "slug": "prototyping-and-usability-testing",
            "title": "Prototyping and usability testing",
            "summary": "Clickable prototypes and moderated tests.",
            "estimated_minutes": 120,
            "body": [
                paragraph(
                    "<p>Build a clickable prototype, test it with five users and "
                    "decide what to change.</p>"
                ),
            ],
        },
    ],
    "schedule": [
        (0, "09:00", 240, "room", "Day 1: Interviews"),
        (1, "09:00", 240, "room", "Day 2: Synthesis"),
        (2, "09:00", 240, "room", "Day 3: Prototyping"),
        (3, "09:00", 240, "room", "Day 4: Usability tests"),
    ],
    "runs": [
        {"starts_in_days": -90, "location": "novi-sad", "capacity": 14},
        {"starts_in_days": 40, "location": "beograd", "capacity": 12},
    ],
}
