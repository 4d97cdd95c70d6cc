# Serbian puts a date's month in the genitive after the day: "25. decembra
# 2026.", not Django's "25. decembar 2026.". "E" is Django's alternative month
# name (context "alt. month"), which the academy's catalogue translates into
# the genitive (academy_site/formats/months.py). Django's own Serbian formats
# serve every format not named here.
DATE_FORMAT = "j. E Y."
DATETIME_FORMAT = "j. E Y. H:i"
MONTH_DAY_FORMAT = "j. E"
