"""
Where other apps plug into the newsroom without `articles` importing them
(the paywall is one). Each registers in its AppConfig.ready().

- Slots: places on the reader's pages that another app fills with HTML.
  A template names a slot with `{% slot "article_end" %}`; each provider is
  called with the request and the template's context and returns HTML (or
  ""). The article page offers "head" (in <head>, on every reader page),
  "article_top" (above the story), "article_end" (after its last
  paragraph), "article_gate" (where a story stops for a reader not
  entitled to the rest), "article_overlay" (after the story) and, on
  every page, "page_end" (before the footer).
- Inserts: HTML another app places inside a story's text, after paragraph
  N (`{% story_text article.body_html %}` on the article page): each
  provider returns (N, html) or None.
- Text cleaners: called on a story's body whenever it is saved (the desk's
  form, wire ingest, updates): each returns the body without text that is
  not the story's own (a paper's subscription prompt pasted along with it),
  and what it removed, which the wire item records.
- Demo loaders: `load_demo` runs each after the newsroom's own demo data.
- Private requests: a request another app marks as the reader's own (the
  paywall's "meter used up" cookie) is kept out of the page cache like a
  signed-in one.
- Entitlements: who may read a story in full (a premium story, or any once
  a metered paywall's free stories are used up). With none
  registered, nobody outside the desk may (there is no one to ask).
- Metering: whether a free story may be stopped for readers whose free
  stories are used up. Its page then tells search engines so (JSON-LD
  `isAccessibleForFree: false`) and marks the part past the opening
  `.story-gated`, as a premium story's page does.
- Role permissions: an app names the permissions on its own models that a
  desk role holds; `articles.roles.sync_roles` gives them with the rest.
"""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .html import insert_after_paragraph, split_opening

_slots = {}
_text_cleaners = []
_demo_loaders = []
_role_permissions = {}
_entitlements = []
_private_request_checks = []
_inserts = []
_metering = []


def register_slot(name, provider):
    """`provider(request, context)` returns the HTML for slot `name` (safe, or escaped here)."""
    if provider not in _slots.setdefault(name, []):
        _slots[name].append(provider)


def render_slot(name, request, context):
    parts = [conditional_escape(provider(request, context) or "") for provider in _slots.get(name, ())]
    return mark_safe("".join(parts))


def register_insert(provider):
    """`provider(request, context)` returns (after_paragraph, html) to place in the story's text, or None."""
    if provider not in _inserts:
        _inserts.append(provider)


def with_inserts(body_html, request, context, *, gated_after=0):
    """
    The story's text with the registered inserts in place (the latest
    paragraph first, so counts hold). With `gated_after`, what follows that
    paragraph is wrapped in `.story-gated` (the part a metered story withholds
    once the meter runs out), each side closed on its own.
    """
    if gated_after:
        opening, rest = split_opening(body_html, gated_after)
        if rest:
            body_html = f'{opening}<div class="story-gated">{rest}</div>'
    placed = [found for provider in _inserts if (found := provider(request, context))]
    for paragraph, fragment in sorted(placed, key=lambda item: item[0], reverse=True):
        body_html = insert_after_paragraph(body_html, paragraph, conditional_escape(fragment))
    return mark_safe(body_html)


def register_text_cleaner(cleaner):
    """`cleaner(body_html)` returns (body_html, [removed text, …])."""
    if cleaner not in _text_cleaners:
        _text_cleaners.append(cleaner)


def clean_story_text(body):
    removed = []
    for cleaner in _text_cleaners:
        body, found = cleaner(body)
        removed.extend(found)
    return body, removed


def register_role_permissions(group_name, app_label, models):
    """Members of `group_name` hold these permissions: {model: ["add", "change", …]} on `app_label`'s models."""
    _role_permissions.setdefault(group_name, {})[app_label] = models


def role_permissions(group_name):
    return dict(_role_permissions.get(group_name, {}))


def register_entitlement(check):
    """`check(request, article)` says whether the reader may read premium `article` in full."""
    if check not in _entitlements:
        _entitlements.append(check)


def may_read_in_full(request, article):
    if not _entitlements:
        return not article.is_premium
    return all(check(request, article) for check in _entitlements)


def register_metering(check):
    """`check(article)` says whether readers may be stopped at `article` once their free stories are used up."""
    if check not in _metering:
        _metering.append(check)


def is_metered(article):
    return not article.is_premium and any(check(article) for check in _metering)


def register_private_request(check):
    """`check(request)` says whether the page is this reader's own: not served from or kept in shared caches."""
    if check not in _private_request_checks:
        _private_request_checks.append(check)


def is_private_request(request):
    return any(check(request) for check in _private_request_checks)


def register_demo_loader(loader):
    """`loader(report, with_logins=…)` adds an app's demo data; `report` is load_demo's DemoReport."""
    if loader not in _demo_loaders:
        _demo_loaders.append(loader)


def demo_loaders():
    return list(_demo_loaders)
