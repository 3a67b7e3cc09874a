"""The demo loader gives a current semester with key / non-key and on-track / behind classes, idempotently."""

from accounts import demo as accounts_demo
from accounts.models import AuditEvent, SchoolClass, Term
from tracking.delivery import demo as delivery_demo
from tracking.delivery import rules
from tracking.models import ClassActivity, FamilyVisitTally, ParentLecture, TermBreak


def counts():
    return [m.objects.count() for m in (ClassActivity, AuditEvent, FamilyVisitTally, ParentLecture, TermBreak)]


def test_demo_delivery_mix_and_idempotence(db):
    accounts_demo.load()
    delivery_demo.load()
    first = counts()
    term = Term.current()
    rows = list(rules.class_delivery_status(SchoolClass.objects.all(), term))
    statuses = {r.status for r in rows}
    assert {rules.DeliveryStatus.ON_TRACK, rules.DeliveryStatus.BEHIND} <= statuses
    assert any(r.is_key_grade for r in rows) and any(not r.is_key_grade for r in rows)
    assert any(r.is_key_grade and r.status == rules.DeliveryStatus.ON_TRACK and r.lessons for r in rows)
    assert first[0] > 0
    delivery_demo.load()
    assert counts() == first
