"""The editorial desk, through the admin's real pages and form posts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, Image, Status
from tests.conftest import png_bytes

CHANGELIST = "/admin/articles/article/"
ADD = "/admin/articles/article/add/"


def article_form(**overrides):
    """A complete article change-form post, as the browser sends it."""
    data = {
        "headline": "Ministers meet in New York",
        "dek": "",
        "body": "<p>The lede.</p>",
        "credit_override": "",
        "wire_service": "",
        "wire_guid": "",
        "wire_version": "",
        "dateline": "",
        "section": "",
        "tags": "",
        "lead_image": "",
        "slug": "ministers-meet",
        "embargo_until_0": "",
        "embargo_until_1": "",
        "dateline_date_0": "",
        "dateline_date_1": "",
        "workflow_note": "",
        "publish_at_0": "",
        "publish_at_1": "",
    }
    for prefix in ["bylines", "corrections", "audit_entries"]:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def change_form(client, article, **overrides):
    """The change form of `article` as the browser would post it back, with `overrides` applied."""
    data = article_form(
        headline=article.headline,
        slug=article.slug,
        dek=article.dek,
        body=article.body,
        section=article.section_id or "",
        wire_service=article.wire_service_id or "",
        credit_override=article.credit_override,
        dateline=article.dateline,
        wire_byline=article.wire_byline,
        copyright_holder=article.copyright_holder,
        copyright_notice=article.copyright_notice,
        usage_terms=article.usage_terms,
        wire_guid=article.wire_guid,
        wire_version=article.wire_version,
        lead_image=article.lead_image_id or "",
        tags=", ".join(f'"{name}"' for name in article.tags.names()),
        lock_version=article.lock_version,
    )
    if article.embargo_until:
        local = timezone.localtime(article.embargo_until)
        data.update(embargo_until_0=local.strftime("%Y-%m-%d"), embargo_until_1=local.strftime("%H:%M:%S"))
    bylines = list(article.bylines.all())
    data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = str(len(bylines))
    for number, byline in enumerate(bylines):
        data.update(
            {
                f"bylines-{number}-id": byline.pk,
                f"bylines-{number}-article": article.pk,
                f"bylines-{number}-author": byline.author_id,
                f"bylines-{number}-position": byline.position,
            }
        )
    data.update(overrides)
    return data


def test_admin_is_titled_for_the_newsroom(editor_client):
    """The desk's index says whose desk it is, not 'Django administration'."""
    html = editor_client.get("/admin/").content.decode()
    assert "Django administration" not in html
    assert "The Newsroom Daily — editorial desk" in html


def test_editor_adds_a_story_with_tags_and_byline(editor_client, editor, world, kyodo, make_author):
    """A full add-form post saves tags (comma-separated, new ones created), byline and who made it."""
    author = make_author("Jane Doe")
    response = editor_client.post(
        ADD,
        article_form(
            section=world.pk,
            wire_service=kyodo.pk,
            tags='Japan, "Moon Jae-in", GSOMIA',
            body="<p>“Curly” — text</p><script>alert(1)</script>",
            **{"bylines-TOTAL_FORMS": "1", "bylines-0-author": author.pk, "bylines-0-position": "0"},
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="ministers-meet")
    assert sorted(article.tags.names()) == ["GSOMIA", "Japan", "Moon Jae-in"]
    assert article.credit_line == "By Jane Doe and Kyodo"
    assert article.body == "<p>“Curly” — text</p>"
    assert article.created_by == editor and article.updated_by == editor


def test_change_form_is_in_editorial_order(editor_client, make_article):
    """Headline, dek and body come first; credit and byline next; placement; then publishing."""
    html = editor_client.get(f"/admin/articles/article/{make_article().pk}/change/").content.decode()
    order = [
        'name="headline"',
        'name="dek"',
        'name="body"',
        'name="credit_override"',
        'name="wire_service"',
        'name="dateline"',
        'id="bylines-group"',
        'name="section"',
        'name="tags"',
        'name="lead_image"',
        'name="slug"',
        'name="embargo_until_0"',
        'class="module aligned workflow-panel"',
        'name="_save"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "django_prose_editor/editor.js" in html  # the rich-text editor, served from our own static files
    assert "articles/admin/tag-autocomplete.js" in html
    # The slug is filled in from the headline as the editor types.
    prepopulated = html.split("data-prepopulated-fields=")[1].split(">")[0].replace("&quot;", '"')
    assert '"id": "#id_slug"' in prepopulated and '"dependency_ids": ["#id_headline"]' in prepopulated


def test_publishing_without_headline_is_refused_and_keeps_input(editor_client, world):
    """A story cannot publish without a headline; the error names it and the typed text stays."""
    response = editor_client.post(
        ADD, article_form(headline="", slug="", section=world.pk, _transition="publish", dek="Typed dek")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Write a headline before publishing." in errors["headline"]
    assert "slug" in errors
    assert "Typed dek" in response.content.decode()
    assert not Article.objects.exists()


def test_publishing_sets_the_publish_time(editor_client, world):
    """Publishing with no time given publishes now."""
    response = editor_client.post(ADD, article_form(section=world.pk, credit_override="Staff", _transition="publish"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Status.PUBLISHED
    assert article.published_at <= timezone.now() and article.is_public


def test_duplicate_slug_gets_a_clear_error(editor_client, make_article, world):
    """Two stories cannot share a slug; the form says so instead of crashing."""
    make_article(slug="taken")
    response = editor_client.post(ADD, article_form(slug="taken", section=world.pk))
    assert "Another story already uses this slug" in response.content.decode()


def _changelist_queries(client, url=CHANGELIST):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_changelist_queries_do_not_grow_with_rows(editor_client, make_article, make_author, kyodo):
    """Listing 1 story or 50 (each with authors, tags, agency) costs the same queries."""
    make_article(authors=[make_author("First Writer")], wire_service=kyodo, tags=["one"])
    one, response = _changelist_queries(editor_client)
    assert response.context["cl"].result_count == 1
    for number in range(49):
        make_article(
            authors=[make_author(f"Writer {number}"), make_author(f"Second {number}")],
            wire_service=kyodo,
            tags=[f"tag {number}", "shared"],
        )
    fifty, response = _changelist_queries(editor_client)
    assert response.context["cl"].result_count == 50
    assert fifty == one


def test_changelist_shows_desk_columns(editor_client, make_article, make_author, kyodo):
    """Headline, status, section, credit line and times are listed; a missing headline is flagged."""
    make_article(headline="Listed story", authors=[make_author("Jane Doe")], wire_service=kyodo)
    make_article(headline="", slug="", status=Status.DRAFT, wire_service=kyodo)
    html = editor_client.get(CHANGELIST).content.decode()
    assert "Listed story" in html and "By Jane Doe and Kyodo" in html and "Needs headline" in html
    for column in [
        "column-display_status",
        "column-section",
        "column-credit_line",
        "column-updated_at",
        "column-published_at",
    ]:
        assert column in html


def test_search_finds_story_by_tag_and_body(editor_client, make_article):
    """Searching 'GSOMIA' finds the story tagged with it, and body words work too."""
    make_article(headline="Ministers meet", tags=["GSOMIA"])
    make_article(headline="Other story", paragraphs=["Nothing about pacts."])
    response = editor_client.get(CHANGELIST, {"q": "GSOMIA"})
    assert [a.headline for a in response.context["cl"].result_list] == ["Ministers meet"]
    response = editor_client.get(CHANGELIST, {"q": "pacts"})
    assert [a.headline for a in response.context["cl"].result_list] == ["Other story"]


def test_filters_by_wire_service_tag_author_and_status(editor_client, make_article, make_author, kyodo, ap):
    """Each sidebar filter narrows the list to matching stories."""
    writer = make_author("Jane Doe")
    make_article(headline="Kyodo story", wire_service=kyodo, tags=["Japan"])
    make_article(headline="AP story", wire_service=ap, tags=["Weather"], authors=[writer])
    make_article(headline="Draft story", status=Status.DRAFT)

    def headlines(**params):
        return sorted(a.headline for a in editor_client.get(CHANGELIST, params).context["cl"].result_list)

    assert headlines(wire_service__id__exact=kyodo.pk) == ["Kyodo story"]
    assert headlines(tag="weather") == ["AP story"]
    assert headlines(authors__id__exact=writer.pk) == ["AP story"]
    assert headlines(status__exact="draft") == ["Draft story"]
    html = editor_client.get(CHANGELIST).content.decode()
    assert "?tag=japan" in html  # the tag filter offers used tags


def test_view_on_site_only_for_public_stories(editor_client, make_article):
    """Published stories link to the site from the form; drafts do not."""
    published = make_article()
    draft = make_article(status=Status.DRAFT)
    assert "View on site" in editor_client.get(f"/admin/articles/article/{published.pk}/change/").content.decode()
    assert "View on site" not in editor_client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()


def test_tag_suggestions(editor_client, make_article, client):
    """The tag field suggests existing tags, prefix matches first; anonymous users get nothing."""
    make_article(tags=["Moon Jae-in", "Japan", "Honeymoon"])
    response = editor_client.get("/admin/articles/article/tag-suggestions/", {"q": "moon"})
    assert response.json()["results"] == ["Moon Jae-in", "Honeymoon"]
    client.logout()
    assert client.get("/admin/articles/article/tag-suggestions/", {"q": "moon"}).status_code == 302


def test_roles_over_http(client, reporter, paywall_manager, make_article):
    """Reporters may write but not delete; paywall managers may only look at stories."""
    article = make_article(status=Status.DRAFT)
    client.force_login(reporter)
    assert client.get(ADD).status_code == 200
    assert client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}).status_code == 403
    client.force_login(paywall_manager)
    assert client.get(ADD).status_code == 403
    response = client.post(f"/admin/articles/article/{article.pk}/change/", article_form(headline="Hijack"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline != "Hijack"


# Images -----------------------------------------------------------------------

IMAGE_ADD = "/admin/articles/image/add/"


def image_form(upload, **overrides):
    return {
        "file": upload,
        "alt_text": "Typed alt text",
        "caption": "Typed caption",
        "credit": "Typed credit",
        "wire_service": "",
        **overrides,
    }


def test_valid_image_upload_records_its_size(editor_client):
    """A real PNG uploads and its width and height are stored."""
    response = editor_client.post(IMAGE_ADD, image_form(SimpleUploadedFile("ok.png", png_bytes(64, 48))))
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (64, 48)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.png", b"this is not an image at all"), "This file is not an image"),
        (
            SimpleUploadedFile("page.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
            "This file is not an image",
        ),
    ],
)
def test_non_image_upload_is_refused_and_keeps_input(editor_client, upload, message):
    """A file that is not an image gets a clear error; the other fields keep what was typed."""
    response = editor_client.post(IMAGE_ADD, image_form(upload))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "Typed alt text" in html and "Typed caption" in html and "Typed credit" in html
    assert not Image.objects.exists()


def test_oversized_image_is_refused_and_keeps_input(editor_client, settings):
    """An image with more pixels than allowed gets an error naming its size and the limit."""
    settings.IMAGE_MAX_PIXELS = 1000
    response = editor_client.post(IMAGE_ADD, image_form(SimpleUploadedFile("big.png", png_bytes(50, 40))))
    html = response.content.decode()
    assert "This image is 50 × 40 pixels" in html and "Typed caption" in html
    assert not Image.objects.exists()


def test_decompression_bomb_is_refused_without_decoding(editor_client):
    """A tiny file that claims 40,000 × 40,000 pixels is refused from its header alone, before Pillow decodes it."""
    buffer = io.BytesIO()
    PILImage.new("1", (40_000, 40_000)).save(buffer, format="PNG")  # 1-bit, compresses to a few KB
    assert len(buffer.getvalue()) < 1_000_000
    response = editor_client.post(IMAGE_ADD, image_form(SimpleUploadedFile("bomb.png", buffer.getvalue())))
    html = response.content.decode()
    assert "This image is far larger than the limit of 50 megapixels" in html
    assert not Image.objects.exists()


def test_image_just_over_the_limit_names_its_size(editor_client, settings):
    """Between our limit and Pillow's, the error gives the image's dimensions."""
    settings.IMAGE_MAX_PIXELS = 1_000_000
    buffer = io.BytesIO()
    PILImage.new("1", (1500, 1000)).save(buffer, format="PNG")
    response = editor_client.post(IMAGE_ADD, image_form(SimpleUploadedFile("big.png", buffer.getvalue())))
    assert "This image is 1500 × 1000 pixels (2 megapixels); the limit is 1 megapixels" in response.content.decode()


def test_file_too_large_is_refused(editor_client, settings):
    """Files over the byte limit are refused before Pillow reads them."""
    settings.IMAGE_MAX_BYTES = 100
    response = editor_client.post(IMAGE_ADD, image_form(SimpleUploadedFile("ok.png", png_bytes(64, 48))))
    assert "images may be at most 100" in response.content.decode()


def test_lead_image_preview_on_the_article_form(editor_client, make_article):
    """The article form shows a thumbnail of its lead image."""
    editor_client.post(IMAGE_ADD, image_form(SimpleUploadedFile("lead.png", png_bytes())))
    image = Image.objects.get()
    article = make_article(lead_image=image)
    html = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert image.file.url in html
