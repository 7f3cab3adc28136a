from django import forms
from django.contrib import admin
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyRichTextMixin
from people.images import reencode_image
from people.models import Author


class AuthorForm(forms.ModelForm):
    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo or photo == self.initial.get("photo"):
            return photo
        return reencode_image(photo, basename=get_random_string(16).lower())


@admin.register(Author)
class AuthorAdmin(ReadOnlyRichTextMixin, admin.ModelAdmin):
    form = AuthorForm
    list_display = [
        "name",
        "name_latin",
        "title",
        "office_city",
        "email",
        "is_active",
        "display_order",
    ]
    list_editable = ["display_order"]
    list_filter = ["is_active", "title", "office_city"]
    search_fields = ["name", "name_latin", "email", "practice_areas"]
    prepopulated_fields = {"slug": ["name_latin"]}
    autocomplete_fields = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "name_latin", "slug", "title", "office_city", "photo"]}),
        (_("Contact"), {"fields": ["phone", "mobile", "email"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "practice_areas",
                    "experience",
                    "representative_matters",
                    "honours",
                    "education",
                ]
            },
        ),
        (_("Account and display"), {"fields": ["user", "is_active", "display_order"]}),
    ]
