"""The demo's courses, one module each, in catalogue order.

`schedule` lists the sessions every run of the course has, as (day, start
time, minutes, where, title): `day` counts from the run's first day (a
Monday), `where` is "room" (the run's venue) or "online". A run ends on the
day of its last session. `runs` give the start in days from today, the venue
and the seats, and `also_taught_by` names instructors who teach that run
besides the course's own. Self-paced courses have no runs. A module's
`assessments` are its quiz and assignment blocks (academy_site/demo/blocks.py).
"""

from academy_site.demo.courses import (
    cyber_security_basics,
    git_ci_cd,
    kubernetes_in_production,
    machine_learning,
    python_data_analysis,
    scrum,
    secure_coding,
    ux_research,
)

COURSES = [
    python_data_analysis.COURSE,
    kubernetes_in_production.COURSE,
    secure_coding.COURSE,
    cyber_security_basics.COURSE,
    scrum.COURSE,
    ux_research.COURSE,
    machine_learning.COURSE,
    git_ci_cd.COURSE,
]

# Enrolment windows, in days before a run's first day.
ENROLMENT_OPENS_DAYS_BEFORE = 45
ENROLMENT_CLOSES_DAYS_BEFORE = 3
