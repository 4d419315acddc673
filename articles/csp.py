"""
The Content-Security-Policy (settings.CONTENT_SECURITY_POLICY), and what desk
pages add to it.

No inline style attributes anywhere: the desk's pictures are sized by classes
in desk.css. Two inline pieces of the rich-text editor, each allowed by its hash.

django-prose-editor loads its ES modules through an import map, which browsers
accept only inline; and its Tiptap core injects Tiptap's base stylesheet as a
<style> element (without it ProseMirror loses its whitespace handling). Rather
than allow every inline script or stylesheet, desk pages allow exactly these
two, by SHA-256 hash. Both hashes are taken from what the installed editor
renders, so they follow its upgrades: the import map from the widget's own
ImportMap (its URLs come from the static files storage, hence per request), the
stylesheet from the editor's bundled source.
"""

import base64
import hashlib
import re
from functools import cache

from csp.middleware import CSPMiddleware
from django.contrib.staticfiles import finders
from django.urls import reverse
from django_prose_editor.widgets import prose_editor_admin_media

_SCRIPT_BODY = re.compile(r"<script[^>]*>(.*)</script>", re.DOTALL)
# Tiptap's base stylesheet: the one template literal in the bundle that starts with `.ProseMirror {`.
_TIPTAP_STYLESHEET = re.compile(r"`(\.ProseMirror \{[^`$\\]*)`")


def _hash_source(text):
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def prose_editor_importmap_source():
    """The script-src source allowing the editor's import map."""
    tag = "".join(prose_editor_admin_media.render_importmap())
    return _hash_source(_SCRIPT_BODY.fullmatch(tag).group(1))


@cache
def prose_editor_stylesheet_sources():
    """The style-src sources allowing the stylesheet Tiptap injects (none if the bundle has none)."""
    path = finders.find("django_prose_editor/editor.js")
    if not path:
        return []
    with open(path, encoding="utf-8") as bundle:
        match = _TIPTAP_STYLESHEET.search(bundle.read())
    return [_hash_source(match.group(1))] if match else []


class DeskCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("admin:index")):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), prose_editor_importmap_source()]
            update["style-src"] = [*update.get("style-src", []), *prose_editor_stylesheet_sources()]
            parts.update = update
        return parts
