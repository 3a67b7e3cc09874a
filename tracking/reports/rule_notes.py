"""The calculation rules (计算口径) printed where the figures are read.

Each rule's text lives next to the code that applies it (`tracking.figures.PERCENT_RULE`,
`accounts.membership.YEAR_SCHOOL_RULE`, `tracking.ledger.services.TARGET_RULE` /
`SESSION_RULE`, `tracking.delivery.rules.LESSON_RULE` / `STATUS_RULE` / `STAFFING_RULE`);
this registry names them for templates (`{% rule_notes "lessons" %}`) and reports
(`rule_notes = (...)`). docs/reports.md quotes every text word for word, and a test checks it.
"""

from __future__ import annotations

from accounts.membership import YEAR_SCHOOL_RULE

from ..delivery.rules import LESSON_RULE, STAFFING_RULE, STATUS_RULE
from ..figures import PERCENT_RULE
from ..ledger.services import SESSION_RULE, TARGET_RULE

RULES = {
    "target": TARGET_RULE,
    "session": SESSION_RULE,
    "year_school": YEAR_SCHOOL_RULE,
    "lessons": LESSON_RULE,
    "class_status": STATUS_RULE,
    "staffing": STAFFING_RULE,
    "percent": PERCENT_RULE,
}


def texts(*keys: str) -> list[str]:
    return [str(RULES[key]) for key in keys]
