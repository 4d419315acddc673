from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .roles import sync_roles

        # After auth's own post_migrate handler (its app is listed first), so
        # every permission the roles name exists by the time this runs.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="articles.sync_roles")
