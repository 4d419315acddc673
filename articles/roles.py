"""
The desk's roles, as Django groups and the model permissions each one holds.

`sync_roles` is idempotent. It runs after every `migrate` (and after a test
database is flushed) from a `post_migrate` handler, once Django has created
the permissions, so it never has to create them itself.
"""

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
        # Editors lift a colleague's sign-in lock by deleting its access attempt.
        "axes": {"accessattempt": ["view", "delete"]},
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
        # Reporters tag their stories through the story form, which needs no
        # permission on taggit's models; the tag admin (rename, merge) is the desk's.
    },
    # The paywall app adds its own models' permissions (articles/extensions.py). Paywall managers
    # work on prompts, not stories: no permission on articles, so story pages answer 403.
    PAYWALL_MANAGER: {
        "articles": {"section": ["view"]},
    },
}


def sync_roles(**kwargs):
    """Create the groups and give each exactly its permissions. A `post_migrate` receiver."""
    from django.contrib.auth.models import Group, Permission

    from .extensions import role_permissions

    for group_name, by_app in ROLE_PERMISSIONS.items():
        by_app = {**by_app, **role_permissions(group_name)}
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
