from .reader import agency, archive, article_detail, author, home, render_preview, search, section, shared_preview, tag
from .wire import push

__all__ = [
    "agency",
    "archive",
    "article_detail",
    "author",
    "home",
    "push",
    "render_preview",
    "search",
    "section",
    "shared_preview",
    "tag",
]
