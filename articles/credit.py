"""
The credit line: whom a story credits on the page.

This is the one rule for building it. Pages, feeds and structured data all
call `build_credit_line` (usually through `Article.credit_line`), so a story
is credited the same way everywhere.
"""

from django.utils.text import get_text_list
from django.utils.translation import gettext as _


def join_names(names):
    """'A', 'A and B', 'A, B and C'."""
    return get_text_list(list(names), _("and"))


def build_credit_line(*, author_names=(), agency_credit="", override=""):
    """
    Staff only: "By A and B". Wire only: the agency's credit as printed
    ("Kyodo"). Staff with wire: "By A and Kyodo". A non-empty override wins.
    """
    if override.strip():
        return override.strip()
    names = [name for name in author_names if name]
    if names:
        if agency_credit:
            names.append(agency_credit)
        return _("By %(names)s") % {"names": join_names(names)}
    return agency_credit
