from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.crypto import get_random_string
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyRichTextMixin
from people.images import reencode_image
from people.models import CONTACT_FIELDS, CONTACT_VISIBILITY_FIELDS, Author, NotificationPreference
from people.services import author_contact_choose, notification_preference_set


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
            _("Where the contact details are shown"),
            {
                "fields": [
                    ("show_phone_web", "show_mobile_web", "show_email_web"),
                    ("show_phone_pdf", "show_mobile_pdf", "show_email_pdf"),
                ]
            },
        ),
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

    def save_model(self, request, obj, form, change):
        """Where the contact details are shown is the author's choice, set by its service (which
        checks who may, and drops the cached public pages)."""
        shown = {name: form.cleaned_data[name] for name in CONTACT_VISIBILITY_FIELDS}
        if change:  # the row keeps its stored choice until the service sets the new one
            stored = Author.objects.values(*CONTACT_VISIBILITY_FIELDS).get(pk=obj.pk)
            for name, value in stored.items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)
        updated = author_contact_choose(user=request.user, author=obj, **shown)
        for name in CONTACT_VISIBILITY_FIELDS:
            setattr(obj, name, getattr(updated, name))

    def get_urls(self):
        own = [
            path(
                "my-contact-details/",
                self.admin_site.admin_view(my_contact_details),
                name="people_author_my_contact",
            )
        ]
        return own + super().get_urls()


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


class ContactVisibilityForm(forms.Form):
    """One checkbox per contact detail and channel, named as the model's fields are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CONTACT_VISIBILITY_FIELDS:
            label = capfirst(Author._meta.get_field(name).verbose_name)
            widget = forms.CheckboxInput(attrs={"aria-label": label})
            self.fields[name] = forms.BooleanField(label=label, required=False, widget=widget)

    def rows(self, author: Author) -> list[dict]:
        """A row per detail: its label, the author's value, its web and PDF checkboxes."""
        return [
            {
                "label": capfirst(Author._meta.get_field(name).verbose_name),
                "value": getattr(author, name),
                "web": self[f"show_{name}_web"],
                "pdf": self[f"show_{name}_pdf"],
            }
            for name in CONTACT_FIELDS
        ]


def my_contact_details(request):
    """The "My contact details" page: an author linked to the signed-in user chooses which of
    their contact details the public site and the PDF show."""
    author = Author.objects.filter(user=request.user).first()
    if author is None:
        raise PermissionDenied
    initial = {name: getattr(author, name) for name in CONTACT_VISIBILITY_FIELDS}
    form = ContactVisibilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        author_contact_choose(user=request.user, author=author, **form.cleaned_data)
        messages.success(request, gettext("Your choice was saved."))
        return redirect("admin:people_author_my_contact")
    context = {
        **admin.site.each_context(request),
        "title": gettext("My contact details"),
        "form": form,
        "rows": form.rows(author),
    }
    return TemplateResponse(request, "admin/people/author_contact_form.html", context)
