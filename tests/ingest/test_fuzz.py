"""
Fuzzing the wire door with Hypothesis: random bytes, JSON of any shape, and
every sample under tests/fixtures/wire/ mutated, go through the parsers and
through `receive`. A parser answers stories or WireParseError, nothing else;
`receive` keeps every file, whatever it holds.

`make test` runs WIRE_FUZZ_EXAMPLES examples per test (50 by default); CI runs
more (.ci/run). A failure prints the smallest input found, and the
`@reproduce_failure` line to paste above the test to replay it.
"""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest import formats
from articles.ingest.story import WireParseError, WireStory
from articles.services.ingest import raw_file, receive
from tests.ingest.conftest import WIRE

EXAMPLES = int(os.environ.get("WIRE_FUZZ_EXAMPLES", "50"))
SAMPLES = {
    path.relative_to(WIRE).as_posix(): path.read_bytes()
    for path in sorted(WIRE.rglob("*"))
    if path.is_file() and path.suffix.lower() not in {".md", ".png", ".jpg"}
}
# Bytes that parsers treat specially, to splice into samples.
TOKENS = [b"<", b">", b"&", b"&amp;", b"&#0;", b"&#x110000;", b"]]>", b"<![CDATA[", b"<!--", b"<?", b"?>",
          b"<!DOCTYPE x [", b"{", b"}", b"[", b"]", b'"', b":", b",", b"null", b"5", b"-1", b"1e999", b"[]", b"{}",
          b"\x00", b"\x01", b"\x1b", b"\r", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xc3", b"\xe2\x80",
          b"\\u0000", b"\\ud800", b"9" * 5_000, b"<p>" * 200, b"[" * 2_000, b"\n\n", b"\t", b"PK\x03\x04",
          b"By ", b"(AP) \xe2\x80\x94 ", b"\xe2\x80\xa2 Kyodo", b"\x01\x02", b"ZCZC", b"NNNN"]  # fmt: skip

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written to the working tree; a failure prints how to replay it
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


@st.composite
def mutations_of(draw, data):
    """`data` with a few random edits: bytes changed, tokens and other samples spliced in, pieces cut."""
    data = bytearray(data)
    for _edit in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["set", "insert", "token", "delete", "truncate", "splice"]))
        if edit == "set" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif edit == "insert":
            data[at:at] = draw(st.binary(max_size=32))
        elif edit == "token":
            data[at:at] = draw(st.sampled_from(TOKENS)) * draw(st.integers(1, 3))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif edit == "truncate":
            del data[at:]
        else:  # another format's bytes in the middle of this one
            other = SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))]
            start = draw(st.integers(0, len(other)))
            data[at:at] = other[start : start + draw(st.integers(0, 400))]
    return bytes(data)


def json_values():
    """Any JSON value, nested a little."""
    leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)

    def branches(inner):
        return st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)

    return st.recursive(leaves, branches, max_leaves=10)


# Keys ninjs 1.x, 2.x and 3.x use, given values of any JSON type.
NINJS_KEYS = ["uri", "guid", "version", "versioncreated", "versionCreated", "firstcreated", "headline", "headlines",
              "description_text", "descriptions", "body_html", "body_text", "bodies", "byline", "by", "source",
              "copyrightholder", "copyrightnotice", "usageterms", "embargoed", "pubstatus", "pubStatus", "ednote",
              "subject", "subjects", "keywords", "associations", "renditions", "type", "language", "urgency",
              "located", "place", "altids", "infosources", "people", "charcount", "profile"]  # fmt: skip


@st.composite
def ninjs_documents(draw):
    story = draw(st.dictionaries(st.sampled_from(NINJS_KEYS), json_values(), max_size=12))
    return json.dumps(story).encode()


def random_files():
    heads = st.sampled_from([b"", b"<", b"<?xml version='1.0'?>", b"<nitf>", b"{", b"[", b"PK\x03\x04",
                             b"\xef\xbb\xbf", b"<newsMessage xmlns='http://iptc.org/std/nar/2006-10-01/'>", b"\x01",
                             b"ZCZC"])  # fmt: skip
    return st.builds(lambda head, body: head + body, heads, st.binary(max_size=2_000))


def any_file():
    mutated = st.sampled_from(sorted(SAMPLES)).flatmap(lambda name: mutations_of(SAMPLES[name]))
    return st.one_of(random_files(), ninjs_documents(), mutated)


def assert_parses_or_refuses(data):
    try:
        kind, stories = formats.parse(data)
    except WireParseError as error:
        assert str(error)
        return
    assert isinstance(kind, str) and isinstance(stories, list)
    assert all(isinstance(story, WireStory) for story in stories)
    for story in stories:
        json.dumps(story.as_data())  # what the wire item keeps must be JSON


@fuzz
@given(data=random_files())
def test_random_bytes_parse_or_are_refused(data):
    """Random bytes, under any format's first bytes: stories or WireParseError."""
    assert_parses_or_refuses(data)


@fuzz
@given(data=ninjs_documents())
def test_ninjs_of_any_shape_parses_or_is_refused(data):
    """ninjs fields of the wrong JSON type (a number for headlines, a string for subject): never a crash."""
    assert_parses_or_refuses(data)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_mutated_samples_parse_or_are_refused(name):
    """Each sample, mutated: stories or WireParseError, never another exception."""

    @fuzz
    @given(data=mutations_of(SAMPLES[name]))
    def check(data):
        assert_parses_or_refuses(data)

    check()


@fuzz
@given(data=any_file())
def test_receive_keeps_every_file(agencies, data):
    """Through receive, with the database: every file gives saved items, and the file is kept."""
    items = receive(data, filename="fuzz")
    assert items and all(item.pk for item in items)
    assert any(raw_file(item) == data for item in items)  # the whole file, whatever became of its stories
