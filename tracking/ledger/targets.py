"""Default yearly targets, seeded for every new training year and editable afterwards."""

from decimal import Decimal

from accounts.models import TeacherCategory, TrainingYear

from .models import TrainingTarget

# From the policy: full-time psychology teachers ≥ 40 h, head teachers and other 思政 key
# teachers ≥ 10 h, every other teacher ≥ 1 session. Part-time: no number in the policy;
# seeded at 20 h as a configurable default.
DEFAULT_TARGETS = {
    TeacherCategory.FULL_TIME_PSYCHOLOGY: {"hours": Decimal("40"), "sessions": None},
    TeacherCategory.PART_TIME_PSYCHOLOGY: {"hours": Decimal("20"), "sessions": None},
    TeacherCategory.HEAD_TEACHER: {"hours": Decimal("10"), "sessions": None},
    TeacherCategory.OTHER: {"hours": None, "sessions": 1},
}


def ensure_targets(training_year: TrainingYear) -> int:
    created = 0
    for category, values in DEFAULT_TARGETS.items():
        _, was_created = TrainingTarget.objects.get_or_create(
            training_year=training_year, category=category, defaults=values
        )
        created += was_created
    return created
