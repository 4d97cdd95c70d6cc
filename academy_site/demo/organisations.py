"""The cluster's member and non-member organisations."""

# PIBs carry a valid ISO 7064 MOD 11,10 check digit (see
# enrolments/validators.py). Membership periods give (years from this year,
# month, day); `None` as the end means ongoing. `domains` are the verified
# e-mail domains that confirm staff at once; Beoweb has none, so its staff
# wait for the academy (one is confirmed by the office in the demo).

ORGANISATIONS = [
    {
        "pib": "101234569",
        "domains": ["panonijasoft.example"],
        "name": "Panonija Soft d.o.o.",
        "contact_name": "Dragana Vuković",
        "contact_email": "obuke@panonijasoft.example",
        "contact_phone": "+381 21 555 0101",
        "address": "Bulevar oslobođenja 30\n21000 Novi Sad",
        "membership": [{"starts": (-4, 1, 1), "ends": None}],
    },
    {
        "pib": "103456781",
        "domains": ["dunavdata.example"],
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
        "domains": ["nisavatech.example"],
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
        "domains": ["fruskogorskikod.example"],
        "name": "Fruškogorski kod d.o.o.",
        "contact_name": "Sanja Babić",
        "contact_email": "office@fruskogorskikod.example",
        "contact_phone": "+381 21 555 0404",
        "address": "Sremska 5\n21131 Petrovaradin",
        "membership": [{"starts": (-3, 1, 1), "ends": (-1, 12, 31)}],
    },
    {
        "pib": "108901233",
        "domains": ["vojvodinapixel.example"],
        "name": "Vojvodina Pixel d.o.o.",
        "contact_name": "Tamara Horvat",
        "contact_email": "studio@vojvodinapixel.example",
        "contact_phone": "+381 24 555 0505",
        "address": "Korzo 8\n24000 Subotica",
        "membership": [],
    },
    {
        "pib": "110123454",
        "domains": [],
        "name": "Beoweb Studio d.o.o.",
        "contact_name": "Uroš Pavlović",
        "contact_email": "team@beoweb.example",
        "contact_phone": "+381 11 555 0606",
        "address": "Cara Dušana 44\n11000 Beograd",
        "membership": [],
    },
]
