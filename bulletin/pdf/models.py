"""Models of the PDF output: each rendering of an issue, the signed links publishers hand out and
the log of downloads."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletin.models import Issue


class Rendering(models.Model):
    """One PDF of one published content: the same content is rendered once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="pdf_renderings"
    )
    publication = models.ForeignKey(
        "bulletin.Publication",
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The latest publication with this content."),
    )
    # The edition rendered: "" the issue's own language (its publication), else the language of
    # an edition in another language (that edition).
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    edition = models.ForeignKey(
        "bulletin.Edition",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The latest edition in another language with this content."),
    )
    content_hash = models.CharField(_("content hash"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file_name = models.CharField(_("file"), max_length=300, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveIntegerField(_("bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Renewed by the rendering worker while it lives; the sweep renders again what has none.
    heartbeat_at = models.DateTimeField(_("last worker activity"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF rendering")
        verbose_name_plural = _("PDF renderings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "language", "content_hash"],
                name="pdf_rendering_unique_content_language",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(file_name=""),
                name="pdf_rendering_done_has_file",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self):
        return f"{self.issue} · {self.get_status_display()}"

    @property
    def key(self) -> str:
        """The part of the content hash that names the file and its URL."""
        return self.content_hash[:16]


class SignedLink(models.Model):
    """A link a publisher hands out: it opens the issue's current PDF until it expires."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="pdf_links"
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Who the link is for, e.g. a client.")
    )
    valid_days = models.PositiveSmallIntegerField(_("valid for (days)"), default=7)
    token = models.CharField(_("token"), max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("signed PDF link")
        verbose_name_plural = _("signed PDF links")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.issue} · {self.note or self.pk}"

    @property
    def expires_at(self):
        return self.created_at + datetime.timedelta(days=self.valid_days)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and timezone.now() < self.expires_at


class Download(models.Model):
    """One download of an issue's PDF: by whom or through which link, and when."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="pdf_downloads"
    )
    rendering = models.ForeignKey(
        Rendering,
        verbose_name=_("PDF rendering"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="downloads",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    link = models.ForeignKey(
        SignedLink,
        verbose_name=_("signed link"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="downloads",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("PDF download")
        verbose_name_plural = _("PDF downloads")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        who = self.user or self.link or _("anonymous")
        return f"{self.issue} · {who} · {self.created_at:%Y-%m-%d %H:%M}"


class IssuePdf(Issue):
    """The issues as the PDF admin shows them: state of the PDF, downloads, links."""

    class Meta:
        proxy = True
        verbose_name = _("PDF of an issue")
        verbose_name_plural = _("PDFs of the issues")
