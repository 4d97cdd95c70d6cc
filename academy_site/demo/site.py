"""The site around the courses: the academy's contact details, the
catalogue page, the home page's featured courses, topics and places."""

ACADEMY_SETTINGS = {
    "contact_email": "akademija@klaster.rs",
    "contact_phone": "+381 21 475 0100",
    "address": "Klaster akademija\nBulevar cara Lazara 7\n21000 Novi Sad",
    "footer_text_sr_latn": "Akademija za obuku IKT klastera.",
}

CATALOGUE = {
    "title": "Courses",
    "slug": "courses",
    "intro": (
        "Hands-on ICT courses taught by practitioners from the cluster's member "
        "companies: in person in Novi Sad, Belgrade and Niš, blended, or online at "
        "your own pace. Staff of member organisations enrol at member prices."
    ),
}

# Shown on the home page, in this order.
FEATURED_COURSES = [
    "kubernetes-in-production",
    "python-za-analizu-podataka",
    "osnove-sajber-bezbednosti",
]

# Names in English and Serbian Latin; the Cyrillic site transliterates the
# Latin ones (Topic.shown_name).
TOPICS = [
    {
        "slug": "software-development",
        "name": "Software development",
        "name_sr_latn": "Razvoj softvera",
    },
    {
        "slug": "cloud-devops",
        "name": "Cloud & DevOps",
        "name_sr_latn": "Cloud i DevOps",
    },
    {
        "slug": "cybersecurity",
        "name": "Cybersecurity",
        "name_sr_latn": "Sajber bezbednost",
    },
    {
        "slug": "data-ai",
        "name": "Data & AI",
        "name_sr_latn": "Podaci i veštačka inteligencija",
    },
    {
        "slug": "project-management",
        "name": "Project management",
        "name_sr_latn": "Upravljanje projektima",
    },
    {"slug": "design-ux", "name": "Design & UX", "name_sr_latn": "Dizajn i UX"},
]

# --- Places -------------------------------------------------------------------

LOCATIONS = {
    "novi-sad": {
        "address": "Klaster akademija, Bulevar cara Lazara 7, 21000 Novi Sad",
        "room": "Sala 2.1, drugi sprat",
        "label": "Novi Sad",
    },
    "beograd": {
        "address": "Klaster centar, Bulevar Mihajla Pupina 10, 11070 Novi Beograd",
        "room": "Učionica A",
        "label": "Beograd",
    },
    "nis": {
        "address": "Inovacioni centar, Bulevar Nemanjića 25, 18000 Niš",
        "room": "Sala Nišava",
        "label": "Niš",
    },
}
# Blended runs meet online at this address followed by the course slug and the
# run's start date, e.g. https://meet.jit.si/klaster-akademija-...-20260302.
ONLINE_MEETING_BASE = "https://meet.jit.si/klaster-akademija-"
