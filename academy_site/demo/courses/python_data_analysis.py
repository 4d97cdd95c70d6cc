"""Python za analizu podataka (python-za-analizu-podataka): the course page, its modules
with their quizzes and assignments, and its runs.
"""

from academy_site.demo.blocks import (
    assignment,
    callout,
    heading,
    multiple,
    numeric,
    paragraph,
    quiz,
    single,
    true_false,
    video,
)

# Fixed block ids: trainees' attempts and submissions name them.
PYTHON_QUIZ = "demo-quiz-python-1"
PYTHON_PROJECT = "demo-assignment-python-project"

COURSE = {
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
    # The libraries move fast: a certificate is valid for six months, so the
    # one earned in the spring run expires within 90 days (its holder is
    # reminded; the admin dashboard lists it).
    "certificate_validity_months": 6,
    "topics": ["data-ai", "software-development"],
    "instructors": ["Milica Đorđević"],
    "body": [
        heading("O kursu"),
        paragraph(
            "<p>Šest radionica uživo u kojima od prvog dana radite sa pravim "
            "podacima: prodajom, zalihama i anketama. Kurs je namenjen "
            "analitičarima, inženjerima i menadžerima koji danas rade u "
            "Excelu, a žele da analize ponavljaju brže i pouzdanije.</p>"
        ),
        callout(
            "tip",
            "Šta je potrebno",
            "<p>Laptop sa najmanje <b>8 GB RAM-a</b>. Python i Jupyter "
            "instaliramo zajedno prvog dana.</p>",
        ),
        video(
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
                heading("Prvi koraci"),
                paragraph(
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
                heading("DataFrame"),
                paragraph(
                    "<p>Učitavamo izveštaj o zalihama iz Excela, pronalazimo "
                    "duplikate i nedostajuće vrednosti i ispravljamo tipove "
                    "kolona.</p>"
                ),
                callout(
                    "warning",
                    "Čest problem",
                    "<p>Datumi u formatu <i>dd.mm.gggg.</i> učitavaju se kao "
                    "tekst dok ne navedete <code>dayfirst=True</code>.</p>",
                ),
            ],
            "assessments": [
                quiz(
                    PYTHON_QUIZ,
                    title="Provera znanja: učitavanje i čišćenje",
                    introduction=(
                        "Četiri kratka pitanja o radu sa DataFrame-om. Za "
                        "prolaz je potrebno 60% poena; imate tri pokušaja."
                    ),
                    questions=[
                        single(
                            "Kojom funkcijom učitavate CSV datoteku u DataFrame?",
                            [
                                ("pd.read_csv()", True),
                                ("pd.load_csv()", False),
                                ("pd.DataFrame.from_text()", False),
                                ("open().to_frame()", False),
                            ],
                        ),
                        multiple(
                            "Koje metode za svaku ćeliju vraćaju True ako "
                            "vrednost nedostaje?",
                            [
                                ("df.isna()", True),
                                ("df.isnull()", True),
                                ("df.dropna()", False),
                                ("df.fillna(0)", False),
                            ],
                        ),
                        true_false(
                            "Bez argumenta inplace=True metoda drop_duplicates() "
                            "menja originalni DataFrame.",
                            answer=False,
                        ),
                        numeric(
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
                paragraph(
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
                paragraph(
                    "<p>Izaberite skup podataka iz svoje kompanije ili sa "
                    "portala otvorenih podataka i pripremite kratak izveštaj "
                    "sa tri zaključka i grafikonima.</p>"
                ),
                # Optional: the course is completed by the quiz; the project
                # is for feedback. A data course takes notebooks and code.
                assignment(
                    PYTHON_PROJECT,
                    title="Završni projekat: analiza",
                    instructions=(
                        "<p>Predajte Jupyter svesku (.ipynb) sa analizom, ili "
                        "skriptu i izveštaj u PDF-u, spakovane u ZIP.</p>"
                    ),
                    max_points="100",
                    deadline_in_days=40,
                    required=False,
                    file_kinds=["notebooks", "code", "documents", "archives"],
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
}
