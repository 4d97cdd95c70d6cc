"""Agilno upravljanje projektima uz Scrum (agilno-upravljanje-projektima-scrum): the
course page, its modules with their quizzes and assignments, and its runs.
"""

from academy_site.demo.blocks import callout, heading, paragraph

COURSE = {
    "slug": "agilno-upravljanje-projektima-scrum",
    "title": "Agilno upravljanje projektima uz Scrum",
    "summary": (
        "Praktičan Scrum za timove koji isporučuju softver: uloge, događaji i "
        "artefakti, procena i planiranje, i rad sa zahtevima koji se menjaju."
    ),
    "learning_outcomes": [
        "Organizacija rada tima kroz sprintove i Scrum događaje",
        "Pisanje korisničkih priča sa jasnim kriterijumima prihvatanja",
        "Procena i planiranje kapaciteta tima",
        "Vođenje retrospektiva koje dovode do stvarnih promena",
        "Praćenje napretka pomoću burndown dijagrama i metrika protoka",
    ],
    "level": "intermediate",
    "language": "sr",
    "format": "blended",
    "duration_hours": "20",
    "price_member": "18000",
    "price_non_member": "30000",
    "enrolment_policy": "approval",
    "attendance_threshold_percent": 80,
    "pass_mark_percent": 60,
    "topics": ["project-management"],
    "instructors": ["Јелена Марковић"],
    "body": [
        heading("Za koga je kurs"),
        paragraph(
            "<p>Za vođe timova, produkt menadžere i članove razvojnih timova "
            "koji žele da Scrum radi za njih, a ne obrnuto.</p>"
        ),
        callout(
            "info",
            "Kombinovani format",
            "<p>Prvi i poslednji susret su uživo, a između njih se sastajemo "
            "onlajn ponedeljkom u 17.30.</p>",
        ),
    ],
    "modules": [
        {
            "slug": "scrum-ukratko",
            "title": "Scrum ukratko: uloge, događaji, artefakti",
            "summary": "Ko šta radi i kada, na jednoj strani.",
            "estimated_minutes": 60,
            "body": [
                paragraph(
                    "<p>Product Owner, Scrum Master i razvojni tim; sprint, "
                    "planiranje, dnevni sastanak, pregled i retrospektiva.</p>"
                ),
            ],
        },
        {
            "slug": "korisnicke-price-i-backlog",
            "title": "Korisničke priče i backlog",
            "summary": "Kako zahtev klijenta postaje zadatak koji tim razume.",
            "estimated_minutes": 90,
            "body": [
                paragraph(
                    "<p>Pišemo korisničke priče po šablonu <i>Kao … želim … "
                    "kako bih …</i> i dodajemo kriterijume prihvatanja.</p>"
                ),
            ],
        },
        {
            "slug": "procena-i-planiranje",
            "title": "Procena i planiranje sprinta",
            "summary": "Story pointi, brzina tima i realan plan.",
            "estimated_minutes": 90,
            "body": [
                paragraph(
                    "<p>Planning poker, brzina tima i kako reći „ne“ kada "
                    "sprint postane prepun.</p>"
                ),
            ],
        },
    ],
    "schedule": [
        (0, "09:00", 240, "room", "Uvodna radionica"),
        (7, "17:30", 120, "online", "Backlog i korisničke priče"),
        (14, "17:30", 120, "online", "Procena i planiranje"),
        (21, "09:00", 240, "room", "Simulacija sprinta i retrospektiva"),
    ],
    "runs": [
        {"starts_in_days": -100, "location": "novi-sad", "capacity": 24},
        {"starts_in_days": 30, "location": "beograd", "capacity": 30},
    ],
}
