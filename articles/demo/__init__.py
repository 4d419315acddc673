"""
The demo newsroom that `make run` loads: sections, agencies, staff, desk
logins, the reference Kyodo story and a handful of invented stories.

Loading is idempotent: everything is looked up by its slug or username and
only created when missing, so a second run changes nothing, including stories
someone has edited since.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .. import extensions
from ..html import paragraphs_to_html
from ..models import Article, Author, Image, Section, Status, WireMapping, WireService
from ..roles import sync_roles
from ..search import index_story
from ..services.audit import log_action
from ..services.ingest import receive
from ..services.revisions import record_revision
from ..services.stories import save_story
from . import stories as data

DEMO_DIR = Path(__file__).resolve().parent


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    # username, password, role, where they sign in
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)


@transaction.atomic
def load_demo(*, with_logins: bool) -> DemoReport:
    report = DemoReport()
    sync_roles()  # the roles exist even after a test flushed the database
    sections = _load_sections(report)
    agencies = _load_agencies(report)
    users = _load_logins(report) if with_logins else {}
    authors = _load_authors(report, users)
    _load_mappings(report, agencies)
    # Other apps' demo data (the paywall's prompts and subscriber) before the stories: the
    # reference file ends with the paper's prompt, which the saved story must not keep.
    for loader in extensions.demo_loaders():
        loader(report, with_logins=with_logins)
    _load_reference_story(report, sections, agencies)
    for story in data.STORIES:
        _load_story(report, story, sections, agencies, authors)
    return report


def _load_sections(report):
    sections = {}
    for position, (name, slug, description) in enumerate(data.SECTIONS):
        sections[slug], created = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position * 10}
        )
        if created:
            report.created.append(f"section {name}")
    return sections


def _load_agencies(report):
    agencies = {}
    for name, credit, slug, website in data.AGENCIES:
        agencies[slug], created = WireService.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "credit": credit,
                "website": website,
            },
        )
        if created:
            report.created.append(f"wire service {name}")
    return agencies


def _load_logins(report):
    User = get_user_model()
    users = {}
    for username, group_name, first_name, last_name, password in data.LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=password,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@newsroom.example",
                is_staff=True,
            )
            user.groups.add(Group.objects.get(name=group_name))
            report.created.append(f"login {username}")
        users[username] = user
        report.logins.append((username, password, group_name, "/admin/"))
    return users


def _load_authors(report, users):
    authors = {}
    for name, slug, bio, username in data.AUTHORS:
        authors[slug], created = Author.objects.get_or_create(
            slug=slug, defaults={"name": name, "bio": bio, "user": users.get(username)}
        )
        if created:
            report.created.append(f"author {name}")
    return authors


def _load_reference_story(report, sections, agencies):
    """
    The reference story goes through the real wire desk, as Kyodo's file would:
    it arrives as a headline-less Kyodo draft with the paper's prompt stripped
    (Kyodo's boilerplate setting). Then the desk's work is applied.
    """
    spec = data.REFERENCE_STORY
    if Article.objects.filter(slug=spec["slug"]).exists():
        return
    raw = (DEMO_DIR / data.REFERENCE_STORY_FILE).read_bytes()
    item = receive(raw, filename=data.REFERENCE_STORY_FILE, source="demo")[0]
    if item.article is None:
        raise RuntimeError(f"The reference story did not import: {item.error}")
    article = item.article
    article.headline = spec["headline"]
    article.slug = spec["slug"]
    article.section = sections[spec["section"]]
    article.is_home_lead = True
    save_story(
        story=article,
        user=None,
        changed_fields=["headline", "slug", "section", "is_home_lead"],
        tags=spec["tags"],
        expected_version=article.lock_version,
        reason="Desk edit (demo)",
    )
    _seed_state(article, Status.PUBLISHED, timezone.make_aware(timezone.datetime(2019, 9, 26, 19, 0)))
    report.created.append(f"story “{article.headline}”")


def _load_mappings(report, agencies):
    for code, slug in data.AGENCY_CODES:
        _mapping, created = WireMapping.objects.get_or_create(
            kind=WireMapping.Kind.AGENCY, code=code, defaults={"wire_service": agencies[slug]}
        )
        if created:
            report.created.append(f"wire mapping {code}")
    for code, tag in data.SUBJECT_CODES:
        _mapping, created = WireMapping.objects.get_or_create(
            kind=WireMapping.Kind.SUBJECT, code=code, defaults={"tag": tag}
        )
        if created:
            report.created.append(f"wire mapping {code}")


def _load_story(report, spec, sections, agencies, authors):
    if spec["slug"] and Article.objects.filter(slug=spec["slug"]).exists():
        return
    if spec.get("guid") and Article.objects.filter(wire_guid=spec["guid"]).exists():
        return
    article = Article(
        headline=spec["headline"],
        slug=spec["slug"],
        dek=spec.get("dek", ""),
        body=paragraphs_to_html(spec["body"]),
        dateline=spec.get("dateline", ""),
        section=sections[spec["section"]],
        wire_service=agencies.get(spec.get("agency")),
        wire_guid=spec.get("guid", ""),
        credit_override=spec.get("credit_override", ""),
        lead_image=_make_image(spec["image"]) if "image" in spec else None,
        is_premium=spec.get("premium", False),
    )
    save_story(
        story=article,
        user=None,
        bylines=[authors[slug] for slug in spec.get("authors", [])],
        tags=spec["tags"],
        reason="Demo story",
    )
    published_at = timezone.now() - spec["age"] if spec["age"] is not None else None
    _seed_state(article, spec["status"], published_at)
    report.created.append(f"story “{article.headline or '(needs headline)'}”")


def _seed_state(article, status, published_at):
    """
    Put a demo story in the state, and at the time, the paper had it. The
    workflow's "publish" would stamp today's time, and the demo's stories are
    history: this is a seed, recorded as such, not a workflow step.
    """
    Article.objects.filter(pk=article.pk).update(status=status, published_at=published_at)
    article.status, article.published_at = status, published_at
    log_action(article, "articles.demo_seeded", to_status=status, note="Loaded by load_demo")
    if status == Status.PUBLISHED:
        record_revision(article, reason="Published (demo)", was_published=True)
    index_story(article)  # a seed skips `perform`, which keeps the search index for the workflow


def _make_image(spec):
    """A simple illustration drawn with Pillow, so the demo needs no downloads."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    width, height = 1200, 675
    picture = PILImage.new("RGB", (width, height), "#e9e4d8")
    draw = ImageDraw.Draw(picture)
    for shelf in range(4):  # bookshelves
        top = 80 + shelf * 150
        draw.rectangle([60, top + 110, width - 60, top + 122], fill="#7a5230")
        for book in range(28):
            left = 70 + book * 38
            colour = ["#8b0000", "#1f4e79", "#2e6b30", "#b8860b", "#4b3b6b"][(book + shelf) % 5]
            draw.rectangle([left, top + 20 + (book * 7) % 30, left + 30, top + 110], fill=colour)
    draw.rectangle([420, 300, 780, 560], fill="#f7f7f7", outline="#333", width=6)  # the printer
    draw.rectangle([470, 350, 730, 500], outline="#333", width=4)
    draw.polygon([(570, 470), (630, 470), (600, 420)], fill="#d2691e")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    image = Image(alt_text=spec["alt_text"], caption=spec["caption"], credit=spec["credit"])
    # A named ContentFile: Django measures the picture (width, height) only from content with a name.
    name = "demo-library-3d-printer.jpg"
    image.file.save(name, ContentFile(buffer.getvalue(), name=name), save=True)
    return image
