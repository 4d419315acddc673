from ..status import Status
from .articles import Article, ArticleAuthor
from .corrections import Correction, OldURL
from .history import AuditEntry, Revision
from .media import Image
from .people import Author
from .sections import Section
from .wire import WireItem, WireMapping, WireService

__all__ = [
    "Article",
    "ArticleAuthor",
    "AuditEntry",
    "Author",
    "Correction",
    "Image",
    "OldURL",
    "Revision",
    "Section",
    "Status",
    "WireItem",
    "WireMapping",
    "WireService",
]
