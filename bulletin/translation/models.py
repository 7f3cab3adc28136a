"""A translation of one unit of editorial work (an entry with its links and commentary, an issue
with its sections, a bulletin, an author, a tag, a jurisdiction) into one language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import StateEvent, user_reference

SUBJECTS = ["entry", "issue", "bulletin", "author", "tag", "jurisdiction"]


class TranslationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=Translation.State.APPROVED)


class Translation(models.Model):
    """The texts of one unit in one language, by key (see bulletin.translation.units): e.g.
    {"title": …, "summary": …, "link:12": …, "commentary": …}. The language is any of the
    settings' content languages: a new language is a setting, not a column."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")

    # Exactly one subject is set (a constraint says so); a real foreign key each, so that
    # deleting the entry (or issue, …) deletes its translations.
    entry = models.ForeignKey(
        "entries.Entry", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    issue = models.ForeignKey(
        "bulletin.Issue", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    bulletin = models.ForeignKey(
        "bulletin.Bulletin", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        "people.Author", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        "entries.Jurisdiction", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10)
    texts = models.JSONField(_("texts"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # The source as it was when the translation was last approved (same keys as texts): an edit
    # of the source since then makes the translation outdated, and shows what changed.
    approved_source = models.JSONField(_("source when approved"), null=True, blank=True)
    outdated = models.BooleanField(_("outdated"), default=False, db_index=True)
    # The texts still as a machine translation service wrote them (same keys as texts): each is
    # marked "machine draft" until a person edits it, and a reviewer approves them knowingly.
    machine = models.JSONField(_("machine draft texts"), default=dict, blank=True)
    translator = user_reference(_("translator"))
    last_edited_by = user_reference(_("last edited by"))
    reviewer = user_reference(_("reviewer"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TranslationQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    *[
                        models.Q(**{f"{name}__isnull": False})
                        & models.Q(
                            **{f"{other}__isnull": True for other in SUBJECTS if other != name}
                        )
                        for name in SUBJECTS
                    ],
                    _connector=models.Q.OR,
                ),
                name="translation_one_subject",
            ),
            *[
                models.UniqueConstraint(
                    fields=[name, "language"],
                    condition=models.Q(**{f"{name}__isnull": False}),
                    name=f"translation_unique_{name}_language",
                )
                for name in SUBJECTS
            ],
        ]

    def __str__(self):
        return f"{self.subject} · {self.language}"

    @property
    def subject_kind(self) -> str:
        return next(name for name in SUBJECTS if getattr(self, f"{name}_id") is not None)

    @property
    def subject(self):
        return getattr(self, self.subject_kind)

    @property
    def machine_keys(self) -> list[str]:
        """The keys whose text is still the machine's unedited output."""
        return [key for key, value in self.machine.items() if self.texts.get(key) == value]

    @property
    def language_name(self) -> str:
        return dict(settings.LANGUAGES).get(self.language, self.language)


class TranslationEvent(StateEvent):
    """The history of a translation: every save and every step of its review, with who, when,
    from, to and the comment (as bulletin.WorkflowEvent is for entries and issues)."""

    class Action(models.TextChoices):
        SAVE = "save", _("Saved")
        EDIT = "edit", _("Edited after approval")
        SUBMIT = "submit", _("Submitted for review")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        APPROVE = "approve", _("Approved")
        OUTDATED = "outdated", _("Source edited since approval")
        MACHINE = "machine", _("Machine draft")
        IMPORT = "import", _("Imported")

    translation = models.ForeignKey(
        Translation, on_delete=models.CASCADE, related_name="events", verbose_name=_("translation")
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)

    class Meta(StateEvent.Meta):
        verbose_name = _("translation event")
        verbose_name_plural = _("translation events")

    @classmethod
    def state_labels(cls) -> dict:
        return dict(Translation.State.choices)
