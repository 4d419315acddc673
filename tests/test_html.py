import pytest

from articles.html import paragraphs_to_html, sanitize_body, with_dateline
from articles.models import Article


@pytest.mark.parametrize(
    "payload",
    [
        '<p>ok</p><script>alert("x")</script>',
        '<p onclick="alert(1)">ok</p>',
        '<p><a href="javascript:alert(1)">ok</a></p>',
        '<p><img src=x onerror="alert(1)">ok</p>',
        '<p><iframe src="https://evil.example/"></iframe>ok</p>',
        '<p><svg onload="alert(1)"><script>alert(1)</script></svg>ok</p>',
        '<p style="background:url(javascript:alert(1))">ok</p>',
        '<p><a href="data:text/html,<script>alert(1)</script>">ok</a></p>',
    ],
)
def test_hostile_markup_is_neutralised(payload):
    """Scripts, handlers, javascript: and data: links and embeds never survive."""
    cleaned = sanitize_body(payload).lower()
    for needle in ["<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<svg", "style=", "data:"]:
        assert needle not in cleaned
    assert "ok" in cleaned


def test_allow_list_keeps_newsroom_markup():
    """The tags a story needs pass untouched; links gain rel=nofollow."""
    html = (
        "<h2>Sub</h2><h3>Minor</h3><p><strong>b</strong> <em>i</em><br>x</p>"
        "<blockquote><p>q</p></blockquote><ul><li>u</li></ul><ol><li>o</li></ol>"
        '<p><a href="https://example.com/">link</a></p>'
    )
    cleaned = sanitize_body(html)
    for tag in ["<h2>", "<h3>", "<strong>", "<em>", "<br>", "<blockquote>", "<ul>", "<ol>", "<li>"]:
        assert tag in cleaned
    assert 'href="https://example.com/"' in cleaned and "nofollow" in cleaned


def test_disallowed_tags_keep_their_text():
    """Unknown tags are unwrapped, not deleted with their words."""
    assert sanitize_body("<p><span>kept</span> <h1>heading</h1></p>").count("kept") == 1
    assert "heading" in sanitize_body("<h1>heading</h1>")


def test_typography_and_non_latin_text_survive():
    """Curly quotes, em dashes and Japanese pass through byte for byte."""
    text = "“extremely severe” — Seoul’s 共同通信 한국어"
    assert sanitize_body(f"<p>{text}</p>") == f"<p>{text}</p>"


def test_body_is_sanitized_on_every_save(make_article):
    """Even a save outside any form stores sanitized HTML."""
    article = make_article()
    article.body = '<p>fine</p><script>alert(1)</script><p onclick="x()">also</p>'
    article.save()
    article.refresh_from_db()
    assert article.body == "<p>fine</p><p>also</p>"
    assert Article.objects.filter(body__contains="script").count() == 0


def test_paragraphs_to_html_escapes_text():
    """Plain text becomes paragraphs with markup escaped."""
    assert paragraphs_to_html(["a < b", "", "<b>c</b>"]) == "<p>a &lt; b</p>\n<p>&lt;b&gt;c&lt;/b&gt;</p>"


def test_dateline_runs_into_the_lede():
    """The dateline opens the first paragraph and is escaped."""
    html = with_dateline("<p>The lede.</p><p>Second.</p>", "NEW YORK <b>")
    assert html.startswith('<p><span class="dateline">NEW YORK &lt;b&gt; –</span> The lede.</p>')
