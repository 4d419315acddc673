"""A prompt's last 30 days of impressions and clicks, as table rows and an SVG bar chart drawn on the server."""

import datetime

from django.utils import timezone

DAYS = 30
CHART_WIDTH, CHART_HEIGHT = 600, 120


def daily_figures(prompt, *, days=DAYS):
    today = timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    counted = {row.day: row for row in prompt.days.filter(day__gte=first)}
    rows = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        row = counted.get(day)
        impressions, clicks = (row.impressions, row.clicks) if row else (0, 0)
        rows.append({"day": day, "impressions": impressions, "clicks": clicks, "ctr": _ctr(clicks, impressions)})
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
        "ctr": _ctr(total_clicks, total_impressions),
    }


def _ctr(clicks, impressions):
    return f"{100 * clicks / impressions:.1f}%" if impressions else "—"
