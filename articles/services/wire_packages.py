"""
Zip packages from agencies: stories with the pictures they name. Sizes are
checked from the zip's directory and again while reading, so a zip bomb is
refused without being expanded.
"""

import io
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ..ingest import formats
from ..ingest.story import WireParseError
from ..models import WireItem

MAX_PACKAGE_FILES = 200


def is_package(data):
    return data.startswith(b"PK\x03\x04")


def receive_package(data, keep, *, receive, mapper, channel=None):
    """
    Unpack `data` to a temporary folder and `receive` each story member on its
    own (each kept on its own), with the folder as where its pictures are.
    `keep` is what every WireItem of this file records (raw, checksum, names).
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in package.infolist() if not info.is_dir()]
        if len(members) > MAX_PACKAGE_FILES:
            raise WireParseError(_("The package holds more than %d files.") % MAX_PACKAGE_FILES)
        if any(info.file_size > settings.WIRE_MAX_BYTES for info in members):
            raise WireParseError(
                _("A file in the package is larger than the limit of %d bytes.") % settings.WIRE_MAX_BYTES
            )
        with tempfile.TemporaryDirectory(prefix="wire-package-") as folder:
            stories = _unpack(package, members, Path(folder))
            if not stories:
                raise WireParseError(_("The package holds no story, only pictures."))
            return [
                item
                for name in stories
                for item in receive(
                    (Path(folder) / name).read_bytes(),
                    filename=f"{keep['filename']}:{name}",
                    source=keep["source"],
                    base_dir=folder,
                    mapper=mapper,
                    channel=channel,
                )
            ]
    except (zipfile.BadZipFile, WireParseError) as error:
        reason = str(error) if isinstance(error, WireParseError) else _("The zip package is damaged: %s") % error
        return [WireItem.objects.create(**keep, format="zip", outcome=WireItem.Outcome.REJECTED, error=reason)]


def _unpack(package, members, folder):
    """Write the members (flattened, no hidden files) to `folder`; returns the names of the stories."""
    stories = []
    for info in members:
        name = Path(info.filename).name
        if not name or name.startswith("."):
            continue
        with package.open(info) as member:
            content = member.read(settings.WIRE_MAX_BYTES + 1)
        if len(content) > settings.WIRE_MAX_BYTES:
            raise WireParseError(_("A file in the package expands past the size limit."))
        (folder / name).write_bytes(content)
        if Path(name).suffix.lower() not in formats.ATTACHMENT_SUFFIXES:
            stories.append(name)
    return stories
