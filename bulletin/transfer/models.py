"""An import asked for in the admin: the uploaded file, kept until the import is done (so that a
replacement can be confirmed, or a large file imported by a worker), its status and progress, and
the report the import page shows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        RUNNING = "running", _("Importing")
        NEEDS_CONFIRMATION = "confirm", _("Waiting for confirmation")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    bulletin = models.ForeignKey(
        "bulletin.Bulletin",
        verbose_name=_("bulletin"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("file name"), max_length=255)
    is_json = models.BooleanField(_("exported issue (JSON)"), default=False)
    # The uploaded bytes: a text may hold NUL bytes, which a text column refuses.
    content = models.BinaryField(_("content"), blank=True)
    size = models.PositiveIntegerField(_("bytes"), default=0)
    dry_run = models.BooleanField(_("dry run"), default=False)
    replace = models.BooleanField(_("replace the draft with the same slug"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    report = models.TextField(_("report"), blank=True)
    issue = models.ForeignKey(
        "bulletin.Issue",
        verbose_name=_("issue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Renewed while the import runs: a run whose process died is taken up again (runs.py).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.source} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class EntryImport(models.Model):
    """An entry imported from a Word file in the admin. The upload form carries a one-time token:
    the same form sent twice (a double click, a reload) finds the entry of the first instead of
    adding it again."""

    token = models.UUIDField(_("form token"), unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    entry = models.ForeignKey(
        "entries.Entry",
        verbose_name=_("entry"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    source = models.CharField(_("file name"), max_length=255)
    report = models.TextField(_("report"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("entry import")
        verbose_name_plural = _("entry imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.source
