"""
The paywall's part of the demo newsroom (`load_demo`, through
articles/extensions.py): the reference prompt, exactly as the paper printed
it under the Kyodo story; a top banner on Politics stories, A/B tested
against a shorter text; a subscriber.
"""

from django.contrib.auth import get_user_model
from django.utils.html import escape

from articles.models import Section

from .models import Audience, Placement, Prompt, PromptVariant, Style, Subscription

# The paper's own subscription prompt, printed beneath the reference story.
REFERENCE_PROMPT = [
    "In a time of both misinformation and too much information, quality journalism is more crucial than ever.",
    "By subscribing, you can help us get the story right.",
]
SUBSCRIBE_URL = "/account/"
SUBSCRIBER = ("subscriber", "subscriber-demo-pass")


def load(report, *, with_logins):
    if not Prompt.objects.filter(name="Reference prompt").exists():
        Prompt.objects.create(
            name="Reference prompt",
            message="".join(f"<p>{escape(line)}</p>" for line in REFERENCE_PROMPT),
            cta_label="Subscribe",
            cta_url=SUBSCRIBE_URL,
            placement=Placement.ARTICLE_END,
            audience=Audience.NON_SUBSCRIBERS,
            style=Style.PLAIN,
        )
        report.created.append("prompt Reference prompt")
    politics = Section.objects.filter(slug="politics").first()
    if politics and not Prompt.objects.filter(name="Politics banner").exists():
        banner = Prompt.objects.create(
            name="Politics banner",
            headline="Follow the campaign with us",
            message="<p>Every vote, every promise, checked. Subscribe for the full picture.</p>",
            cta_label="Subscribe",
            cta_url=SUBSCRIBE_URL,
            show_login_link=True,
            placement=Placement.TOP_BANNER,
            audience=Audience.NON_SUBSCRIBERS,
            style=Style.COMPACT,
            priority=50,
        )
        banner.sections.add(politics)
        # Half the readers get a shorter text; the prompt's page in the desk shows which does better.
        PromptVariant.objects.create(
            prompt=banner,
            name="B: shorter",
            headline="The campaign, checked",
            message="<p>Subscribe for every vote and every promise.</p>",
            cta_label="Subscribe",
            weight=1,
        )
        report.created.append("prompt Politics banner, with an A/B variant")
    if with_logins:
        _load_subscriber(report)


def _load_subscriber(report):
    username, password = SUBSCRIBER
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(
            username=username, password=password, email=f"{username}@newsroom.example"
        )
        report.created.append(f"login {username}")
    Subscription.objects.get_or_create(user=user, defaults={"plan": "Digital"})
    report.logins.append((username, password, "Subscriber", "/account/login/"))
