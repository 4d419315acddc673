"""Agency and subject codes to WireServices and tags, read once per batch of files."""

from taggit.models import Tag

from ..models import WireItem, WireMapping, WireService


class Mapper:
    """
    Holds the mapping table in memory for one batch (a command run, an upload,
    a benchmark), so no file costs a query per code or keyword.
    """

    def __init__(self):
        self.services = {service.pk: service for service in WireService.objects.all()}
        self.agencies = {}
        for service in self.services.values():
            for name in (service.name, service.credit, service.slug):
                self.agencies.setdefault(name.casefold(), service)
        self.tags = {}
        self._tag_objects = {}
        self._distributes = {}
        self._orphan_kills = None
        for mapping in WireMapping.objects.all():
            if mapping.kind == WireMapping.Kind.AGENCY and mapping.wire_service_id in self.services:
                self.agencies[mapping.code.casefold()] = self.services[mapping.wire_service_id]
            elif mapping.kind == WireMapping.Kind.SUBJECT and mapping.tag:
                self.tags[mapping.code.casefold()] = mapping.tag

    def agency_for(self, codes):
        """The first agency any of `codes` names (mappings first, then names and credits), or None."""
        for code in codes:
            service = self.agencies.get(code.strip().casefold())
            if service is not None:
                return service
        return None

    def may_distribute(self, channel, agency):
        """May `channel`'s deliveries carry `agency`'s stories (WireService.distributes)? Read once per channel."""
        if channel.pk not in self._distributes:
            self._distributes[channel.pk] = set(channel.distributes.values_list("pk", flat=True))
        return agency.pk in self._distributes[channel.pk]

    def was_killed(self, agency, guid):
        """
        Is there a kill on record for this agency's GUID whose story has since been
        deleted? Those are few (purged killed stories), so one query per batch
        reads them all; a kill met during the batch has its story still.
        """
        if self._orphan_kills is None:
            self._orphan_kills = set(
                WireItem.objects.filter(outcome=WireItem.Outcome.KILLED, article__isnull=True)
                .exclude(wire_service=None)
                .values_list("wire_service_id", "guid")
            )
        return (agency.pk, guid) in self._orphan_kills

    def tag_objects(self, names):
        """The Tag for each name, looked up (or made) once per batch."""
        return [self._tag(name) for name in names]

    def _tag(self, name):
        key = name.casefold()
        if key not in self._tag_objects:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            self._tag_objects[key] = tag
        return self._tag_objects[key]

    def tags_for(self, story):
        """Tag names for the story's mapped subject codes and keywords, in order, without repeats."""
        names = []
        for code in [code for code, _name in story.subjects] + story.keywords:
            tag = self.tags.get(code.strip().casefold())
            if tag and tag not in names:
                names.append(tag)
        return names
