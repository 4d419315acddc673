"""Reading the tag vocabulary: what the desk's tag field suggests."""

from taggit.models import Tag


def suggest_tags(term, *, limit=10):
    """Existing tag names matching `term`: names starting with it first, then names containing it."""
    if not term:
        return []
    names = Tag.objects.order_by("name").values_list("name", flat=True)
    prefix = list(names.filter(name__istartswith=term)[:limit])
    return prefix + list(names.filter(name__icontains=term).exclude(name__in=prefix)[: limit - len(prefix)])
