"""`manage.py generate_stories`: invented stories at scale, valid as the desk's services would leave them."""

import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag, TaggedItem

from articles.models import Article, ArticleAuthor, Author, Section, Status

COUNT = 60


@pytest.fixture
def generated(db, settings):
    settings.DEBUG = True
    call_command("generate_stories", COUNT, seed=7, pictures=2, stdout=io.StringIO())
    settings.DEBUG = False
    return Article.objects.all()


def test_refuses_without_debug(db, settings):
    """With DEBUG off and no --force, nothing is written and the reason is given."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_stories", 5)
    assert not Article.objects.exists()


def test_force_runs_without_debug(db, settings, capsys, client):
    """--force fills a throwaway database with production settings; pages stored before show the new stories."""
    settings.DEBUG = False
    assert client.get("/").status_code == 200  # the home page, stored by the page cache
    call_command("generate_stories", 5, seed=1, pictures=0, force=True)
    assert Article.objects.count() == 5
    assert "Added 5 stories" in capsys.readouterr().out
    newest = Article.objects.published().latest_first().first()
    assert newest.get_absolute_url() in client.get("/").content.decode()


def test_counts_and_valid_rows(generated):
    """The cast is made once; every story has a unique slug, and each live one a publish time and a credit."""
    assert generated.count() == COUNT
    assert Section.objects.count() == 8
    assert Author.objects.count() == 60
    assert Tag.objects.count() == 500
    slugs = list(generated.values_list("slug", flat=True))
    assert len(set(slugs)) == COUNT and all(slugs)
    statuses = Counter(generated.values_list("status", flat=True))
    assert statuses[Status.PUBLISHED] >= COUNT * 0.8
    published = list(Article.objects.published().with_credit())
    assert len(published) == statuses[Status.PUBLISHED]  # published means public: no future time, no embargo
    assert all(story.credit_line and story.publishing_problems() == {} for story in published)
    wire = [story for story in published if story.wire_service_id]
    assert 0.3 * len(published) < len(wire) < 0.7 * len(published)
    assert all(story.wire_guid for story in wire)
    assert {"en", "ja"} == set(generated.values_list("language", flat=True))
    # A second run adds beside the first, reusing the cast and never clashing on slugs or GUIDs.
    call_command("generate_stories", 10, seed=7, pictures=2, force=True, stdout=io.StringIO())
    assert Article.objects.count() == COUNT + 10 and Author.objects.count() == 60 and Tag.objects.count() == 500


def test_every_published_story_renders(generated, client):
    """Each public story's page answers 200, Japanese ones included."""
    for story in Article.objects.published().select_related("section"):
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200, story.get_absolute_url()


def test_tags_are_skewed(generated):
    """A few tags are on many stories ("Japan" first), most on few: the shape of a real paper's tagging."""
    uses = Counter(TaggedItem.objects.values_list("tag__name", flat=True))
    top, top_count = uses.most_common(1)[0]
    assert top == "Japan"
    assert top_count >= COUNT * 0.25
    assert sum(1 for tag in Tag.objects.values_list("name", flat=True) if uses[tag] <= 1) > 450


def test_bylines_in_order(generated, client):
    """Bylines are numbered from 0 and the page credits the writers in that order."""
    positions = {}
    for byline in ArticleAuthor.objects.order_by("article", "position"):
        positions.setdefault(byline.article_id, []).append(byline.position)
    assert all(found == list(range(len(found))) for found in positions.values())
    shared = [pk for pk, found in positions.items() if len(found) > 1]
    story = Article.objects.published().filter(pk__in=shared).first()
    assert story is not None
    page = client.get(story.get_absolute_url()).content.decode()
    names = [author.name for author in story.byline_authors]
    credit = re.search(r"By [^<]*", page).group(0)
    assert [credit.index(name) for name in names] == sorted(credit.index(name) for name in names)


def test_search_finds_generated_stories(generated, client):
    """The search index is filled: a story's own headline, as a phrase, finds it."""
    story = Article.objects.published().filter(language="en").first()
    response = client.get("/search/", {"q": f'"{story.headline}"'})
    assert response.status_code == 200
    assert story.get_absolute_url() in response.content.decode()
