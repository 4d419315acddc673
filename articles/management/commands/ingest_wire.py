import logging
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from articles.ingest.formats import ATTACHMENT_SUFFIXES
from articles.ingest.mapping import Mapper
from articles.models import WireService
from articles.services.dropfolder import DropFolder
from articles.services.ingest import receive

logger = logging.getLogger(__name__)
FAILED = "failed"
NOT_COPY_SUFFIXES = {".md", ".rst"}


def _skipped_in_folder(relative):
    """Pictures (taken with their stories), hidden files and folders, and the folder's own notes."""
    if any(part.startswith(".") for part in relative.parts):
        return True
    return relative.suffix.lower() in ATTACHMENT_SUFFIXES | NOT_COPY_SUFFIXES or relative.stem.upper() == "README"


class Command(BaseCommand):
    help = (
        "Ingest agency wire files (plain text, NITF, ninjs, NewsML-G2). Give files or folders; prints one line per "
        "file and a summary, and exits non-zero if any file was rejected or failed. With --watch DIR, polls a drop "
        "folder and moves each file to DIR/done/ or DIR/failed/."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files or folders to ingest.")
        parser.add_argument("--watch", metavar="DIR", help="Poll this drop folder.")
        parser.add_argument(
            "--agency",
            metavar="SLUG",
            help="The agency whose files these are (its slug): the channel. A file naming another agency is "
            "refused unless this agency may distribute it. Without it, each file's own provider decides.",
        )
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls (default 2).")
        parser.add_argument(
            "--once",
            action="store_true",
            help="With --watch: look twice, --interval apart, process what is there and still, then stop.",
        )

    def handle(self, *args, paths=(), watch=None, interval=2.0, once=False, agency=None, **options):
        channel = self._channel(agency)
        if watch:
            return self._watch(Path(watch), interval, once, channel)
        if not paths:
            raise CommandError("Give files or folders to ingest, or --watch DIR.")
        mapper, counts = Mapper(), {}
        for path in self._files(paths, counts):
            # One file that cannot be read (or a bug it meets) must not stop the others.
            try:
                items = receive(path.read_bytes(), filename=path.name, source=f"command:{path}",
                                base_dir=path.parent, mapper=mapper, channel=channel)  # fmt: skip
            except Exception as error:  # said on the file's line; the traceback goes to the log
                logger.exception("Could not ingest %s", path)
                self._failed(path, error, counts)
                continue
            self._report(path, items, counts)
        self._summary(counts)
        if counts.get("rejected") or counts.get(FAILED):
            raise SystemExit(1)

    @staticmethod
    def _channel(slug):
        if not slug:
            return None
        channel = WireService.objects.filter(slug=slug).first()
        if channel is None:
            known = ", ".join(WireService.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No agency with the slug “{slug}”. Known: {known}.")
        return channel

    def _files(self, paths, counts):
        """
        The files named, and those in the folders named. In a folder, pictures wait
        for their stories, and hidden files and notes (README, *.md) are not copy.
        """
        for name in paths:
            path = Path(name)
            if path.is_dir():
                found = (p for p in path.rglob("*") if p.is_file() and not _skipped_in_folder(p.relative_to(path)))
                yield from sorted(found)
            elif path.exists():
                yield path
            else:
                self._failed(path, "no such file or folder", counts)

    def _failed(self, path, error, counts):
        counts[FAILED] = counts.get(FAILED, 0) + 1
        self.stdout.write(self.style.ERROR(f"{path}: failed ({error})"))

    def _report(self, path, items, counts):
        for item in items:
            counts[item.outcome] = counts.get(item.outcome, 0) + 1
            detail = f" ({item.error})" if item.error else ""
            story = f" “{item.headline}”" if item.headline else ""
            line = f"{path}: {item.get_outcome_display().lower()}{story}{detail}"
            self.stdout.write(self.style.ERROR(line) if item.outcome == "rejected" else line)

    def _summary(self, counts):
        total = sum(counts.values())
        parts = ", ".join(f"{count} {outcome.replace('_', ' ')}" for outcome, count in sorted(counts.items()))
        self.stdout.write(f"{total} stories: {parts or 'nothing to do'}.")

    def _watch(self, folder, interval, once, channel=None):
        drop = DropFolder(folder, channel=channel)
        self.stdout.write(f"Watching {folder} (done/ and failed/ beside it). Ctrl-C to stop.")
        polls = 0
        try:
            while True:
                self._poll(drop)
                polls += 1
                # A file is taken once it stood still between two polls, so --once looks twice.
                if once and polls == 2:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")

    def _poll(self, drop):
        # A watcher runs for months: drop a connection broken by a database restart, or past
        # CONN_MAX_AGE, between polls (never inside a transaction, as in a test).
        if not connection.in_atomic_block:
            close_old_connections()
        try:
            for path, items in drop.process_pending():
                self._report(path, items, {})
        except Exception:  # keep watching; the next poll tries again, and the log says what went wrong
            logger.exception("Drop folder %s: a poll failed", drop.folder)
