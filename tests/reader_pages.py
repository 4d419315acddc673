"""
A small, realistic reader site, and the list of its pages that the quality checks visit.

`build_reader_site()` writes the stories (call it where the database is open) and returns
a `ReaderSite` whose `pages` are every kind of reader page the issue names: home, article
(staff and agency), section (and its second page), tag, author, agency, the date archive,
search with and without results, 404 and 410. The HTML validity, accessibility and
journey tests all check this one list, so a new kind of page is added here once.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from taggit.models import Tag

from articles.html import paragraphs_to_html
from articles.models import Article, ArticleAuthor, Author, Correction, Image, Section, Status
from articles.search import index_story
from tests.conftest import agency, png_bytes

# The page names, fixed before any database exists, so tests can be parametrized by them.
PAGE_NAMES = (
    "home",
    "article",
    "agency-article",
    "premium-article",
    "section",
    "section-page-2",
    "tag",
    "author",
    "agency",
    "archive-year",
    "archive-month",
    "archive-day",
    "search",
    "search-no-results",
    "not-found",
    "gone",
)

# A word only the staff story has, so a search for it finds that story and nothing else.
SEARCH_WORD = "sleeper"
STAFF_HEADLINE = "Night trains return to the Tokaido line"
PICTURE_ALT = "A sleeper train waits at Tokyo Station at night"
AGENCY_HEADLINE = "Japan and South Korea agree only to keep talking"
# One more than a list page holds (views/reader.py PAGE_SIZE is 20), so section lists paginate.
FILLER_STORIES = 22


@dataclass(frozen=True)
class ReaderPage:
    name: str
    path: str  # empty when the URL could not be built (a view not written yet); `problem` says why
    status: int
    problem: str = ""


@dataclass
class ReaderSite:
    staff_story: Article
    agency_story: Article
    killed_story: Article
    tag: Tag
    pages: list = field(default_factory=list)

    def page(self, name):
        return next(page for page in self.pages if page.name == name)


def build_reader_site() -> ReaderSite:
    """Sections, tags, a staff writer with a bio, wire copy, a picture, corrections, a killed story."""
    world = Section.objects.create(name="World", slug="world", position=10, description="News from abroad.")
    business = Section.objects.create(name="Business", slug="business", position=20)
    kyodo = agency("kyodo", "Kyodo News", "Kyodo")
    writer = Author.objects.create(
        name="Aiko Tanaka",
        slug="aiko-tanaka",
        bio="Aiko Tanaka covers transport and energy from Tokyo.",
    )
    picture = Image.objects.create(
        file=ContentFile(png_bytes(1200, 800), name="sleeper.png"),
        alt_text=PICTURE_ALT,
        caption="The last sleeper service left Tokyo in 2015.",
        credit="Jane Doe",
        wire_service=kyodo,
    )

    now = timezone.now()
    staff_story = _story(
        headline=STAFF_HEADLINE,
        slug="night-trains-return",
        dek="Sleeper services resume after a decade, with berths bookable from Monday.",
        section=world,
        dateline="TOKYO",
        lead_image=picture,
        published_at=now - timedelta(hours=1),
        modified_at=now - timedelta(minutes=30),
        is_home_lead=True,
        paragraphs=[
            f"Overnight {SEARCH_WORD} trains will run again between Tokyo and Osaka from next month, "
            "the operator said on Tuesday, ten years after the last service was withdrawn.",
            "Berths go on sale on Monday. The operator expects most of them to be taken by travellers "
            "who would otherwise fly, and by tourists who want to see the coast at dawn.",
            "“We have heard from passengers for a decade,” a spokeswoman said. “They wanted the train back.”",
        ],
        tags=["Railways", "Japan"],
    )
    ArticleAuthor.objects.create(article=staff_story, author=writer, position=0)
    Correction.objects.create(
        article=staff_story,
        kind=Correction.Kind.CORRECTION,
        text="An earlier version of this story gave the wrong year for the last service.",
    )
    Correction.objects.create(article=staff_story, kind=Correction.Kind.UPDATE, text="Ticket prices were announced.")

    agency_story = _story(
        headline=AGENCY_HEADLINE,
        slug="japan-south-korea-keep-talking",
        dek="The ministers met for the first time since the intelligence pact was scrapped.",
        section=world,
        dateline="NEW YORK",
        wire_service=kyodo,
        published_at=now - timedelta(hours=2),
        paragraphs=[
            "The foreign ministers of Japan and South Korea agreed on Thursday to keep talking.",
            "Neither side gave ground on wartime labour, officials said.",
        ],
        tags=["Japan", "GSOMIA"],
    )
    _story(
        headline="Yen slips as exporters cheer",
        slug="yen-slips",
        section=business,
        wire_service=kyodo,
        published_at=now - timedelta(hours=3),
        paragraphs=["The yen weakened against the dollar on Wednesday."],
        tags=["Japan"],
    )
    for number in range(FILLER_STORIES):
        _story(
            headline=f"Regional news in brief, number {number + 1}",
            slug=f"in-brief-{number + 1}",
            section=world,
            wire_service=kyodo,
            published_at=now - timedelta(hours=4, minutes=number),
            paragraphs=["A short item from the regional desk."],
        )
    _story(
        headline="The harbour board's plan, in full",
        slug="harbour-plan",
        section=world,
        is_premium=True,
        published_at=now - timedelta(hours=4, minutes=30),
        paragraphs=["The board met on Monday.", "It has a plan.", "Here is the plan, for subscribers."],
    )
    killed_story = _story(
        headline="A story the desk killed",
        slug="killed-story",
        section=world,
        wire_service=kyodo,
        status=Status.KILLED,
        notice="This story was withdrawn because it was based on a false report.",
        published_at=now - timedelta(hours=5),
        paragraphs=["Readers must not see this."],
    )

    _prompts()
    site = ReaderSite(
        staff_story=staff_story,
        agency_story=agency_story,
        killed_story=killed_story,
        tag=Tag.objects.get(name="Railways"),
    )
    site.pages = _pages(site, world, writer, kyodo)
    return site


def _prompts():
    """One prompt in each placement, so the HTML checker and axe see every kind on the article pages."""
    from paywall.models import Placement, Prompt

    for placement in Placement:
        Prompt.objects.create(
            name=f"{placement.label} prompt",
            headline=f"A {placement.label.lower()} offer",
            message="<p>Quality journalism costs money. <strong>Subscribe</strong> to keep it coming.</p>",
            cta_url="/account/",
            show_login_link=True,
            placement=placement,
            after_paragraph=1,
            style="highlighted" if placement == Placement.INLINE else "plain",
        )


def _story(*, paragraphs, tags=(), **fields):
    fields.setdefault("status", Status.PUBLISHED)
    article = Article.objects.create(body=paragraphs_to_html(paragraphs), **fields)
    if tags:
        article.tags.set(list(tags))
    # The story services index every save; these stories are written straight to the table.
    index_story(article)
    return article


def _last_on_first_page(section):
    """The story that ends a section's first page: its "Older stories" link is ?before=<it>."""
    from articles.listings import PAGE_SIZE

    return (
        Article.objects.published().filter(section=section).latest_first().values_list("pk", flat=True)[PAGE_SIZE - 1]
    )


def _pages(site, section, writer, wire_service):
    day = timezone.localtime(site.staff_story.published_at)
    wanted = [
        ("home", 200, "articles:home", {}, ""),
        ("article", 200, None, site.staff_story.get_absolute_url(), ""),
        ("agency-article", 200, None, site.agency_story.get_absolute_url(), ""),
        ("premium-article", 200, None, Article.objects.get(slug="harbour-plan").get_absolute_url(), ""),
        ("section", 200, "articles:section", {"section": section.slug}, ""),
        (
            "section-page-2",
            200,
            "articles:section",
            {"section": section.slug},
            f"?before={_last_on_first_page(section)}",
        ),
        ("tag", 200, "articles:tag", {"slug": site.tag.slug}, ""),
        ("author", 200, "articles:author", {"slug": writer.slug}, ""),
        ("agency", 200, "articles:agency", {"slug": wire_service.slug}, ""),
        ("archive-year", 200, "articles:archive_year", {"year": day.year}, ""),
        ("archive-month", 200, "articles:archive_month", {"year": day.year, "month": day.month}, ""),
        ("archive-day", 200, "articles:archive_day", {"year": day.year, "month": day.month, "day": day.day}, ""),
        ("search", 200, "articles:search", {}, f"?q={SEARCH_WORD}"),
        ("search-no-results", 200, "articles:search", {}, "?q=zzyzx+quux"),
        ("not-found", 404, None, "/no-such-section/nowhere/", ""),
        ("gone", 410, None, site.killed_story.get_absolute_url(), ""),
    ]
    pages = []
    for name, status, url_name, target, query in wanted:
        if url_name is None:
            pages.append(ReaderPage(name, target + query, status))
            continue
        try:
            pages.append(ReaderPage(name, reverse(url_name, kwargs=target) + query, status))
        except NoReverseMatch as error:
            pages.append(ReaderPage(name, "", status, problem=f"no URL: {error}"))
    assert tuple(page.name for page in pages) == PAGE_NAMES
    return pages


def demo_reference_story() -> Article:
    """The demo's lead: the Kyodo wire story `manage.py load_demo` runs through the wire desk."""
    return Article.objects.get(slug__startswith="japan-south-korea")
