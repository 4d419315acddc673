from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ..models import Article, WireItem

register = template.Library()

SHOWN = 5


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else ""


def _story_entry(story, moment):
    return {
        "label": str(story),
        "url": reverse("admin:articles_article_change", args=[story.pk]),
        "when": _when(moment),
    }


@register.inclusion_tag("admin/articles/desk_dashboard.html", takes_context=True)
def desk_dashboard(context):
    """The desk at a glance on the admin index: what waits, what is due, what went out, what the agencies pulled."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"panels": []}
    stories = Article.objects.visible_to(user).not_in_trash().select_related("section")
    changelist = reverse("admin:articles_article_changelist")
    queues = [
        (_("Agency unknown"), stories.agency_unknown().order_by("-created_at"), "agency_unknown", "created_at"),
        (_("In review"), stories.in_review().order_by("updated_at"), "in_review", "updated_at"),
        (_("Scheduled"), stories.scheduled().order_by("published_at"), "scheduled", "published_at"),
        (_("Embargoed"), stories.embargoed().order_by("embargo_until"), "embargoed", "embargo_until"),
        (_("Published today"), stories.published_today().order_by("-published_at"), "today", "published_at"),
    ]
    panels = [
        {
            "title": title,
            "count": queryset.count(),
            "entries": [_story_entry(story, getattr(story, moment)) for story in queryset[:SHOWN]],
            "url": f"{changelist}?desk={key}",
        }
        for title, queryset, key, moment in queues
    ]
    if user.has_perm("articles.view_wireitem"):
        alerts = WireItem.objects.filter(
            outcome__in=[WireItem.Outcome.KILLED, WireItem.Outcome.UPDATE_AVAILABLE],
            received_at__gte=timezone.now() - timedelta(days=7),
        ).select_related("article")
        wire_desk = reverse("admin:articles_wireitem_changelist")
        panels.append(
            {
                "title": _("Agency kills and updates"),
                "count": alerts.count(),
                "entries": [
                    {
                        "label": f"{item.get_outcome_display()}: {item.article or item}",
                        "url": reverse("admin:articles_article_change", args=[item.article_id])
                        if item.article_id
                        else reverse("admin:articles_wireitem_change", args=[item.pk]),
                        "when": _when(item.received_at),
                    }
                    for item in alerts[:SHOWN]
                ],
                "url": f"{wire_desk}?outcome__in=killed,update_available",
            }
        )
    return {"panels": panels}
