from django.core.management.base import BaseCommand

from articles.services.publishing import publish_due


class Command(BaseCommand):
    help = (
        "Record Scheduled → Published for stories whose publish time has passed. Readers already see them "
        "(visibility is a query on the time); this writes the audit entry and revision. Safe to run from cron "
        "every minute, and concurrently."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the stories that are due; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        published, skipped = publish_due(dry_run=dry_run)
        verb = "Due" if dry_run else "Published"
        for story in published:
            self.stdout.write(f"{verb}: {story} (#{story.pk}, {story.published_at:%Y-%m-%d %H:%M %Z})")
        for story, reason in skipped:
            self.stderr.write(f"Skipped: {story} (#{story.pk}): {reason}")
        summary = f"{len(published)} {'due' if dry_run else 'published'}, {len(skipped)} skipped."
        self.stdout.write(self.style.SUCCESS(summary) if not skipped else self.style.WARNING(summary))
