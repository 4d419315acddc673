from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    READY = "ready", _("Ready")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    KILLED = "killed", _("Killed")

    @classmethod
    def visible(cls):
        """States whose stories readers see once the publish time has passed."""
        return [cls.SCHEDULED, cls.PUBLISHED]

    @classmethod
    def gone(cls):
        """States of stories pulled after publication: their URLs answer 410 Gone."""
        return [cls.WITHDRAWN, cls.KILLED]
