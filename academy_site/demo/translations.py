"""Serbian Latin translations of the demo's English pages."""

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
