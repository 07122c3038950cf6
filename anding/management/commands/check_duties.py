"""`manage.py check_duties`: fails (exit 1) on any breach of the separation of duties (anding.duties): a user with
two administrator roles, an administrator with a position or a personal-data permission, an administrator group
whose permissions differ from the documented ones, a superuser not listed in BREAK_GLASS_SUPERUSERS, or an active
account with a default or shared name (settings.RESERVED_USERNAMES: admin, root, test ...)."""

from django.core.management.base import BaseCommand, CommandError

from anding.duties import duty_problems


class Command(BaseCommand):
    help = "Check the separation of duties: one administrator role a person, no superuser outside break-glass."

    def handle(self, *args, **options):
        problems = duty_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} breach(es) of the separation of duties.")
        self.stdout.write("Separation of duties: no breach.")
