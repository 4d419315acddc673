from django.core.management.base import BaseCommand

from articles.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Empty the search index and fill it again from the stories readers may search. Run it after changing "
        "SEARCH_CONFIG, or if the index is ever out of step. Searches wait for it on SQLite."
    )

    def handle(self, *args, **options):
        indexed = rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} stories."))
