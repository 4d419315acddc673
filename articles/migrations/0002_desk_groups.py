"""The desk's roles as Django groups, so a newsroom only has to add people to them."""

from django.db import migrations


def create_roles(apps, schema_editor):
    # The groups are now made by a post_migrate handler (articles.roles.sync_roles),
    # which runs once every permission exists; this step is kept for history.
    pass


def remove_roles(apps, schema_editor):
    from articles.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
