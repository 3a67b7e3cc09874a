"""The scorecard a school submitted, kept on its application, and how it compares with today's.

A school submits what it sees; the district and the city review later, when figures may have
moved (an entry approved or withdrawn, hours earned, a lesson logged). Reviewers judge what was
submitted and need to know where the live scorecard now says something else, so the page shows
both: the snapshot row by row, and beside it the live figure and verdict where either differs.
Figures are kept as the text the school read (`figure`, its `note` such as 无已审核的填报,
`standard`) and the verdict as its key; snapshots taken before the note was kept read as without one.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluation import indicators as ind
from evaluation.compute import Row, Verdict


def take(rows: list[Row]) -> dict:
    """What `Application.snapshot` keeps: indicator key → figure, its note, standard and verdict as shown."""
    return {
        row.indicator.key: {
            "figure": row.figure_text,
            "note": str(row.figure.note or ""),
            "standard": row.standard,
            "verdict": row.verdict,
        }
        for row in rows
    }


@dataclass
class Compared:
    key: str
    label: str
    standard: str  # as submitted
    figure: str | None  # as submitted; None: the indicator was not in the round when submitted
    note: str  # the figure's note as submitted ("" when none)
    verdict: str | None
    live_figure: str | None  # None: no longer in the round
    live_verdict: str | None

    @property
    def changed(self) -> bool:
        return (self.figure, self.verdict) != (self.live_figure, self.live_verdict)

    @staticmethod
    def _label(verdict):
        return str(Verdict.LABELS[verdict]) if verdict in Verdict.LABELS else ""

    @property
    def verdict_label(self) -> str:
        return self._label(self.verdict)

    @property
    def live_verdict_label(self) -> str:
        return self._label(self.live_verdict)

    @property
    def badge(self) -> str:
        return Verdict.BADGES.get(self.verdict, "badge-muted")

    @property
    def live_badge(self) -> str:
        return Verdict.BADGES.get(self.live_verdict, "badge-muted")


def compare(snapshot: dict, rows: list[Row]) -> list[Compared]:
    """Every indicator of the snapshot or of the live rows, in the scorecard's order."""
    live = {row.indicator.key: row for row in rows}
    keys = [i.key for i in ind.INDICATORS if i.key in snapshot or i.key in live]
    keys += [key for key in snapshot if key not in ind.BY_KEY]  # an indicator since retired
    out = []
    for key in keys:
        kept, row = snapshot.get(key), live.get(key)
        out.append(
            Compared(
                key=key,
                label=str(ind.BY_KEY[key].label) if key in ind.BY_KEY else key,
                standard=kept["standard"] if kept else row.standard,
                figure=kept["figure"] if kept else None,
                note=kept.get("note", "") if kept else "",
                verdict=kept["verdict"] if kept else None,
                live_figure=row.figure_text if row else None,
                live_verdict=row.verdict if row else None,
            )
        )
    return out
