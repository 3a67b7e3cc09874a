"""Recompute the per-teacher yearly training totals that reports read, from the ledger."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import TrainingYear
from tracking.ledger.totals import rebuild_totals


class Command(BaseCommand):
    help = "Recompute TeacherYearTotal from the ledger (after bulk loads that bypass the model)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Only this training year (default: all years).")

    def handle(self, *args, year=None, **options):
        training_year = None
        if year is not None:
            training_year = TrainingYear.objects.filter(year=year).first()
            if training_year is None:
                raise CommandError(f"No training year {year}.")
        n = rebuild_totals(training_year)
        self.stdout.write(self.style.SUCCESS(f"{n} yearly totals rebuilt."))
