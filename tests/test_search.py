"""Search: ranking, what is searchable, hostile queries, Japanese, snippets and query counts, on either database."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.utils import timezone

import articles.search
from articles.html import paragraphs_to_html
from articles.models import Article, SearchEntry, Status
from articles.search import search
from articles.services import stories
from articles.services.publishing import perform
from articles.services.trash import purge, restore_story, trash_story

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    '"',
    '""',
    '"unclosed phrase',
    "'",
    "-",
    "--",
    "-harbour",
    "harbour -",
    "- - -",
    "AND",
    "OR",
    "NOT",
    "harbour AND",
    "OR harbour",
    "NOT harbour",
    "harbour NOT",
    "NEAR(harbour ferry)",
    "NEAR harbour",
    "harbour*",
    "*",
    "^harbour",
    "^",
    "headline:harbour",
    ":",
    "{headline dek}: harbour",
    "(harbour",
    "harbour)",
    "()",
    "((((((((((",
    "harbour & ferry | !fare <-> :*",
    "'harbour':* & !",
    "\\",
    "%",
    "_",
    "%_%",
    "'; DROP TABLE articles_article; --",
    "<script>alert(1)</script>",
    "\x00\x01\x02\x03",
    "\u200b",
    "\ud800 harbour",
    "🙂",
    "Ωμέγα",
    "Привет мир",
    "مرحبا",
    "हिन्दी",
    "東京",
    "ｈａｒｂｏｕｒ",
    "harbour\nferry\ttimes",
    "co-operation",
    "covid-19",
    "e-mail's",
    "rock'n'roll",
    "C++",
    "3.14",
    "-5",
]


@pytest.fixture
def publish(editor, world):
    """Write a story through save_story and publish it, as the desk does; returns it."""
    counter = iter(range(1, 1000))

    def make(headline, *, dek="", paragraphs=("A paragraph about nothing much.",), body=None, step="publish"):
        number = next(counter)
        story = Article(
            headline=headline,
            slug=f"story-{number}",
            section=world,
            dek=dek,
            body=body if body is not None else paragraphs_to_html(paragraphs),
            credit_override="Staff",
        )
        return stories.save_story(story=story, user=editor, step=stories.Step(step) if step else None).story

    return make


def found(query):
    return [story.headline for story in search(query)[0:50]]


def indexed(story):
    return SearchEntry.objects.filter(pk=story.pk).exists()


def test_headline_matches_rank_above_dek_above_body(publish):
    """A word in the headline ranks above the same word in a dek, which ranks above one in the body."""
    publish("Body story", paragraphs=["The ferry crossed the harbour at dawn."])
    publish("Dek story", dek="Fares rise at the harbour")
    publish("Harbour story")
    publish("Nothing to see")
    assert found("harbour") == ["Harbour story", "Dek story", "Body story"]
    assert search("harbour").count() == 3
    # English stemming: the plural finds the singular.
    assert found("harbours") == ["Harbour story", "Dek story", "Body story"]


def test_all_terms_must_match_quotes_make_a_phrase_and_a_minus_excludes(publish):
    """Every word must be found; quoted words must be found together; a leading minus excludes a word."""
    publish("Ferry fares rise", paragraphs=["The harbour board met on Monday."])
    publish("Fares fall", paragraphs=["Bus fares fell; the ferry is unchanged."])
    assert sorted(found("ferry fares")) == ["Fares fall", "Ferry fares rise"]
    assert found('"ferry fares"') == ["Ferry fares rise"]
    assert found("fares -harbour") == ["Fares fall"]
    assert found("-harbour") == []


def test_only_published_stories_are_found(publish, editor):
    """Drafts, stories under review and stories scheduled for later are not found; a scheduled story is, in time."""
    publish("Harbour draft", step=None)
    publish("Harbour in review", step="submit")
    publish("Harbour live")
    later = timezone.now() + timedelta(hours=2)
    scheduled = publish("Harbour scheduled", step=None)
    perform(article=scheduled, name="schedule", user=editor, publish_at=later)
    assert found("harbour") == ["Harbour live"]
    # Its time comes: readers see it by the publish-time rule alone, with no job run.
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert sorted(found("harbour")) == ["Harbour live", "Harbour scheduled"]


def test_killed_withdrawn_and_trashed_stories_leave_the_results_and_the_index(publish, editor):
    """Kill, Withdraw and the Trash remove a story from search at once, and its row from the index."""
    names = ("killed", "withdrawn", "trashed", "kept")
    killed, withdrawn, trashed, kept = (publish(f"Harbour {name}") for name in names)
    assert all(indexed(story) for story in (killed, withdrawn, trashed, kept))
    perform(article=killed, name="kill", user=editor, note="Legal advice.")
    perform(article=withdrawn, name="withdraw", user=editor, note="Withdrawn pending checks.")
    trash_story(story=trashed, user=editor)
    assert found("harbour") == ["Harbour kept"]
    assert [indexed(story) for story in (killed, withdrawn, trashed, kept)] == [False, False, False, True]


def test_restoring_and_republishing_put_the_story_back(publish, editor):
    """A story restored from the Trash, or republished after a withdrawal, is found again."""
    trashed, withdrawn = publish("Harbour trashed"), publish("Harbour withdrawn")
    trash_story(story=trashed, user=editor)
    perform(article=withdrawn, name="withdraw", user=editor, note="Checking.")
    assert found("harbour") == []
    restore_story(story=trashed, user=editor)
    perform(article=withdrawn, name="republish", user=editor)
    assert sorted(found("harbour")) == ["Harbour trashed", "Harbour withdrawn"]


def test_a_pulled_story_leaves_the_results_even_before_its_row_does(publish):
    """What readers may see is decided when searching, so a story pulled by any means is never shown."""
    story = publish("Harbour story")
    Article.objects.filter(pk=story.pk).update(status=Status.KILLED)  # no hook ran
    assert indexed(story)
    assert found("harbour") == [] and search("harbour").count() == 0


def test_purged_and_deleted_stories_leave_the_index(publish, editor):
    """Purging the Trash, or deleting a story outright, deletes its index row with it."""
    purged, deleted = publish("Harbour purged"), publish("Harbour deleted")
    trash_story(story=purged, user=editor)
    assert purge(older_than=timedelta(0), now=timezone.now() + timedelta(seconds=1))
    Article.objects.filter(pk=deleted.pk).delete()
    assert SearchEntry.objects.count() == 0


def test_edits_are_reindexed(publish, editor):
    """Saving a published story through save_story re-indexes its headline, dek and body."""
    story = publish("Harbour fares rise", paragraphs=["Commuters complained."])
    story.headline, story.dek, story.body = "Lighthouse fares rise", "Keepers protest", "<p>Gulls complained.</p>"
    stories.save_story(story=story, user=editor, expected_version=story.lock_version)
    assert found("harbour") == [] and found("commuters") == []
    assert found("lighthouse") == found("keepers") == found("gulls") == ["Lighthouse fares rise"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_never_fail(publish, query, django_assert_max_num_queries):
    """Quotes, dashes, FTS and tsquery operators, SQL and markup are searched as words, never as syntax."""
    publish("Harbour ferry times", paragraphs=["Fares rise: co-operation on covid-19 e-mail's 3.14 C++ rock'n'roll."])
    results = search(query)
    with django_assert_max_num_queries(4):
        page = Paginator(results, 20).get_page(1)
        assert isinstance(results.count(), int)
        assert all(story.search_snippet is not None for story in page)


def test_operators_are_words_and_punctuation_splits_words_as_in_the_text(publish):
    """Hostile-looking queries still find what they say: the words in them."""
    publish("Harbour ferry times", paragraphs=["Co-operation on covid-19 matters."])
    for query in ["harbour*", "(harbour", "^harbour", "harbour:", '"harbour', "ｈａｒｂｏｕｒ", "covid-19"]:
        assert found(query) == ["Harbour ferry times"], query
    assert found("NEAR(harbour ferry)") == []  # "near" is a word the story lacks


def test_japanese_is_found_without_spaces_between_words(publish):
    """共同 finds a story that says 共同通信, and ソウル finds the story about Seoul only."""
    seoul = publish(
        "日韓首脳が会談",
        dek="共同通信によると",
        paragraphs=["【ソウル共同】韓国の大統領は２６日、ソウルで記者会見した。"],
    )
    publish("東京の天気", paragraphs=["東京は晴れ。共同通信が伝えた。"])
    assert sorted(found("共同")) == ["日韓首脳が会談", "東京の天気"]
    assert found("ソウル") == ["日韓首脳が会談"]
    assert found("ソウル 大統領") == ["日韓首脳が会談"]
    assert found("大阪") == []
    # Half-width katakana is the same word (NFKC).
    assert found("ｿｳﾙ") == ["日韓首脳が会談"]
    [story] = search("ソウル")[0:1]
    assert story.pk == seoul.pk
    assert "<mark>ソウル</mark>" in story.search_snippet
    assert "ソウル共同】韓国の大統領は26日" in story.search_snippet.replace("<mark>", "").replace("</mark>", "")


def test_a_thousand_character_query_is_answered(publish):
    """Pasting a page into the box finds nothing rather than failing; a long query of real words still finds."""
    publish("Harbour ferry times")
    assert search("x" * 1000).count() == 0
    assert search(("harbour " * 200)[:1000]).count() == 1
    assert search("共同" * 500).count() == 0
    assert search(" ".join(["ferry"] * 10 + ["-" * 5, '"' * 7, "NEAR("] * 100)[:1000])[0:20] is not None


def test_snippets_escape_the_story_and_mark_matches(publish):
    """A snippet is the body's text escaped, with <mark> around the matches and none of the story's markup."""
    publish(
        "Ferry news",
        body="<p>&lt;script&gt;alert(1)&lt;/script&gt; Fish &amp; chips by the <strong>harbour</strong>.</p>"
        '<p><a href="https://example.com/">A link</a> about the harbour board.</p>',
    )
    [story] = search("harbour")[0:1]
    snippet = str(story.search_snippet)
    assert "<mark>harbour</mark>" in snippet
    assert "alert(1)&lt;/script&gt; Fish &amp; chips" in snippet
    assert "<strong>" not in snippet and "<a " not in snippet and "<script>" not in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_a_story_without_the_word_in_its_body_still_gets_a_snippet(publish):
    """A headline match shows the body's opening words, unmarked."""
    publish("Harbour story", paragraphs=["Fares rose again on Monday."])
    [story] = search("harbour")[0:1]
    assert "Fares rose again" in story.search_snippet and "<mark>" not in story.search_snippet


def test_a_page_costs_the_same_queries_for_one_result_or_twenty(publish, django_assert_num_queries):
    """Counting is one query and a page three (ranked hits with snippets, stories, bylines), whatever its size."""
    publish("Lighthouse keepers")
    for number in range(20):
        publish(f"Harbour story {number}")

    def page_of(query):
        page = Paginator(search(query), 20).get_page(1)
        return [(story.headline, story.credit_line, story.section.name, story.search_snippet) for story in page]

    with django_assert_num_queries(4):
        assert len(page_of("lighthouse")) == 1
    with django_assert_num_queries(4):
        assert len(page_of("harbour")) == 20


def test_the_count_stops_at_the_limit(publish, monkeypatch):
    """Beyond RESULTS_LIMIT matches the count says so instead of counting on, and pages stop there."""
    monkeypatch.setattr(articles.search, "RESULTS_LIMIT", 3)
    publish("Harbour, harbour, harbour")  # the best match, but the oldest
    for number in range(4):
        publish(f"Story {number}", paragraphs=[f"By the harbour, {number}."])
    results = search("harbour")
    assert results.count() == 3 and results.capped
    # The newest three matches are the ones ranked.
    assert [story.headline for story in results[0:10]] == ["Story 3", "Story 2", "Story 1"]
    assert results[3:10] == []
    assert Paginator(results, 2).num_pages == 2


def test_an_empty_query_asks_nothing_of_the_database(django_assert_num_queries):
    """Blank, space-only and punctuation-only queries are empty results, with no query run."""
    with django_assert_num_queries(0):
        for query in ["", "   ", "\n\t", '"" - ()', "-harbour"]:
            results = search(query)
            assert results.count() == 0 and results[0:20] == [] and not results


def test_rebuild_search_index_indexes_the_stories_readers_may_search(make_article, capsys):
    """The command fills the index from the stories: published and scheduled ones, not drafts, pulled or trashed."""
    make_article(headline="Harbour published")
    make_article(headline="Harbour draft", status=Status.DRAFT)
    make_article(headline="Harbour killed", status=Status.KILLED, published_at=timezone.now())
    make_article(headline="Harbour trashed", trashed_at=timezone.now())
    make_article(headline="Harbour scheduled", status=Status.SCHEDULED, published_at=timezone.now() + timedelta(1))
    SearchEntry.objects.all().delete()  # an index lost or never built (make_article indexes as the services do)
    assert found("harbour") == []
    call_command("rebuild_search_index")
    assert "Indexed 2 stories." in capsys.readouterr().out
    assert found("harbour") == ["Harbour published"]
    assert SearchEntry.objects.count() == 2
    call_command("rebuild_search_index")  # again: the same index, not twice over
    assert SearchEntry.objects.count() == 2
