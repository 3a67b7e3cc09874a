"""Demo tracking data: the seeded 40 / 10 / 1 targets for every training year."""

from accounts.models import TrainingYear

from .targets import ensure_targets


def load() -> str:
    created = sum(ensure_targets(year) for year in TrainingYear.objects.all())
    return f"{created} new training targets"
