import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.ingest.formats import ATTACHMENT_SUFFIXES
from articles.ingest.mapping import Mapper
from articles.services.dropfolder import DropFolder
from articles.services.ingest import receive


class Command(BaseCommand):
    help = (
        "Ingest agency wire files (plain text, NITF, ninjs, NewsML-G2). Give files or folders; prints one line per "
        "file and a summary, and exits non-zero if any file was rejected. With --watch DIR, polls a drop folder and "
        "moves each file to DIR/done/ or DIR/failed/."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files or folders to ingest.")
        parser.add_argument("--watch", metavar="DIR", help="Poll this drop folder.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls (default 2).")
        parser.add_argument("--once", action="store_true", help="With --watch: process what is there, then stop.")

    def handle(self, *args, paths=(), watch=None, interval=2.0, once=False, **options):
        if watch:
            return self._watch(Path(watch), interval, once)
        if not paths:
            raise CommandError("Give files or folders to ingest, or --watch DIR.")
        files = []
        for name in paths:
            path = Path(name)
            if not path.exists():
                raise CommandError(f"No such file or folder: {path}")
            if path.is_dir():
                found = path.rglob("*")
                files += sorted(p for p in found if p.is_file() and p.suffix.lower() not in ATTACHMENT_SUFFIXES)
            else:
                files.append(path)
        mapper, counts = Mapper(), {}
        for path in files:
            items = receive(path.read_bytes(), filename=path.name, source=f"command:{path}",
                            base_dir=path.parent, mapper=mapper)  # fmt: skip
            self._report(path, items, counts)
        self._summary(counts)
        if counts.get("rejected"):
            raise SystemExit(1)

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

    def _watch(self, folder, interval, once):
        drop = DropFolder(folder)
        self.stdout.write(f"Watching {folder} (done/ and failed/ beside it). Ctrl-C to stop.")
        try:
            while True:
                for path, items in drop.process_pending():
                    self._report(path, items, {})
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
