"""What other parts of the site may ask the notices room."""

from .models import Notification


def unread_count(user) -> int:
    """How many notices the user has not read (the header's "My notices (n)" badge)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
