"""Carry out a personal-data deletion: `manage.py forget_user USERNAME` (cms/core/personal_data.py)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import AuditEvent, User
from cms.core.my_data import REQUESTED
from cms.core.personal_data import forget


class Command(BaseCommand):
    help = (
        "Delete a person's identity, keeping ledger and audit rows without it. Lists pending requests without USERNAME."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")

    def handle(self, *args, username=None, **options):
        if username is None:
            pending = AuditEvent.objects.filter(action=REQUESTED, actor__isnull=False).select_related("actor")
            for event in pending.order_by("created_at"):
                self.stdout.write(f"{event.created_at:%Y-%m-%d %H:%M}  {event.actor.username}")
            return
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.") from exc
        counts = forget(user)
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
