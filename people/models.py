"""People who write the bulletin: the firm's lawyers and their public profiles."""

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.fields import RichTextField

validate_phone = RegexValidator(
    r"^\+?(?=(?:\D*\d){5})[0-9 ()\-]{5,30}$",
    _("Enter a phone number: digits, spaces, +, - and brackets."),
)
_LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")


class AuthorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ContactChannel(models.TextChoices):
    """Where an author's contact details are shown: the public site, or the issue's PDF."""

    WEB = "web", _("Web")
    PDF = "pdf", _("PDF")


CONTACT_FIELDS = ["phone", "mobile", "email"]
CONTACT_VISIBILITY_FIELDS = [
    f"show_{name}_{channel}" for channel in ContactChannel.values for name in CONTACT_FIELDS
]


class Author(models.Model):
    """A lawyer who writes commentaries and appears in the team and profile pages."""

    name = models.CharField(_("name"), max_length=100)
    name_latin = models.CharField(
        _("name in Latin script"), max_length=100, blank=True, help_text=_("e.g. Wang Lin")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("e.g. Partner"))
    office_city = models.CharField(_("office city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    mobile = models.CharField(_("mobile"), max_length=40, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    # Each author chooses where each detail is shown; a mobile number is off the web by default
    # (scrapers read public pages), the PDF goes to subscribers who asked for it.
    show_phone_web = models.BooleanField(_("phone on the web"), default=True)
    show_mobile_web = models.BooleanField(_("mobile on the web"), default=False)
    show_email_web = models.BooleanField(_("email on the web"), default=True)
    show_phone_pdf = models.BooleanField(_("phone in the PDF"), default=True)
    show_mobile_pdf = models.BooleanField(_("mobile in the PDF"), default=True)
    show_email_pdf = models.BooleanField(_("email in the PDF"), default=True)
    practice_areas = models.CharField(
        _("practice areas"),
        max_length=500,
        blank=True,
        help_text=_("Separated by 、 or commas, in the order they should be shown."),
    )
    experience = RichTextField(_("experience"))
    representative_matters = RichTextField(_("representative matters"))
    honours = RichTextField(_("honours and awards"))
    education = models.TextField(_("education"), blank=True, help_text=_("One degree per line."))
    photo = models.ImageField(_("photo"), upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
    )
    is_active = models.BooleanField(_("active"), default=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["display_order", "name"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=~models.Q(email=""),
                name="people_author_unique_email",
                violation_error_message=_("Another author already has this email address."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name_latin or self.name, allow_unicode=True)[:120]
        super().save(*args, **kwargs)

    def contact(self, channel: str) -> dict[str, str]:
        """The contact details this author shows on a channel ("web" or "pdf"), by field name;
        empty ones are left out."""
        channel = ContactChannel(channel)
        return {
            name: getattr(self, name)
            for name in CONTACT_FIELDS
            if getattr(self, name) and getattr(self, f"show_{name}_{channel.value}")
        }

    @property
    def practice_area_list(self) -> list[str]:
        return [
            area.strip() for area in _LIST_SEPARATORS.split(self.practice_areas) if area.strip()
        ]

    @property
    def education_list(self) -> list[str]:
        return [line.strip() for line in self.education.splitlines() if line.strip()]

    @property
    def title_and_city(self) -> str:
        """The seed's "合伙人/北京" line."""
        return "/".join(part for part in (self.title, self.office_city) if part)


class NotificationPreference(models.Model):
    """How one staff member hears of the editorial workflow: at once, in a digest every few
    minutes, or not at all (urgent matters, such as a failed scheduled publication, always)."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("At once")
        DIGEST = "digest", _("In a digest")
        NONE = "none", _("Not at all")

    class Language(models.TextChoices):
        CHINESE = "zh-hans", _("Simplified Chinese")
        ENGLISH = "en", _("English")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("workflow emails"), max_length=10, choices=Delivery.choices, default=Delivery.DIGEST
    )
    language = models.CharField(
        _("language of the emails"),
        max_length=10,
        choices=Language.choices,
        default=Language.CHINESE,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user} · {self.get_delivery_display()}"

    @classmethod
    def of(cls, user) -> "NotificationPreference":
        """The user's stored choice, or the default (a digest, in Chinese) until they make one;
        no query when the user was loaded with select_related("notification_preference")."""
        try:
            return user.notification_preference
        except cls.DoesNotExist:
            return cls(user=user)
