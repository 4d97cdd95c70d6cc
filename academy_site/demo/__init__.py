"""The demo academy as plain data, loaded by `manage.py load_demo_academy`
(academy_site/demo/load/).

Kept apart from the loader so the content can be read and edited without
reading database code: one module per course (courses/), one for each
shared thing (site, people, organisations, translations, enrolments,
certificates). Nothing here touches the database.

Dates are not fixed: runs give their start as days from the day of loading
(`starts_in_days`, moved on to the next Monday) and sessions as days from the
run's start, and membership periods give years relative to the current year.
The demo therefore always has ended runs, a run in progress and runs still
taking enrolments, whenever it is loaded.

Every person, company, address and e-mail domain is invented; `.example` and
`.local` domains cannot receive mail.
"""
