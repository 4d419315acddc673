from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_search_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["published_at", "id"], name="article_published"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["wire_service", "published_at", "id"], name="article_agency_published"),
        ),
    ]
