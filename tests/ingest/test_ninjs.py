"""ninjs 1.x to 3.x: every fixture's story, field by field, and the rules behind them."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from articles.ingest import ninjs
from articles.ingest.story import ItemKind, PubStatus, WireParseError
from tests.ingest.stories import story_from, summary

CET = timezone(timedelta(hours=1))
GLACIER = "urn:example:ninjs3:glacier-2026"

CASES = [
    pytest.param(
        "ninjs/dpa_text.json",
        {"headline": "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?",
         "first": "Für Lucien Favre war es «der größte Skandal im Fußball seit Jahren». Der Trainer von Borussia "
                  "Dortmund regte sich nach dem 2:4 im Revierderby gegen den FC Schalke 04 mächtig über den "
                  "Handelfmeter zum zwischenzeitlichen 1:1 für die Gäste auf.",
         "last": "Die Debatte zeigt einmal mehr, dass die aktuelle Handspiel-Regel weiter großen "
                 "Interpretationsspielraum lässt. Auch künftig dürfte es daher zu Diskussionen um die richtige "
                 "Auslegung der Bestimmungen kommen.",
         "count": 9, "byline": "Von Christian Hollmann, dpa", "dateline": "", "agency_codes": ["dpa"],
         "guid": "urn:newsml:dpa.com:20090101:190510-99-167362", "version": "2", "embargo_until": None,
         "slugline": "", "priority": "4", "language": "de", "kind": ItemKind.TEXT, "links": []},
        id="ninjs2-dpa",
    ),
    pytest.param(
        "ninjs/tt_text_image_2.json",
        {"headline": "Militärövning i jätteformat hålls 2023",
         "first": "Pandemin satte stopp för den stora internationella militärövningen Aurora 2020 förra våren. Redan "
                  "då sade Försvarsmakten att den skulle genomföras senare och nu står det klart att det blir 2023, "
                  "rapporterar Sydöstran.",
         "byline": "", "dateline": "", "agency_codes": ["TT"],
         "guid": "http://tt.se/media/text/210526-militarovning-a0f2d045", "version": "1", "embargo_until": None,
         "slugline": "militärövning", "priority": "3", "language": "sv", "kind": ItemKind.TEXT, "links": [],
         "place": "Sverige"},
        id="ninjs2-tt",
    ),
    pytest.param(
        "ninjs/ninjs1-embargoed.json",
        {"headline": "Beekeepers report a better year", "first": "Hive losses fell\u00a0this winter, beekeepers said.",
         "last": "Read the full report.", "count": 2, "byline": "Mara Lind, Example University", "dateline": "",
         "agency_codes": ["Kyodo", "Kyodo News"], "guid": "urn:example:ninjs1:bees-2026", "version": "4",
         "embargo_until": datetime(2026, 12, 2, 2, 30, tzinfo=UTC), "slugline": "", "priority": "", "language": "",
         "kind": ItemKind.TEXT, "links": [], "pubstatus": PubStatus.EMBARGOED},
        id="ninjs1",
    ),
    pytest.param(
        "ninjs/ninjs14-body-xhtml.json",
        {"headline": "Volunteers pull two tonnes of rubbish from the harbour",
         "first": "KOBE, Japan (Kyodo) — More than 400 volunteers pulled two tonnes of rubbish from Kobe harbour on "
                  "Sunday.",
         "last": "The city will hold another clean-up in spring.", "count": 3, "byline": "Sam Ito", "dateline": "",
         "agency_codes": ["Kyodo", "Kyodo News"], "guid": "urn:example:ninjs14:harbour-cleanup-2026", "version": "2",
         "embargo_until": None, "slugline": "HARBOUR-CLEANUP", "priority": "5", "language": "en",
         "kind": ItemKind.TEXT, "links": [], "place": "Kobe",
         "first_created": datetime(2026, 11, 19, 7, 45, tzinfo=UTC),
         "ed_note": "Corrects the volunteers' number in paragraph 2.", "keywords": ["Hyogo"]},
        id="ninjs14-body-xhtml",
    ),
    pytest.param(
        "ninjs/ninjs3-camelcase.json",
        {"headline": "Gletscher verlieren drei Prozent ihres Volumens",
         "dek": "Die Schweizer Gletscher sind 2026 erneut stark geschrumpft.",
         "first": "Zermatt (dpa) - Die Schweizer Gletscher haben 2026 drei Prozent ihres Volumens verloren.",
         "last": "«Die Entwicklung ist dramatisch», sagte ein Sprecher.", "count": 3,
         "byline": "Von Anna Keller, dpa", "dateline": "", "agency_codes": ["dpa"], "guid": GLACIER, "version": "3",
         "embargo_until": datetime(2026, 11, 19, 6, 0, tzinfo=CET), "slugline": "Schweiz-Klima-Gletscher",
         "priority": "4", "language": "de", "kind": ItemKind.TEXT, "links": [f"{GLACIER}:video1"],
         "place": "Zermatt", "version_time": datetime(2026, 11, 18, 12, 0, tzinfo=CET),
         "first_created": datetime(2026, 11, 18, 9, 30, tzinfo=CET),
         "copyright_holder": "dpa", "copyright_notice": "Copyright 2026, dpa. Alle Rechte vorbehalten",
         "usage_terms": "Nur zur redaktionellen Nutzung",
         "ed_note": "Sperrfrist beachten: 19. November, 06.00 Uhr MEZ.",
         "pubstatus": PubStatus.EMBARGOED, "subjects": [("medtop:06000000", "Umwelt")]},
        id="ninjs3-camelcase",
    ),
    pytest.param(
        "ninjs/ninjs3-picture.json",
        {"headline": "Gornergletscher", "dek": "", "count": 0, "byline": "Laurent Gillieron/dpa",
         "agency_codes": ["dpa"], "guid": f"{GLACIER}:pic1", "version": "1", "kind": ItemKind.PICTURE,
         "links": [GLACIER]},
        id="ninjs3-picture",
    ),
    pytest.param(
        "ninjs/ninjs2-package.json",
        {"headline": "Gletscherschwund: Text, Bild und Video", "count": 0, "agency_codes": ["dpa"],
         "guid": "urn:example:ninjs2:glacier-package", "version": "1", "kind": ItemKind.PACKAGE,
         "links": [GLACIER, f"{GLACIER}:pic1", f"{GLACIER}:video1"]},
        id="ninjs2-package",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("relative", "expected"), CASES)
def test_fixture(relative, expected):
    """Each fixture's story has the headline, paragraphs, byline, codes, identity, kind and links listed."""
    assert summary(story_from(ninjs.parse, relative), expected) == expected


def test_ninjs3_picture_association_is_the_stories_image():
    """An associated picture: its widest rendition, caption from `descriptions`, credit from `by`."""
    story = story_from(ninjs.parse, "ninjs/ninjs3-camelcase.json")
    assert [vars(image) for image in story.images] == [
        {
            "href": "https://media.dpa.example/glacier.jpg",
            "caption": "Der Gornergletscher bei Zermatt im September 2026.",
            "alt_text": "",
            "credit": "Laurent Gillieron/dpa",
        }
    ]


def test_picture_item_is_its_own_image():
    """A ninjs picture is not a story: its renditions, caption and alt text are its image."""
    story = story_from(ninjs.parse, "ninjs/ninjs3-picture.json")
    assert (story.images[0].href, story.images[0].alt_text) == (
        "https://media.dpa.example/glacier.jpg",
        "Ein grauer Gletscher zwischen Felswänden",
    )
    assert story.body_html == "" and story.paragraphs == []


def test_html_in_the_headline_and_embeds_in_the_body_never_reach_readers():
    """Escaped <em> in a headline is plain text; escaped scripts and iframes leave the body; <emdash/> is "—"."""
    story = story_from(ninjs.parse, "ninjs/ninjs14-body-xhtml.json")
    assert "<" not in story.headline and "&" not in story.headline
    for leftover in ("script", "ads.example", "emdash", "Place: Kobe", "08:00"):
        assert leftover not in story.body_html
    camel = story_from(ninjs.parse, "ninjs/ninjs3-camelcase.json")
    assert "iframe" not in camel.body_html and "mit–ein Wert" in camel.body_html


def test_plain_text_body_is_split_into_paragraphs():
    """Without HTML, a plain `bodies` entry becomes paragraphs, split at blank lines."""
    data = b'{"uri": "u", "bodies": [{"contentType": "text/plain", "value": "One.\\n\\nTwo &amp; three."}]}'
    assert ninjs.parse(data).paragraphs == ["One.", "Two & three."]


@pytest.mark.parametrize(
    ("json_text", "reason"),
    [
        ('{"uri": "u", "headlines": 5}', "“headlines” should be a list of objects, but it is a number (5)"),
        ('{"uri": "u", "headlines": ["Big news"]}', "“headlines[0]” should be an object, but it is text"),
        ('{"uri": "u", "headline": ["a", "b"]}', "“headline” should be text, but it is a list"),
        ('{"uri": "u", "version": true}', "“version” should be text, but it is true/false (true)"),
        ('{"uri": "u", "keywords": "a, b"}', "“keywords” should be a list of text, but it is text"),
        ('{"uri": "u", "associations": [{"type": "picture", "renditions": 7}]}',
         "“associations[0].renditions” should be a list of objects, but it is a number (7)"),
        ('{"uri": "u", "subjects": [{"name": {"en": "x"}}]}', "“subjects[0].name” should be text, but it is an object"),
        ('["not", "an", "object"]', "not a ninjs object (it is a list)"),
    ],
)  # fmt: skip
def test_wrong_json_types_are_refused_with_the_field_named(json_text, reason):
    """A field of the wrong JSON type is a WireParseError naming it, never a TypeError."""
    with pytest.raises(WireParseError) as refused:
        ninjs.parse(json_text.encode())
    assert reason in str(refused.value)


def test_unknown_type_is_read_as_text_with_a_warning():
    """A ninjs `type` we do not know is read as text, and the desk is told."""
    story = ninjs.parse(b'{"uri": "u", "type": "hologram", "headline": "H"}')
    assert story.kind == ItemKind.TEXT and story.warnings == ["Unknown ninjs type “hologram”: read as text."]
