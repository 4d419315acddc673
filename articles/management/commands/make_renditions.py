from django.core.management.base import BaseCommand

from articles.models import Image
from articles.renditions import backfill


class Command(BaseCommand):
    help = (
        "Make the renditions pictures lack (those uploaded before renditions existed, or whose last attempt "
        "failed) and drop stale ones; originals stored before they were cleaned get a clean copy (no EXIF, GPS "
        "or XMP) and the old file is deleted. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("image_ids", nargs="*", type=int, metavar="ID", help="Only these pictures.")

    def handle(self, *args, image_ids=(), **options):
        images = Image.objects.filter(pk__in=image_ids) if image_ids else Image.objects.all()
        counts = backfill(images.order_by("pk"))
        self.stdout.write(
            f"{counts['pictures']} pictures: {counts['cleaned']} originals cleaned of metadata, "
            f"{counts['made']} renditions made, {counts['removed']} stale removed, "
            f"{counts['up_to_date']} pictures already up to date, {counts['failed']} failed."
        )
        if counts["failed"]:
            self.stdout.write(self.style.WARNING("Pages show the original of those that failed; see the log."))
