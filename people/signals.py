"""What people records tell the rest of the project: the publishing side listens (people imports
nothing of ours, so it announces rather than calls)."""

from django.dispatch import Signal

# Sent after commit when what the public may see of an author changes (author=the Author).
author_changed = Signal()
