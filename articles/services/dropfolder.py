"""
A drop folder, as agencies' FTP deliveries use: files land in DIR, and each
moves to DIR/done/ or DIR/failed/ once ingested.

What is taken, and when:
- Regular files only. A symbolic link, FIFO, socket or device is never opened
  or followed: it is moved to failed/ and listed on the wire desk with the
  reason. Folders are left where they are (and logged once).
- Not names starting with "." or ending in .tmp or .part: uploads in progress
  under a temporary name (rsync, most FTP clients) are taken once renamed.
- Only once a file's size and modification time are the same on two polls in a
  row, so a file still being written in place is not taken half-way.
- Pictures (.jpg, .png…) wait beside the stories that name them and go with them.

Crash safety: a file is first moved (an atomic rename) into DIR/processing/,
beside a small state file (.NAME.state) saying which wire items existed before
it and how many runs have started on it. If the process dies there, the next
run resumes the file: the stories it had applied are not applied again, and it
moves to done/ only once every story in it has its item. A file on which the
process died MAX_ATTEMPTS times in a row without getting one story further is
set aside in failed/ with the reason, so a file that kills the process is not
retried forever. An error that does not kill the process sets the file aside
at once; only a database that cannot be reached makes it wait for the next poll.
"""

import hashlib
import json
import logging
import os
import stat
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from ..ingest.formats import ATTACHMENT_SUFFIXES
from ..ingest.mapping import Mapper
from ..models import WireItem
from .ingest import keep_refused, receive

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
TEMPORARY_SUFFIXES = (".tmp", ".part")


class DropFolder:
    def __init__(self, folder, *, channel=None):
        self.folder = Path(folder)
        self.channel = channel  # the agency whose folder this is: see services.ingest.resolve_agency
        self.processing = self.folder / "processing"
        self.done = self.folder / "done"
        self.failed = self.folder / "failed"
        for sub in (self.processing, self.done, self.failed):
            sub.mkdir(parents=True, exist_ok=True)
        self._last_seen = {}  # name → (size, modification time) at the previous poll
        self._folders_logged = set()

    def process_pending(self):
        """Ingest what is ready; yields (path, items) for each file taken or refused."""
        mapper = Mapper()
        for path in self.not_files():
            yield path, [self._refuse(path)]
        for path in self.pending():
            items = self._process_safely(path, mapper)
            if items is None:
                return  # the database is out of reach: every file would fail the same way
            yield path, items

    # Which entries. ----------------------------------------------------------------------------

    def pending(self):
        """Files to take now: leftovers from a crash first, then arrivals that stood still since the last poll."""
        leftovers = [
            entry for entry in _entries(self.processing) if not entry.name.startswith(".") and _is_regular(entry)
        ]
        seen, arrivals = {}, []
        for entry in self._candidates():
            if not _is_regular(entry) or Path(entry.name).suffix.lower() in ATTACHMENT_SUFFIXES:
                continue
            info = entry.stat(follow_symlinks=False)
            seen[entry.name] = (info.st_size, info.st_mtime_ns)
            if self._last_seen.get(entry.name) == seen[entry.name]:
                arrivals.append(entry)
        self._last_seen = seen
        return [Path(entry.path) for entry in leftovers + arrivals]

    def not_files(self):
        """Links, FIFOs, sockets and devices in the folder: refused, never opened or followed."""
        odd = []
        for entry in self._candidates():
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in ("processing", "done", "failed") and entry.name not in self._folders_logged:
                    self._folders_logged.add(entry.name)
                    logger.warning("Drop folder %s: left the folder %s alone", self.folder, entry.name)
            elif not _is_regular(entry):
                odd.append(Path(entry.path))
        return odd

    def _candidates(self):
        """What lies in the folder, but for hidden files and uploads under a temporary name."""
        return [entry for entry in _entries(self.folder)
                if not entry.name.startswith(".") and not entry.name.endswith(TEMPORARY_SUFFIXES)]  # fmt: skip

    # Taking a file. ----------------------------------------------------------------------------

    def process(self, path, *, mapper=None):
        """Ingest one file (an arrival, or a leftover from a crash), then move it on. Returns its items."""
        working = self.processing / path.name
        source = f"drop:{self.folder}/{path.name}"
        if path != working:
            self._write_state(working, {"since": _last_item_pk(), "attempts": 0, "made": 0})
            path.rename(working)
        state = self._read_state(working)
        made = self._made_before(working, source, state)
        if len(made) > state["made"]:
            state["attempts"] = 0  # the run that died got further than the one before: not stuck
        if state["attempts"] >= MAX_ATTEMPTS:
            reason = _(
                "The process stopped %(count)d times in a row while ingesting this file, so it was set aside. "
                "Stories it had already applied stay; look at the file before retrying it."
            ) % {"count": state["attempts"]}
            return [self._set_aside(working, reason)]
        self._write_state(working, {**state, "attempts": state["attempts"] + 1, "made": len(made)})
        items = receive(working.read_bytes(), filename=path.name, source=source, base_dir=self.folder,
                        mapper=mapper, already_made=made, channel=self.channel)  # fmt: skip
        self._finish(working, items)
        return items

    def _process_safely(self, path, mapper):
        """`process`, with any error but an unreachable database turned into a refusal; None for that one."""
        working = self.processing / path.name
        try:
            return self.process(path, mapper=mapper)
        except (OperationalError, InterfaceError):
            # Nothing is wrong with the file: it waits in processing/ for the next poll, and
            # this try does not count towards giving up on it (the process did not die).
            logger.exception("Drop folder %s: the database is out of reach; %s waits", self.folder, path.name)
            self._count_attempt(working, -1)
            return None
        except Exception as error:  # the file is set aside, and the traceback goes to the log
            logger.exception("Drop folder %s: could not ingest %s", self.folder, path.name)
            where = working if working.exists() else path
            if not where.exists():  # gone before it could be taken (deleted by the agency): nothing to keep
                self._state_path(working).unlink(missing_ok=True)
                return []
            return [self._set_aside(where, _("Could not be ingested: %(error)s") % {"error": error})]

    def _finish(self, working, items):
        rejected = any(item.outcome == WireItem.Outcome.REJECTED for item in items)
        self._state_path(working).unlink(missing_ok=True)
        self._move(working, self.failed if rejected else self.done)
        for item in items:  # the pictures this story brought go with it
            for image in item.data.get("images", []):
                picture = self.folder / Path(image.get("href", "")).name
                if image.get("href") and picture.is_file() and not picture.is_symlink():
                    self._move(picture, self.done)

    def _made_before(self, working, source, state):
        """The items earlier runs on this very delivery made, in order (none for an arrival)."""
        items = WireItem.objects.filter(source=source[: WireItem._meta.get_field("source").max_length])
        if state["since"] is None:  # a leftover without a state file: known by its bytes
            items = items.filter(checksum=hashlib.sha256(working.read_bytes()).hexdigest())
        else:
            items = items.filter(pk__gt=state["since"])
        return list(items.order_by("pk"))

    # Refusing. ---------------------------------------------------------------------------------

    def _refuse(self, path):
        """A link or special file: moved to failed/ unopened, and listed on the wire desk."""
        kind = _("a symbolic link") if path.is_symlink() else _("a special file (FIFO, socket or device)")
        reason = _("%(name)s is %(kind)s, not a regular file; the drop folder never opens or follows those.") % {
            "name": path.name,
            "kind": kind,
        }
        logger.warning("Drop folder %s: %s", self.folder, reason)
        item = keep_refused(b"", filename=path.name, source=f"drop:{self.folder}/{path.name}", reason=reason)
        self._move(path, self.failed)
        return item

    def _set_aside(self, path, reason):
        """Move a file to failed/ without reading it as a story, and keep it (up to the size limit) with why."""
        try:
            with path.open("rb") as file:
                data = file.read(settings.WIRE_MAX_BYTES)
        except OSError:
            data = b""
        item = keep_refused(data, filename=path.name, source=f"drop:{self.folder}/{path.name}", reason=reason)
        self._state_path(path).unlink(missing_ok=True)
        self._move(path, self.failed)
        return item

    # The state file beside a file in processing/. ----------------------------------------------

    def _state_path(self, working):
        return working.with_name(f".{working.name}.state")

    def _read_state(self, working):
        try:
            return {"since": None, "attempts": 0, "made": 0, **json.loads(self._state_path(working).read_text())}
        except (OSError, ValueError):
            return {"since": None, "attempts": 0, "made": 0}

    def _write_state(self, working, state):
        """Written whole or not at all (a rename), so a crash never leaves half a state."""
        target = self._state_path(working)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_text(json.dumps(state))
        os.replace(temporary, target)

    def _count_attempt(self, working, change):
        if working.exists():
            state = self._read_state(working)
            self._write_state(working, {**state, "attempts": max(0, state["attempts"] + change)})

    @staticmethod
    def _move(path, folder):
        target = folder / path.name
        counter = 1
        while target.exists() or target.is_symlink():  # the same file name delivered twice: keep both
            target = folder / f"{path.stem}.{counter}{path.suffix}"
            counter += 1
        path.rename(target)  # a link moves as a link: nothing is opened or followed


def _entries(folder):
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _is_regular(entry):
    """A regular file, its link (if it is one) not followed."""
    try:
        return stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode)
    except OSError:  # gone since the folder was listed
        return False


def _last_item_pk():
    return WireItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
