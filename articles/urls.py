from django.urls import path, register_converter

from . import views


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(TwoDigitConverter, "dd")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("wire/push/<slug:agency>/", views.push, name="wire_push"),
    path("<slug:section>/", views.section, name="section"),
    path("<slug:section>/<int:year>/<dd:month>/<dd:day>/<slug:slug>/", views.article_detail, name="detail"),
]
