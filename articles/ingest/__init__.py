"""
Wire ingest. Each format has one parser module that turns bytes into a
`WireStory`; parsers never touch the database.
"""

from .story import WireStory

__all__ = ["WireStory"]
