"""Build teachers' school membership history (accounts.SchoolMembership) from what is known.

The ledger already records the school of every entry (LedgerEntry.school, a snapshot), so
the history is read from it, teacher by teacher, in date order:

* each run of entries at one school is one stint, starting at the run's first activity
  (the first stint starts at the teacher's sign-up or first activity, whichever is earlier);
* when the teacher's current school is not the school of their last entry, they moved after
  it: the move is dated the day after the training year of that last entry ended (today at
  the latest), so the year they earned those hours in stays with the old school;
* the last stint stays open for an active teacher and closes today for an inactive one.

Current-year figures read the same before and after (every active teacher's open stint is
at their current school); past years move teachers back to the school their hours were
earned at (tests/reports/test_membership.py checks both).
"""

import datetime

from django.db import migrations
from django.utils import timezone

DAY = datetime.timedelta(days=1)


def stints_for(current_school_id, is_active, joined, entries, today):
    """[(school_id, started_on, ended_on)] for one teacher; `entries` = [(school_id, activity_date,
    training year end)] in date order."""
    runs = []  # [school_id, first activity, year end of the last entry]
    for school_id, day, year_end in entries:
        if runs and runs[-1][0] == school_id:
            runs[-1][2] = year_end
        else:
            runs.append([school_id, day, year_end])
    starts = []
    for i, (school_id, first, _end) in enumerate(runs):
        start = min(joined, first) if i == 0 else first
        if starts and start <= starts[-1][1]:
            starts[-1] = (school_id, starts[-1][1])  # two schools on one day: the later wins
        else:
            starts.append((school_id, start))
    if not starts or starts[-1][0] != current_school_id:
        start = min(today, runs[-1][2] + DAY) if runs else joined
        if starts and start <= starts[-1][1]:
            start = starts[-1][1] + DAY
        starts.append((current_school_id, start))
    stints = []
    for i, (school_id, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else (None if is_active else max(today, start + DAY))
        stints.append((school_id, start, end))
    return stints


def build_history(apps, schema_editor):
    TeacherProfile = apps.get_model("accounts", "TeacherProfile")
    SchoolMembership = apps.get_model("accounts", "SchoolMembership")
    LedgerEntry = apps.get_model("tracking", "LedgerEntry")
    today = timezone.localdate()
    entries = {}
    for teacher_id, school_id, day, year_end in (
        LedgerEntry.objects.filter(teacher__isnull=False)
        .order_by("teacher_id", "activity_date", "id")
        .values_list("teacher_id", "school_id", "activity_date", "training_year__end_date")
        .iterator(chunk_size=10000)
    ):
        entries.setdefault(teacher_id, []).append((school_id, day, year_end))
    batch = []
    teachers = TeacherProfile.objects.filter(memberships__isnull=True).values_list(
        "id", "school_id", "is_active", "user__date_joined"
    )
    for teacher_id, school_id, is_active, date_joined in teachers.iterator(chunk_size=10000):
        joined = timezone.localdate(date_joined) if date_joined else today
        for stint_school, start, end in stints_for(school_id, is_active, joined, entries.get(teacher_id, []), today):
            batch.append(SchoolMembership(teacher_id=teacher_id, school_id=stint_school, started_on=start, ended_on=end))
        if len(batch) >= 10000:
            SchoolMembership.objects.bulk_create(batch)
            batch = []
    SchoolMembership.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_school_membership"),
        ("tracking", "0006_notices_and_approved_hours"),
    ]

    operations = [migrations.RunPython(build_history, migrations.RunPython.noop, elidable=False)]
