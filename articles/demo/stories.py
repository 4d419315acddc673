"""
The demo newsroom's content. All of it is invented for the demo except the
reference Kyodo story, which is read from the file beside this module.
"""

from datetime import timedelta

SECTIONS = [
    ("World", "world", "News from around the globe."),
    ("Politics", "politics", "Government, parliament and elections."),
    ("Business", "business", "Markets, companies and the economy."),
    ("Technology", "technology", "Science, gadgets and the internet."),
    ("Sport", "sport", "Results, features and analysis."),
    ("Opinion", "opinion", "Editorials, columns and letters."),
]

AGENCIES = [
    # name, credit as printed, slug, website
    ("Kyodo News", "Kyodo", "kyodo", "https://english.kyodonews.net/"),
    ("Jiji Press", "Jiji", "jiji", "https://www.jiji.com/"),
    ("The Associated Press", "AP", "ap", "https://apnews.com/"),
    ("Reuters", "Reuters", "reuters", "https://www.reuters.com/"),
    ("Agence France-Presse", "AFP", "afp", "https://www.afp.com/"),
]

AUTHORS = [
    ("Aiko Tanaka", "aiko-tanaka", "Political correspondent in Tokyo.", "reporter"),
    ("Daniel Marsh", "daniel-marsh", "Business editor. Covers markets and trade.", None),
    ("Priya Raman", "priya-raman", "Technology and science writer.", None),
]

# username, group, first name, last name, password (DEBUG only)
LOGINS = [
    ("editor", "Editor", "Emi", "Sato", "newsroom-editor"),
    ("reporter", "Reporter", "Aiko", "Tanaka", "newsroom-reporter"),
    ("paywall", "Paywall manager", "Marco", "Rossi", "newsroom-paywall"),
]

REFERENCE_STORY_FILE = "kyodo-japan-south-korea-2019-09-26.txt"
REFERENCE_STORY = {
    "headline": "Japan and South Korea make no headway on wartime labor and trade rows",
    "slug": "japan-south-korea-no-headway-wartime-labor-trade-rows",
    "section": "world",
    "agency": "kyodo",
    "guid": "demo:kyodo:2019-09-26-japan-south-korea-foreign-ministers",
    "tags": [
        "Japan",
        "South Korea",
        "Toshimitsu Motegi",
        "Kang Kyung-wha",
        "Shinzo Abe",
        "Moon Jae-in",
        "GSOMIA",
        "wartime labor",
    ],
}

# How the agencies name themselves in their files, mapped to our agencies.
AGENCY_CODES = [
    ("共同通信", "kyodo"),
    ("Kyodo News", "kyodo"),
    ("時事通信", "jiji"),
    ("nprov:AP", "ap"),
    ("The Associated Press", "ap"),
    ("nprov:REUTERS", "reuters"),
    ("nprov:AFP", "afp"),
]
# Subject codes and keywords the desk turns into tags; anything else stays on the wire item.
SUBJECT_CODES = [
    ("medtop:11000000", "politics"),
    ("medtop:04000000", "business"),
    ("subj:11000000", "politics"),
    ("subj:04000000", "business"),
    ("GSOMIA", "GSOMIA"),
]

# Each story: headline, slug, section, status, age (timedelta before now; None = no
# publish time; negative = in the future), authors, agency, dateline, dek, tags, body.
STORIES = [
    {
        # The demo's premium story: readers who do not subscribe get the first two paragraphs.
        "headline": "Inside the port authority's plan to automate Yokohama's container terminals",
        "slug": "inside-yokohama-port-automation-plan",
        "section": "business",
        "status": "published",
        "age": timedelta(hours=2),
        "authors": ["daniel-marsh"],
        "dateline": "YOKOHAMA",
        "premium": True,
        "dek": "Documents seen by the paper set out a ten-year timetable and who stands to lose their jobs.",
        "tags": ["Japan", "ports", "automation"],
        "body": [
            "Yokohama's port authority plans to automate three of its container terminals over the next decade, "
            "according to planning documents seen by the paper.",
            "The plan, which has not been made public, would replace most crane and yard work with remotely "
            "operated equipment by 2035.",
            "Union officials said they had been told of a pilot at one terminal, but not of the full timetable, "
            "which foresees about 1,400 fewer dock jobs.",
            "The authority said it would comment once the plan had been put to the city council in the spring.",
            "Shipping lines have pressed Japanese ports to speed up the handling of larger vessels, which now call "
            "at Busan and Shanghai first.",
        ],
    },
    {
        "headline": "Tokyo stocks close higher as weaker yen lifts exporters",
        "slug": "tokyo-stocks-close-higher-weaker-yen-exporters",
        "section": "business",
        "status": "published",
        "age": timedelta(hours=3),
        "authors": ["daniel-marsh"],
        "dateline": "TOKYO",
        "dek": "Carmakers and electronics makers led the gains in afternoon trading.",
        "tags": ["Japan", "stocks", "yen"],
        "body": [
            "Tokyo stocks ended higher on Friday as a weaker yen improved the earnings outlook for exporters.",
            "The benchmark index rose 1.2 percent by the close, with carmakers and electronics makers among the "
            "biggest gainers.",
            "“The currency is doing the heavy lifting,” said one fund manager, who expects the rally to be tested "
            "next week.",
        ],
    },
    {
        "headline": "City library starts lending 3D printers to residents",
        "slug": "city-library-lends-3d-printers",
        "section": "technology",
        "status": "published",
        "age": timedelta(hours=6),
        "authors": ["priya-raman"],
        "dek": "Borrowers can take a printer home for two weeks, filament included.",
        "tags": ["libraries", "3D printing"],
        "image": {
            "alt_text": "A small desktop 3D printer on a library shelf beside a row of books",
            "caption": "One of the twelve printers the central library now lends out.",
            "credit": "Priya Raman",
        },
        "body": [
            "The central library has added twelve desktop 3D printers to its lending catalogue, the first public "
            "library in the prefecture to do so.",
            "Borrowers with a library card can take a printer home for two weeks. A starter spool of filament and "
            "a printed guide come in the box.",
            "Librarians said the waiting list passed 300 names within a day of the announcement.",
        ],
    },
    {
        "headline": "Diet passes supplementary budget after late-night session",
        "slug": "diet-passes-supplementary-budget-late-night",
        "section": "politics",
        "status": "published",
        "age": timedelta(hours=9),
        "authors": ["aiko-tanaka"],
        "agency": "kyodo",
        "dek": "The package funds disaster recovery and energy subsidies.",
        "tags": ["Japan", "Diet", "budget"],
        "body": [
            "The Diet passed the supplementary budget shortly before midnight after opposition parties ended a "
            "day-long attempt to delay the vote.",
            "The package funds recovery work in areas hit by this year’s floods and extends subsidies on household "
            "energy bills through the winter.",
        ],
    },
    {
        "headline": "Hurricane season ends quieter than forecasters expected",
        "slug": "hurricane-season-ends-quieter-than-expected",
        "section": "world",
        "status": "published",
        "age": timedelta(hours=14),
        "agency": "ap",
        "dateline": "MIAMI",
        "tags": ["weather", "United States"],
        "body": [
            "The Atlantic hurricane season closed with fewer named storms than forecasters had predicted in the "
            "spring, the National Hurricane Center said.",
            "Forecasters cautioned that a quiet season says little about the next one.",
        ],
    },
    {
        "headline": "Container freight rates ease for a third straight week",
        "slug": "container-freight-rates-ease-third-week",
        "section": "business",
        "status": "published",
        "age": timedelta(days=1, hours=2),
        "agency": "reuters",
        "dateline": "SINGAPORE",
        "tags": ["shipping", "trade"],
        "body": [
            "Spot rates for shipping containers between Asia and Europe fell for a third consecutive week as "
            "capacity returned to the market.",
            "Freight forwarders said importers were booking later than usual ahead of the holiday season.",
        ],
    },
    {
        "headline": "Record field of 12,000 runners signs up for city marathon",
        "slug": "record-field-city-marathon",
        "section": "sport",
        "status": "published",
        "age": timedelta(days=1, hours=8),
        "authors": ["daniel-marsh", "priya-raman"],
        "tags": ["marathon", "running"],
        "body": [
            "Organizers of the city marathon said 12,000 runners have registered for next month’s race, the "
            "largest field in its history.",
            "Roads along the waterfront will close from 6 a.m. on race day.",
        ],
    },
    {
        "headline": "Editorial: Keep the night buses running",
        "slug": "editorial-keep-night-buses-running",
        "section": "opinion",
        "status": "published",
        "age": timedelta(days=2),
        "credit_override": "Editorial board",
        "tags": ["transport", "editorials"],
        "body": [
            "The city’s plan to cut night bus routes would save little money and cost a great deal to the nurses, "
            "cleaners and cooks who keep the city running while the rest of us sleep.",
            "The council should find the savings elsewhere.",
        ],
    },
    {
        # Wire copy waiting for the desk: no headline yet.
        "headline": "",
        "slug": "",
        "section": "politics",
        "status": "draft",
        "age": None,
        "agency": "jiji",
        "guid": "demo:jiji:cabinet-approval-poll",
        "tags": [],
        "body": [
            "Approval of the Cabinet rose four points from last month, according to a poll released on Friday.",
            "Respondents cited the government’s handling of energy prices.",
        ],
    },
    {
        "headline": "Harbor redevelopment plan draws 400 public comments",
        "slug": "harbor-redevelopment-public-comments",
        "section": "politics",
        "status": "draft",
        "age": None,
        "authors": ["aiko-tanaka"],
        "tags": ["urban planning"],
        "body": [
            "More than 400 residents have commented on the city’s plan to redevelop the old harbor district.",
            "[Reporter: add council response when it comes in.]",
        ],
    },
    {
        "headline": "EU ministers agree on new rules for farm subsidies",
        "slug": "eu-ministers-agree-farm-subsidy-rules",
        "section": "world",
        "status": "in_review",
        "age": None,
        "agency": "afp",
        "dateline": "BRUSSELS",
        "tags": ["European Union", "agriculture"],
        "body": [
            "European Union agriculture ministers agreed on Monday to simplify the rules farmers must follow to "
            "receive subsidies.",
            "The deal still needs the approval of the European Parliament.",
        ],
    },
    {
        "headline": "Chipmaker to open research center in Kumamoto",
        "slug": "chipmaker-research-center-kumamoto",
        "section": "technology",
        "status": "scheduled",
        "age": -timedelta(days=1),
        "authors": ["priya-raman"],
        "tags": ["semiconductors", "Kumamoto"],
        "body": [
            "A chipmaker will open a research center in Kumamoto next spring, creating about 200 jobs.",
            "The company said the site was chosen for its proximity to existing fabrication plants.",
        ],
    },
]
