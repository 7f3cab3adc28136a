"""The translate screen's form: one field per source text of the unit, each the form field of
its source column (the prose editor for rich text, a length limit for a title)."""

from django import forms

from bulletin.translation.models import Translation
from bulletin.translation.units import SourceText
from core.richtext import rich_text_html

# A Latin-script name written on the author's profile starts the English translation of the name.
_STARTING_VALUES = {("author", "name"): "name_latin"}


class TranslationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sources: list[SourceText], translation, subject, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = sources
        texts = translation.texts if translation else {}
        self.fields["version"].initial = translation.version if translation else None
        kind = type(subject)._meta.model_name
        for source in sources:
            field = source.field.formfield(required=False)
            field.label = source.label
            field.help_text = ""
            starting = _STARTING_VALUES.get((kind, source.key))
            initial = texts.get(source.key)
            if initial is None and starting and translation is None:
                initial = getattr(subject, starting, "")
            field.initial = initial or ""
            self.fields[f"t_{source.key}"] = field

    def texts(self) -> dict[str, str]:
        return {s.key: self.cleaned_data.get(f"t_{s.key}") or "" for s in self.sources}

    def rows(self) -> list[dict]:
        """Each source text with the field of its translation, for the two columns: rich text
        rendered (sanitized again on the way out), plain text as text."""
        rows = []
        for source in self.sources:
            field = self[f"t_{source.key}"]
            value = field.value() or ""
            rows.append(
                {
                    "source": source,
                    "field": field,
                    "source_html": rich_text_html(source.value) if source.rich else None,
                    "value": value,
                    "value_html": rich_text_html(value) if source.rich else None,
                }
            )
        return rows

    def add_text_errors(self, errors: dict) -> None:
        for key, messages in errors.items():
            name = f"t_{key}" if f"t_{key}" in self.fields else None
            for message in messages:
                self.add_error(name, message)


def version_of(translation: Translation | None) -> int | None:
    return translation.version if translation else None
