from django.conf import settings

from .models import Section


def newsroom(request):
    # Passed as a callable so the query runs only on pages that draw the navigation.
    return {
        "newsroom_name": settings.NEWSROOM_NAME,
        "site_language": settings.NEWSROOM_LANGUAGE,
        "navigation_sections": Section.objects.for_navigation,
    }
