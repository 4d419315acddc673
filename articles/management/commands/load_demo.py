from django.conf import settings
from django.core.management.base import BaseCommand

from articles.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (sections, agencies, staff, stories and the reference Kyodo story). "
        "Safe to run again: it only adds what is missing. Demo logins are created only when DEBUG is on."
    )

    def handle(self, *args, **options):
        report = load_demo(with_logins=settings.DEBUG)
        if report.created:
            self.stdout.write(f"Created {len(report.created)} demo objects:")
            for line in report.created:
                self.stdout.write(f"  + {line}")
        else:
            self.stdout.write("The demo newsroom is already loaded; nothing to do.")
        if report.logins:
            self.stdout.write("\nDemo logins (DEBUG only):")
            for username, password, role, sign_in in report.logins:
                self.stdout.write(
                    f"  {role:<16} {username:<11} password: {password:<21} at http://127.0.0.1:8000{sign_in}"
                )
        elif not settings.DEBUG:
            self.stdout.write("DEBUG is off, so no demo logins were created. Use `manage.py createsuperuser`.")
