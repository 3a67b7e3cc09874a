"""The two values that cross between the scorecard and the providers that plug into it.

Both sides import this module (and nothing else of each other): `evaluation.rounds` returns
`Figure`s for the facility / organisation indicators and a `StatusInfo` per school.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    """One indicator's figure for one school and period.

    value: what the verdict compares with the threshold (a count, a ratio in %, or a
      boolean for present / absent); None when there is nothing to compare (denominator 0).
    numerator / denominator: the counts the value comes from, when it is a share.
    source_url: the report rows (or entries) it is read from.
    note: a short explanation shown next to it (e.g. "covered by 某校 (对口援助)").
    applies: False when the indicator does not apply to this school (verdict 不适用).
    """

    value: int | Decimal | bool | None
    numerator: int | Decimal | None = None
    denominator: int | Decimal | None = None
    source_url: str = ""
    note: str = ""
    applies: bool = True


@dataclass(frozen=True)
class StatusInfo:
    """A school's evaluation status: 达标校 / 示范校, until when, and whether it is flagged
    (a demonstration school that fell below the standard)."""

    status: str = ""  # "standard" (达标校) | "demonstration" (示范校) | "" (none)
    label: str = ""  # the status as shown, e.g. "示范校"
    valid_until: datetime.date | None = None
    flagged: bool = False
    flag_reason: str = ""
    url: str = ""  # where the decision is recorded, if the viewer may see it
