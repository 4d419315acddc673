"""
The search index (articles.models.search.SearchEntry), filled from the
stories already published or scheduled.

The model is the same on both databases, but its table is not: on PostgreSQL
an ordinary table with a GIN index on the weighted tsvector, on SQLite an FTS5
virtual table whose rowid is the story's id. So the model is recorded in the
migration state alone, and the table made by a vendor check.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def create_table(apps, schema_editor):
    from articles.search.backends import PostgresSearch, SqliteSearch

    engine = PostgresSearch() if schema_editor.connection.vendor == "postgresql" else SqliteSearch()
    engine.create_table(schema_editor, apps.get_model("articles", "SearchEntry"))


def drop_table(apps, schema_editor):
    from articles.search.backends import PostgresSearch, SqliteSearch

    engine = PostgresSearch() if schema_editor.connection.vendor == "postgresql" else SqliteSearch()
    engine.drop_table(schema_editor, apps.get_model("articles", "SearchEntry"))


def fill_index(apps, schema_editor):
    from articles.search import rebuild_index

    rebuild_index(article_model=apps.get_model("articles", "Article"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_image_renditions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchEntry",
                    fields=[
                        (
                            "article",
                            models.OneToOneField(
                                db_column="rowid",
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="+",
                                serialize=False,
                                to="articles.article",
                                verbose_name="story",
                            ),
                        ),
                        ("headline", models.TextField(verbose_name="headline")),
                        ("dek", models.TextField(blank=True, verbose_name="dek")),
                        ("body", models.TextField(blank=True, verbose_name="body")),
                        ("document", django.contrib.postgres.search.SearchVectorField(null=True)),
                    ],
                    options={
                        "verbose_name": "search index entry",
                        "verbose_name_plural": "search index entries",
                        "indexes": [
                            django.contrib.postgres.indexes.GinIndex(fields=["document"], name="search_document_gin")
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(create_table, drop_table),
        migrations.RunPython(fill_index, migrations.RunPython.noop),
    ]
