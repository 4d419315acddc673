"""
Wire mappings at work: when the desk maps an agency's name, the drafts that
came in under that name while it was unknown get the agency.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Article, WireItem, WireMapping
from . import stories


def credit_waiting_drafts(*, mapping, user):
    """
    Give each draft waiting as "agency unknown" under `mapping`'s code the
    mapped agency (through save_story, so each is a revision with an audit
    entry). A draft whose GUID that agency already uses is left waiting: the
    agency's own story is the one to keep. Returns the drafts credited.
    """
    if mapping.kind != WireMapping.Kind.AGENCY or mapping.wire_service_id is None:
        return []
    agency = mapping.wire_service
    credited = []
    for draft in Article.objects.agency_unknown().filter(wire_source__iexact=mapping.code.strip()):
        if Article.objects.filter(wire_service=agency, wire_guid=draft.wire_guid).exists():
            continue
        with transaction.atomic():
            draft.wire_service, draft.wire_source = agency, ""
            stories.save_story(
                story=draft,
                user=user,
                changed_fields=["wire_service", "wire_source"],
                expected_version=draft.lock_version,
                reason=_("Agency mapped: “%(code)s” is %(agency)s") % {"code": mapping.code, "agency": agency},
                action="articles.agency_mapped",
                data={"code": mapping.code, "agency": agency.pk},
            )
            WireItem.objects.filter(article=draft, wire_service=None).update(wire_service=agency)
        credited.append(draft)
    return credited
