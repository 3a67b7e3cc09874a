"""How every ratio on a report is computed and rounded: one rule, the same on every database.

The rule, as the report pages state it (计算口径):

1. 百分比 = 分子 ÷ 分母 × 100，保留一位小数，第二位小数四舍五入（22.45 → 22.5）。
2. 分母为 0 时不计算百分比，显示“—”。

The division is done here, in Python's `Decimal`, never left to the database's own
arithmetic: SQLite keeps a whole-number decimal column as an integer and divides integers
as integers (9 × 100 ÷ 40 gave 22, not 22.5). SQL that must compare a ratio (reminders
pick teachers below a share) uses `Ratio`, which computes in NUMERIC on PostgreSQL and in
REAL on SQLite; values read back are rounded by `round_percent` like every other figure.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from django.db.models import DecimalField, Func
from django.utils.translation import gettext_lazy as _

# The rule as the pages print it (计算口径); docs/reports.md carries the same Chinese text.
PERCENT_RULE = _(
    "Percentages are numerator ÷ denominator × 100, shown with one decimal and rounded half up "
    "(22.45 → 22.5); with a denominator of 0 no percentage is shown (—)."
)
ONE_DECIMAL = Decimal("0.1")
PERCENT_FIELD = DecimalField(max_digits=7, decimal_places=1)
# SQLite hands back doubles: 15 significant digits remove float noise (25.249999999999996 → 25.25).
_FROM_FLOAT = Context(prec=15)


def to_decimal(value) -> Decimal:
    """A number from any backend as an exact Decimal (floats via their 15 significant digits)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return _FROM_FLOAT.create_decimal_from_float(value)
    return Decimal(value)


def round_percent(value) -> Decimal | None:
    """The one rounding rule: one decimal, half up. None stays None."""
    if value is None or value == "":
        return None
    return to_decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percent(part, whole) -> Decimal | None:
    """part ÷ whole × 100, rounded by the rule; None when whole is 0 or missing."""
    if whole is None or part is None:
        return None
    whole = to_decimal(whole)
    if whole == 0:
        return None
    return round_percent(to_decimal(part) * 100 / whole)


class Ratio(Func):
    """SQL for part × 100 ÷ whole, unrounded and exact enough to compare: both operands are
    cast to NUMERIC on PostgreSQL (integer ÷ integer would truncate there too) and to REAL
    on SQLite. Round what you read back with `round_percent`."""

    output_field = PERCENT_FIELD

    def __init__(self, part, whole, **extra):
        super().__init__(part, whole, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        kind = "REAL" if connection.vendor == "sqlite" else "NUMERIC"
        (part_sql, part_params), (whole_sql, whole_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return f"(CAST({part_sql} AS {kind}) * 100 / CAST({whole_sql} AS {kind}))", [*part_params, *whole_params]
