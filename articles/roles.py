"""
The desk's roles, as Django groups and the model permissions each one holds.

`sync_roles` is idempotent. Migrations call it (with historical models) so a
fresh database has the groups, and `load_demo` calls it so the roles exist
even after a test flushes the database.
"""

from django.contrib.auth.management import create_permissions

EDITOR = "Editor"
REPORTER = "Reporter"
PAYWALL_MANAGER = "Paywall manager"

ALL = ["add", "change", "delete", "view"]
ARTICLE_MODELS = ["article", "articleauthor", "author", "image", "section", "wireservice"]

ROLE_PERMISSIONS = {
    EDITOR: {
        "articles": {
            **{model: ALL for model in ARTICLE_MODELS},
            "article": ALL + ["submit", "review", "publish", "withdraw", "kill", "edit_any"],
            "correction": ALL,
            "revision": ["view"],
            "auditentry": ["view"],
            "wireitem": ["add", "change", "view"],
            "wiremapping": ALL,
        },
        "taggit": {"tag": ALL, "taggeditem": ALL},
    },
    REPORTER: {
        "articles": {
            "article": ["add", "change", "view", "submit"],
            "articleauthor": ALL,
            "revision": ["view"],
            "author": ["view"],
            "image": ["add", "change", "view"],
            "section": ["view"],
            "wireservice": ["view"],
        },
        "taggit": {"tag": ["add", "view"], "taggeditem": ALL},
    },
    PAYWALL_MANAGER: {
        "articles": {"article": ["view"], "section": ["view"]},
    },
}


def sync_roles(apps):
    """Create the groups and give each exactly its permissions."""
    # Permissions are normally created after all migrations have run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, by_app in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        permissions = []
        for app_label, models in by_app.items():
            for model, actions in models.items():
                permissions += Permission.objects.filter(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
        group.permissions.set(permissions)
