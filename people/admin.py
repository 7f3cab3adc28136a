from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyRichTextMixin
from people.images import reencode_image
from people.models import Author, NotificationPreference
from people.services import notification_preference_set


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


class NotificationPreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Workflow emails"),
        choices=NotificationPreference.Delivery.choices,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of the emails"), choices=NotificationPreference.Language.choices
    )


def my_notifications(request):
    """The "My notifications" page (in the admin's user menu, wrapped by admin_view in the
    project's urls): each signed-in user sets their own choice, and no one else's."""
    preference = NotificationPreference.of(request.user)
    initial = {"delivery": preference.delivery, "language": preference.language}
    form = NotificationPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notification_preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, gettext("Your choice was saved."))
        return redirect("my_notifications")
    context = {
        **admin.site.each_context(request),
        "title": gettext("My notifications"),
        "form": form,
        "minutes": settings.WORKFLOW_DIGEST_MINUTES,
    }
    return TemplateResponse(request, "admin/people/notificationpreference_form.html", context)
