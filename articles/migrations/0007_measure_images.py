"""
Pictures saved before every save measured them may have no width and height
stored; Django then reads each one's file whenever its row is loaded. Measure
them once, here. A file missing from storage is logged and left unmeasured.
"""

from django.db import migrations
from django.db.models import Q


def measure(apps, schema_editor):
    Image = apps.get_model("articles", "Image")
    field = Image._meta.get_field("file")
    for image in Image.objects.filter(Q(width__isnull=True) | Q(height__isnull=True)).iterator():
        field.update_dimension_fields(image, force=True)
        if image.width is not None and image.height is not None:
            Image.objects.filter(pk=image.pk).update(width=image.width, height=image.height)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_wireservice_push_token_hash")]

    operations = [migrations.RunPython(measure, migrations.RunPython.noop)]
