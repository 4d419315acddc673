from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.demo.generator import IMAGE_POOL, generate_stories


class Command(BaseCommand):
    help = (
        "Add N invented stories (ten years of a paper: sections, staff, agencies, tags, pictures) for "
        "measuring pages at scale. Bulk-written, not through the desk's services: never on a real newsroom."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="how many stories to add")
        parser.add_argument("--seed", type=int, default=None, help="the same seed gives the same stories")
        parser.add_argument(
            "--pictures", type=int, default=IMAGE_POOL, help=f"lead pictures to share (default {IMAGE_POOL})"
        )
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off (a benchmark database)")

    def handle(self, *args, count, seed, pictures, force, **options):
        # Invented stories published under the paper's name must never reach a live site by accident.
        if not (settings.DEBUG or force):
            raise CommandError(
                "generate_stories fills the database with invented stories. It runs only with DEBUG on, "
                "or with --force on a database you mean to throw away."
            )
        if count < 0:
            raise CommandError("N must be zero or more.")
        report = generate_stories(count, seed=seed, images=pictures, progress=self.stdout.write)
        self.stdout.write(
            f"Added {report.created:,} stories ({report.published:,} published) in {report.seconds:.1f} s."
        )
