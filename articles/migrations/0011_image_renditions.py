"""
Renditions: resized copies of each picture, one row per file in storage; an
optional focal point on pictures, for crops; originals cleaned before they are
stored. `manage.py make_renditions` makes them for pictures uploaded before.
"""

import articles.models.media
import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_default_agencies'),
    ]

    operations = [
        migrations.AddField(
            model_name='image',
            name='focal_x',
            field=models.FloatField(blank=True, help_text='Where the subject is, from 0 (left edge) to 1 (right edge). Crops keep it in the frame.', null=True, validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(1.0)], verbose_name='focal point, across'),
        ),
        migrations.AddField(
            model_name='image',
            name='focal_y',
            field=models.FloatField(blank=True, help_text='From 0 (top edge) to 1 (bottom edge). Leave both empty to crop around the centre.', null=True, validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(1.0)], verbose_name='focal point, down'),
        ),
        migrations.AlterField(
            model_name='image',
            name='file',
            field=articles.models.media.LibraryImageField(height_field='height', help_text='JPEG, PNG, GIF or WebP.', upload_to='images/%Y/%m/', verbose_name='file', width_field='width'),
        ),
        migrations.CreateModel(
            name='Rendition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('crop', models.CharField(blank=True, help_text="Aspect ratio, empty for the original's.", max_length=10, verbose_name='crop')),
                ('format', models.CharField(choices=[('webp', 'WebP'), ('jpeg', 'JPEG')], max_length=4, verbose_name='format')),
                ('width', models.PositiveIntegerField(verbose_name='width')),
                ('height', models.PositiveIntegerField(verbose_name='height')),
                ('file', models.FileField(max_length=255, upload_to='', verbose_name='file')),
                ('source', models.CharField(max_length=255, verbose_name='made from')),
                ('image', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='renditions', to='articles.image')),
            ],
            options={
                'verbose_name': 'rendition',
                'verbose_name_plural': 'renditions',
                'constraints': [models.UniqueConstraint(fields=('image', 'crop', 'format', 'width'), name='rendition_unique_size')],
            },
        ),
    ]
