"""
Numbers read from what a browser or a feed sends (`?page=`, `?before=`, an
attribute): `str.isdigit()` takes digits `int()` cannot read ("²", "٣"), and
`int()` refuses a string of over 4,300 digits, so neither may be trusted alone.
"""


def whole_number(value, *, digits=18):
    """`value` as an int when it is plain ASCII digits, at most `digits` of them (a BIGINT holds 18); else None."""
    if not value or len(value) > digits or not value.isascii() or not value.isdigit():
        return None
    return int(value)
