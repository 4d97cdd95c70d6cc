"""`manage.py roles_sync`: make the role groups (academy_site/roles.py) and the
course teams (courses/services.py) match their definitions again, e.g. after
pages or runs were changed outside the admin or someone edited a role group
by hand. Safe to run at any time."""

from django.core.management.base import BaseCommand

from academy_site.roles import roles_sync
from courses.services import course_teams_prune, course_teams_sync


class Command(BaseCommand):
    help = (
        "Create or update the Academy admins, Instructors and Trainees groups "
        "and each course's team."
    )

    def handle(self, *args, **options):
        counts = roles_sync()
        teams = course_teams_sync()
        pruned = course_teams_prune()
        if options["verbosity"]:
            for name, count in counts.items():
                self.stdout.write(f"{name}: {count} permissions")
            self.stdout.write(f"Course teams: {teams} synced, {pruned} removed")
