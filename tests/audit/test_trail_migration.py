"""The ledger's AuditEvent and delivery's DeliveryChange become one trail (tracking 0003): every
old row reads the same afterwards — time, who, what, which record, where, and the values —
and the merged trail is in time order. Runs on SQLite and on PostgreSQL (make test with
DATABASE_URL), migrating the real schema back and forth with Django's MigrationExecutor."""

import datetime
from decimal import Decimal

import pytest

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import AuditEvent
from tests.factories import DistrictFactory, SchoolFactory, UserFactory

BEFORE = [("accounts", "0001_initial"), ("tracking", "0002_sessions_claims_delivery_reports")]
T0 = timezone.make_aware(datetime.datetime(2026, 9, 1, 9, 0))


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def old_history(apps, actor, coordinator, school, district):
    """Write the two old trails the way the old code did, their times interleaved."""
    Ledger = apps.get_model("tracking", "AuditEvent")
    Delivery = apps.get_model("tracking", "DeliveryChange")

    def ledger(minute, **values):
        row = Ledger.objects.create(**values)
        Ledger.objects.filter(pk=row.pk).update(created_at=at(minute))  # auto_now_add on create

    def delivery(minute, **values):
        row = Delivery.objects.create(**values)
        Delivery.objects.filter(pk=row.pk).update(at=at(minute))

    ledger(
        1,
        actor_id=coordinator.pk,
        action="claim.approve",
        object_type="tracking.externalclaim",
        object_id="12",
        school_id=school.pk,
        summary="通过 6 学时：张老师",
        details={"title": "国培", "hours": "6.0", "reason": "", "teacher_id": 3},
    )
    delivery(
        2,
        actor_id=actor.pk,
        action="create",
        object_type="tracking.classactivity",
        object_id=40,
        school_id=school.pk,
        before=None,
        after={"topic": "认识情绪", "periods": 1},
    )
    ledger(
        3,
        actor_id=coordinator.pk,
        action="target.change",
        object_type="tracking.trainingtarget",
        object_id="5",
        summary="修改 2026 年目标",
        details={"before": {"hours": "40.0", "sessions": None}, "after": {"hours": "36.0", "sessions": None}},
    )
    delivery(
        4,
        actor_id=coordinator.pk,
        action="change",
        object_type="tracking.classactivity",
        object_id=40,
        school_id=school.pk,
        before={"topic": "认识情绪"},
        after={"topic": "情绪调节"},
    )
    ledger(
        5,
        actor_id=None,
        action="attendance.import",
        object_type="tracking.importbatch",
        object_id="8",
        district_id=district.pk,
        summary="导入 30 人",
        details={"imported": 30},
    )
    ledger(6, actor_id=coordinator.pk, action="session.create", object_type="", object_id="", summary="新建面授")
    delivery(
        7,
        actor_id=coordinator.pk,
        action="void",
        object_type="tracking.parentlecture",
        object_id=2,
        school_id=school.pk,
        before={"topic": "讲座"},
        after={"void_reason": "重复"},
    )


# What each old row must read as in the one trail: the documented mapping (docs/decisions/0007):
# delivery actions gain their room prefix, a ledger event's `details` is what it recorded
# (`after`), a target change's {"before", "after"} details are its before and after.
def expected(actor, coordinator, school, district):
    return [
        (at(1), coordinator.pk, "claim.approve", "tracking.externalclaim", 12, school.pk, None,
         "通过 6 学时：张老师", None, {"title": "国培", "hours": "6.0", "reason": "", "teacher_id": 3}),
        (at(2), actor.pk, "delivery.create", "tracking.classactivity", 40, school.pk, None,
         "", None, {"topic": "认识情绪", "periods": 1}),
        (at(3), coordinator.pk, "target.change", "tracking.trainingtarget", 5, None, None,
         "修改 2026 年目标", {"hours": "40.0", "sessions": None}, {"hours": "36.0", "sessions": None}),
        (at(4), coordinator.pk, "delivery.change", "tracking.classactivity", 40, school.pk, None,
         "", {"topic": "认识情绪"}, {"topic": "情绪调节"}),
        (at(5), None, "attendance.import", "tracking.importbatch", 8, None, district.pk,
         "导入 30 人", None, {"imported": 30}),
        (at(6), coordinator.pk, "session.create", "", None, None, None, "新建面授", None, None),
        (at(7), coordinator.pk, "delivery.void", "tracking.parentlecture", 2, school.pk, None,
         "", {"topic": "讲座"}, {"void_reason": "重复"}),
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_two_old_trails_read_the_same_in_the_merged_one():
    district = DistrictFactory()
    school = SchoolFactory(district=district)
    actor, coordinator = UserFactory(), UserFactory()
    executor = migrate(BEFORE)
    try:
        old_history(executor.loader.project_state(BEFORE).apps, actor, coordinator, school, district)
        executor = migrate(executor.loader.graph.leaf_nodes())
        merged = [
            (e.created_at, e.actor_id, e.action, e.object_type, e.object_id, e.school_id, e.district_id,
             e.summary, e.before, e.after)
            for e in AuditEvent.objects.order_by("id")
        ]  # fmt: skip
        assert merged == expected(actor, coordinator, school, district)
        # every old code reads as words, as the two pages showed them
        assert all("." not in e.action_label for e in AuditEvent.objects.all())
        assert Decimal(AuditEvent.objects.get(action="target.change").after["hours"]) == 36
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
