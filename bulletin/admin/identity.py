"""The firm's identity: one page for publishers, saved through firm_identity_save."""

from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bulletin.identity import IDENTITY_FIELDS, colour_clean, firm_identity_save, mark_clean
from bulletin.models import FirmIdentity
from bulletin.roles import Role, has_role


class FirmIdentityForm(forms.ModelForm):
    mark_upload = forms.FileField(
        label=_("mark"),
        required=False,
        help_text=_("SVG (at most 100 KB) or PNG (at most 1 MB, 2000 × 2000 pixels)."),
    )
    remove_mark = forms.BooleanField(label=_("remove the mark"), required=False)

    class Meta:
        model = FirmIdentity
        fields = IDENTITY_FIELDS
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}

    def clean_colour(self):
        return colour_clean(self.cleaned_data["colour"])

    def clean_mark_upload(self):
        upload = self.cleaned_data.get("mark_upload")
        if not upload:
            return None
        # Read one byte past the largest allowed size: enough to refuse, never the whole upload.
        data = upload.read(1024 * 1024 + 1)
        mark_clean(data)  # raises ValidationError, shown on this field
        return data


@admin.register(FirmIdentity)
class FirmIdentityAdmin(admin.ModelAdmin):
    form = FirmIdentityForm
    fieldsets = [
        (
            None,
            {"fields": ["name", "name_en", "current_mark", "mark_upload", "remove_mark", "colour"]},
        ),
        (_("Contact"), {"fields": ["address", "address_en", "phone", "email", "website"]}),
        (_("Footer"), {"fields": ["disclaimer", "disclaimer_en", "privacy_url"]}),
    ]

    readonly_fields = ["current_mark"]

    @admin.display(description=_("current mark"))
    def current_mark(self, obj):
        if not obj or not obj.mark_type:
            return "—"
        url = f"{reverse('brand_mark')}?v={obj.mark_sha256[:12]}"
        return format_html('<img src="{}" alt="" height="64">', url)

    def has_module_permission(self, request):
        return has_role(request.user, Role.PUBLISHER)

    def has_view_permission(self, request, obj=None):
        return has_role(request.user, Role.PUBLISHER)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return has_role(request.user, Role.PUBLISHER) and not FirmIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """The one row, or the form to create it."""
        if FirmIdentity.objects.filter(pk=1).exists():
            return redirect(reverse("admin:bulletin_firmidentity_change", args=[1]))
        return redirect(reverse("admin:bulletin_firmidentity_add"))

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in IDENTITY_FIELDS}
        saved = firm_identity_save(
            user=request.user,
            mark=form.cleaned_data.get("mark_upload"),
            remove_mark=form.cleaned_data.get("remove_mark", False),
            **fields,
        )
        obj.pk = saved.pk
