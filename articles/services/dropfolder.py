"""
A drop folder, as agencies' FTP deliveries use: files land in DIR, and each
moves to DIR/done/ or DIR/failed/ once ingested.

Crash safety: a file is first moved (an atomic rename) into DIR/processing/.
If the process dies there, the next run finds it in processing/: if its
checksum is already on the wire desk it was ingested and moves to done/;
otherwise it is ingested again. Nothing is lost, nothing is doubled.
"""

import hashlib
import shutil
from pathlib import Path

from ..ingest.formats import ATTACHMENT_SUFFIXES
from ..ingest.mapping import Mapper
from ..models import WireItem
from .ingest import receive


class DropFolder:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.processing = self.folder / "processing"
        self.done = self.folder / "done"
        self.failed = self.folder / "failed"
        for sub in (self.processing, self.done, self.failed):
            sub.mkdir(parents=True, exist_ok=True)

    def pending(self):
        """Files waiting: left over from a crash first, then new arrivals (not hidden or partial uploads)."""
        leftovers = sorted(p for p in self.processing.iterdir() if p.is_file())
        arrivals = sorted(
            p
            for p in self.folder.iterdir()
            if p.is_file()
            and not p.name.startswith(".")
            and not p.name.endswith((".tmp", ".part"))
            and p.suffix.lower() not in ATTACHMENT_SUFFIXES
        )
        return leftovers + arrivals

    def process_pending(self):
        mapper = Mapper()
        for path in self.pending():
            yield path, self.process(path, mapper=mapper)

    def process(self, path, *, mapper=None):
        working = self.processing / path.name
        if path != working:
            path.rename(working)
        data = working.read_bytes()
        source = f"drop:{self.folder}/{path.name}"
        items = self._already_ingested(data, source)
        if items is None:
            items = receive(data, filename=path.name, source=source, base_dir=self.folder, mapper=mapper)
        rejected = any(item.outcome == WireItem.Outcome.REJECTED for item in items)
        self._move(working, self.failed if rejected else self.done)
        for item in items:  # the pictures this story brought go with it
            for image in item.data.get("images", []):
                picture = self.folder / Path(image.get("href", "")).name
                if image.get("href") and picture.is_file():
                    self._move(picture, self.done)
        return items

    def _already_ingested(self, data, source):
        """After a crash between ingest and the move: the items this very delivery already made."""
        checksum = hashlib.sha256(data).hexdigest()
        items = list(WireItem.objects.filter(checksum=checksum, source=source))
        return items or None

    @staticmethod
    def _move(path, folder):
        target = folder / path.name
        counter = 1
        while target.exists():  # the same file name delivered twice: keep both
            target = folder / f"{path.stem}.{counter}{path.suffix}"
            counter += 1
        shutil.move(str(path), target)
