"""The content of an issue: sections, entries, their links and the firm's commentaries."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.fields import HttpURLField, RichTextField, user_reference


class Jurisdiction(models.Model):
    """Where a law applies or a case is heard: a country, a part of one, or a body above them."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country or region")
        SUBDIVISION = "subdivision", _("Subdivision (state, province, special region)")
        SUPRANATIONAL = "supranational", _("Supranational or international body")

    code = models.SlugField(
        _("code"), max_length=20, unique=True, help_text=_("e.g. cn, us, us-ca, hk, eu, un")
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The country a subdivision belongs to, e.g. the United States for California."),
    )

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="subdivision") | models.Q(parent__isnull=False),
                name="entries_jurisdiction_subdivision_has_parent",
                violation_error_message=_("A subdivision must name the country it is part of."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A jurisdiction cannot be part of itself.")})
        if self.kind == self.Kind.SUBDIVISION and not self.parent_id:
            raise ValidationError(
                {"parent": _("A subdivision must name the country it is part of.")}
            )


class Section(models.Model):
    """An ordered part of an issue, e.g. "Latest laws and regulation"."""

    issue = models.ForeignKey(
        "bulletin.Issue", verbose_name=_("issue"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["issue", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "position"],
                name="entries_section_unique_position",
                violation_error_message=_("Another section of this issue has this position."),
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="entries_section_position_positive"
            ),
        ]

    def __str__(self):
        return self.title


class EntryQuerySet(models.QuerySet):
    def not_approved(self):
        return self.exclude(state=Entry.State.APPROVED)


class Entry(models.Model):
    """One news item of an issue: a law, a regulation, a case or an industry development."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")

    class Kind(models.TextChoices):
        LAW = "law", _("Law")
        REGULATION = "regulation", _("Regulation")
        CASE = "case", _("Case")
        INDUSTRY = "industry", _("Industry development")

    issue = models.ForeignKey(
        "bulletin.Issue", verbose_name=_("issue"), on_delete=models.CASCADE, related_name="entries"
    )
    # A section with entries cannot be deleted on its own, but deleting a draft issue deletes
    # its sections and entries together (RESTRICT, not PROTECT).
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.RESTRICT, related_name="entries"
    )
    position = models.PositiveSmallIntegerField(_("position"), validators=[MinValueValidator(1)])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULATION)
    title = models.CharField(_("title"), max_length=500)
    published_on = models.DateField(
        _("publication date"), null=True, blank=True, help_text=_("When the news itself came out.")
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("e.g. the regulator's official site")
    )
    summary = RichTextField(_("summary"))
    case_caption = models.CharField(
        _("case caption"), max_length=500, blank=True, help_text=_("e.g. Doe v. Example Corp.")
    )
    docket_number = models.CharField(_("docket number"), max_length=100, blank=True)
    court = models.CharField(_("court"), max_length=200, blank=True)
    jurisdictions = models.ManyToManyField(
        Jurisdiction, verbose_name=_("jurisdictions"), blank=True, related_name="entries"
    )
    tags = TaggableManager(_("tags"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    created_by = user_reference(_("created by"))
    last_edited_by = user_reference(_("last edited by"))
    # Optimistic locking: a save must name the version it was edited from.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["issue", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"],
                name="entries_entry_unique_position",
                violation_error_message=_("Another entry of this section has this position."),
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="entries_entry_position_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="case") | ~models.Q(case_caption=""),
                name="entries_entry_case_has_caption",
                violation_error_message=_("A case needs its caption."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.section_id:
            self.issue_id = self.section.issue_id
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.kind == self.Kind.CASE and not self.case_caption.strip():
            errors["case_caption"] = _("A case needs its caption, e.g. “Doe v. Example Corp.”.")
        if self.section_id and self.issue_id and self.section.issue_id != self.issue_id:
            errors["section"] = _("This section belongs to another issue.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_case(self) -> bool:
        return self.kind == self.Kind.CASE


class EntryLink(models.Model):
    """A link of an entry: the news itself, a reference, the complaint or another labelled page."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Link")
        REFERENCE = "reference", _("Reference link")
        COMPLAINT = "complaint", _("Complaint or filing")
        OTHER = "other", _("Other link")

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="links"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRIMARY)
    label = models.CharField(
        _("label"),
        max_length=200,
        blank=True,
        help_text=_("Shown instead of the kind, e.g. “Project home page”."),
    )
    url = HttpURLField(_("URL"))
    # Read only where the bulletin leaves the visibility of archived copies to each link.
    archive_copy = models.CharField(
        _("archived copy"),
        max_length=10,
        choices=[
            ("", _("As for its domain (public for official sources)")),
            ("public", _("Public")),
            ("staff", _("Staff only")),
        ],
        blank=True,
        default="",
    )

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["entry", "position", "pk"]
        constraints = [
            # Forms check the scheme; the database makes sure no other path (an import, a
            # script, a raw save) stores a javascript: or data: address that pages link to.
            models.CheckConstraint(
                condition=models.Q(url__istartswith="http://")
                | models.Q(url__istartswith="https://"),
                name="entrylink_url_http",
            )
        ]

    def __str__(self):
        return self.label or self.get_kind_display()

    def clean(self):
        if self.kind == self.Kind.OTHER and not self.label.strip():
            raise ValidationError({"label": _("Give another link a label, e.g. “Home page”.")})

    @property
    def heading(self) -> str:
        return self.label or self.get_kind_display()


class Commentary(models.Model):
    """The firm's short commentary on one entry (one per entry at most)."""

    entry = models.OneToOneField(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="commentary"
    )
    body = RichTextField(_("commentary"), blank=False)
    authors = models.ManyToManyField(
        "people.Author", verbose_name=_("authors"), related_name="commentaries"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("commentary")
        verbose_name_plural = _("commentaries")

    def __str__(self):
        return str(self.entry)


def url_digest(url: str) -> str:
    """The SHA-256 of a URL: the key its checks are filed under (URLs run to 8,000 characters,
    more than an index entry holds)."""
    return hashlib.sha256(url.encode()).hexdigest()


class LinkCheckQuerySet(models.QuerySet):
    def latest_for(self, urls) -> dict[str, "LinkCheck"]:
        """The latest check of each of these URLs that has one, by URL (one query)."""
        digests = {url_digest(url) for url in urls}
        latest = (
            self.filter(url_digest__in=digests)
            .values("url_digest")
            .annotate(last=models.Max("pk"))
            .values_list("last", flat=True)
        )
        return {check.url: check for check in self.filter(pk__in=latest)}


class LinkCheck(models.Model):
    """One check of a URL that entries cite: what it answered, and when. The history of a URL
    is its rows; its state is the latest one (LinkCheck.objects.latest_for)."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Works")
        REDIRECTED = "redirected", _("Redirected")
        BROKEN = "broken", _("Broken")
        UNREACHABLE = "unreachable", _("Unreachable")
        REFUSED = "refused", _("Not checked (forbidden address)")

    FAILING = (Outcome.BROKEN, Outcome.UNREACHABLE, Outcome.REFUSED)

    url = models.TextField(_("URL"))
    url_digest = models.CharField(_("URL digest"), max_length=64, editable=False)
    checked_at = models.DateTimeField(_("checked"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    method = models.CharField(_("method"), max_length=4, blank=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.TextField(_("final URL"), blank=True)
    redirects = models.JSONField(_("redirects"), default=list, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    title = models.CharField(_("page title"), max_length=500, blank=True)
    size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField(_("time in milliseconds"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Set by the periodic re-check of a published entry's link (bulletin.services.links): how
    # much of the text of its latest capture the page still has (0 to 1), and whether that fell
    # below LINK_DRIFT_THRESHOLD at the time.
    similarity = models.FloatField(_("similarity to the capture"), null=True, blank=True)
    drifted = models.BooleanField(_("drifted"), default=False)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["url_digest", "-checked_at"], name="linkcheck_url_latest")]

    def __str__(self):
        return f"{self.url} ({self.get_outcome_display()})"

    def save(self, *args, **kwargs):
        self.url_digest = url_digest(self.url)
        super().save(*args, **kwargs)

    @property
    def failing(self) -> bool:
        return self.outcome in self.FAILING


class LinkCaptureQuerySet(models.QuerySet):
    def kept(self):
        """Captures that hold a copy (the target answered 2xx and the WARC was written)."""
        return self.filter(error="", status__gte=200, status__lt=300).exclude(warc_name="")

    def latest_of(self, links) -> dict[int, "LinkCapture"]:
        """The latest capture of each link's current URL that holds a copy, by link id."""
        found: dict[int, LinkCapture] = {}
        wanted = {(link.pk, link.url) for link in links}
        rows = self.kept().filter(link__in=[pk for pk, _ in wanted]).order_by("-captured_at")
        for capture in rows:
            if (capture.link_id, capture.url) in wanted:
                found.setdefault(capture.link_id, capture)
        return found


class LinkCapture(models.Model):
    """What a cited link answered when its entry was approved: the response kept as a WARC file
    (request and response records) in the capture storage, its text and the body's SHA-256.
    A capture that failed keeps its error and no file."""

    link = models.ForeignKey(
        EntryLink,
        verbose_name=_("link"),
        on_delete=models.SET_NULL,  # the record outlives an edited entry's removed link
        null=True,
        related_name="captures",
    )
    captured_at = models.DateTimeField(_("captured"))
    url = models.TextField(_("URL"))
    final_url = models.TextField(_("final URL"), blank=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256 of the body"), max_length=64, blank=True)
    size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    warc_name = models.CharField(_("WARC file"), max_length=300, blank=True)
    warc_size = models.BigIntegerField(_("WARC size in bytes"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    truncated = models.BooleanField(_("truncated"), default=False)
    error = models.CharField(_("error"), max_length=300, blank=True)
    elapsed_ms = models.PositiveIntegerField(_("time in milliseconds"), null=True, blank=True)
    # The page as headless Chromium drew it (LINK_CAPTURE_BROWSER), beside the WARC file.
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    screenshot_name = models.CharField(_("screenshot file"), max_length=300, blank=True)
    screenshot_size = models.BigIntegerField(_("screenshot size in bytes"), null=True, blank=True)
    rendered_pdf_name = models.CharField(_("rendered PDF file"), max_length=300, blank=True)
    rendered_pdf_size = models.BigIntegerField(
        _("rendered PDF size in bytes"), null=True, blank=True
    )
    render_blocked = models.PositiveIntegerField(_("requests refused while rendering"), default=0)
    render_error = models.CharField(_("rendering error"), max_length=300, blank=True)

    objects = LinkCaptureQuerySet.as_manager()

    class Meta:
        verbose_name = _("link capture")
        verbose_name_plural = _("link captures")
        ordering = ["-captured_at", "-pk"]
        indexes = [models.Index(fields=["link", "-captured_at"], name="linkcapture_link_latest")]

    def __str__(self):
        return f"{self.url} ({self.captured_at:%Y-%m-%d})"

    @property
    def is_kept(self) -> bool:
        """Whether it holds a copy (as LinkCapture.objects.kept() selects)."""
        return bool(self.warc_name) and not self.error and 200 <= (self.status or 0) < 300

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")
