"""Mašinsko učenje u praksi (masinsko-ucenje-u-praksi): the course page, its modules
with their quizzes and assignments, and its runs.
"""

from academy_site.demo.blocks import callout, heading, paragraph, video

COURSE = {
    "slug": "masinsko-ucenje-u-praksi",
    "title": "Mašinsko učenje u praksi",
    "summary": (
        "Od pripreme podataka do modela u produkciji: klasifikacija, regresija i "
        "validacija modela sa scikit-learnom, uz projekat na vašim podacima."
    ),
    "learning_outcomes": [
        "Priprema karakteristika i podela podataka za treniranje i testiranje",
        "Treniranje i poređenje modela klasifikacije i regresije",
        "Validacija modela i izbegavanje preprilagođavanja",
        "Tumačenje modela i jasno predstavljanje rezultata",
        "Objavljivanje modela kao jednostavnog API servisa",
    ],
    "level": "advanced",
    "language": "sr",
    "format": "blended",
    "duration_hours": "40",
    "price_member": "42000",
    "price_non_member": "70000",
    "enrolment_policy": "approval",
    # Staff of an organisation with a coordinator ask their employer first.
    "needs_employer_approval": True,
    "attendance_threshold_percent": 80,
    "pass_mark_percent": 70,
    "topics": ["data-ai"],
    "instructors": ["Milica Đorđević"],
    "body": [
        heading("O kursu"),
        paragraph(
            "<p>Šest nedelja, dve radionice uživo i četiri onlajn susreta. "
            "Između susreta radite na projektu uz konsultacije sa "
            "predavačicom.</p>"
        ),
        callout(
            "warning",
            "Predznanje",
            "<p>Potrebno je dobro poznavanje Pythona i biblioteke pandas, na "
            "nivou kursa <i>Python za analizu podataka</i>.</p>",
        ),
        video(
            "https://www.youtube.com/watch?v=aircAruvnKk",
            "But what is a neural network? (3Blue1Brown)",
            "Preporučeno pred treći susret (na engleskom, sa titlovima).",
        ),
    ],
    "modules": [
        {
            "slug": "podaci-i-karakteristike",
            "title": "Podaci i karakteristike",
            "summary": "Priprema podataka, karakteristike i podela skupa.",
            "estimated_minutes": 120,
            "body": [
                paragraph(
                    "<p>Kodiranje kategorija, skaliranje i zašto se test skup "
                    "odvaja pre bilo kakve analize.</p>"
                ),
            ],
        },
        {
            "slug": "modeli-i-validacija",
            "title": "Modeli i validacija",
            "summary": "Od linearne regresije do gradijentnog pojačavanja.",
            "estimated_minutes": 180,
            "body": [
                paragraph(
                    "<p>Unakrsna validacija, metrike koje odgovaraju problemu i "
                    "prepoznavanje preprilagođavanja.</p>"
                ),
            ],
        },
        {
            "slug": "od-modela-do-servisa",
            "title": "Od modela do servisa",
            "summary": "Čuvanje modela i jednostavan API.",
            "estimated_minutes": 120,
            "body": [
                paragraph(
                    "<p>Model sačuvan u datoteci postaje servis koji vraća "
                    "predviđanje za jedan zahtev.</p>"
                ),
            ],
        },
        {
            "slug": "projekat",
            "title": "Projekat",
            "summary": "Model na podacima po vašem izboru.",
            "estimated_minutes": 240,
            "body": [
                paragraph(
                    "<p>Predstavite problem, model, rezultate validacije i "
                    "preporuku u deset minuta.</p>"
                ),
            ],
        },
    ],
    "schedule": [
        (0, "09:00", 240, "room", "Uvodna radionica"),
        (2, "17:30", 120, "online", "Priprema podataka"),
        (9, "17:30", 120, "online", "Klasifikacija"),
        (16, "17:30", 120, "online", "Regresija i validacija"),
        (23, "17:30", 120, "online", "Konsultacije za projekat"),
        (28, "09:00", 240, "room", "Prezentacije projekata"),
    ],
    "runs": [
        {"starts_in_days": -220, "location": "novi-sad", "capacity": 16},
        {"starts_in_days": 40, "location": "novi-sad", "capacity": 18},
    ],
}
