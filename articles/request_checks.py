"""
Requests no page can answer, refused before any view sees them.

A NUL character (%00) has no place in an address or its parameters, and
PostgreSQL cannot hold one in text: a tag slug, a desk filter or any lookup
given one fails in the database (a 500) rather than finding nothing. Refusing
it here covers every door at once, today's and those added later; forms are
covered by Django itself (ProhibitNullCharactersValidator).
"""

from django.core.exceptions import BadRequest


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("A NUL character in the address.")
        return self.get_response(request)
