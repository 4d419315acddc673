"""The desk's roles as Django groups, so a newsroom only has to add people to them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ARTICLE_MODELS = ["article", "articleauthor", "author", "image", "section", "wireservice"]
ALL = ["add", "change", "delete", "view"]

GROUP_PERMISSIONS = {
    "Editor": {
        "articles": {model: ALL for model in ARTICLE_MODELS},
        "taggit": {"tag": ALL, "taggeditem": ALL},
    },
    "Reporter": {
        "articles": {
            "article": ["add", "change", "view"],
            "articleauthor": ALL,
            "author": ["view"],
            "image": ["add", "change", "view"],
            "section": ["view"],
            "wireservice": ["view"],
        },
        "taggit": {"tag": ["add", "view"], "taggeditem": ALL},
    },
    "Paywall manager": {
        "articles": {"article": ["view"], "section": ["view"]},
    },
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run; make sure
    # they exist now so the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, apps_models in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for app_label, models in apps_models.items():
            for model, actions in models.items():
                codenames = [f"{action}_{model}" for action in actions]
                permissions = Permission.objects.filter(
                    content_type__app_label=app_label, content_type__model=model, codename__in=codenames
                )
                group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
