from decimal import Decimal

import pytest

from django.core.management import call_command
from django.db.models import Count, F, Sum

from accounts.models import District, School, SchoolClass, SchoolMembership, TeacherProfile, TrainingYear
from tests.factories import TeacherProfileFactory
from tracking.models import ClassActivity, FamilyVisitTally, LedgerEntry

SMALL = {
    "districts": 3,
    "schools": 12,
    "teachers": 120,
    "classes": 40,
    "ledger_entries": 900,
    "class_logs": 300,
    "seed": 7,
}


def snapshot():
    return {
        "districts": District.objects.filter(code__startswith="GEN").count(),
        "schools": School.objects.filter(code__startswith="GEN").count(),
        "teachers": TeacherProfile.objects.filter(staff_number__startswith="GEN").count(),
        # one open stint per generated teacher, at their school (reports read memberships)
        "open_stints": SchoolMembership.objects.filter(
            teacher__staff_number__startswith="GEN", ended_on__isnull=True, school=F("teacher__school")
        ).count(),
        "classes": SchoolClass.objects.filter(school__code__startswith="GEN").count(),
        "class_logs": ClassActivity.objects.filter(school_class__school__code__startswith="GEN").count(),
        "visits": FamilyVisitTally.objects.filter(school_class__school__code__startswith="GEN").count(),
        "ledger": LedgerEntry.objects.filter(source_ref__startswith="gen-").aggregate(n=Count("id"), h=Sum("hours")),
        "categories": dict(
            TeacherProfile.objects.filter(staff_number__startswith="GEN")
            .values_list("category")
            .annotate(n=Count("id"))
        ),
    }


@pytest.mark.django_db
def test_generates_the_requested_city_deterministically_and_resets_only_its_rows(org):
    kept = TeacherProfileFactory(school=org["school_a1"])
    call_command("generate_city_data", **SMALL, year=2026, stdout=None)
    first = snapshot()
    assert first["districts"] == 3 and first["schools"] == 12 and first["teachers"] == 120
    assert first["open_stints"] == 120
    assert 0 < first["classes"] <= 40
    assert 800 <= first["ledger"]["n"] <= 900 and first["ledger"]["h"] > Decimal("0")
    assert first["class_logs"] == 300 and 0 < first["visits"] <= first["classes"]  # classes with a head teacher
    assert set(TrainingYear.objects.values_list("year", flat=True)) >= {2025, 2026}
    # same seed after --reset: the same city
    call_command("generate_city_data", **SMALL, year=2026, reset=True)
    assert snapshot() == first
    # rows that the command did not make are untouched
    assert TeacherProfile.objects.filter(pk=kept.pk).exists()
    assert School.objects.filter(pk=org["school_b1"].pk).exists()


@pytest.mark.django_db
def test_refuses_to_double_the_city_without_reset():
    from django.core.management.base import CommandError

    call_command("generate_city_data", **SMALL, year=2026)
    with pytest.raises(CommandError):
        call_command("generate_city_data", **SMALL, year=2026)
