"""Recompute the per-class, per-semester delivery totals that the delivery report reads, from the class logs."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import AcademicYear
from tracking.delivery.totals import rebuild_totals, totals_differ


class Command(BaseCommand):
    help = (
        "Recompute ClassTermTotal from the class logs (after bulk loads or raw SQL that bypass the model); "
        "--check only reports rows that differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--academic-year", type=int, help="Only this academic year (its id; default: all years).")
        parser.add_argument("--check", action="store_true", help="Compare with the logs; exit 1 when they differ.")

    def handle(self, *args, academic_year=None, check=False, **options):
        year = None
        if academic_year is not None:
            year = AcademicYear.objects.filter(pk=academic_year).first()
            if year is None:
                raise CommandError(f"No academic year {academic_year}.")
        if check:
            differ = totals_differ(year)
            if differ:
                raise CommandError(f"{len(differ)} class totals differ from the logs, e.g. {differ[:3]}")
            self.stdout.write(self.style.SUCCESS("The class delivery totals equal the logs."))
            return
        n = rebuild_totals(year)
        self.stdout.write(self.style.SUCCESS(f"{n} class delivery totals rebuilt."))
