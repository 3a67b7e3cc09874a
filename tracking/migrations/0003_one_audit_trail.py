# Written by hand (issue 10): the ledger's AuditEvent and delivery's DeliveryChange become the
# one platform trail, accounts.AuditEvent. Rows keep their time, actor, object and school; the
# merged trail is in time order.

import heapq

from django.db import migrations

from accounts import append_only

DELIVERY_ACTIONS = {"create": "delivery.create", "change": "delivery.change", "void": "delivery.void"}
TRAIL = {"accounts_auditevent": ["actor_id", "summary"]}


def _split_details(action, details):
    """The ledger trail kept one `details` dict; a target change held {"before", "after"} in it."""
    details = details or {}
    if action == "target.change" and details and set(details) <= {"before", "after"}:
        return details.get("before"), details.get("after")
    return None, details or None


def _ledger_events(AuditEvent, New, db):
    for e in AuditEvent.objects.using(db).order_by("created_at", "id").iterator(chunk_size=2000):
        before, after = _split_details(e.action, e.details)
        object_id = str(e.object_id or "")
        if object_id and not object_id.isdigit():  # never written so far; kept rather than lost
            after = {**(after or {}), "object_ref": object_id}
        yield (e.created_at, 0, e.id), New(
            actor_id=e.actor_id,
            action=e.action,
            object_type=e.object_type,
            object_id=int(object_id) if object_id.isdigit() else None,
            school_id=e.school_id,
            district_id=e.district_id,
            summary=e.summary,
            before=before,
            after=after,
            created_at=e.created_at,
        )


def _delivery_events(DeliveryChange, New, db):
    for c in DeliveryChange.objects.using(db).order_by("at", "id").iterator(chunk_size=2000):
        yield (c.at, 1, c.id), New(
            actor_id=c.actor_id,
            action=DELIVERY_ACTIONS.get(c.action, f"delivery.{c.action}"),
            object_type=c.object_type,
            object_id=c.object_id,
            school_id=c.school_id,
            summary="",
            before=c.before,
            after=c.after,
            created_at=c.at,
        )


def merge_trails(apps, schema_editor):
    db = schema_editor.connection.alias
    New = apps.get_model("accounts", "AuditEvent")
    merged = heapq.merge(
        _ledger_events(apps.get_model("tracking", "AuditEvent"), New, db),
        _delivery_events(apps.get_model("tracking", "DeliveryChange"), New, db),
        key=lambda pair: pair[0],
    )
    batch = []
    for _key, event in merged:
        batch.append(event)
        if len(batch) == 2000:
            New.objects.using(db).bulk_create(batch)
            batch = []
    New.objects.using(db).bulk_create(batch)


def split_trails(apps, schema_editor):
    """Back to two trails: ledger and delivery events return to their tables, leave the merged one."""
    db = schema_editor.connection.alias
    New = apps.get_model("accounts", "AuditEvent")
    AuditEvent = apps.get_model("tracking", "AuditEvent")
    DeliveryChange = apps.get_model("tracking", "DeliveryChange")
    ledger_actions = {"session.create", "attendance.import", "claim.submit", "claim.approve", "claim.reject"}
    ledger_actions |= {"ledger.correction", "target.change"}
    moved = []
    for e in New.objects.using(db).order_by("created_at", "id").iterator(chunk_size=2000):
        if e.action in DELIVERY_ACTIONS.values() and e.actor_id and e.school_id:
            old = DeliveryChange.objects.using(db).create(
                actor_id=e.actor_id,
                action=e.action.removeprefix("delivery."),
                object_type=e.object_type,
                object_id=e.object_id,
                school_id=e.school_id,
                before=e.before,
                after=e.after,
            )
            DeliveryChange.objects.using(db).filter(pk=old.pk).update(at=e.created_at)  # auto_now_add
        elif e.action in ledger_actions:
            details = {"before": e.before, "after": e.after} if e.action == "target.change" else (e.after or {})
            old = AuditEvent.objects.using(db).create(
                actor_id=e.actor_id,
                action=e.action,
                object_type=e.object_type,
                object_id="" if e.object_id is None else str(e.object_id),
                school_id=e.school_id,
                district_id=e.district_id,
                summary=e.summary or "",
                details=details,
            )
            AuditEvent.objects.using(db).filter(pk=old.pk).update(created_at=e.created_at)  # auto_now_add
        else:
            continue
        moved.append(e.pk)
    with append_only.suspended_tables(TRAIL, using=db):
        New.objects.using(db).filter(pk__in=moved).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_audit_trail"),
        ("tracking", "0002_sessions_claims_delivery_reports"),
    ]

    operations = [
        migrations.RunPython(merge_trails, split_trails),
        migrations.DeleteModel(name="AuditEvent"),
        migrations.DeleteModel(name="DeliveryChange"),
    ]
