from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from articles.services.trash import purge


class Command(BaseCommand):
    help = (
        "Delete for good the stories that have been in the Trash for more than --older-than days, with their "
        "revisions, history and corrections. Each leaves one audit entry naming it. Run it from cron, daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, required=True, metavar="DAYS", help="Purge stories trashed more than DAYS ago."
        )
        parser.add_argument("--dry-run", action="store_true", help="List what would be purged; change nothing.")

    def handle(self, *args, older_than, dry_run=False, **options):
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more days.")
        stories = purge(older_than=timedelta(days=older_than), dry_run=dry_run)
        verb = "Would purge" if dry_run else "Purged"
        for story in stories:
            headline = story["headline"] or "(no headline)"
            self.stdout.write(f"{verb}: {headline} (#{story['article']}, in the Trash since {story['trashed_at']})")
        self.stdout.write(self.style.SUCCESS(f"{len(stories)} {'to purge' if dry_run else 'purged'}."))
