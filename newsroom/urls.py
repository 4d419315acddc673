from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # The second step of signing in to the desk (articles/twofactor/), before the admin's own URLs.
    path("admin/two-factor/", include("articles.twofactor.urls")),
    path("admin/", admin.site.urls),
    # Before the reader's site, whose section pages take any first segment.
    path("", include("paywall.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # Production serves media from object storage or the web server.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
