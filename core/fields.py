"""Field types shared by every app: sanitized rich text and long http(s) URLs.

They live in the bottom layer, `core`, which imports nothing of ours, so every app can use them.
"""

import re
from functools import cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField, create_sanitizer

RICH_TEXT_MAX_LENGTH = 100_000
URL_MAX_LENGTH = 8_000


@cache
def rich_text_sanitizer():
    """The nh3 cleaner built from the same extension list the editor offers."""
    return create_sanitizer(settings.RICH_TEXT_EXTENSIONS)


def sanitize_rich_text(html: str) -> str:
    """Return html with everything the editor cannot produce removed."""
    return rich_text_sanitizer()(html or "")


# What an empty editor sends (paragraphs and line breaks around nothing), and characters that
# show nothing.
_EDITOR_EMPTY = re.compile(r"</?(?:p|br)\s*/?>|&nbsp;", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\s\u00ad\u200b-\u200f\u2060\ufeff]+")


def _visible(text: str) -> str:
    return _INVISIBLE.sub("", text)


class RichTextField(ProseEditorField):
    """Rich text edited with ProseMirror and sanitized on every save, not only in forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("config", {"extensions": settings.RICH_TEXT_EXTENSIONS})
        kwargs.setdefault("sanitize", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(RICH_TEXT_MAX_LENGTH))

    def clean(self, value, model_instance):
        """Sanitize, and refuse text that sanitizing empties: saved, it would vanish without a
        word (and, in a required field, block every later save of its form)."""
        cleaned = super().clean(value, model_instance)
        if not _visible(strip_tags(cleaned)) and (
            not self.blank or _visible(_EDITOR_EMPTY.sub("", value or ""))
        ):
            raise ValidationError(
                _(
                    "Nothing is left of this text once the markup that is not allowed (scripts, "
                    "frames, styles, images) is removed. Type the text itself."
                ),
                code="emptied",
            )
        return cleaned

    def pre_save(self, model_instance, add):
        value = sanitize_rich_text(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("blank", None)
        return name, "django.db.models.TextField", args, {"blank": True, **kwargs}


class HttpURLValidator(URLValidator):
    """http and https only, and long enough for the URLs that court and government sites use."""

    schemes = ["http", "https"]
    max_length = URL_MAX_LENGTH
    message = _("Enter a valid web address starting with http:// or https://.")


validate_http_url = HttpURLValidator()
_WHITESPACE = re.compile(r"\s+")


class HttpURLFormField(forms.URLField):
    default_validators = [validate_http_url]
    default_error_messages = {"invalid": HttpURLValidator.message}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        # A URL never holds white space; a pasted one broken across lines is joined back.
        return super().to_python(_WHITESPACE.sub("", value or ""))


class HttpURLField(models.URLField):
    default_validators = [validate_http_url]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", URL_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": HttpURLFormField, **kwargs})


def user_reference(verbose_name, **kwargs) -> models.ForeignKey:
    """A reference to the user who did something; it outlives the user's account (set to null)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class StateEvent(models.Model):
    """One step in the history of something with states: who, what, from, to, the comment and
    when. A subclass names its subject, its `action` choices and `state_labels()`."""

    actor = user_reference(_("by"))
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.from_state_label} → {self.to_state_label}"

    @classmethod
    def state_labels(cls) -> dict:
        return {}

    @property
    def from_state_label(self) -> str:
        return self.state_labels().get(self.from_state, self.from_state)

    @property
    def to_state_label(self) -> str:
        return self.state_labels().get(self.to_state, self.to_state)
