"""
A newspaper's worth of invented stories, fast: `generate_stories(100_000)`
fills a database the way ten years of a Tokyo English-language paper would,
so list pages, search and feeds can be measured at their real depth.

This is benchmark data, not newsroom work, so it does not go through
`save_story`: that service writes a revision, an audit entry and a search row
per story, one transaction each, which would take hours for 100,000 stories.
Rows are written with `bulk_create` in batches instead, and made valid as the
services would leave them: a unique slug, a publish time on every story that
has been live, a credit on every published story (byline, agency or
override), sanitized bodies (`BodyField.pre_save` runs in `bulk_create` too),
tags through taggit's own tables, and the search index rebuilt at the end.

Everything is drawn from a seeded random generator: the same seed on an empty
database gives the same stories. Running it again adds more stories beside the
first ones, reusing the sections, authors, tags and pictures already there.
"""

import io
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from ..html import paragraphs_to_html
from ..models import Article, ArticleAuthor, Author, Correction, Image, Section, Status, WireService
from ..page_cache import reader_pages_changed
from ..search import rebuild_index

YEARS = 10
BATCH_SIZE = 2000
IMAGE_POOL = 20
TAG_COUNT = 500
AUTHOR_COUNT = 60
# Pictures this module drew are recognised by their file name, so a second run reuses them.
IMAGE_PREFIX = "generated-picture-"
WIRE_SHARE = 0.5
JAPANESE_SHARE = 0.08
IMAGE_SHARE = 0.3
CORRECTION_SHARE = 0.02
# Statuses other than published, with their share; the rest are published.
OTHER_STATUSES = [(Status.DRAFT, 0.02), (Status.SCHEDULED, 0.005), (Status.KILLED, 0.003), (Status.WITHDRAWN, 0.002)]

SECTIONS = [
    ("National", "national"),
    ("World", "world"),
    ("Business", "business"),
    ("Politics", "politics"),
    ("Sports", "sports"),
    ("Culture", "culture"),
    ("Science", "science"),
    ("Opinion", "opinion"),
]
# How much each section runs: a paper files far more national and world news than opinion.
SECTION_WEIGHTS = [30, 25, 15, 10, 8, 5, 4, 3]
AGENCIES = [
    ("kyodo", "Kyodo News", "Kyodo", 35),
    ("jiji", "Jiji Press", "Jiji", 20),
    ("ap", "The Associated Press", "AP", 20),
    ("reuters", "Reuters", "Reuters", 15),
    ("afp", "Agence France-Presse", "AFP", 10),
]

FIRST_NAMES = [
    "Hiroshi", "Yuki", "Kenji", "Aiko", "Takeshi", "Naomi", "Satoshi", "Emi", "Daisuke", "Mariko", "Ryo",
    "Keiko", "Sarah", "James", "Emma", "Daniel", "Laura", "Michael", "Anna", "Thomas", "Chloe", "Peter",
    "Hannah", "David", "Megan", "Tomoko", "Shinji", "Akira", "Mei", "Jun",
]  # fmt: skip
LAST_NAMES = [
    "Tanaka", "Suzuki", "Sato", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato",
    "Yoshida", "Yamada", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Smith", "Brown", "Wilson", "Taylor",
    "Clarke", "Evans", "Walker", "Wright", "Hughes", "Green", "Baker", "Hall",
]  # fmt: skip

# The tags every Japanese paper leans on, most used first; a long tail follows (see `_tag_names`).
COMMON_TAGS = [
    "Japan", "Tokyo", "China", "United States", "Economy", "Politics", "South Korea", "Osaka", "Diet",
    "Bank of Japan", "Yen", "Trade", "Energy", "Earthquakes", "Tourism", "Covid-19", "Olympics", "Baseball",
    "Defense", "Climate change", "Elections", "Taiwan", "North Korea", "Russia", "Technology", "Weather",
    "Crime", "Health", "Education", "Transport", "Stocks", "Labor", "Population", "Agriculture", "Fukushima",
    "Kyoto", "Okinawa", "Hokkaido", "Nuclear power", "Immigration",
]  # fmt: skip
TAIL_PLACES = [
    "Aichi", "Akita", "Aomori", "Chiba", "Ehime", "Fukui", "Fukuoka", "Gifu", "Gunma", "Hiroshima", "Hyogo",
    "Ibaraki", "Ishikawa", "Iwate", "Kagawa", "Kagoshima", "Kanagawa", "Kochi", "Kumamoto", "Mie", "Miyagi",
    "Miyazaki", "Nagano", "Nagasaki", "Nara", "Niigata", "Oita", "Okayama", "Saga", "Saitama", "Shiga",
    "Shimane", "Shizuoka", "Tochigi", "Tokushima", "Tottori", "Toyama", "Wakayama", "Yamagata", "Yamaguchi",
    "Yamanashi", "Sendai", "Kobe", "Yokohama", "Nagoya", "Sapporo", "Kawasaki",
]  # fmt: skip
TAIL_TOPICS = [
    "ports", "rail", "schools", "hospitals", "fisheries", "festivals", "courts", "housing", "farming",
    "budget", "tourism", "wildlife", "floods", "startups", "elections", "museums", "airports", "factories",
    "universities", "police",
]  # fmt: skip

PLACES = ["Tokyo", "Osaka", "Kyoto", "Nagoya", "Sapporo", "Fukuoka", "Sendai", "Kobe", "Yokohama", "Naha",
          "Hiroshima", "Niigata", "Seoul", "Beijing", "Washington", "Taipei", "Manila", "Sydney"]  # fmt: skip
SUBJECTS = [
    "the government", "the central bank", "prefectural officials", "the prime minister", "opposition lawmakers",
    "local residents", "the trade ministry", "railway operators", "the health ministry", "investors",
    "the city council", "fishermen", "automakers", "a panel of experts", "the ruling coalition", "teachers",
    "the police", "airlines", "small businesses", "farmers", "the foreign minister", "analysts", "researchers",
]  # fmt: skip
VERBS = [
    "announced", "approved", "criticized", "weighed", "postponed", "welcomed", "rejected", "proposed",
    "reviewed", "expanded", "questioned", "defended", "unveiled", "studied", "delayed", "backed", "cut",
]  # fmt: skip
OBJECTS = [
    "a plan to raise wages", "new limits on overtime", "a budget for disaster relief", "a rise in rail fares",
    "the rebuilding of the harbour", "tighter rules on tourism", "a merger of regional banks",
    "a subsidy for electric vehicles", "the reopening of the nuclear plant", "a study of falling birthrates",
    "a ban on single-use plastics", "a new bullet train line", "tax relief for families", "a summit in the autumn",
    "the sale of government bonds", "a package to support farmers", "stricter checks at the border",
    "an overhaul of the pension system", "funding for elderly care", "a trade agreement with its neighbours",
]  # fmt: skip
CLAUSES = [
    "according to people familiar with the matter", "officials said on Tuesday", "in a statement on Friday",
    "after months of debate", "despite strong opposition", "as prices continued to climb", "amid the typhoon season",
    "ahead of next year's election", "the agency reported", "citing a survey of households",
    "while the yen weakened against the dollar", "for the first time in a decade", "as the population ages",
]  # fmt: skip
FILLER = (
    "The figures showed a steady increase over the previous quarter, with the largest gains in manufacturing.",
    "Critics said the measure would do little to help those most affected.",
    "The ministry plans to review the programme in March and publish the results.",
    "Residents gathered outside the station to hear the announcement.",
    "It was not immediately clear how the change would be funded.",
    "Economists expect growth to slow as exports to China weaken.",
    "The company declined to comment on the report.",
    "Turnout was lower than expected, election officials said.",
    "Rescue teams worked through the night as rain continued to fall.",
    "The decision drew a sharp response from neighbouring countries.",
)
JA_SUBJECTS = ["政府", "日銀", "東京都", "首相", "経済産業省", "厚生労働省", "大阪府", "野党", "気象庁", "トヨタ自動車"]
JA_OBJECTS = ["新たな経済対策", "金利の据え置き", "最低賃金の引き上げ", "観光客の受け入れ", "原発の再稼働",
              "防災計画の見直し", "子育て支援の拡充", "鉄道運賃の値上げ", "輸出の規制", "予算案"]  # fmt: skip
JA_VERBS = ["を発表した", "について協議した", "を決めた", "を検討している", "に反対した", "を承認した"]
JA_TIMES = ["２６日、", "今月、", "昨年、", "同日、", "週明けに、", ""]
JA_PLACES = ["東京", "大阪", "ソウル", "北京", "ワシントン", "名古屋"]


@dataclass
class GenerationReport:
    created: int = 0
    published: int = 0
    indexed: int = 0
    seconds: float = 0.0


def generate_stories(count: int, *, seed: int | None = None, images: int = IMAGE_POOL, progress=None):
    """
    Add `count` invented stories (and the sections, authors, tags and
    pictures they need, when missing). `progress(message)` hears how far it
    got. Returns a GenerationReport.
    """
    say = progress or (lambda message: None)
    started = time.perf_counter()
    rng = random.Random(seed)
    world = _Newsroom(rng, images=images)
    say(
        f"{len(world.sections)} sections, {len(world.agencies)} agencies, {len(world.authors)} authors, "
        f"{len(world.tags)} tags, {len(world.images)} pictures"
    )
    report = GenerationReport()
    first = (Article.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    now = timezone.now()
    for start in range(0, count, BATCH_SIZE):
        numbers = range(first + start, first + min(start + BATCH_SIZE, count))
        stories = [world.story(number, now) for number in numbers]
        with transaction.atomic():
            made = _write_batch(world, stories)
        report.created += made
        report.published += sum(story.article.status == Status.PUBLISHED for story in stories)
        say(f"{report.created:,} stories ({time.perf_counter() - started:.1f} s)")
    report.indexed = rebuild_index()
    say(f"search index rebuilt: {report.indexed:,} stories ({time.perf_counter() - started:.1f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, on both databases
    reader_pages_changed()  # readers' stored pages (home, sections, feeds…) predate these stories
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class _Story:
    article: Article
    authors: list
    tag_ids: list
    correction: dict | None


def _write_batch(world, stories):
    slugs = [story.article.slug for story in stories]
    taken = set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    for story in stories:  # only a story written by hand could own such a slug: one query a batch finds it
        if story.article.slug in taken:
            story.article.slug = f"{story.article.slug}-{world.rng.randrange(10**6)}"
    Article.objects.bulk_create([story.article for story in stories])
    ArticleAuthor.objects.bulk_create(
        [
            ArticleAuthor(article=story.article, author=author, position=position)
            for story in stories
            for position, author in enumerate(story.authors)
        ]
    )
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag_id=tag_id, content_type_id=world.content_type_id, object_id=story.article.pk)
            for story in stories
            for tag_id in story.tag_ids
        ]
    )
    Correction.objects.bulk_create(
        [Correction(article=story.article, **story.correction) for story in stories if story.correction]
    )
    return len(stories)


class _Newsroom:
    """The paper's fixed cast (sections, agencies, staff, tags, pictures) and the writer of its stories."""

    def __init__(self, rng, *, images):
        self.rng = rng
        self.content_type_id = ContentType.objects.get_for_model(Article).pk
        self.sections = self._sections()
        self.section_weights = list(
            _cumulative(SECTION_WEIGHTS[i] if i < len(SECTION_WEIGHTS) else 3 for i in range(len(self.sections)))
        )
        self.agencies, self.agency_weights = self._agencies()
        self.authors = self._authors()
        self.tags = self._tags()
        # Zipf's law, as in real tagging: the first tag is drawn about twice as often as the second.
        self.tag_weights = list(_cumulative(1 / (rank + 1) for rank in range(len(self.tags))))
        self.images = self._images(images)

    def _sections(self):
        existing = list(Section.objects.order_by("position", "pk"))
        if existing:
            return existing
        Section.objects.bulk_create(
            [Section(name=name, slug=slug, position=(i + 1) * 10) for i, (name, slug) in enumerate(SECTIONS)]
        )
        return list(Section.objects.order_by("position", "pk"))

    def _agencies(self):
        agencies, weights = [], []
        for slug, name, credit, weight in AGENCIES:
            agency = WireService.objects.filter(slug=slug).first() or WireService.objects.filter(name=name).first()
            if agency is None:  # a database whose desk deleted migration 0010's agencies
                agency = WireService.objects.create(slug=slug, name=name, credit=credit)
            agencies.append(agency)
            weights.append(weight)
        return agencies, list(_cumulative(weights))

    def _authors(self):
        names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        names = random.Random(AUTHOR_COUNT).sample(names, AUTHOR_COUNT)  # the same staff whatever the seed
        slugs = {slugify(name): name for name in names}
        have = set(Author.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        Author.objects.bulk_create([Author(name=name, slug=slug) for slug, name in slugs.items() if slug not in have])
        return list(Author.objects.filter(slug__in=slugs).order_by("pk"))

    def _tags(self):
        names = _tag_names()
        have = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
        slugs = set(Tag.objects.values_list("slug", flat=True))
        missing = []
        for name in names:
            if name not in have:
                slug = Tag().slugify(name)
                while slug in slugs:
                    slug += "-1"
                slugs.add(slug)
                missing.append(Tag(name=name, slug=slug))
        Tag.objects.bulk_create(missing)
        by_name = {tag.name: tag.pk for tag in Tag.objects.filter(name__in=names)}
        return [by_name[name] for name in names]  # most common first

    def _images(self, wanted):
        pool = list(Image.objects.filter(file__contains=IMAGE_PREFIX).order_by("pk")[:wanted])
        for number in range(len(pool), wanted):
            pool.append(_draw_picture(number))
        return pool

    # One story.

    def story(self, number, now):
        rng = self.rng
        status = _pick_status(rng)
        japanese = rng.random() < JAPANESE_SHARE
        wire = rng.random() < WIRE_SHARE
        agency = rng.choices(self.agencies, cum_weights=self.agency_weights)[0] if wire else None
        if status == Status.SCHEDULED:
            published_at = now + timedelta(hours=rng.uniform(1, 24 * 14))
        elif status == Status.DRAFT:
            published_at = None
        else:
            published_at = now - timedelta(seconds=rng.uniform(60, YEARS * 365 * 24 * 3600))
        headline, dek, paragraphs, dateline = (_japanese_copy if japanese else _english_copy)(rng)
        authors = self._byline(wire)
        article = Article(
            headline=headline,
            slug=f"{_slug_words(headline) or 'story'}-{number}",
            dek=dek,
            body=paragraphs_to_html(paragraphs),
            section=rng.choices(self.sections, cum_weights=self.section_weights)[0],
            wire_service=agency,
            wire_guid=f"urn:newsroom:generated:{agency.slug}:{number}" if agency else "",
            dateline=dateline if (agency or rng.random() < 0.4) else "",
            dateline_date=published_at if agency else None,
            credit_override="" if (agency or authors) else "Staff report",
            language="ja" if japanese else "en",
            status=status,
            published_at=published_at,
            lead_image=rng.choice(self.images) if self.images and rng.random() < IMAGE_SHARE else None,
            is_home_lead=status == Status.PUBLISHED and rng.random() < 0.01,
            notice="This story has been removed." if status in Status.gone() else "",
        )
        correction = None
        if status == Status.PUBLISHED and rng.random() < CORRECTION_SHARE:
            correction = _correction(rng)
            article.modified_at = now
        return _Story(article=article, authors=authors, tag_ids=self._tag_ids(japanese), correction=correction)

    def _byline(self, wire):
        rng = self.rng
        if wire:  # agency copy, now and then with a staff writer's additional reporting
            return rng.sample(self.authors, 1) if rng.random() < 0.05 else []
        size = rng.choices([0, 1, 2, 3], weights=[3, 70, 20, 7])[0]
        return rng.sample(self.authors, size)

    def _tag_ids(self, japanese):
        rng = self.rng
        chosen = rng.choices(
            self.tags, cum_weights=self.tag_weights, k=rng.choices([0, 1, 2, 3, 4, 5], [4, 14, 30, 28, 16, 8])[0]
        )
        if japanese:
            chosen.append(self.tags[0])  # "Japan"
        return list(dict.fromkeys(chosen))


def _cumulative(weights):
    total = 0
    for weight in weights:
        total += weight
        yield total


def _pick_status(rng):
    draw = rng.random()
    for status, share in OTHER_STATUSES:
        if draw < share:
            return status
        draw -= share
    return Status.PUBLISHED


def _tag_names():
    names = list(COMMON_TAGS)
    for place in TAIL_PLACES:
        names.append(place)
        names.extend(f"{place} {topic}" for topic in TAIL_TOPICS)
    names.extend(["鉄道", "地震", "選挙", "経済", "台風"])
    return list(dict.fromkeys(names))[:TAG_COUNT]


def _slug_words(headline):
    return slugify(headline)[:80].rstrip("-")


def _sentence(rng):
    sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(CLAUSES)}."
    return sentence[0].upper() + sentence[1:]


def _english_copy(rng):
    place = rng.choice(PLACES)
    headline = f"{place}: {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    headline = headline[0].upper() + headline[1:]
    dek = " ".join(_sentence(rng) for _ in range(rng.randint(1, 2)))
    paragraphs = []
    for _ in range(rng.randint(4, 20)):
        sentences = [_sentence(rng) if rng.random() < 0.6 else rng.choice(FILLER) for _ in range(rng.randint(1, 4))]
        paragraphs.append(" ".join(sentences))
    return headline, dek, paragraphs, place.upper()


def _japanese_sentence(rng):
    return f"{rng.choice(JA_TIMES)}{rng.choice(JA_SUBJECTS)}は{rng.choice(JA_OBJECTS)}{rng.choice(JA_VERBS)}。"


def _japanese_copy(rng):
    place = rng.choice(JA_PLACES)
    headline = f"{rng.choice(JA_SUBJECTS)}、{rng.choice(JA_OBJECTS)}{rng.choice(JA_VERBS)}"
    dek = _japanese_sentence(rng)
    paragraphs = ["".join(_japanese_sentence(rng) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(4, 20))]
    return headline, dek, paragraphs, place


def _correction(rng):
    if rng.random() < 0.5:
        return {"kind": Correction.Kind.UPDATE, "text": "This story has been updated with the ministry's response."}
    subject = rng.choice(SUBJECTS)
    return {
        "kind": Correction.Kind.CORRECTION,
        "text": f"An earlier version of this story misstated the position of {subject}.",
    }


def _draw_picture(number):
    """A landscape drawn with Pillow (sky, hills, sun), saved as the desk's uploads are, so it gets renditions."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    rng = random.Random(number)
    width, height = 1600, 1000
    picture = PILImage.new("RGB", (width, height), (rng.randrange(80, 200), rng.randrange(120, 220), 235))
    draw = ImageDraw.Draw(picture)
    draw.ellipse([1200, 120, 1400, 320], fill=(250, 220, 120))
    for layer in range(4):
        colour = (40 + layer * 30, 110 + layer * 20, 60 + layer * 10)
        points = [(x, 500 + layer * 110 + rng.randrange(-90, 90)) for x in range(0, width + 200, 200)]
        draw.polygon([(0, height), *points, (width, height)], fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    image = Image(
        alt_text=f"Hills under a clear sky, picture {number + 1}",
        caption="The countryside outside the city.",
        credit="Staff photographer",
    )
    name = f"{IMAGE_PREFIX}{number + 1}.jpg"
    image.file.save(name, ContentFile(buffer.getvalue(), name=name), save=True)
    return image
