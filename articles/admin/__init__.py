"""The editorial desk: Django's admin, arranged for a newsroom."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import articles, library, tags, wire  # noqa: F401  (registers the ModelAdmins)

admin.site.site_header = _("%(name)s — editorial desk") % {"name": settings.NEWSROOM_NAME}
admin.site.site_title = _("Newsroom desk")
admin.site.index_title = _("Editorial desk")
