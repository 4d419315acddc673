from ..status import Status
from .articles import Article, ArticleAuthor
from .corrections import Correction, OldURL
from .history import AuditEntry, Revision
from .media import Image
from .people import Author
from .renditions import Rendition
from .search import SearchEntry
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
    "Rendition",
    "Revision",
    "SearchEntry",
    "Section",
    "Status",
    "WireItem",
    "WireMapping",
    "WireService",
]
