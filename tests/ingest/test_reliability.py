"""
Wire ingest under hostile or unlucky input: every file is kept with a reason,
never a traceback or a 500; packages, push and the agencies' settings have
limits; concurrent deliveries of one story make one story.
"""

import io
import json
import threading
import time
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from articles.ingest import formats, ninjs
from articles.ingest.story import WireParseError, WireStory
from articles.models import Article, WireItem
from articles.services import ingest
from articles.services.ingest import compare_versions, receive
from articles.views.wire import push
from tests.ingest.conftest import read

Outcome = WireItem.Outcome
FERRY = read("nitf/harbor-ferry.xml")


def _ninjs(**fields):
    story = {"uri": "urn:test:1", "version": "1", "headline": "A headline", "body_text": "A paragraph.",
             "source": "Kyodo", **fields}  # fmt: skip
    return json.dumps(story).encode()


def _nested_nitf(depth):
    body = b"<p>" * depth + b"deep" + b"</p>" * depth
    return FERRY.replace(b"<block>", b"<block>" + body, 1)


def _kept_with_a_reason(items, data):
    assert len(items) == 1, items
    item = items[0]
    assert item.pk and item.outcome == Outcome.REJECTED and item.error
    assert bytes(item.raw) == data
    return item


# 1. Anything that goes wrong while reading a file is a kept, rejected item. ---------------------


@pytest.mark.parametrize(
    "data",
    [
        _ninjs(headlines=5),
        _ninjs(headline=None, subject="x"),
        _ninjs(bodies={"role": "text"}, body_text=None),
        b"[" * 100_000,
        b'{"a":' * 50_000,
        _nested_nitf(3_000),
        read("newsml-g2/newsmessage-prefixed.xml").replace(
            b"<html:body>", b"<html:body>" + b"<html:div>" * 3_000 + b"</html:div>" * 3_000, 1
        ),
    ],
    ids=["ninjs-headlines-int", "ninjs-subject-str", "ninjs-bodies-dict", "brackets", "objects", "nitf-deep",
         "newsml-deep"],
)  # fmt: skip
def test_unreadable_files_are_kept_with_a_reason(agencies, data):
    """Wrong JSON types, deep nesting and the like are refused with a reason and kept, never raised."""
    _kept_with_a_reason(receive(data, filename="odd"), data)


@pytest.mark.parametrize("error", [RecursionError("deep"), TypeError("no"), ValueError("bad"), MemoryError()])
def test_any_parser_exception_becomes_a_parse_error(monkeypatch, error):
    """Whatever a parser raises, formats.parse answers WireParseError naming the exception."""

    def broken(data):
        raise error

    monkeypatch.setattr(ninjs, "parse", broken)
    with pytest.raises(WireParseError, match=type(error).__name__):
        formats.parse(_ninjs())


def test_an_unexpected_error_before_the_transaction_is_kept(agencies, monkeypatch, settings):
    """An error outside the parsers (fetching pictures, say) still keeps the file with the reason."""
    settings.WIRE_FETCH_IMAGES_FROM = ["example.org"]

    def broken(story):
        raise RuntimeError("the network fell over")

    monkeypatch.setattr(ingest, "fetch_remote_pictures", broken)
    item = _kept_with_a_reason(receive(_ninjs(), filename="a.json"), _ninjs())
    assert "the network fell over" in item.error


def test_a_picture_address_python_cannot_parse_is_not_a_crash(agencies, settings):
    """A malformed picture URL ("http://[") is recorded, not a traceback."""
    settings.WIRE_FETCH_IMAGES_FROM = ["example.org"]
    story = json.loads(read("ninjs/ninjs1-embargoed.json"))
    story["associations"]["featuremedia"]["renditions"]["original"]["href"] = "http://[broken"
    items = receive(json.dumps(story).encode())
    assert len(items) == 1 and items[0].pk


def test_huge_versions_compare_without_crashing():
    """Python refuses int() of over 4,300 digits; versions compare as numbers of any length."""
    huge = "9" * 5_000
    last = WireItem(version="8" * 5_000)
    assert compare_versions(WireStory(version=huge), last) == 1
    assert compare_versions(WireStory(version="1"), WireItem(version=huge)) == -1
    assert compare_versions(WireStory(version=huge), WireItem(version=huge)) == 0
    assert compare_versions(WireStory(version="007"), WireItem(version="7")) == 0
    assert compare_versions(WireStory(version="10"), WireItem(version="9")) == 1
    # Digits Python's int() does not take ("²") are not numbers here.
    assert compare_versions(WireStory(version="²"), WireItem(version="²")) == 0


def test_a_version_too_long_to_keep_is_refused_with_a_reason(agencies):
    """A 5,000-digit version cannot be recorded, so later deliveries could not be compared: refused, kept."""
    data = _ninjs(version="9" * 5_000)
    item = _kept_with_a_reason(receive(data), data)
    assert "version" in item.error and not Article.objects.exists()


def test_a_file_of_many_stories_is_kept_once(agencies):
    """The first story's item holds the file; the others find it by checksum, and Retry on them works."""
    data = read("newsml-g2/newsmessage-prefixed.xml")
    first, second = receive(data, filename="message.xml")
    assert bytes(first.raw) == data and bytes(second.raw) == b""
    assert ingest.raw_file(second) == data and ingest.raw_file(first) == data
    assert [item.outcome for item in ingest.retry(second)] == ["duplicate", "killed"]


def test_ingest_wire_goes_on_after_a_failing_file(agencies, tmp_path, monkeypatch):
    """`ingest_wire a b c` ingests every file even when one blows up, says which, and exits 1."""
    from articles.management.commands import ingest_wire

    names = ["a.xml", "b.xml", "c.xml"]
    for number, name in enumerate(names):
        (tmp_path / name).write_bytes(FERRY.replace(b"ap-2026-ferry-fares", f"ap-{number}".encode()))

    def flaky(data, **kwargs):
        if kwargs["filename"] == "b.xml":
            raise RuntimeError("disk on fire")
        return receive(data, **kwargs)

    monkeypatch.setattr(ingest_wire, "receive", flaky)
    out = io.StringIO()
    paths = [str(tmp_path / name) for name in names] + [str(tmp_path / "missing.xml")]
    with pytest.raises(SystemExit) as exit:
        call_command("ingest_wire", *paths, stdout=out, stderr=out)
    assert exit.value.code == 1
    lines = out.getvalue()
    assert "b.xml: failed" in lines and "disk on fire" in lines
    assert "missing.xml: failed" in lines
    assert Article.objects.count() == 2


# 3. Zip packages. --------------------------------------------------------------------------------


def _zip(files, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_nested_zips_are_refused(agencies):
    """A zip inside a zip is refused with a reason, and the package is kept."""
    inner = _zip({"story.xml": FERRY})
    package = _zip({"story.xml": FERRY, "more.zip": inner})
    item = _kept_with_a_reason(receive(package, filename="nested.zip"), package)
    assert "zip" in item.error and not Article.objects.exists()


def test_a_zip_member_that_is_a_zip_under_another_name_is_refused(agencies):
    """The check reads the content, not only the name."""
    package = _zip({"story.xml": FERRY, "story2.xml": _zip({"story.xml": FERRY})})
    item = _kept_with_a_reason(receive(package, filename="nested.zip"), package)
    assert "zip" in item.error


def test_packages_have_a_total_size_limit(agencies, settings):
    """Members each under the file limit, but together over the package limit: refused before unpacking."""
    settings.WIRE_PACKAGE_MAX_BYTES = 100_000
    package = _zip({f"story-{n}.xml": FERRY + b" " * 40_000 for n in range(3)})
    assert len(package) < 20_000
    item = _kept_with_a_reason(receive(package, filename="big.zip"), package)
    assert "100000" in item.error.replace(",", "")


def test_packages_have_a_member_count_limit(agencies, settings):
    """More members than WIRE_PACKAGE_MAX_FILES (folders count too) is refused."""
    settings.WIRE_PACKAGE_MAX_FILES = 3
    package = _zip({f"story-{n}.xml": FERRY for n in range(4)})
    item = _kept_with_a_reason(receive(package, filename="many.zip"), package)
    assert "3" in item.error


def test_members_with_one_name_in_two_folders_are_both_kept(agencies):
    """a/story.xml and b/story.xml are two stories, each with the picture in its own folder."""
    other = FERRY.replace(b"ap-2026-ferry-fares", b"ap-other").replace(b"10% in spring", b"20% in summer")
    package = _zip({"a/story.xml": FERRY, "a/ferry.png": read("nitf/ferry.png"), "b/story.xml": other})
    items = receive(package, filename="two.zip")
    stories = [item for item in items if item.kind != "package"]
    assert sorted(item.filename for item in stories) == ["two.zip:a/story.xml", "two.zip:b/story.xml"]
    assert [item.outcome for item in stories] == ["created", "created"]
    assert stories[0].article.lead_image is not None and stories[1].article.lead_image is None


def test_the_zip_itself_is_kept_beside_its_stories(agencies):
    """One item keeps the package's own bytes and lists the items of its stories."""
    package = _zip({"story/harbor-ferry.xml": FERRY, "story/ferry.png": read("nitf/ferry.png")})
    items = receive(package, filename="delivery.zip")
    story, kept = items
    assert story.outcome == "created" and story.filename == "delivery.zip:story/harbor-ferry.xml"
    assert kept.outcome == Outcome.KEPT and kept.kind == "package" and kept.format == "zip"
    assert bytes(kept.raw) == package and kept.filename == "delivery.zip"
    assert kept.data["items"] == [story.pk]
    assert [m["name"] for m in kept.data["members"]] == ["story/harbor-ferry.xml", "story/ferry.png"]


def test_zip_paths_cannot_leave_the_package_folder(agencies):
    """Members named ../x or /x are read as plain names inside the package."""
    package = _zip({"../../escape.xml": FERRY, "/abs/ferry.xml": FERRY.replace(b"ap-2026-ferry-fares", b"ap-2")})
    items = [item for item in receive(package, filename="evil.zip") if item.kind != "package"]
    assert [item.outcome for item in items] == ["created", "created"]


# 4. Format detection is linear. ------------------------------------------------------------------


@pytest.mark.parametrize("unit", [b"<?", b"<!--", b"<!DOCTYPE x [", b"<!DOCTYPE"])
def test_detection_is_fast_on_pathological_prologs(unit):
    """60 KB of unclosed declarations or comments is read in well under a second (no backtracking)."""
    data = unit * (60_000 // len(unit))
    start = time.perf_counter()
    assert formats.detect(data) == "xml"
    with pytest.raises(WireParseError):
        formats.parse(data)
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b'<?xml version="1.0"?><!-- c --><!DOCTYPE nitf SYSTEM "x.dtd"><nitf/>', "nitf"),
        (b'<!DOCTYPE n [ <!ELEMENT n ANY> ]>\n<!-- <nitf> -->\n<ns:newsMessage xmlns:ns="u"/>', "newsml"),
        (b"<?xml?><?pi x?>\n\n<rss/>", "xml"),
        (b"\xef\xbb\xbf  <newsItem/>", "newsml"),
    ],
)
def test_detection_still_skips_the_prolog(data, kind):
    """Declarations, processing instructions, comments and DOCTYPE (with a subset) come before the root."""
    assert formats.detect(data) == kind


# 5. The push door. -------------------------------------------------------------------------------


PUSH = "/wire/push/ap/"


@pytest.fixture
def ap_token(agencies):
    return agencies["ap"].set_push_token()


def test_push_takes_bodies_up_to_the_wire_limit(client, ap_token, settings):
    """A 3 MB story (over Django's 2.5 MB form limit, under WIRE_MAX_BYTES) is accepted."""
    padding = b"<p>" + b"word " * 600_000 + b"</p>"
    data = FERRY.replace(b"<block>", b"<block>" + padding, 1)
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < len(data) < settings.WIRE_MAX_BYTES
    response = client.post(PUSH, data, content_type="application/xml", HTTP_AUTHORIZATION=f"Bearer {ap_token}")
    assert response.status_code == 202, response.content[:300]
    assert bytes(WireItem.objects.get().raw) == data


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", ""])
def test_push_with_a_bad_content_length_is_400(client, ap_token, length):
    """A Content-Length that is not a count of bytes is a client error, not a 500."""
    response = client.post(PUSH, FERRY, content_type="application/xml", HTTP_AUTHORIZATION=f"Bearer {ap_token}",
                           CONTENT_LENGTH=length)  # fmt: skip
    assert response.status_code == 400 and "Content-Length" in response.json()["error"]
    assert not WireItem.objects.exists()


def test_push_without_a_content_length_is_411(client, ap_token):
    """A body sent without its size (chunked) would read as empty: the agency is told to send the size."""
    request = RequestFactory().post(PUSH, FERRY, content_type="application/xml",
                                    HTTP_AUTHORIZATION=f"Bearer {ap_token}")  # fmt: skip
    del request.META["CONTENT_LENGTH"]
    response = push(request, "ap")
    assert response.status_code == 411 and not WireItem.objects.exists()


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic s3cret", "Bearer "])
def test_push_does_not_tell_which_agencies_exist(client, ap_token, header):
    """Without the right token, an unknown agency answers exactly as a known one does."""
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    known = client.post(PUSH, FERRY, content_type="application/xml", **extra)
    unknown = client.post("/wire/push/no-such-agency/", FERRY, content_type="application/xml", **extra)
    assert known.status_code in (401, 403)
    assert (unknown.status_code, unknown.content) == (known.status_code, known.content)


def test_push_to_an_agency_with_pushing_off_looks_like_a_wrong_token(client, agencies):
    """Pushing off, or an agency that does not exist: the same 403 for any token."""
    off = client.post(PUSH, FERRY, content_type="application/xml", HTTP_AUTHORIZATION="Bearer guess")
    unknown = client.post("/wire/push/nope/", FERRY, content_type="application/xml", HTTP_AUTHORIZATION="Bearer guess")
    assert off.status_code == 403 and (off.content == unknown.content)


# 6. Agencies' settings are the editors'. ---------------------------------------------------------


def test_reporters_cannot_open_agency_settings(client, reporter, agencies):
    """The agency list and change pages are refused to reporters, and the index does not list them."""
    client.force_login(reporter)
    assert client.get("/admin/articles/wireservice/").status_code == 403
    assert client.get(f"/admin/articles/wireservice/{agencies['ap'].pk}/change/").status_code == 403
    assert "/admin/articles/wireservice/" not in client.get("/admin/").content.decode()


def test_reporters_still_choose_an_agency_on_the_story_form(client, reporter, agencies):
    """The story form's agency autocomplete answers reporters."""
    client.force_login(reporter)
    query = {"app_label": "articles", "model_name": "article", "field_name": "wire_service", "term": "Kyo"}
    response = client.get("/admin/autocomplete/", query)
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Kyodo News"]


def test_editors_still_manage_agencies(editor_client, agencies):
    """Editors keep the list, the change page and the index entry."""
    assert editor_client.get("/admin/articles/wireservice/").status_code == 200
    assert editor_client.get(f"/admin/articles/wireservice/{agencies['ap'].pk}/change/").status_code == 200
    assert "/admin/articles/wireservice/" in editor_client.get("/admin/").content.decode()


# 8. Concurrent deliveries of one story. ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_three_deliveries_of_one_new_story_at_once_make_one_story(agencies, monkeypatch):
    """Three receives racing past the lookup: one creates, the others retry and record duplicates."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite takes the write lock at BEGIN (IMMEDIATE), so deliveries cannot race past the lookup")
    lookup, together, first_time = ingest._lookup, threading.Barrier(3, timeout=30), threading.local()

    def lookup_then_wait(*args, **kwargs):
        found = lookup(*args, **kwargs)
        if not getattr(first_time, "done", False):  # all three look before any writes; the retry does not wait
            first_time.done = True
            together.wait()
        return found

    monkeypatch.setattr(ingest, "_lookup", lookup_then_wait)
    results, errors = [], []

    def deliver():
        try:
            results.extend(receive(FERRY, filename="ferry.xml", source="race"))
        except Exception as error:  # the test reports it below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sorted(item.outcome for item in results) == ["created", "duplicate", "duplicate"], [
        (item.outcome, item.error) for item in results
    ]
    assert Article.objects.count() == 1
