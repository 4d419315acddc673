"""Dates as the wire formats write them."""

import re
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

_COMPACT = re.compile(r"^(\d{8})T?(\d{4,6})?(Z|[+-]\d{4})?$")


def parse_wire_datetime(value):
    """
    ISO 8601 (ninjs, NewsML-G2), NITF's compact 20021226T093000-0500, or
    Reuters' "2014-07-16 15:53:10 GMT+00:00". None if unreadable.
    """
    value = re.sub(r"\s*(GMT|UTC)(?=[+-]|$)", "", (value or "").strip())
    if not value:
        return None
    match = _COMPACT.match(value)
    if match:
        day, clock, zone = match.groups()
        clock = (clock or "0000").ljust(6, "0")
        zone = "+0000" if zone in (None, "Z") else zone
        try:
            return datetime.strptime(f"{day}{clock}{zone}", "%Y%m%d%H%M%S%z")
        except ValueError:
            return None
    try:
        parsed = parse_datetime(value.replace(" ", "T", 1) if "T" not in value else value)
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
