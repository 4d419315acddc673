from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import Article

register = template.Library()

SHOWN = 5


@register.inclusion_tag("admin/articles/desk_dashboard.html", takes_context=True)
def desk_dashboard(context):
    """The desk at a glance on the admin index: what waits, what is due, what went out."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"panels": []}
    stories = Article.objects.select_related("section")
    changelist = reverse("admin:articles_article_changelist")
    panels = [
        (_("In review"), stories.in_review().order_by("updated_at"), "in_review"),
        (_("Scheduled"), stories.scheduled().order_by("published_at"), "scheduled"),
        (_("Embargoed"), stories.embargoed().order_by("embargo_until"), "embargoed"),
        (_("Published today"), stories.published_today().order_by("-published_at"), "today"),
    ]
    return {
        "panels": [
            {"title": title, "count": queryset.count(), "stories": queryset[:SHOWN], "url": f"{changelist}?desk={key}"}
            for title, queryset, key in panels
        ]
    }
