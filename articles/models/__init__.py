from .articles import Article, ArticleAuthor, Status
from .media import Image
from .people import Author
from .sections import Section
from .wire import WireService

__all__ = ["Article", "ArticleAuthor", "Author", "Image", "Section", "Status", "WireService"]
