"""
The paywall desk, for the Paywall manager group: prompts with their
figures (impressions, clicks, click-through rate), a daily chart and a CSV
export on each prompt's page, a preview on a chosen story as a chosen
reader (counted nowhere), and readers' subscriptions.
"""

import csv

from django.contrib import admin
from django.db.models import F, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from articles.params import whole_number

from . import decisions, slots
from .figures import ctr_of, daily_figures, figures_by_text
from .models import Placement, Prompt, PromptVariant, Reader, Subscription

PREVIEW_STORIES = 50  # the newest stories offered to preview a prompt on


class PromptVariantInline(admin.StackedInline):
    model = PromptVariant
    extra = 0
    fields = ["name", "headline", "message", "cta_label", "weight"]


def _figures(impressions, clicks):
    return f"{impressions} / {clicks} / {ctr_of(clicks, impressions)}"


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "placement",
        "audience",
        "is_active",
        "starts_at",
        "ends_at",
        "priority",
        "display_impressions",
        "display_clicks",
        "display_ctr",
        "display_by_text",
    ]
    list_filter = ["is_active", "placement", "audience", "style"]
    search_fields = ["name", "headline"]
    filter_horizontal = ["sections", "tags", "agencies"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "headline", "message", ("cta_label", "cta_url"), "show_login_link", "style", "weight"]},
        ),
        (gettext_lazy("Where and to whom"), {"fields": [("placement", "after_paragraph"), "audience"]}),
        (gettext_lazy("Targeting"), {"fields": ["sections", "tags", "agencies", "staff_only", "premium_only"]}),
        (
            gettext_lazy("The reader"),
            {
                "fields": [("frequency", "frequency_limit"), "referrer_domains", ("min_reads", "max_reads")],
                "description": gettext_lazy(
                    "Decided for each reader when the page loads: pages stay cached, and a browser without "
                    "JavaScript gets the best prompt that has none of these conditions."
                ),
            },
        ),
        (gettext_lazy("When"), {"fields": [("starts_at", "ends_at"), "priority", "is_active"]}),
    ]
    inlines = [PromptVariantInline]
    change_form_template = "admin/paywall/prompt/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                impressions=Coalesce(Sum("days__impressions"), 0),
                clicks=Coalesce(Sum("days__clicks"), 0),
                own_impressions=Coalesce(Sum("days__impressions", filter=Q(days__variant__isnull=True)), 0),
                own_clicks=Coalesce(Sum("days__clicks", filter=Q(days__variant__isnull=True)), 0),
            )
            .prefetch_related(
                Prefetch(
                    "variants",
                    queryset=PromptVariant.objects.annotate(
                        impressions=Coalesce(Sum("days__impressions"), 0), clicks=Coalesce(Sum("days__clicks"), 0)
                    ),
                )
            )
        )

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("impressions"), ordering="impressions")
    def display_impressions(self, prompt):
        return prompt.impressions

    @admin.display(description=gettext_lazy("clicks"), ordering="clicks")
    def display_clicks(self, prompt):
        return prompt.clicks

    @admin.display(description=gettext_lazy("CTR"))
    def display_ctr(self, prompt):
        return ctr_of(prompt.clicks, prompt.impressions)

    @admin.display(description=gettext_lazy("each text: impressions / clicks / CTR"))
    def display_by_text(self, prompt):
        variants = prompt.variants.all()
        if not variants:
            return "—"
        lines = [f"{_('Own text')}: {_figures(prompt.own_impressions, prompt.own_clicks)}"]
        lines += [f"{variant.name}: {_figures(variant.impressions, variant.clicks)}" for variant in variants]
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        prompt = self.get_object(request, object_id)
        if prompt is not None:
            extra_context = {
                **(extra_context or {}),
                "figures": daily_figures(prompt),
                "by_text": figures_by_text(prompt),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        own = [
            path("<int:prompt_id>/preview/", self.admin_site.admin_view(self.preview), name="paywall_prompt_preview"),
            path(
                "<int:prompt_id>/figures.csv", self.admin_site.admin_view(self.figures_csv), name="paywall_prompt_csv"
            ),
        ]
        return own + super().get_urls()

    def preview(self, request, prompt_id):
        """The prompt on a chosen story as a chosen reader would get it, with no impression counted."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        prompt = get_object_or_404(Prompt, pk=prompt_id)
        live = decisions.as_live(prompt)
        stories = list(Article.objects.published().latest_first().only("headline", "pk")[:PREVIEW_STORIES])
        story = None
        if (chosen := whole_number(request.GET.get("article", ""))) is not None:
            story = Article.objects.published().for_page().filter(pk=chosen).one()
        story = story or (stories[0] if stories else None)
        reader = request.GET.get("reader", Reader.ANONYMOUS)
        reader = reader if reader in Reader.values else Reader.ANONYMOUS
        asked = whole_number(request.GET.get("version", ""))
        version = live.version(asked) if asked is not None else None
        version = version or live.versions[0]
        shows = story is not None and reader in live.readers and live.fits(story)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Preview: %(name)s") % {"name": prompt.name},
            "prompt": prompt,
            "stories": stories,
            "story": story,
            "readers": Reader.choices,
            "reader": reader,
            "shows": shows,
            "asks_about_reader": live.asks_about_reader,
            "versions": live.versions,
            "version": version,
            "prompt_html": slots.render_placed(live, version, request=request, reader=reader, count=False),
            "at_end": prompt.placement == Placement.ARTICLE_END,
        }
        return TemplateResponse(request, "admin/paywall/prompt/preview.html", context)

    def figures_csv(self, request, prompt_id):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        prompt = get_object_or_404(Prompt, pk=prompt_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="prompt-{prompt.pk}-figures.csv"'
        writer = csv.writer(response)
        writer.writerow(["day", "text", "impressions", "clicks", "ctr_percent"])
        # The prompt's own text first each day, on every database (PostgreSQL sorts NULL last by default).
        rows = prompt.days.select_related("variant").order_by("day", F("variant_id").asc(nulls_first=True))
        for row in rows:
            ctr = f"{100 * row.clicks / row.impressions:.2f}" if row.impressions else ""
            text = row.variant.name if row.variant else _("Own text")
            writer.writerow([row.day.isoformat(), _csv_safe(text), row.impressions, row.clicks, ctr])
        return response


def _csv_safe(text):
    """A cell a spreadsheet will not run as a formula (a variant's name is typed by staff)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "status", "valid_until", "created_at"]
    list_filter = ["status", "plan"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
