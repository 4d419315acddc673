"""
Agencies' push tokens are kept only as their SHA-256: each plaintext token is
replaced by its hash (agencies keep pushing with the token they have), then the
plaintext column is dropped.

Going back cannot recover a token from its hash: every agency is left with
pushing off until the desk sets it a new token.
"""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    WireService = apps.get_model("articles", "WireService")
    for service in WireService.objects.exclude(push_token=""):
        # The same hash as WireService.check_push_token computes, written out here because
        # migrations must not depend on model code that may change later.
        service.push_token_hash = hashlib.sha256(service.push_token.encode()).hexdigest()
        service.save(update_fields=["push_token_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_trash_and_protected_images'),
    ]

    operations = [
        migrations.AddField(
            model_name='wireservice',
            name='push_token_hash',
            field=models.CharField(blank=True, default='', editable=False, help_text='Hash of the secret the agency sends as “Authorization: Bearer …” to POST stories to /wire/push/<slug>/. Empty turns pushing off.', max_length=64, verbose_name='push token (SHA-256)'),
            preserve_default=False,
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(
            model_name='wireservice',
            name='push_token',
        ),
    ]
