"""The publishing domain: a bulletin series and its issues."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from people.fields import RichTextField


class Bulletin(models.Model):
    """A series the firm publishes, e.g. a monthly on AI law."""

    class Language(models.TextChoices):
        CHINESE = "zh-hans", _("Simplified Chinese")
        ENGLISH = "en", _("English")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.CHINESE
    )
    firm_name = models.CharField(_("firm name"), max_length=200)
    team_name = models.CharField(
        _("team name"),
        max_length=200,
        blank=True,
        help_text=_("The committee or group that writes it."),
    )
    commentary_label = models.CharField(
        _("commentary label"),
        max_length=50,
        help_text=_("The heading of the firm's commentary on an entry, e.g. “本所短评”."),
    )
    disclaimer = RichTextField(_("disclaimer"))
    contact_email = models.EmailField(_("contact email"), blank=True)
    team = models.ManyToManyField(
        "people.Author", verbose_name=_("team"), blank=True, related_name="bulletins"
    )
    default_sections = models.TextField(
        _("default sections"),
        blank=True,
        help_text=_("One section title per line; a new issue starts with these sections."),
    )

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def default_section_titles(self) -> list[str]:
        return [line.strip() for line in self.default_sections.splitlines() if line.strip()]


class IssueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Issue.State.PUBLISHED, published_at__isnull=False)


class Issue(models.Model):
    """One issue of a bulletin, covering a period (usually a month)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.PROTECT, related_name="issues"
    )
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    volume = models.CharField(
        _("volume"), max_length=50, blank=True, help_text=_("Optional, e.g. “2024 年第 8 期”.")
    )
    year = models.PositiveSmallIntegerField(
        _("year covered"), validators=[MinValueValidator(1990), MaxValueValidator(2200)]
    )
    month = models.PositiveSmallIntegerField(
        _("month covered"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100)
    editors_note = RichTextField(_("editor's note"))
    writers = models.ManyToManyField(
        "people.Author", verbose_name=_("writers of this issue"), blank=True, related_name="issues"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-year", "-month", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "number"],
                name="bulletin_issue_unique_number",
                violation_error_message=_("This bulletin already has an issue with this number."),
            ),
            models.UniqueConstraint(
                fields=["bulletin", "slug"],
                name="bulletin_issue_unique_slug",
                violation_error_message=_("This bulletin already has an issue with this slug."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="bulletin_issue_month_range"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_at__isnull=False),
                name="bulletin_issue_published_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.bulletin} · {self.title}"

    def get_absolute_url(self):
        return reverse("bulletin:issue", kwargs={"bulletin": self.bulletin.slug, "slug": self.slug})

    def clean(self):
        if self.state == self.State.PUBLISHED and not self.published_at:
            raise ValidationError(
                {"published_at": _("A published issue needs its publication time.")}
            )

    @property
    def period_label(self) -> str:
        return f"{self.year}-{self.month:02d}"
