"""Text hygiene every parser shares: what agencies put in their text that must never reach a reader."""

import time

import pytest

from articles.ingest.cleanup import clean_body_html, clean_dateline, clean_paragraphs, plain_text, tidy
from articles.ingest.story import WireImage, WireStory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Markets <b>rally</b> as yen weakens", "Markets rally as yen weakens"),
        ("Markets &lt;b&gt;rally&lt;/b&gt;", "Markets rally"),
        ("Markets &amp;lt;i&amp;gt;rally&amp;lt;/i&amp;gt;", "Markets rally"),
        ("Paris<endash/>Berlin, 1<emdash></emdash>2", "Paris–Berlin, 1—2"),
        ("Paris&lt;endash/&gt;Berlin", "Paris–Berlin"),
        ("Vote &lt;script&gt;alert(1)&lt;/script&gt;today", "Vote today"),
        ("Profits < 5% & > 3%", "Profits < 5% & > 3%"),
        ("\x01\x02Head\x1fline\x7f\x85", "Headline"),
        ("Big<b>Co</b><br/>merger", "BigCo merger"),
        ("  two\n  lines ", "two lines"),
    ],
)
def test_plain_text(value, expected):
    """Headlines: tags and code dropped, entities decoded, agency dash tags as dashes, control codes gone."""
    assert plain_text(value) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>One<endash/>two</p>", "<p>One–two</p>"),
        ("<p>Say &lt;iframe src='https://x.example'&gt;&lt;/iframe&gt;hi</p>", "<p>Say hi</p>"),
        ('<p>A &amp;lt;script src="t.js"&amp;gt;&amp;lt;/script&amp;gt;B</p>', "<p>A B</p>"),
        ("<p>A &lt;blockquote class=&quot;twitter-tweet&quot;&gt;x&lt;/blockquote&gt;B</p>", "<p>A B</p>"),
        ("<p>Lone &lt;embed src=x&gt; tag</p>", "<p>Lone tag</p>"),
        ("&lt;p&gt;Escaped &lt;b&gt;whole&lt;/b&gt;&lt;/p&gt;", "<p>Escaped <b>whole</b></p>"),
        ("<p>Quad code&lt;</p><p>By JANE DOE=</p>", "<p>Quad code</p><p>By JANE DOE</p>"),
        ("<html><head><title>Slug</title></head><body><p>Text</p></body></html>", "<p>Text</p>"),
        ("<p>Keep &lt;this&gt; &amp; that</p>", "<p>Keep &lt;this&gt; &amp; that</p>"),
    ],
)
def test_clean_body_html(body, expected):
    """Agency tags become characters; escaped embed code and ANPA codes go; ordinary escaped text stays."""
    assert clean_body_html(body)[0] == expected


@pytest.mark.parametrize(
    "header",
    [
        "<p>Keywords: ferry, port</p>",
        "<p>Schlagwörter: Fähre, Hafen</p>",
        "<p>TOKYO / 10:15 JST</p>",
        "<p>Berlin/Hamburg / 14.30 Uhr</p>",
        "<p>Place: Tokyo<br/>Time: 10:15</p>",
        "<p>TOKYO<br/>2026-11-20 10:15</p>",
        "<h1>The headline</h1><div class='kicker'><span>Politics</span> <span>TT</span></div>",
        "<p>By Jane Doe</p>",
    ],
)
def test_the_agency_header_block_is_not_body_text(header):
    """Keyword lines, PLACE / TIME lists, a repeated headline or byline and a kicker above the story are lifted off."""
    body, lifted = clean_body_html(f"{header}<p>The story begins.</p><p>It goes on.</p>", byline="By Jane Doe",
                                   headline="The headline")  # fmt: skip
    assert body == "<p>The story begins.</p><p>It goes on.</p>"
    assert lifted.lines


@pytest.mark.parametrize(
    "lede",
    [
        "<p>Time: the one thing investors lack, analysts say.</p>",
        "<p>TOKYO</p>",
        "<p>The 24/7 service starts today.</p>",
        "<p>Place your bets: the race is on.</p>",
        "<p>10:15</p>",
    ],
)
def test_a_story_that_merely_looks_like_a_header_is_kept(lede):
    """A lede with a colon, a lone place or time, or a slash in a sentence is the story, not a header."""
    body = f"{lede}<p>More.</p>"
    assert clean_body_html(body) == (body, clean_body_html("")[1])


def test_a_body_that_is_all_header_is_left_alone():
    """If nothing but header would be left, nothing is taken."""
    assert clean_body_html("<p>Keywords: a, b</p>")[0] == "<p>Keywords: a, b</p>"


def test_header_keywords_and_place_are_kept():
    """What the header said goes to the story's keywords and place, and the desk is told what was lifted."""
    story = WireStory(body_html="<p>Keywords: ferry; port</p><p>Place: Kobe</p><p>Text.</p>", place="")
    tidy(story)
    assert (story.body_html, story.keywords, story.place) == ("<p>Text.</p>", ["ferry", "port"], "Kobe")
    assert story.warnings == [
        "Taken out of the top of the body (the agency's header block, or the headline or byline repeated): "
        "Keywords: ferry; port | Place: Kobe"
    ]


def test_clean_paragraphs():
    """Plain paragraphs: the header lines and byline go, ANPA line-end codes and embeds go, lines are joined."""
    paragraphs, header = clean_paragraphs(
        [
            "Keywords: a, b\nPlace: Tokyo\nTime: 10:15",
            "By CHARLES ODUM=",
            "ATLANTA (AP) _ Luol Deng scored <\n30 points.<",
            'See <iframe src="https://v.example"></iframe> the video &amp; more.',
        ],
        byline="Charles Odum",
    )
    assert paragraphs == ["ATLANTA (AP) _ Luol Deng scored 30 points.", "See the video & more."]
    assert (header.keywords, header.place) == (["a", "b"], "Tokyo")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PARIS, Nov 20, 2026 (AFP) -", "PARIS, Nov 20, 2026"),
        ("MOSCOW, Monday (Reuters)", "MOSCOW, Monday"),
        ("SEATTLE (AP) —", "SEATTLE"),
        ("TOKYO", "TOKYO"),
    ],
)
def test_clean_dateline(value, expected):
    """A dateline loses its trailing "(AGENCY) -"."""
    assert clean_dateline(value) == expected


def test_tidy_removes_repeats_and_its_own_guid_from_links():
    """Agency codes, keywords, links and subjects once each; a story never links to itself; captions are plain."""
    story = WireStory(
        guid="g",
        agency_codes=[" AFP ", "AFP", "", "afp.com"],
        keywords=["rail", "rail", " "],
        links=["a", "g", "a", "b"],
        subjects=[("medtop:1", ""), ("medtop:1", "economy"), ("", "nameless")],
        images=[WireImage(caption="A <b>bold</b> caption", credit="Luc&nbsp;Martin")],
    )
    tidy(story)
    assert story.agency_codes == ["AFP", "afp.com"] and story.keywords == ["rail"]
    assert story.links == ["a", "b"] and story.subjects == [("medtop:1", "economy")]
    assert (story.images[0].caption, story.images[0].credit) == ("A bold caption", "Luc Martin")


@pytest.mark.parametrize(
    "body",
    [
        "<p>" + "&lt;script " * 50_000 + "</p>",
        "<p>" + "&lt;iframe&gt;" * 50_000 + "</p>",
        "<!--" * 50_000,
        "<script>" * 50_000,
        "<head>" * 50_000,
        "<p>" + "=" * 500_000 + "x</p>",
    ],
)
def test_hostile_markup_is_cleaned_in_linear_time(body):
    """Thousands of unclosed comments, code tags or ANPA codes cost one pass, not one pass each (was minutes)."""
    start = time.perf_counter()
    clean_body_html(body)
    clean_paragraphs([body])
    plain_text(body)
    assert time.perf_counter() - start < 3.0
