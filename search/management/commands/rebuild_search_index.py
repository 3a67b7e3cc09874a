"""Rebuild the whole search index from the registered sources, with a progress bar."""

import sys

from django.core.management.base import BaseCommand

from search import services
from search.backends import get_backend

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Index every searchable object afresh (resources, courses, …) and drop stale entries."

    def handle(self, *args, **options):
        backend = get_backend()
        self.stdout.write(f"Backend: {backend.name}")
        interactive = sys.stdout.isatty()

        def progress(n: int, total: int, source: str) -> None:
            if not interactive and n not in (total,) and n % 500:
                return
            filled = BAR_WIDTH * n // max(total, 1)
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            end = "\r" if interactive and n < total else "\n"
            self.stdout.write(f"{source:>10} [{bar}] {n}/{total}", ending=end)
            self.stdout.flush()

        indexed = services.rebuild(progress)
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} documents; the index holds {backend.count()}."))
