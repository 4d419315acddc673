from django.urls import path, register_converter

from . import feeds, sitemaps, views


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


register_converter(TwoDigitConverter, "dd")
register_converter(YearConverter, "yyyy")

app_name = "articles"
# Fixed first segments (search, tags, authors, agencies, archive, feeds…) come before the
# catch-all section slug; Section refuses these words as slugs (RESERVED_SLUGS).
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("tags/<str:slug>/", views.tag, name="tag"),  # taggit slugs keep non-Latin letters ("鉄道")
    path("authors/<slug:slug>/", views.author, name="author"),
    path("agencies/<slug:slug>/", views.agency, name="agency"),
    path("archive/<yyyy:year>/", views.archive, name="archive_year"),
    path("archive/<yyyy:year>/<dd:month>/", views.archive, name="archive_month"),
    path("archive/<yyyy:year>/<dd:month>/<dd:day>/", views.archive, name="archive_day"),
    *feeds.urlpatterns,
    *sitemaps.urlpatterns,
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("wire/push/<slug:agency>/", views.push, name="wire_push"),
    path("<slug:section>/", views.section, name="section"),
    path("<slug:section>/<int:year>/<dd:month>/<dd:day>/<slug:slug>/", views.article_detail, name="detail"),
]
