from .reader import article_detail, home, render_preview, section, shared_preview, tag
from .wire import push

__all__ = ["article_detail", "home", "push", "render_preview", "section", "shared_preview", "tag"]
