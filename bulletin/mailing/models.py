"""Subscribers, their consent, and the email delivery of each published issue."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletin.models import Bulletin, Edition, Issue, Publication


def new_key() -> str:
    return secrets.token_urlsafe(12)


def normalize_email(email: str) -> str:
    """Addresses are compared without case: one subscriber per mailbox."""
    return (email or "").strip().lower()


class Subscriber(models.Model):
    """A person who reads the bulletins by email."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=Bulletin.Language.choices,
        default=Bulletin.Language.CHINESE,
    )
    # Part of every signed link of this subscriber: a new key revokes all the old links.
    key = models.CharField(_("link key"), max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="mailing_subscriber_unique_email_ci",
                violation_error_message=_("A subscriber with this email already exists."),
            )
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)


class Subscription(models.Model):
    """One subscriber's subscription to one bulletin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained")

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["bulletin", "subscriber"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "bulletin"], name="mailing_subscription_unique"
            )
        ]
        indexes = [models.Index(fields=["bulletin", "status"])]

    def __str__(self):
        return f"{self.subscriber} · {self.bulletin} · {self.get_status_display()}"


class Consent(models.Model):
    """Proof of consent: every giving, confirming and withdrawing, with where it came from."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Asked to subscribe")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrew consent")
        STOPPED = "stopped", _("Stopped by the mail provider")

    class Route(models.TextChoices):
        WEB = "web", _("Web form")
        IMPORT = "import", _("Import")
        ADMIN = "admin", _("Admin")
        EMAIL = "email", _("Link or header in an email")
        PROVIDER = "provider", _("Mail provider report")

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="consents"
    )
    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    text = models.TextField(_("consent text shown"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.subscriber} · {self.get_action_display()} · {self.created_at:%Y-%m-%d}"


class Send(models.Model):
    """The email delivery of one publication of an issue to the recipients fixed at its start."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Done")

    ACTIVE_STATES = [Status.SENDING, Status.PAUSED]

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="mail_sends"
    )
    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.PROTECT, related_name="+"
    )
    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.PROTECT, related_name="+"
    )
    # The send of an edition in another language (to its subscribers who were waiting for it);
    # None: the send of the publication, in every language.
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    total = models.PositiveIntegerField(_("recipients"), default=0)
    # The email, rendered once for each language (subject, HTML and text with placeholders).
    rendered = models.JSONField(_("rendered email"), default=dict, editable=False)
    # Bumped whenever workers are (re)started: an older chain of tasks stops by itself.
    generation = models.PositiveIntegerField(default=1, editable=False)
    heartbeat_at = models.DateTimeField(_("last worker activity"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("email send")
        verbose_name_plural = _("email sends")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.issue} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATES


class Delivery(models.Model):
    """One recipient of one send: handed to the mail server once, recorded as it happens."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    PENDING_STATES = [Status.QUEUED, Status.SENDING]

    send = models.ForeignKey(
        Send, verbose_name=_("send"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("message ID"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # A worker's claim: its token, until when it holds it, and when it began handing the
    # message to the server (a claim that lapses after that is "in doubt").
    claim = models.UUIDField(null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    handed_at = models.DateTimeField(_("handed to the server"), null=True, blank=True)
    in_doubt = models.BooleanField(
        _("sent again after an interrupted hand-over"),
        default=False,
        help_text=_(
            "A worker stopped while the server was receiving this message; it was sent again "
            "with the same Message-ID, which mail systems recognise as the same message."
        ),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["send", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["send", "subscriber"], name="mailing_delivery_unique")
        ]
        indexes = [
            models.Index(fields=["send", "status", "next_attempt_at"]),
            models.Index(fields=["status", "lease_until"]),
        ]

    def __str__(self):
        return f"{self.subscriber} · {self.get_status_display()}"
