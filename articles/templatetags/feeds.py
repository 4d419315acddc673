"""
Feed autodiscovery: `{% load feeds %}{% feed_links %}` in a page's <head> names the
site-wide feed, and `{% feed_links section=section %}` (or tag=…, agency=…) the
page's own feed too, each in RSS and Atom.
"""

from django import template
from django.urls import reverse

from ..feeds import feed_title

register = template.Library()

FORMATS = (("rss", "application/rss+xml", "RSS"), ("atom", "application/atom+xml", "Atom"))


def _links(kind, subject=None):
    kwargs = {} if subject is None else {"slug": subject.slug}
    title = feed_title(subject)
    return [
        {
            "href": reverse(f"articles:feed_{kind}_{extension}", kwargs=kwargs),
            "type": mime_type,
            "title": f"{title} ({label})",
        }
        for extension, mime_type, label in FORMATS
    ]


@register.inclusion_tag("articles/includes/feed_links.html")
def feed_links(section=None, tag=None, agency=None):
    """<link rel="alternate"> for the latest stories, then for the section, tag or agency given."""
    links = _links("latest")
    for kind, subject in (("section", section), ("tag", tag), ("agency", agency)):
        if subject:  # a list page without a feed of its own passes nothing ("")
            links += _links(kind, subject)
    return {"feeds": links}
