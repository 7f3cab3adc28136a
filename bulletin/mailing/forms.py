"""Forms of the public pages and of the admin."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bulletin.models import Bulletin, Issue
from bulletin.typography import label_colon


def consent_text(bulletin: Bulletin) -> str:
    """The consent statement exactly as the form shows it (recorded with each consent)."""
    return gettext(
        "I agree to receive %(bulletin)s by email from %(firm)s. I can unsubscribe at any time "
        "with the link in every email."
    ) % {"bulletin": bulletin.name, "firm": bulletin.firm_name}


def preferences_consent_text() -> str:
    return gettext("Bulletins ticked on the preferences page reached by a personal link.")


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the emails"), choices=Bulletin.Language)
    consent = forms.BooleanField(label=_("I agree"), required=True)
    # A field people never see (hidden by the page); software filling every field fills it.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, bulletin: Bulletin, **kwargs):
        kwargs.setdefault("label_suffix", label_colon().strip())
        super().__init__(*args, **kwargs)
        self.consent_text = consent_text(bulletin)
        self.fields["consent"].label = self.consent_text
        # The consent is a sentence after its box: it ends with its own full stop.
        self.fields["consent"].label_suffix = ""
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["organisation"].widget.attrs.update({"autocomplete": "organization"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class PreferencesForm(forms.Form):
    bulletins = forms.ModelMultipleChoiceField(
        label=_("Bulletins I receive"),
        queryset=Bulletin.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of the emails"), choices=Bulletin.Language)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", label_colon().strip())
        super().__init__(*args, **kwargs)


class ImportForm(forms.Form):
    bulletin = forms.ModelChoiceField(label=_("Bulletin"), queryset=Bulletin.objects.all())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 (or GB18030) with a header row: email, and optionally name, organisation, "
            "language (zh-hans or en)."
        ),
    )
    consent_text = forms.CharField(
        label=_("How these people consented"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Recorded as each imported subscriber's consent, e.g. the sign-up sheet."),
    )


class SubscriberAddForm(forms.Form):
    bulletin = forms.ModelChoiceField(label=_("Bulletin"), queryset=Bulletin.objects.all())
    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the emails"), choices=Bulletin.Language)
    consent_text = forms.CharField(
        label=_("How this person consented"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class IssueChoiceForm(forms.Form):
    issue = forms.ModelChoiceField(
        label=_("Issue"),
        queryset=Issue.objects.published().select_related("bulletin"),
        help_text=_("Only published issues can be emailed."),
    )
