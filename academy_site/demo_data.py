"""The demo academy as plain data, loaded by `manage.py load_demo_academy`.

Kept apart from the command so the content can be read and edited without
reading database code. Nothing here touches the database.

Dates are not fixed: runs give their start as days from the day of loading
(`starts_in_days`, moved on to the next Monday) and sessions as days from the
run's start, and membership periods give years relative to the current year.
The demo therefore always has ended runs, a run in progress and runs still
taking enrolments, whenever it is loaded.

Every person, company, address and e-mail domain is invented; `.example` and
`.local` domains cannot receive mail.
"""

# --- Body content -----------------------------------------------------------
# Small builders for the StreamField blocks of courses/blocks.py, in the
# JSON-ish form ({"type": ..., "value": ...}) that StreamBlock.to_python reads.


def _heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def _paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def _callout(kind: str, title: str, html: str) -> dict:
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": html}}


def _video(url: str, title: str, caption: str = "") -> dict:
    return {"type": "video", "value": {"url": url, "title": title, "caption": caption}}


# --- Assessments ----------------------------------------------------------------
# Quizzes and assignments are blocks of a module's body (courses/blocks.py),
# listed under a module's `assessments` rather than in its `body` so that the
# loader can add them to module pages an earlier version of the demo created.
# Their block ids are fixed: enrolments' records (attempts, submissions) name
# a block by its id, and a re-run finds a block by it.

K8S_QUIZ = "demo-quiz-k8s-1"
K8S_ASSIGNMENT = "demo-assignment-k8s-1"
PYTHON_QUIZ = "demo-quiz-python-1"


def _single(prompt: str, options: list[tuple[str, bool]], points: str = "1") -> dict:
    """A single-choice question: `options` as (text, correct), one correct."""
    return {
        "type": "single_choice",
        "value": {"prompt": prompt, "options": options, "points": points},
    }


def _multiple(prompt: str, options: list[tuple[str, bool]], points: str = "2") -> dict:
    """A multiple-choice question: full points only for exactly the right set."""
    return {
        "type": "multiple_choice",
        "value": {"prompt": prompt, "options": options, "points": points},
    }


def _true_false(prompt: str, answer: bool, points: str = "1") -> dict:
    return {
        "type": "true_false",
        "value": {"prompt": prompt, "answer": answer, "points": points},
    }


def _numeric(prompt: str, answer: str, tolerance: str = "0", points: str = "1") -> dict:
    return {
        "type": "numeric",
        "value": {
            "prompt": prompt,
            "answer": answer,
            "tolerance": tolerance,
            "points": points,
        },
    }


def _quiz(
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


def _assignment(
    block_id: str,
    *,
    title: str,
    instructions: str,
    max_points: str,
    deadline_in_days: int,
) -> dict:
    """A required assignment taking text and/or a file. The deadline is given
    in days from the day of loading (at 23:59), since the demo has no fixed
    dates; the loader turns it into the block's `deadline`."""
    return {
        "type": "assignment",
        "id": block_id,
        "value": {
            "title": title,
            "instructions": instructions,
            "deadline": None,
            "max_points": max_points,
            "accepts": "both",
            "required": True,
        },
        "deadline_in_days": deadline_in_days,
    }


# --- Site ---------------------------------------------------------------------

ACADEMY_SETTINGS = {
    "contact_email": "akademija@klaster.rs",
    "contact_phone": "+381 21 475 0100",
    "address": "Klaster akademija\nBulevar cara Lazara 7\n21000 Novi Sad",
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

# Serbian Latin translations of the English pages (Translate in Wagtail), by
# slug: the fields an editor changes. Readers of Cyrillic see them
# transliterated; Serbian courses are written in Serbian already.
SERBIAN_LATIN_TRANSLATIONS = {
    "home": {
        "hero_title": "Učite sa Klaster akademijom",
        "hero_text": (
            "Praktična IKT obuka za zaposlene u našim članicama i za sve koji "
            "žele da unaprede svoje veštine."
        ),
        "hero_cta_label": "Pogledajte kurseve",
    },
    "courses": {
        "title": "Kursevi",
        "slug": "kursevi",
        "intro": (
            "Praktični IKT kursevi koje drže stručnjaci iz kompanija članica "
            "klastera: uživo u Novom Sadu, Beogradu i Nišu, kombinovano ili onlajn "
            "svojim tempom. Zaposleni u članicama upisuju se po članskim cenama."
        ),
    },
    "kubernetes-in-production": {
        "title": "Kubernetes u produkciji",
        "slug": "kubernetes-u-produkciji",
        "summary": (
            "Pokrećite servise u kontejnerima na Kubernetesu sa sigurnošću: "
            "isporuka, mreža, skladištenje, nadzor i bezbedne nadogradnje, "
            "uvežbano na pravom klasteru sa više čvorova."
        ),
    },
    "cluster-architecture-and-workloads": {
        "title": "Arhitektura klastera i radna opterećenja",
        "summary": "Kontrolna ravan, čvorovi, podovi, isporuke i poslovi.",
    },
    "secure-coding-for-web-developers": {
        "title": "Bezbedno programiranje za veb programere",
        "slug": "bezbedno-programiranje-za-veb",
        "summary": (
            "Pronađite i ispravite ranjivosti koje napadači prve traže: "
            "ubacivanje koda, loša kontrola pristupa, nesigurne sesije i drugo, "
            "uz vežbe u Pythonu i JavaScriptu."
        ),
    },
}

# Shown on the home page, in this order.
FEATURED_COURSES = [
    "kubernetes-in-production",
    "python-za-analizu-podataka",
    "osnove-sajber-bezbednosti",
]

# --- People and accounts ------------------------------------------------------

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

TOPICS = [
    {"slug": "software-development", "name": "Software development"},
    {"slug": "cloud-devops", "name": "Cloud & DevOps"},
    {"slug": "cybersecurity", "name": "Cybersecurity"},
    {"slug": "data-ai", "name": "Data & AI"},
    {"slug": "project-management", "name": "Project management"},
    {"slug": "design-ux", "name": "Design & UX"},
]

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

# --- Courses ------------------------------------------------------------------
# `schedule` lists the sessions every run of the course has, as (day, start
# time, minutes, where, title): `day` counts from the run's first day (a
# Monday), `where` is "room" (the run's venue) or "online". A run ends on the
# day of its last session. `runs` give the start
# in days from today, the venue and the seats, and `also_taught_by` names
# instructors who teach that run besides the course's own. Self-paced courses
# have no runs. A module's `assessments` are its quiz and assignment blocks.

COURSES = [
    {
        "slug": "python-za-analizu-podataka",
        "title": "Python za analizu podataka",
        "summary": (
            "Od tabele do zaključka: naučite da učitate, očistite, analizirate i "
            "vizualizujete podatke u Pythonu uz pandas i Jupyter, na primerima iz "
            "poslovne prakse."
        ),
        "learning_outcomes": [
            "Postavljanje radnog okruženja: Python, Jupyter i virtuelna okruženja",
            "Učitavanje podataka iz CSV i Excel datoteka i iz baza podataka u pandas",
            "Čišćenje podataka: nedostajuće vrednosti, duplikati i tipovi kolona",
            "Grupisanje, spajanje i agregacija podataka",
            "Izrada jasnih grafikona sa bibliotekama matplotlib i seaborn",
        ],
        "level": "beginner",
        "language": "sr",
        "format": "in_person",
        "duration_hours": "24",
        "price_member": "18000",
        "price_non_member": "30000",
        "enrolment_policy": "open",
        "attendance_threshold_percent": 80,
        "pass_mark_percent": 60,
        "topics": ["data-ai", "software-development"],
        "instructors": ["Milica Đorđević"],
        "body": [
            _heading("O kursu"),
            _paragraph(
                "<p>Šest radionica uživo u kojima od prvog dana radite sa pravim "
                "podacima: prodajom, zalihama i anketama. Kurs je namenjen "
                "analitičarima, inženjerima i menadžerima koji danas rade u "
                "Excelu, a žele da analize ponavljaju brže i pouzdanije.</p>"
            ),
            _callout(
                "tip",
                "Šta je potrebno",
                "<p>Laptop sa najmanje <b>8 GB RAM-a</b>. Python i Jupyter "
                "instaliramo zajedno prvog dana.</p>",
            ),
            _video(
                "https://www.youtube.com/watch?v=rfscVS0vtbw",
                "Learn Python: full course for beginners (freeCodeCamp)",
                "Preporučena priprema pre prvog dana (na engleskom).",
            ),
        ],
        "modules": [
            {
                "slug": "radno-okruzenje",
                "title": "Radno okruženje i osnove Pythona",
                "summary": "Instalacija, Jupyter beležnice i osnovni tipovi podataka.",
                "estimated_minutes": 90,
                "body": [
                    _heading("Prvi koraci"),
                    _paragraph(
                        "<p>Instaliramo Python, napravimo virtuelno okruženje i "
                        "pokrenemo prvu Jupyter beležnicu. Zatim prolazimo kroz "
                        "liste, rečnike i petlje na malom skupu podataka o "
                        "prodaji.</p>"
                    ),
                ],
            },
            {
                "slug": "pandas-ucitavanje-i-ciscenje",
                "title": "Pandas: učitavanje i čišćenje podataka",
                "summary": "DataFrame, uvoz iz CSV i Excel datoteka, čišćenje.",
                "estimated_minutes": 120,
                "body": [
                    _heading("DataFrame"),
                    _paragraph(
                        "<p>Učitavamo izveštaj o zalihama iz Excela, pronalazimo "
                        "duplikate i nedostajuće vrednosti i ispravljamo tipove "
                        "kolona.</p>"
                    ),
                    _callout(
                        "warning",
                        "Čest problem",
                        "<p>Datumi u formatu <i>dd.mm.gggg.</i> učitavaju se kao "
                        "tekst dok ne navedete <code>dayfirst=True</code>.</p>",
                    ),
                ],
                "assessments": [
                    _quiz(
                        PYTHON_QUIZ,
                        title="Provera znanja: učitavanje i čišćenje",
                        introduction=(
                            "Četiri kratka pitanja o radu sa DataFrame-om. Za "
                            "prolaz je potrebno 60% poena; imate tri pokušaja."
                        ),
                        questions=[
                            _single(
                                "Kojom funkcijom učitavate CSV datoteku u DataFrame?",
                                [
                                    ("pd.read_csv()", True),
                                    ("pd.load_csv()", False),
                                    ("pd.DataFrame.from_text()", False),
                                    ("open().to_frame()", False),
                                ],
                            ),
                            _multiple(
                                "Koje metode za svaku ćeliju vraćaju True ako "
                                "vrednost nedostaje?",
                                [
                                    ("df.isna()", True),
                                    ("df.isnull()", True),
                                    ("df.dropna()", False),
                                    ("df.fillna(0)", False),
                                ],
                            ),
                            _true_false(
                                "Bez argumenta inplace=True metoda drop_duplicates() "
                                "menja originalni DataFrame.",
                                answer=False,
                            ),
                            _numeric(
                                "Tabela ima 1200 redova, od kojih su 45 potpuni "
                                "duplikati nekog ranijeg reda. Koliko redova ostaje "
                                "posle df.drop_duplicates()?",
                                answer="1155",
                            ),
                        ],
                    ),
                ],
            },
            {
                "slug": "analiza-i-vizualizacija",
                "title": "Analiza i vizualizacija",
                "summary": "Grupisanje, spajanje tabela i grafikoni koji nešto govore.",
                "estimated_minutes": 120,
                "body": [
                    _paragraph(
                        "<p>Pomoću <code>groupby</code> i <code>merge</code> "
                        "odgovaramo na poslovna pitanja, a rezultate prikazujemo "
                        "grafikonima koje razume i neko ko ne zna Python.</p>"
                    ),
                ],
            },
            {
                "slug": "zavrsni-projekat",
                "title": "Završni projekat",
                "summary": "Analiza po vašem izboru, od sirovih podataka do izveštaja.",
                "estimated_minutes": 180,
                "body": [
                    _paragraph(
                        "<p>Izaberite skup podataka iz svoje kompanije ili sa "
                        "portala otvorenih podataka i pripremite kratak izveštaj "
                        "sa tri zaključka i grafikonima.</p>"
                    ),
                ],
            },
        ],
        "schedule": [
            (0, "09:00", 240, "room", "Dan 1: Python i Jupyter"),
            (1, "09:00", 240, "room", "Dan 2: Uvod u pandas"),
            (2, "09:00", 240, "room", "Dan 3: Čišćenje podataka"),
            (7, "09:00", 240, "room", "Dan 4: Grupisanje i spajanje"),
            (8, "09:00", 240, "room", "Dan 5: Vizualizacija"),
            (9, "09:00", 240, "room", "Dan 6: Završni projekat"),
        ],
        "runs": [
            {"starts_in_days": -150, "location": "novi-sad", "capacity": 20},
            {"starts_in_days": 20, "location": "novi-sad", "capacity": 24},
            {"starts_in_days": 75, "location": "beograd", "capacity": 16},
        ],
    },
    {
        "slug": "kubernetes-in-production",
        "title": "Kubernetes in Production",
        "summary": (
            "Run containerised services on Kubernetes with confidence: deployments, "
            "networking, storage, observability and safe upgrades, practised on a "
            "real multi-node cluster."
        ),
        "learning_outcomes": [
            "Design deployments, services and ingress for a multi-service application",
            "Manage configuration and secrets without baking them into images",
            "Choose persistent storage and plan backups for stateful workloads",
            "Set up metrics, logs and alerts that catch problems before users do",
            "Roll out and roll back releases with zero downtime",
        ],
        "level": "advanced",
        "language": "en",
        "format": "blended",
        "duration_hours": "32",
        "price_member": "36000",
        "price_non_member": "60000",
        "enrolment_policy": "approval",
        "attendance_threshold_percent": 75,
        "pass_mark_percent": 70,
        "topics": ["cloud-devops"],
        "instructors": ["Nenad Šćekić", "Marko Nikolić"],
        "body": [
            _heading("Who this course is for"),
            _paragraph(
                "<p>Developers and operations engineers who already ship containers "
                "and now have to keep them running. Two full-day workshops in a "
                "classroom frame four evening sessions online; between sessions you "
                "work through labs on your own cluster namespace.</p>"
            ),
            _callout(
                "warning",
                "Prerequisites",
                "<p>You should be comfortable with Docker and the Linux command "
                "line. Places are confirmed by the academy after a short "
                "questionnaire.</p>",
            ),
            _video(
                "https://www.youtube.com/watch?v=X48VuDVv0do",
                "Kubernetes tutorial for beginners (TechWorld with Nana)",
                "Optional refresher before the first workshop.",
            ),
        ],
        "modules": [
            {
                "slug": "cluster-architecture-and-workloads",
                "title": "Cluster architecture and workloads",
                "summary": "Control plane, nodes, pods, deployments and jobs.",
                "estimated_minutes": 120,
                "body": [
                    _heading("What runs where"),
                    _paragraph(
                        "<p>We take a cluster apart: the API server, the scheduler, "
                        "the kubelet, and how a deployment becomes running pods.</p>"
                    ),
                ],
                "assessments": [
                    _quiz(
                        K8S_QUIZ,
                        title="Check: cluster architecture",
                        introduction=(
                            "Four questions on what runs where. You need 70% of "
                            "the points to pass and have three attempts of 15 "
                            "minutes each."
                        ),
                        time_limit_minutes=15,
                        questions=[
                            _single(
                                "Which component decides on which node a new pod "
                                "runs?",
                                [
                                    ("kube-scheduler", True),
                                    ("kubelet", False),
                                    ("kube-proxy", False),
                                    ("etcd", False),
                                ],
                            ),
                            _multiple(
                                "Which of these objects keep a set number of pod "
                                "replicas running?",
                                [
                                    ("Deployment", True),
                                    ("StatefulSet", True),
                                    ("ConfigMap", False),
                                    ("Service", False),
                                ],
                            ),
                            _true_false(
                                "Deleting a pod that belongs to a Deployment "
                                "removes it for good.",
                                answer=False,
                            ),
                            _numeric(
                                "A Deployment with replicas: 4 is updated with "
                                "maxSurge: 1 and maxUnavailable: 0. At most how "
                                "many of its pods run at the same time during the "
                                "rollout?",
                                answer="5",
                            ),
                        ],
                    ),
                ],
            },
            {
                "slug": "networking-and-ingress",
                "title": "Networking and ingress",
                "summary": "Services, DNS, ingress controllers and network policies.",
                "estimated_minutes": 120,
                "body": [
                    _paragraph(
                        "<p>Expose an application to the outside world, terminate "
                        "TLS at the ingress and restrict traffic between namespaces "
                        "with network policies.</p>"
                    ),
                ],
                "assessments": [
                    _assignment(
                        K8S_ASSIGNMENT,
                        title="Lab: expose the shop, protect its database",
                        instructions=(
                            "<p>In your lab namespace:</p><ol>"
                            "<li>Write an Ingress that publishes the <b>frontend</b> "
                            "service at <i>shop.lab.klaster.example</i>, with TLS "
                            "from the cluster's certificate issuer.</li>"
                            "<li>Write a NetworkPolicy that lets only the <b>api</b> "
                            "pods reach PostgreSQL on port 5432.</li>"
                            "<li>Explain in a few sentences how you checked that "
                            "other pods are refused.</li></ol>"
                            "<p>Paste the manifests and your explanation as text, "
                            "or attach them as one file.</p>"
                        ),
                        max_points="20",
                        deadline_in_days=14,
                    ),
                ],
            },
            {
                "slug": "storage-and-stateful-workloads",
                "title": "Storage and stateful workloads",
                "summary": "Volumes, storage classes, StatefulSets and backups.",
                "estimated_minutes": 90,
                "body": [
                    _paragraph(
                        "<p>Run PostgreSQL on a StatefulSet, resize a volume and "
                        "restore it from a snapshot.</p>"
                    ),
                    _callout(
                        "info",
                        "Lab",
                        "<p>The lab cluster is reset every night at 02:00.</p>",
                    ),
                ],
            },
            {
                "slug": "observability-and-upgrades",
                "title": "Observability and upgrades",
                "summary": "Metrics, logs, alerts and upgrading without downtime.",
                "estimated_minutes": 120,
                "body": [
                    _paragraph(
                        "<p>Instrument a service with Prometheus, write alerts that "
                        "wake the right person, and upgrade the cluster one node "
                        "at a time.</p>"
                    ),
                ],
            },
        ],
        "schedule": [
            (0, "09:00", 240, "room", "Kick-off workshop: cluster architecture"),
            (2, "17:30", 150, "online", "Workloads and rollouts"),
            (7, "17:30", 150, "online", "Networking and ingress"),
            (9, "17:30", 150, "online", "Storage and stateful workloads"),
            (14, "17:30", 150, "online", "Observability"),
            (21, "09:00", 240, "room", "Final workshop: production drill"),
        ],
        "runs": [
            {"starts_in_days": -180, "location": "beograd", "capacity": 18},
            # Started last week: the demo's run in progress.
            {
                "starts_in_days": -10,
                "location": "novi-sad",
                "capacity": 20,
                "also_taught_by": [TEACHING_INSTRUCTOR],
            },
            {"starts_in_days": 60, "location": "nis", "capacity": 15},
        ],
    },
    {
        "slug": "secure-coding-for-web-developers",
        "title": "Secure Coding for Web Developers",
        "summary": (
            "Find and fix the vulnerabilities attackers look for first: injection, "
            "broken access control, insecure sessions and more, with exercises in "
            "Python and JavaScript."
        ),
        "learning_outcomes": [
            "Recognise the OWASP Top 10 risks during code review",
            "Prevent injection with parameterised queries and output encoding",
            "Implement authentication, sessions and access control safely",
            "Keep secrets and third-party dependencies under control",
            "Write tests that stop fixed vulnerabilities from coming back",
        ],
        "level": "intermediate",
        "language": "en",
        "format": "self_paced",
        "duration_hours": "12",
        "price_member": "9000",
        "price_non_member": "15000",
        "enrolment_policy": "open",
        "attendance_threshold_percent": 80,
        "pass_mark_percent": 70,
        "topics": ["cybersecurity", "software-development"],
        "instructors": ["Stefan Ilić"],
        "body": [
            _heading("Learn to think like an attacker"),
            _paragraph(
                "<p>Each module starts with a small vulnerable application. You "
                "break it first, then fix it and write the test that proves the "
                "fix.</p>"
            ),
            _callout(
                "info",
                "Study at your own pace",
                "<p>All modules are open from the day you enrol. Most trainees "
                "finish in three to four weeks with about three hours a week.</p>",
            ),
        ],
        "modules": [
            {
                "slug": "threat-modelling",
                "title": "Threat modelling in one hour",
                "summary": "Find what is worth protecting before writing code.",
                "estimated_minutes": 60,
                "body": [
                    _paragraph(
                        "<p>Draw a data-flow diagram of a web shop and walk through "
                        "it with STRIDE to list the threats that matter.</p>"
                    ),
                ],
            },
            {
                "slug": "injection-and-output-encoding",
                "title": "Injection and output encoding",
                "summary": "SQL injection, XSS and how frameworks help.",
                "estimated_minutes": 180,
                "body": [
                    _heading("SQL injection"),
                    _paragraph(
                        "<p>Exploit a search form, then replace string formatting "
                        "with parameterised queries.</p>"
                    ),
                    _heading("Cross-site scripting", "h3"),
                    _paragraph(
                        "<p>Why auto-escaping templates are the default, and the "
                        "three places where it does not protect you.</p>"
                    ),
                ],
            },
            {
                "slug": "authentication-and-access-control",
                "title": "Authentication and access control",
                "summary": "Passwords, sessions, tokens and object-level permissions.",
                "estimated_minutes": 180,
                "body": [
                    _paragraph(
                        "<p>Broken access control tops the OWASP list. We find an "
                        "insecure direct object reference and fix it with one "
                        "permission check used everywhere.</p>"
                    ),
                ],
            },
            {
                "slug": "secrets-and-dependencies",
                "title": "Bonus: secrets and dependencies",
                "summary": "Secret scanning, dependency audits and update policies.",
                "estimated_minutes": 90,
                "is_required": False,
                "body": [
                    _callout(
                        "tip",
                        "Optional module",
                        "<p>Not required for the certificate, but highly "
                        "recommended for team leads.</p>",
                    ),
                    _paragraph(
                        "<p>Set up secret scanning in CI and decide how quickly "
                        "dependency updates must be applied.</p>"
                    ),
                ],
            },
        ],
        "schedule": [],
        "runs": [],
    },
    {
        "slug": "osnove-sajber-bezbednosti",
        "title": "Основе сајбер безбедности за запослене",
        "summary": (
            "Бесплатан кратак курс за све запослене: како препознати фишинг, "
            "заштитити лозинке и уређаје и шта урадити када нешто пође наопако."
        ),
        "learning_outcomes": [
            "Препознавање фишинг порука и лажних веб-сајтова",
            "Коришћење менаџера лозинки и двофакторске аутентикације",
            "Безбедан рад од куће и на јавним мрежама",
            "Благовремено пријављивање безбедносног инцидента",
        ],
        "level": "beginner",
        "language": "sr",
        "format": "self_paced",
        "duration_hours": "4",
        "price_member": "0",
        "price_non_member": "0",
        "enrolment_policy": "open",
        "attendance_threshold_percent": 80,
        "pass_mark_percent": 80,
        "topics": ["cybersecurity"],
        "instructors": ["Stefan Ilić"],
        "body": [
            _heading("О курсу"),
            _paragraph(
                "<p>Већина напада почиње једним кликом. Овај курс је намењен свима "
                "у компанији, не само ИТ тиму, и не захтева никакво претходно "
                "знање.</p>"
            ),
            _callout(
                "tip",
                "Бесплатно за све",
                "<p>Курс траје око четири сата и може се прекинути и наставити "
                "у било ком тренутку.</p>",
            ),
        ],
        "modules": [
            {
                "slug": "fising",
                "title": "Фишинг и друштвени инжењеринг",
                "summary": "Како изгледају лажне поруке и зашто функционишу.",
                "estimated_minutes": 60,
                "body": [
                    _paragraph(
                        "<p>Кроз десет стварних примера учимо да проверимо "
                        "пошиљаоца, линк и хитност поруке пре него што кликнемо.</p>"
                    ),
                ],
            },
            {
                "slug": "lozinke-i-2fa",
                "title": "Лозинке и двофакторска аутентикација",
                "summary": "Менаџер лозинки и други фактор у пет минута.",
                "estimated_minutes": 60,
                "body": [
                    _paragraph(
                        "<p>Подешавамо менаџер лозинки и укључујемо двофакторску "
                        "аутентикацију на налозима који су најважнији.</p>"
                    ),
                ],
            },
            {
                "slug": "incidenti",
                "title": "Шта урадити када нешто пође наопако",
                "summary": "Кога позвати и шта не радити после сумњивог клика.",
                "estimated_minutes": 45,
                "body": [
                    _callout(
                        "warning",
                        "Не бришите поруку",
                        "<p>Сумњиву поруку проследите ИТ служби пре него што је "
                        "обришете: она им помаже да заштите и колеге.</p>",
                    ),
                ],
            },
        ],
        "schedule": [],
        "runs": [],
    },
    {
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
            _heading("Za koga je kurs"),
            _paragraph(
                "<p>Za vođe timova, produkt menadžere i članove razvojnih timova "
                "koji žele da Scrum radi za njih, a ne obrnuto.</p>"
            ),
            _callout(
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
                    _paragraph(
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
                    _paragraph(
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
                    _paragraph(
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
    },
    {
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
            _heading("Four days, one product"),
            _paragraph(
                "<p>Teams of three take a real product question from a member "
                "company through interviews, synthesis, a prototype and a round of "
                "usability tests.</p>"
            ),
            _callout(
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
                    _paragraph(
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
                    _paragraph(
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
                    _paragraph(
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
    },
    {
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
        "attendance_threshold_percent": 80,
        "pass_mark_percent": 70,
        "topics": ["data-ai"],
        "instructors": ["Milica Đorđević"],
        "body": [
            _heading("O kursu"),
            _paragraph(
                "<p>Šest nedelja, dve radionice uživo i četiri onlajn susreta. "
                "Između susreta radite na projektu uz konsultacije sa "
                "predavačicom.</p>"
            ),
            _callout(
                "warning",
                "Predznanje",
                "<p>Potrebno je dobro poznavanje Pythona i biblioteke pandas, na "
                "nivou kursa <i>Python za analizu podataka</i>.</p>",
            ),
            _video(
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
                    _paragraph(
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
                    _paragraph(
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
                    _paragraph(
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
                    _paragraph(
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
            {"starts_in_days": 50, "location": "novi-sad", "capacity": 18},
        ],
    },
    {
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
            _heading("O kursu"),
            _paragraph(
                "<p>Dva intenzivna dana za programere, testere i administratore "
                "koji Git koriste, ali mu ne veruju sasvim.</p>"
            ),
            _callout(
                "info",
                "Sertifikat",
                "<p>Za sertifikat o pohađanju potrebno je prisustvo na oba "
                "dana.</p>",
            ),
        ],
        "modules": [
            {
                "slug": "git-bez-straha",
                "title": "Git bez straha",
                "summary": "Grane, merge, rebase i vraćanje izgubljenog rada.",
                "estimated_minutes": 120,
                "body": [
                    _paragraph(
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
                    _paragraph(
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
    },
]

# Enrolment windows, in days before a run's first day.
ENROLMENT_OPENS_DAYS_BEFORE = 45
ENROLMENT_CLOSES_DAYS_BEFORE = 3

# --- Organisations ------------------------------------------------------------
# PIBs carry a valid ISO 7064 MOD 11,10 check digit (see
# enrolments/validators.py). Membership periods give (years from this year,
# month, day); `None` as the end means ongoing.

ORGANISATIONS = [
    {
        "pib": "101234569",
        "name": "Panonija Soft d.o.o.",
        "contact_name": "Dragana Vuković",
        "contact_email": "obuke@panonijasoft.example",
        "contact_phone": "+381 21 555 0101",
        "address": "Bulevar oslobođenja 30\n21000 Novi Sad",
        "membership": [{"starts": (-4, 1, 1), "ends": None}],
    },
    {
        "pib": "103456781",
        "name": "Dunav Data Systems d.o.o.",
        "contact_name": "Vladimir Milošević",
        "contact_email": "hr@dunavdata.example",
        "contact_phone": "+381 11 555 0202",
        "address": "Omladinskih brigada 88\n11070 Novi Beograd",
        "membership": [{"starts": (-1, 3, 1), "ends": None}],
    },
    {
        # A member that let its membership lapse and rejoined this year.
        "pib": "105678913",
        "name": "Nišava Tech d.o.o.",
        "contact_name": "Jovan Ristić",
        "contact_email": "kontakt@nisavatech.example",
        "contact_phone": "+381 18 555 0303",
        "address": "Obrenovićeva 12\n18000 Niš",
        "membership": [
            {"starts": (-3, 1, 1), "ends": (-1, 12, 31)},
            {"starts": (0, 1, 1), "ends": None},
        ],
    },
    {
        # A former member: its membership ended on 31 December last year.
        "pib": "107890123",
        "name": "Fruškogorski kod d.o.o.",
        "contact_name": "Sanja Babić",
        "contact_email": "office@fruskogorskikod.example",
        "contact_phone": "+381 21 555 0404",
        "address": "Sremska 5\n21131 Petrovaradin",
        "membership": [{"starts": (-3, 1, 1), "ends": (-1, 12, 31)}],
    },
    {
        "pib": "108901233",
        "name": "Vojvodina Pixel d.o.o.",
        "contact_name": "Tamara Horvat",
        "contact_email": "studio@vojvodinapixel.example",
        "contact_phone": "+381 24 555 0505",
        "address": "Korzo 8\n24000 Subotica",
        "membership": [],
    },
    {
        "pib": "110123454",
        "name": "Beoweb Studio d.o.o.",
        "contact_name": "Uroš Pavlović",
        "contact_email": "team@beoweb.example",
        "contact_phone": "+381 11 555 0606",
        "address": "Cara Dušana 44\n11000 Beograd",
        "membership": [],
    },
]

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
]

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
# `modules_done` are module slugs marked done; `quizzes` are attempts, each
# answering `correct` questions right (None: all) and the rest wrong;
# `submissions` are text answers to assignments, graded when `grade` is given.

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

K8S = "kubernetes-in-production"
PYTHON = "python-za-analizu-podataka"
GIT = "git-i-ci-cd-za-timove"
SCRUM = "agilno-upravljanje-projektima-scrum"

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
        "submissions": [
            {
                "module": "networking-and-ingress",
                "assignment": K8S_ASSIGNMENT,
                "text": (
                    "<p>The Ingress publishes frontend at "
                    "shop.lab.klaster.example with the lab issuer's "
                    "certificate.</p><p>The NetworkPolicy selects the postgres "
                    "pods and allows ingress from app=api only. I tested it by "
                    "connecting from the frontend pod, which was refused.</p>"
                ),
                "grade": None,
            }
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
    {"trainee": MARIJA, "course": PYTHON, "run": 20, "status": "confirmed"},
    {"trainee": ANA, "course": PYTHON, "run": 20, "status": "cancelled"},
    {"trainee": IVANA, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": NIKOLA, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": PETAR, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": MILOS, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": ANA, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": MARIJA, "course": GIT, "run": 10, "status": "confirmed"},
    {"trainee": TEODORA, "course": GIT, "run": 10, "status": "waitlisted"},
    {"trainee": JOVANA, "course": SCRUM, "run": 30, "status": "pending"},
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

# Printed at the end of the command; each must be one of the accounts above.
DEMO_LOGINS = [
    ("Admin", ADMIN["username"], ADMIN["password"]),
    ("Office", OFFICE["username"], OFFICE["password"]),
    ("Instructor", "milica@academy.local", INSTRUCTOR_PASSWORD),
    ("Trainee", "djordje.petrovic@panonijasoft.example", TRAINEE_PASSWORD),
]


# --- Certificates -------------------------------------------------------------
# One template per kind and language (any audience), so every trainee gets a
# certificate in the language they prefer; members get their own wording.
SIGNATORY = {
    "en": ("Milica Đorđević", "Director of the Academy"),
    "sr-latn": ("Milica Đorđević", "Direktorka akademije"),
    "sr": ("Милица Ђорђевић", "Директорка академије"),
}
CERTIFICATE_TEMPLATES = [
    # (kind, audience, language, name, heading, statement)
    ("completion", "any", "en", "Completion (English)",
     "Certificate of completion", "has successfully completed the course"),
    ("completion", "any", "sr-latn", "Završetak (latinica)",
     "Sertifikat o završenoj obuci", "je uspešno završio/la obuku"),
    ("completion", "any", "sr", "Завршетак (ћирилица)",
     "Сертификат о завршеној обуци", "је успешно завршио/ла обуку"),
    ("attendance", "any", "en", "Attendance (English)",
     "Certificate of attendance", "attended the course"),
    ("attendance", "any", "sr-latn", "Pohađanje (latinica)",
     "Potvrda o pohađanju obuke", "je pohađao/la obuku"),
    ("attendance", "any", "sr", "Похађање (ћирилица)",
     "Потврда о похађању обуке", "је похађао/ла обуку"),
    ("completion", "member", "en", "Completion, cluster members (English)",
     "Certificate of completion",
     "a member of the ICT cluster, has successfully completed the course"),
]  # fmt: skip
# The first certificate was printed with an ASCII name, then reissued with the
# name as the trainee wrote it; another was revoked after a register correction.
MISSPELT_NAME = "Djordje Petrovic"
REVOCATION_REASON = "Issued in error: the register was corrected afterwards."
