"""What this app gives the scorecard (evaluation.registry): facility figures and each school's status.

Figures: the latest approved facility / organisation entry per school and item (two queries, plus
one for the secondary classes of the period's year). Status: the school's standing award (达标校 /
示范校, valid until), flagged when its current scorecard, judged by the standard (the default
thresholds) on the awarding round's indicators, has an indicator not met: the dynamic re-check
(动态评估) the policy asks for. That re-check computes scorecards, which ask the status providers
again: a context flag answers the nested call with no status instead of recursing.
"""

from __future__ import annotations

import contextvars

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from evaluation import periods, registry
from evaluation.compute import Verdict, compute
from evaluation.types import Figure, StatusInfo

from . import facilities, workflow
from .models import Item, RoundKind

_rechecking = contextvars.ContextVar("evaluation_rounds_rechecking", default=False)

PRESENCE = {
    Item.LEADING_GROUP: "leading_group",
    Item.CRISIS_GROUP: "crisis_group",
    Item.BUDGET: "budget_line",
}


ITEM_KEYS = {Item.COUNSELLING_ROOM: "counselling_room", **PRESENCE, Item.COMMITTEE: "psychology_committee"}


def _source(school_id: int, item: str) -> str:
    return reverse("evaluation_rounds:facilities") + "?" + urlencode({"school": school_id, "item": item})


def facility_figures(school_ids, period) -> dict[int, dict[str, Figure]]:
    school_ids = list(school_ids)
    entries = facilities.approved(school_ids)
    classes = facilities.secondary_classes(school_ids, getattr(period, "academic_year", None))
    out: dict[int, dict[str, Figure]] = {}
    for school_id, items in entries.items():
        found: dict[str, Figure] = {}
        room = items.get(Item.COUNSELLING_ROOM)
        if room is not None:
            missing = facilities.room_missing(room)
            note = _("Missing: %(parts)s") % {"parts": "、".join(missing)} if room.present and missing else ""
            found["counselling_room"] = Figure(
                value=bool(room.present and not missing),
                source_url=_source(school_id, Item.COUNSELLING_ROOM),
                note=note,
            )
        for item, key in PRESENCE.items():
            entry = items.get(item)
            if entry is None:
                continue
            note = ""
            if item == Item.BUDGET and entry.amount is not None:
                note = _("%(amount)s yuan a year") % {"amount": f"{entry.amount:,.0f}"}
            found[key] = Figure(value=bool(entry.present), source_url=_source(school_id, item), note=note)
        committee = items.get(Item.COMMITTEE)
        if committee is not None:
            value, numerator, denominator = facilities.committee_share(committee, classes.get(school_id))
            found["psychology_committee"] = Figure(
                value=value,
                numerator=numerator,
                denominator=denominator,
                source_url=_source(school_id, Item.COMMITTEE),
                note=_("%(members)s members") % {"members": committee.members} if committee.members else "",
            )
        out[school_id] = found
    # An item without an approved entry is not met: its source is the item's form, where the
    # school enters it (the list's filter when it has entries waiting or returned).
    base = reverse("evaluation_rounds:facilities")
    none_note = str(_("No approved entry"))
    for school_id in school_ids:
        found = out.setdefault(school_id, {})
        for item, key in ITEM_KEYS.items():
            if key not in found:
                found[key] = Figure(value=None, note=none_note, source_url=f"{base}#item-{item}")
    return out


def school_status(school_ids) -> dict[int, StatusInfo]:
    if _rechecking.get():
        return {}
    awards = workflow.current_awards(school_ids)
    if not awards:
        return {}
    failing = _recheck(awards)
    out = {}
    for school_id, application in awards.items():
        problems = failing.get(school_id, [])
        label = (
            _("Demonstration school (示范校)")
            if application.round.kind == RoundKind.DEMONSTRATION
            else _("Standard school (达标校)")
        )
        out[school_id] = StatusInfo(
            status=application.round.kind,
            label=str(label),
            valid_until=application.valid_until,
            flagged=bool(problems),
            flag_reason=str(_("Below the standard now: %(items)s") % {"items": "、".join(problems)})
            if problems
            else "",
            url=reverse("evaluation_rounds:application", args=[application.round_id, school_id]),
        )
    return out


def _recheck(awards) -> dict[int, list[str]]:
    """School id → labels of the awarding round's indicators its current scorecard does not meet."""
    period = periods.current()
    if period is None:
        return {}
    token = _rechecking.set(True)
    try:
        cards = compute(list(awards), period)
    finally:
        _rechecking.reset(token)
    out: dict[int, list[str]] = {}
    for card in cards:
        keys = set(awards[card.school_id].round.indicators or [])
        out[card.school_id] = [
            str(row.indicator.label)
            for row in card.rows
            if row.indicator.key in keys and row.verdict == Verdict.NOT_MET
        ]
    return out


def register() -> None:
    registry.register_figures(facility_figures)
    registry.register_status(school_status)
