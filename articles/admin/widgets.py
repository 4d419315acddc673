from django.urls import reverse_lazy
from taggit.forms import TagWidget


class TagAutocompleteWidget(TagWidget):
    """
    Comma-separated tag entry that suggests existing tags as you type, so the
    desk reuses "Moon Jae-in" instead of inventing "Moon Jae In". New tags are
    still accepted: anything typed that is not suggested becomes a tag on save.
    """

    template_name = "admin/widgets/tag_autocomplete.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "vTextField", "autocomplete": "off", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-suggest-url"] = reverse_lazy("admin:articles_article_tag_suggestions")
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-suggestions"
        return context

    class Media:
        js = ["articles/admin/tag-autocomplete.js"]
