from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class PaywallConfig(AppConfig):
    name = "paywall"
    verbose_name = _("Paywall")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Everything the paywall adds to the newsroom, it adds here, through articles/extensions.py:
        # articles never imports the paywall.
        from articles import extensions
        from articles.roles import PAYWALL_MANAGER, sync_roles

        from . import checks, demo, meter, slots, text  # noqa: F401 (checks registers itself)
        from .decisions import entitled, prompts_changed
        from .models import Prompt, PromptVariant

        extensions.register_slot("head", slots.head)
        extensions.register_slot("article_top", slots.top_banner)
        extensions.register_slot("article_end", slots.article_end)
        extensions.register_slot("article_gate", slots.gate)
        extensions.register_slot("article_overlay", slots.overlay)
        extensions.register_insert(slots.inline)
        extensions.register_entitlement(entitled)
        extensions.register_private_request(meter.used_up_request)
        extensions.register_metering(meter.stops_at)
        extensions.register_text_cleaner(text.remove_prompt_text)
        extensions.register_demo_loader(demo.load)
        extensions.register_role_permissions(
            PAYWALL_MANAGER,
            "paywall",
            {
                "prompt": ["add", "change", "delete", "view"],
                "promptvariant": ["add", "change", "delete", "view"],
                "promptday": ["view"],
                "subscription": ["add", "change", "view"],
            },
        )
        # The roles are synced again once this app's own permissions exist (after articles' sync).
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="paywall.sync_roles")
        for signal in (post_save, post_delete):
            for model in (Prompt, PromptVariant):
                signal.connect(
                    prompts_changed, sender=model, dispatch_uid=f"paywall.prompts_changed.{model.__name__}.{signal}"
                )
        for through in (Prompt.sections.through, Prompt.tags.through, Prompt.agencies.through):
            m2m_changed.connect(prompts_changed, sender=through, dispatch_uid=f"paywall.prompts_changed.{through}")
