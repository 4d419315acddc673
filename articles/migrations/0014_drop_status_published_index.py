from django.db import migrations


class Migration(migrations.Migration):
    """Reader lists order by publish time over two statuses; an index led by status made SQLite sort them all."""

    dependencies = [
        ("articles", "0013_reader_list_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_status_published"),
    ]
