"""A prompt's last 30 days of impressions and clicks, as table rows and an SVG bar chart drawn on the server."""

import datetime

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

DAYS = 30
CHART_WIDTH, CHART_HEIGHT = 600, 120


def daily_figures(prompt, *, days=DAYS):
    today = timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    # A day has a row for the prompt's own text and one for each variant.
    counted = {
        row["day"]: (row["shown"], row["clicked"])
        for row in prompt.days.filter(day__gte=first)
        .order_by()
        .values("day")
        .annotate(shown=Sum("impressions"), clicked=Sum("clicks"))
    }
    rows = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        impressions, clicks = counted.get(day, (0, 0))
        rows.append({"day": day, "impressions": impressions, "clicks": clicks, "ctr": ctr_of(clicks, impressions)})
    tallest = max((row["impressions"] for row in rows), default=0) or 1
    step = CHART_WIDTH / days
    for index, row in enumerate(rows):
        row["x"] = round(index * step, 1)
        row["bar_width"] = round(step * 0.8, 1)
        row["height"] = round(CHART_HEIGHT * row["impressions"] / tallest, 1)
        row["y"] = round(CHART_HEIGHT - row["height"], 1)
        row["click_height"] = round(CHART_HEIGHT * row["clicks"] / tallest, 1)
        row["click_y"] = round(CHART_HEIGHT - row["click_height"], 1)
    total_impressions = sum(row["impressions"] for row in rows)
    total_clicks = sum(row["clicks"] for row in rows)
    return {
        "rows": rows,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "tallest": tallest,
        "impressions": total_impressions,
        "clicks": total_clicks,
        "ctr": ctr_of(total_clicks, total_impressions),
    }


def ctr_of(clicks, impressions):
    """Click-through rate as people read it: "4.2%", or a dash before the first impression."""
    return f"{100 * clicks / impressions:.1f}%" if impressions else "—"


def figures_by_text(prompt):
    """All-time impressions, clicks and CTR for the prompt's own text and each variant (an A/B test's result)."""
    totals = {
        row["variant"]: row
        for row in prompt.days.order_by().values("variant").annotate(shown=Sum("impressions"), clicked=Sum("clicks"))
    }
    texts = [(None, _("Own text"), prompt.weight)]
    texts += [(variant.pk, variant.name, variant.weight) for variant in prompt.variants.all()]
    rows = []
    for pk, name, weight in texts:
        row = totals.get(pk, {"shown": 0, "clicked": 0})
        rows.append(
            {
                "name": name,
                "weight": weight,
                "impressions": row["shown"],
                "clicks": row["clicked"],
                "ctr": ctr_of(row["clicked"], row["shown"]),
            }
        )
    return rows
