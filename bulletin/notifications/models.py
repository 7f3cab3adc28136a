from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bulletin.models import WorkflowEvent

MAX_ATTEMPTS = 8


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        """Not sent yet, and not given up on."""
        return self.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)


class Notification(models.Model):
    """One workflow event for one person to hear of. Written in the event's own transaction (so
    nothing is lost if the broker is down), then sent at once after the commit or in the
    person's next digest; sent_at marks it done."""

    event = models.ForeignKey(
        WorkflowEvent,
        verbose_name=_("workflow event"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="workflow_notifications",
    )
    immediate = models.BooleanField(_("at once"), help_text=_("False: in a digest."))
    needs_action = models.BooleanField(_("waits for this person"), default=False)
    # When the periodic task sends it: a digest's interval after the event, or, for one meant
    # to go at once, the time after which its email is taken as lost and sent again.
    due_at = models.DateTimeField(_("due"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="notifications_one_per_event_and_user"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(sent_at__isnull=True),
                name="notifications_pending_due",
            ),
            models.Index(
                fields=["user", "immediate"],
                condition=models.Q(sent_at__isnull=True),
                name="notifications_pending_user",
            ),
            # The purge (notifications_purge) reads the sent ones by age, every minute.
            models.Index(
                fields=["sent_at"],
                condition=models.Q(sent_at__isnull=False),
                name="notifications_sent",
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.user}"
