"""
The search index: one row per story readers may search, written only by
`articles.search` (never edit it by hand; `manage.py rebuild_search_index`
rebuilds it from the stories).

One model serves both databases. On PostgreSQL it is an ordinary table whose
`document` holds the weighted tsvector, with a GIN index. On SQLite the
migration makes the same table an FTS5 virtual table instead: its implicit
`rowid` is the story's primary key (hence the column name), and `document` is
an unused, unindexed column kept so the ORM can read and delete rows there too
(deleting a story cascades to its row on both).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("story"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_column="rowid",
    )
    # The text as indexed: plain, NFKC-normalised, CJK characters spaced apart (see articles.search.text).
    headline = models.TextField(_("headline"))
    dek = models.TextField(_("dek"), blank=True)
    body = models.TextField(_("body"), blank=True)
    document = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [GinIndex(fields=["document"], name="search_document_gin")]

    def __str__(self):
        return self.headline
