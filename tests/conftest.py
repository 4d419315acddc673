import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from PIL import Image as PILImage

from articles.html import paragraphs_to_html
from articles.models import Article, ArticleAuthor, Author, Section, Status, WireMapping, WireService
from articles.search import index_story

PROJECT_DIR = Path(__file__).resolve().parent.parent
REFERENCE_STORY = PROJECT_DIR / "articles" / "demo" / "kyodo-japan-south-korea-2019-09-26.txt"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: what one test's files or pages left there is not another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db):
    return Section.objects.create(name="World", slug="world", position=10)


@pytest.fixture
def business(db):
    return Section.objects.create(name="Business", slug="business", position=20)


def agency(slug, name, credit):
    """The agency as a fresh install has it (migration 0010 adds the usual ones), with these names."""
    service, _created = WireService.objects.update_or_create(slug=slug, defaults={"name": name, "credit": credit})
    return service


@pytest.fixture
def kyodo(db):
    return agency("kyodo", "Kyodo News", "Kyodo")


@pytest.fixture
def ap(db):
    return agency("ap", "The Associated Press", "AP")


@pytest.fixture
def make_author(db):
    def make(name="Jane Doe", **kwargs):
        slug = kwargs.pop("slug", name.lower().replace(" ", "-"))
        return Author.objects.create(name=name, slug=slug, **kwargs)

    return make


@pytest.fixture
def make_article(db, world):
    """A published story unless told otherwise; `authors` and `tags` are lists."""
    counter = iter(range(1, 10_000))

    def make(*, authors=(), tags=(), paragraphs=("A paragraph.",), **fields):
        number = next(counter)
        fields.setdefault("headline", f"Story number {number}")
        fields.setdefault("slug", f"story-{number}")
        fields.setdefault("section", world)
        fields.setdefault("status", Status.PUBLISHED)
        if fields["status"] in Status.visible():
            fields.setdefault("published_at", timezone.now() - timedelta(minutes=number))
        fields.setdefault("body", paragraphs_to_html(paragraphs))
        article = Article.objects.create(**fields)
        for position, author in enumerate(authors):
            ArticleAuthor.objects.create(article=article, author=author, position=position)
        if tags:
            article.tags.set(list(tags))
        index_story(article)  # written straight to the table, so indexed as the services would
        return article

    return make


def _member_of(group_name, username):
    user = User.objects.create_user(username=username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return _member_of("Editor", "editor")


@pytest.fixture
def reporter(db):
    return _member_of("Reporter", "reporter")


@pytest.fixture
def paywall_manager(db):
    return _member_of("Paywall manager", "paywall")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def png_bytes(width=40, height=30, colour="#336699"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def reference_paragraphs():
    """The fourteen body paragraphs, read straight from the file (not through our parser)."""
    blocks = [block.strip() for block in REFERENCE_STORY.read_text(encoding="utf-8").split("\n\n")]
    blocks = [block for block in blocks if block]
    assert blocks[0] == "• Kyodo" and blocks[-1].startswith("In a time of both misinformation")
    return blocks[1:-1]


@pytest.fixture
def agencies(db):
    """The agencies our samples come from, and the mappings a desk would set up for them."""
    made = {}
    for name, credit, slug in [
        ("The Associated Press", "AP", "ap"),
        ("Reuters", "Reuters", "reuters"),
        ("Kyodo News", "Kyodo", "kyodo"),
        ("Deutsche Presse-Agentur", "dpa", "dpa"),
        ("TT Nyhetsbyrån", "TT", "tt"),
        ("Getty Images", "Getty Images", "getty"),
        ("Press Association", "PA", "pa"),
    ]:
        made[slug] = agency(slug, name, credit)
    # nprov:REUTERS and 共同通信 are among a fresh install's mappings (migration 0010).
    for code, tag in [
        ("medtop:20000523", "labour market"),
        ("subj:04015000", "Transport"),
        ("ferries", "Ferries"),
        ("Gotland", "Gotland"),
        ("16000000", "Conflict"),
    ]:
        WireMapping.objects.get_or_create(kind="subject", code=code, defaults={"tag": tag})
    made["kyodo"].boilerplate = (
        "In a time of both misinformation and too much information, quality journalism is more crucial than ever.\n"
        "By subscribing, you can help us get the story right."
    )
    made["kyodo"].save()
    return made


# The three ways a live story leaves readers, for tests that check every public door.
def _withdraw(story, editor):
    from articles.services.publishing import perform

    perform(article=story, name="withdraw", user=editor, note="Withdrawn for legal reasons.")


def _kill(story, editor):
    from articles.services.publishing import perform

    perform(article=story, name="kill", user=editor)


def _trash(story, editor):
    from articles.services.trash import trash_story

    trash_story(story=story, user=editor)


PULLS = [_withdraw, _kill, _trash]
PULL_NAMES = ["withdrawn", "killed", "trashed"]
