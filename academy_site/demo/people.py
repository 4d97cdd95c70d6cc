"""The demo's people: the admin and the office, instructors, trainees,
and the logins printed at the end of the load."""

ADMIN = {
    "username": "admin",
    "email": "admin@academy.local",
    "password": "demo-admin-pass-2026",
    "first_name": "Academy",
    "last_name": "Admin",
}
# The academy's back office: an Academy admin (academy_site/roles.py), not a
# superuser, as the office staff would log in.
OFFICE = {
    "username": "admin2",
    "email": "office@academy.local",
    "password": "demo-office-pass-2026",
    "first_name": "Academy",
    "last_name": "Office",
}
INSTRUCTOR_PASSWORD = "demo-instructor-2026"
TRAINEE_PASSWORD = "demo-trainee-2026"

# `login` (an e-mail, also the username) gives the instructor an account with
# access to the Wagtail admin; instructors without one are guest lecturers.
INSTRUCTORS = [
    {
        "full_name": "Milica Đorđević",
        "job_title": "Senior Data Scientist",
        "organisation": "Panonija Soft",
        "bio": (
            "Milica builds forecasting and recommendation models for retail and "
            "logistics clients and has taught Python to more than 400 engineers."
        ),
        "login": "milica@academy.local",
    },
    {
        "full_name": "Nenad Šćekić",
        "job_title": "Cloud Architect",
        "organisation": "Dunav Data Systems",
        "bio": (
            "Nenad has run Kubernetes in production since 2017 and leads the "
            "platform team that keeps 300 services online."
        ),
        "login": "nenad@academy.local",
    },
    {
        "full_name": "Јелена Марковић",
        "job_title": "Agile Coach",
        "organisation": "Nišava Tech",
        "bio": (
            "Јелена је десет година водила развојне тимове, а данас помаже "
            "компанијама да уведу Scrum и Kanban без бирократије."
        ),
        "login": "jelena@academy.local",
    },
    {
        "full_name": "Stefan Ilić",
        "job_title": "Application Security Engineer",
        "organisation": "Beoweb Studio",
        "bio": (
            "Stefan leads penetration tests and secure code reviews for banking "
            "and e-commerce applications."
        ),
        "login": None,
    },
    {
        "full_name": "Ana Kovačević",
        "job_title": "Head of UX Research",
        "organisation": "Vojvodina Pixel",
        "bio": (
            "Ana has planned and run user research for public-sector and fintech "
            "products across the region."
        ),
        "login": None,
    },
    {
        "full_name": "Marko Nikolić",
        "job_title": "DevOps Engineer",
        "organisation": "Nišava Tech",
        "bio": (
            "Marko automates builds, tests and deployments for a dozen product "
            "teams."
        ),
        "login": None,
    },
]

# The instructor whose account is the instructor demo login. She marks the
# demo's registers and grades its work, and teaches every run that has such
# activity (see `also_taught_by` below), so /teaching/ shows all of it.
TEACHING_INSTRUCTOR = "Milica Đorđević"

# --- Trainees -----------------------------------------------------------------
# The e-mail is also the username. `organisation` is a PIB from above, or None.
# `language` is a TraineeProfile.Language value: "sr-latn", "sr" (Cyrillic), "en".

TRAINEES = [
    {
        "email": "djordje.petrovic@panonijasoft.example",
        "full_name": "Đorđe Petrović",
        "organisation": "101234569",
        "language": "sr-latn",
    },
    {
        "email": "jovana.jovanovic@dunavdata.example",
        "full_name": "Јована Јовановић",
        "organisation": "103456781",
        "language": "sr",
    },
    {
        "email": "marija.saric@dunavdata.example",
        "full_name": "Marija Šarić",
        "organisation": "103456781",
        "language": "en",
    },
    {
        "email": "luka.colic@nisavatech.example",
        "full_name": "Luka Čolić",
        "organisation": "105678913",
        "language": "sr-latn",
    },
    {
        "email": "ivana.zivkovic@fruskogorskikod.example",
        "full_name": "Ivana Živković",
        "organisation": "107890123",
        "language": "sr-latn",
    },
    {
        "email": "milos.popovic@vojvodinapixel.example",
        "full_name": "Милош Поповић",
        "organisation": "108901233",
        "language": "sr",
    },
    {
        "email": "teodora.ciric@beoweb.example",
        "full_name": "Teodora Ćirić",
        "organisation": "110123454",
        "language": "en",
    },
    {
        "email": "ana.stankovic@mail.example",
        "full_name": "Ana Stanković",
        "organisation": None,
        "language": "en",
    },
    {
        "email": "nikola.djukic@mail.example",
        "full_name": "Nikola Đukić",
        "organisation": None,
        "language": "sr-latn",
    },
    {
        "email": "petar.stojanovic@mail.example",
        "full_name": "Петар Стојановић",
        "organisation": None,
        "language": "sr",
    },
    {
        "email": "dragana.vukovic@panonijasoft.example",
        "full_name": "Dragana Vuković",
        "organisation": "101234569",
        "language": "sr-latn",
    },
    {
        "email": "tamara.horvat@vojvodinapixel.example",
        "full_name": "Tamara Horvat",
        "organisation": "108901233",
        "language": "en",
    },
    {
        # Names a member company with a private address: the claim waits for
        # the academy (Organisation claims) and he pays the non-member price.
        "email": "stefan.markovic@mail.example",
        "full_name": "Stefan Marković",
        "organisation": "101234569",
        "language": "sr-latn",
    },
]
# Organisations' coordinators (trainee accounts too): they confirm staff claims
# on /organisation/. Panonija Soft is a member; Vojvodina Pixel is not.
COORDINATORS = [
    ("dragana.vukovic@panonijasoft.example", "101234569"),
    ("tamara.horvat@vojvodinapixel.example", "108901233"),
]
# Claims the academy's office confirmed by hand (no verified domain).
CLAIMS_CONFIRMED_BY_OFFICE = ["teodora.ciric@beoweb.example"]

# Trainees the enrolments below and the benchmarks name.
DJORDJE = "djordje.petrovic@panonijasoft.example"
JOVANA = "jovana.jovanovic@dunavdata.example"
MARIJA = "marija.saric@dunavdata.example"
LUKA = "luka.colic@nisavatech.example"
IVANA = "ivana.zivkovic@fruskogorskikod.example"
MILOS = "milos.popovic@vojvodinapixel.example"
TEODORA = "teodora.ciric@beoweb.example"
ANA = "ana.stankovic@mail.example"
NIKOLA = "nikola.djukic@mail.example"
PETAR = "petar.stojanovic@mail.example"
STEFAN = "stefan.markovic@mail.example"

# Printed at the end of the command; each must be one of the accounts above.
DEMO_LOGINS = [
    ("Admin", ADMIN["username"], ADMIN["password"]),
    ("Office", OFFICE["username"], OFFICE["password"]),
    ("Instructor", "milica@academy.local", INSTRUCTOR_PASSWORD),
    ("Trainee", "djordje.petrovic@panonijasoft.example", TRAINEE_PASSWORD),
    ("Coordinator", "dragana.vukovic@panonijasoft.example", TRAINEE_PASSWORD),
]
