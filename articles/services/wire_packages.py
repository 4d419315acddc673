"""
Zip packages from agencies: stories with the pictures they name.

A package is refused whole, before anything is written to disk, when it holds
more than WIRE_PACKAGE_MAX_FILES entries, a file over WIRE_MAX_BYTES, another
zip, or more than WIRE_PACKAGE_MAX_BYTES in all. Sizes are read from the zip's
directory and counted again while unpacking, so a bomb is never expanded.

Members keep their folders: a/story.xml and b/story.xml are two stories, and
each story's pictures are looked for in its own folder. Each story is kept as
an item of its own (named "package.zip:a/story.xml"), and the zip itself as one
more item beside them (kind "package", outcome "kept") holding the zip's bytes,
its list of files and the ids of its stories' items: the desk can download
exactly what arrived, and Retry on it runs the whole package again.
"""

import io
import re
import tempfile
import zipfile
import zlib
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ..fields import clip
from ..ingest import formats
from ..ingest.story import WireParseError
from ..models import WireItem

# What zipfile raises on a damaged, encrypted or exotic zip.
UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, zlib.error)


def is_package(data):
    return data.startswith(b"PK\x03\x04")


def receive_package(data, keep, *, receive, mapper, channel=None, already_made=()):
    """
    Unpack `data` to a temporary folder and `receive` each story member on its
    own (each kept on its own), with its folder as where its pictures are; then
    keep the zip. `keep` is what every WireItem of this file records (raw,
    checksum, names). `already_made`: see `receive`.
    """
    if any(item.kind == WireItem.Kind.PACKAGE for item in already_made):
        return list(already_made)  # the zip is kept last: everything in it was done
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = _check(package)
        with tempfile.TemporaryDirectory(prefix="wire-package-") as folder:
            items = []
            for name, path in _unpack(package, members, Path(folder)):
                filename = clip(WireItem, "filename", f"{keep['filename']}:{name}")
                items += receive(path.read_bytes(), filename=filename, source=keep["source"], base_dir=path.parent,
                                 mapper=mapper, channel=channel,
                                 already_made=[item for item in already_made if item.filename == filename])  # fmt: skip
    except (WireParseError, *UNREADABLE) as error:
        reason = str(error) if isinstance(error, WireParseError) else _("The zip package is damaged: %s") % error
        return [_package_item(keep, members=[], outcome=WireItem.Outcome.REJECTED, error=reason)]
    return [*items, _package_item(keep, members=members, items=items, outcome=WireItem.Outcome.KEPT)]


def _check(package):
    """The package's files, if its directory is within every limit; else WireParseError with which."""
    entries = package.infolist()
    if len(entries) > settings.WIRE_PACKAGE_MAX_FILES:
        raise WireParseError(
            _("The package holds %(count)d files and folders; the limit is %(limit)d.")
            % {"count": len(entries), "limit": settings.WIRE_PACKAGE_MAX_FILES}
        )
    members = [info for info in entries if not info.is_dir()]
    for info in members:
        if info.file_size > settings.WIRE_MAX_BYTES:
            raise WireParseError(
                _("A file in the package is larger than the limit of %d bytes.") % settings.WIRE_MAX_BYTES
            )
        if info.filename.lower().endswith(".zip"):
            raise _nested(info.filename)
    total = sum(info.file_size for info in members)
    if total > settings.WIRE_PACKAGE_MAX_BYTES:
        raise _too_big(total)
    return members


def _unpack(package, members, folder):
    """
    Write the members (not hidden ones) under `folder`, in their own folders.
    Returns (name in the package, path) for each story, once all are written so
    that every story finds its pictures.
    """
    stories, total = [], 0
    for info in members:
        parts = _safe_parts(info.filename)
        if not parts or any(part.startswith(".") or part == "__MACOSX" for part in parts):
            continue
        # Sizes in the directory may lie; count what really comes out.
        with package.open(info) as member:
            content = member.read(settings.WIRE_MAX_BYTES + 1)
        total += len(content)
        if len(content) > settings.WIRE_MAX_BYTES:
            raise WireParseError(_("A file in the package expands past the size limit."))
        if total > settings.WIRE_PACKAGE_MAX_BYTES:
            raise _too_big(total)
        if is_package(content):
            raise _nested(info.filename)
        path = _free_path(folder.joinpath(*parts))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        if path.suffix.lower() not in formats.ATTACHMENT_SUFFIXES:
            stories.append((path.relative_to(folder).as_posix(), path))
    if not stories:
        raise WireParseError(_("The package holds no story, only pictures."))
    return stories


def _safe_parts(name):
    """A member's path as folder names inside the package: "../x", "/x" and "C:\\x" cannot leave it."""
    return [part for part in re.split(r"[/\\]", name) if part not in ("", ".", "..") and not part.endswith(":")]


def _free_path(path):
    """`path`, or `path` with a number if a member of the same name was already written (zips allow that)."""
    candidate, number = path, 2
    while candidate.exists():
        candidate, number = path.with_name(f"{path.stem}.{number}{path.suffix}"), number + 1
    return candidate


def _nested(name):
    return WireParseError(_("The package holds another zip (%(name)s); packages inside packages are refused.")
                          % {"name": name})  # fmt: skip


def _too_big(total):
    return WireParseError(
        _("The package expands to %(size)d bytes or more; the limit is %(limit)d.")
        % {"size": total, "limit": settings.WIRE_PACKAGE_MAX_BYTES}
    )


def _package_item(keep, *, members, outcome, items=(), error=""):
    """The zip as delivered, beside the items of its stories."""
    return WireItem.objects.create(
        **keep,
        format="zip",
        kind=WireItem.Kind.PACKAGE,
        outcome=outcome,
        error=error,
        data={
            "members": [{"name": info.filename, "size": info.file_size} for info in members],
            "items": [item.pk for item in items],
        },
    )
