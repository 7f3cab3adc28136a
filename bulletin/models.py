"""The publishing domain: a bulletin series and its issues."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.fields import HttpURLField, RichTextField, StateEvent, user_reference
from entries.models import Entry


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
    partners_only = models.BooleanField(
        _("PDF for partners only"),
        default=False,
        help_text=_("Only signed-in partners (or holders of a signed link) may download the PDF."),
    )
    default_sections = models.TextField(
        _("default sections"),
        blank=True,
        help_text=_("One section title per line; a new issue starts with these sections."),
    )

    class ArchiveCopies(models.TextChoices):
        STAFF = "staff", _("Staff only (official sources public)")
        PUBLIC = "public", _("Public")
        PER_LINK = "per_link", _("Chosen for each link")

    archive_copies = models.CharField(
        _("archived copies of cited pages"),
        max_length=10,
        choices=ArchiveCopies.choices,
        default=ArchiveCopies.STAFF,
        help_text=_(
            "Who may open the copy of a cited page kept when its entry was approved, once the"
            " page is gone. Copies of government and court sites are public by default."
        ),
    )

    class EditionEmail(models.TextChoices):
        AT_PUBLICATION = (
            "publication",
            _("Send the email in the issue’s own language at publication"),
        )
        WAIT = "wait", _("Wait for the edition in their language")

    edition_email = models.CharField(
        _("subscribers of another language"),
        max_length=12,
        choices=EditionEmail.choices,
        default=EditionEmail.AT_PUBLICATION,
        help_text=_(
            "What a subscriber who chose another language (English, for a Chinese bulletin) gets"
            " while an issue has no edition in that language. By default, the Chinese email at"
            " publication; or nothing then, and the English email when the English edition is"
            " published."
        ),
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
        """Issues the public may read: published, possibly with published corrections."""
        return self.filter(state__in=Issue.PUBLIC_STATES, published_at__isnull=False)

    def accepting_entry_edits(self):
        """Issues whose entries may be edited: unpublished drafts, or under an open correction."""
        open_correction = Correction.objects.filter(
            issue=models.OuterRef("pk"), published_at__isnull=True
        )
        return self.filter(
            models.Q(state__in=[Issue.State.DRAFT, Issue.State.IN_REVIEW])
            | models.Q(models.Exists(open_correction), state__in=Issue.PUBLIC_STATES)
        )


class Issue(models.Model):
    """One issue of a bulletin, covering a period (usually a month)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        CORRECTED = "corrected", _("Corrected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    PUBLIC_STATES = [State.PUBLISHED, State.CORRECTED]

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
    commentary_label = models.CharField(
        _("commentary label"),
        max_length=50,
        blank=True,
        help_text=_(
            "Leave blank to use the bulletin's. A back issue keeps the heading it was printed with."
        ),
    )
    editors_note = RichTextField(_("editor's note"))
    writers = models.ManyToManyField(
        "people.Author", verbose_name=_("writers of this issue"), blank=True, related_name="issues"
    )
    partners_only = models.BooleanField(
        _("PDF for partners only"),
        default=False,
        help_text=_("Also applies when the bulletin itself is not marked partners-only."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    imported_by = user_reference(
        _("imported by"),
        editable=False,
        help_text=_("Who imported it from a back issue's file, if anyone."),
    )
    back_issue = models.BooleanField(
        _("back issue"),
        default=False,
        editable=False,
        help_text=_("Published as history: with its original date, never emailed."),
    )
    created_by = user_reference(_("created by"))
    last_edited_by = user_reference(_("last edited by"))
    version = models.PositiveIntegerField(_("version"), default=1)
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
                condition=~models.Q(state__in=["published", "corrected", "withdrawn"])
                | models.Q(published_at__isnull=False),
                name="bulletin_issue_published_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="scheduled") | models.Q(scheduled_at__isnull=False),
                name="bulletin_issue_scheduled_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.bulletin} · {self.title}"

    def get_absolute_url(self):
        return reverse("bulletin:issue", kwargs={"bulletin": self.bulletin.slug, "slug": self.slug})

    def clean(self):
        if self.state in self.PUBLIC_STATES and not self.published_at:
            raise ValidationError(
                {"published_at": _("A published issue needs its publication time.")}
            )

    @property
    def period_label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES

    @property
    def pdf_partners_only(self) -> bool:
        return self.partners_only or self.bulletin.partners_only

    def current_publication(self):
        """The content the public sees: the latest publication, or None."""
        return self.publications.order_by("-published_at", "-pk").first()

    def current_edition(self, language: str):
        """The latest edition of the issue in another language than its own, or None."""
        return self.editions.filter(language=language).order_by("-published_at", "-pk").first()


class Publication(models.Model):
    """What was published, frozen: the public pages, PDF and email read this, never the drafts."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="publications"
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = user_reference(_("published by"))
    content = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"{self.issue} @ {self.published_at:%Y-%m-%d %H:%M}"


class Edition(models.Model):
    """The issue in another language than its own (an English edition of a Chinese issue): the
    source publication's content with every approved translation, frozen when a publisher
    publishes it. A correction of the source edition leaves it as it was until a publisher
    publishes it again; a withdrawal of the issue withdraws it with the issue."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="editions"
    )
    language = models.CharField(_("language"), max_length=10)
    source = models.ForeignKey(
        Publication,
        verbose_name=_("translated from"),
        on_delete=models.CASCADE,
        related_name="editions",
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = user_reference(_("published by"))
    content = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["issue", "language", "-published_at"])]

    def __str__(self):
        return f"{self.issue} [{self.language}] @ {self.published_at:%Y-%m-%d %H:%M}"


class Correction(models.Model):
    """An open correction of a published issue; its note is shown once it is republished."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="corrections"
    )
    note = models.TextField(_("correction note"), max_length=2000)
    created_by = user_reference(_("opened by"))
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue"],
                condition=models.Q(published_at__isnull=True),
                name="bulletin_correction_one_open_per_issue",
                violation_error_message=_("This issue already has an open correction."),
            )
        ]

    def __str__(self):
        return self.note[:60]


class WorkflowEvent(StateEvent):
    """The audit trail: every state change, with who, when, from, to and the comment."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted for review")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        APPROVE = "approve", _("Approved")
        EDIT = "edit", _("Edited after approval")
        REOPEN = "reopen", _("Reopened for editing")
        SCHEDULE = "schedule", _("Scheduled")
        UNSCHEDULE = "unschedule", _("Unscheduled")
        PUBLISH = "publish", _("Published")
        PUBLISH_FAILED = "publish_failed", _("Scheduled publication failed")
        WITHDRAW = "withdraw", _("Withdrawn")
        OPEN_CORRECTION = "open_correction", _("Correction opened")
        PUBLISH_CORRECTION = "publish_correction", _("Correction published")
        CONFIRM_IMPORT = "confirm_import", _("Checked against the source and approved")
        PUBLISH_BACK = "publish_back", _("Published as a back issue")
        PUBLISH_EDITION = "publish_edition", _("Edition in another language published")

    issue = models.ForeignKey(
        Issue,
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    entry = models.ForeignKey(
        "entries.Entry",
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)

    class Meta(StateEvent.Meta):
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issue__isnull=False) | models.Q(entry__isnull=False),
                name="bulletin_event_has_subject",
            )
        ]

    @classmethod
    def state_labels(cls) -> dict:
        return {**dict(Entry.State.choices), **dict(Issue.State.choices)}


class Job(models.Model):
    """Work to do after a commit (an issue's outputs, notifications), kept in the database so
    that nothing is lost when the broker is down or a worker dies; a periodic sweep retries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("name"), max_length=100)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    run_after = models.DateTimeField(_("run after"), db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "run_after"])]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"


class PublishedEntry(models.Model):
    """An entry as the public may read it: copied from the issue's current publication, so lists,
    search, feeds and related-entry boxes read only what was published."""

    entry_id = models.PositiveBigIntegerField(_("entry"), unique=True)
    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="published_entries"
    )
    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="+"
    )
    section_title = models.CharField(_("section"), max_length=200)
    section_position = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=20, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    # Indexed: a search within dates lists its many matches by this date (selectors).
    published_on = models.DateField(_("publication date"), null=True, blank=True, db_index=True)
    issue_published_at = models.DateTimeField(_("published at"), db_index=True)
    data = models.JSONField(_("content"))
    tags = models.ManyToManyField("taggit.Tag", related_name="+", blank=True)
    jurisdictions = models.ManyToManyField("entries.Jurisdiction", related_name="+", blank=True)
    authors = models.ManyToManyField("people.Author", related_name="published_entries", blank=True)
    # The entry as each published edition in another language has it, by language ({"en": …}),
    # with the same keys as data; its words are in search_text too.
    editions = models.JSONField(_("other editions"), default=dict, blank=True)
    # Latin words and Chinese bigrams (see bulletin/search.py); on PostgreSQL a generated
    # tsvector column with a GIN index is built from it (migration 0005).
    search_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("published entry")
        verbose_name_plural = _("published entries")
        ordering = ["-issue_published_at", "section_position", "position"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bulletin:entry", args=[self.entry_id, entry_slug(self.title)])


class PageLink(models.Model):
    """An entry a stored page (bulletin.pages) links to: the pages to render again when that entry
    is corrected or withdrawn, so that none keeps a link to what is no longer public."""

    address = models.CharField(max_length=300)  # indexed first by the constraint
    entry_id = models.PositiveBigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "entry_id"], name="pagelink_once"),
        ]

    def __str__(self):
        return f"{self.address} → {self.entry_id}"


def entry_slug(title: str) -> str:
    """The readable part of an entry's address; the address itself rests on the entry's id."""
    return slugify(title, allow_unicode=True)[:60].strip("-") or "entry"


class FirmIdentity(models.Model):
    """The firm that publishes: its name, mark, colour, contact and footer, one row for the site.
    Written only through bulletin.identity.firm_identity_save, which sanitizes the mark."""

    name = models.CharField(_("firm name"), max_length=200)
    name_en = models.CharField(_("firm name in English"), max_length=200, blank=True)
    mark = models.BinaryField(_("mark"), blank=True, default=b"", editable=False)
    mark_type = models.CharField(_("mark type"), max_length=20, blank=True, editable=False)
    mark_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    colour = models.CharField(_("brand colour"), max_length=7, default="#0a4a82")
    address = models.TextField(_("postal address"), blank=True)
    address_en = models.TextField(_("postal address in English"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = HttpURLField(_("website"), blank=True)
    disclaimer = models.TextField(_("disclaimer"), blank=True)
    disclaimer_en = models.TextField(_("disclaimer in English"), blank=True)
    privacy_url = HttpURLField(_("privacy policy URL"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("firm identity")
        verbose_name_plural = _("firm identity")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="firm_identity_single_row")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        self.mark_sha256 = hashlib.sha256(bytes(self.mark)).hexdigest() if self.mark else ""
        super().save(*args, **kwargs)
