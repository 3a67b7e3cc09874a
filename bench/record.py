"""One record for every benchmark measure: var/bench/latest.json → docs/benchmarks.md.

Every measure has the same keys (docs/decisions/0029-benchmark-record.md):

    {"name", "value", "unit", "goal", "met", "peer", "ratio", "machine", "run_at"}

plus "benchmark" (the module that measured it, for grouping) and "detail" (one line of context).

- ``goal`` is ``"<= 150"`` / ``">= 30"`` / ``"< 0.1"`` / ``"> 3"`` (in the measure's unit) or None;
  ``met`` is computed from it (None when there is no goal).
- ``peer`` names what the figure was compared with in the same run (e.g. "wagtail-lms 0.11.1"),
  ``ratio`` is ours ÷ peer for that figure; both None when there is no peer.
- ``machine``: cores, RAM, database version, load average (1, 5, 15 min) when measured.
- ``run_at``: UTC, ISO 8601 to the second.

Writing merges by name, so one module's run replaces its own measures and keeps the others.
The committed copy bench/data/recorded.json seeds a fresh checkout (var/ is not in git) and is
refreshed with the document, so docs/benchmarks.md and the figures behind it travel together.

    from bench import record
    record.write("lesson_page", [record.measure("lesson_page: p95 at c=16", 88.0, "ms", goal="<= 100")],
                 notes="How it was measured …")

``python -m bench.record`` prints the table; ``--doc`` regenerates docs/benchmarks.md.
"""

from __future__ import annotations

import datetime
import json
import operator
import os
import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LATEST = ROOT / "var" / "bench" / "latest.json"
COMMITTED = ROOT / "bench" / "data" / "recorded.json"
DOC = ROOT / "docs" / "benchmarks.md"
# The city-scale report sections (bench.reports, bench.delivery_report) write this file; it is folded in.
REPORTS_DOC = ROOT / "docs" / "benchmarks-reports.md"

KEYS = ("name", "value", "unit", "goal", "met", "peer", "ratio", "machine", "run_at")
OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}
SHOWN_OPS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}


def parse_goal(goal: str | None) -> tuple[str, float] | None:
    """``"<= 150"`` → ("<=", 150.0); None → None. Raises ValueError on anything else."""
    if goal is None:
        return None
    text = goal.strip()
    for op in ("<=", ">=", "<", ">"):  # two-character operators first
        if text.startswith(op):
            return op, float(text[len(op) :].strip())
    raise ValueError(f"goal must look like '<= 150' or '>= 30', not {goal!r}")


def is_met(value: float | None, goal: str | None) -> bool | None:
    parsed = parse_goal(goal)
    if parsed is None or value is None:
        return None
    op, target = parsed
    return bool(OPS[op](value, target))


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def database_version() -> str | None:
    """The version of Django's default database when Django is set up, else None."""
    try:
        from django.apps import apps

        if not apps.ready:
            return None
        from django.db import connection

        if connection.vendor == "sqlite":
            return f"SQLite {connection.Database.sqlite_version}"
        if connection.vendor == "postgresql":
            version = connection.pg_version  # e.g. 150020
            return f"PostgreSQL {version // 10000}.{version % 100}"
        return connection.vendor
    except Exception:  # noqa: BLE001 (a description, never a reason to lose the figures)
        return None


def machine(db: str | None = None) -> dict:
    """What the figure was measured on: cores, RAM, database, load average now."""
    return {
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "db": db or database_version(),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
    }


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def measure(
    name: str,
    value: float,
    unit: str,
    goal: str | None = None,
    *,
    peer: str | None = None,
    ratio: float | None = None,
    detail: str = "",
    machine_: dict | None = None,
    run_at: str | None = None,
) -> dict:
    """One measure in the record's schema; `met` is computed from `goal`. `machine`/`run_at`
    default to now (write() fills them in if left None)."""
    parse_goal(goal)  # fail early on a malformed goal
    value = float(value) if value is not None else None
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "goal": goal,
        "met": is_met(value, goal),
        "peer": peer,
        "ratio": round(float(ratio), 3) if ratio is not None else None,
        "machine": machine_,
        "run_at": run_at,
        "detail": detail,
    }


def validate(m: dict) -> None:
    missing = [k for k in KEYS if k not in m]
    if missing:
        raise ValueError(f"measure {m.get('name')!r} lacks {missing}")
    if m["met"] != is_met(m["value"], m["goal"]):
        raise ValueError(f"measure {m['name']!r}: met={m['met']} disagrees with goal {m['goal']!r}")


def load(path: Path | None = None) -> dict:
    """The record: {"measures": [...], "notes": {benchmark: markdown}}; seeded from the committed copy."""
    for candidate in (LATEST, COMMITTED) if path is None else (path,):
        if candidate.exists():
            data = json.loads(candidate.read_text(encoding="utf-8"))
            data.setdefault("measures", [])
            data.setdefault("notes", {})
            return data
    return {"measures": [], "notes": {}}


def merge(data: dict, benchmark: str, measures: list[dict], notes: str | None = None) -> dict:
    """Replace this benchmark's measures of the same name (and its notes), keep every other one.
    Names are unique within a benchmark; two benchmarks may both have e.g. "p95"."""
    for m in measures:
        m["benchmark"] = m.get("benchmark") or benchmark
    incoming = {(m["benchmark"], m["name"]): m for m in measures}
    kept = [m for m in data.get("measures", []) if (m.get("benchmark"), m["name"]) not in incoming]
    out = {
        "schema": 1,
        "measures": kept + list(incoming.values()),
        "notes": dict(data.get("notes", {})),
    }
    if notes is not None:
        out["notes"][benchmark] = notes.strip()
    return out


def write(
    benchmark: str,
    measures: list[dict],
    notes: str | None = None,
    *,
    db: str | None = None,
    path: Path | None = None,
    doc: bool = True,
) -> dict:
    """Merge `measures` (from module `benchmark`) into the record and regenerate the document."""
    here, stamp = machine(db), now()
    for m in measures:
        m["machine"] = m.get("machine") or here
        m["run_at"] = m.get("run_at") or stamp
        m["met"] = is_met(m["value"], m["goal"])
        validate(m)
    target = path or LATEST
    data = merge(load(path), benchmark, measures, notes)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if doc and path is None:
        publish(data)
    return data


def publish(data: dict | None = None) -> None:
    """Regenerate docs/benchmarks.md and refresh the committed copy of the record."""
    data = data if data is not None else load()
    reports = REPORTS_DOC.read_text(encoding="utf-8") if REPORTS_DOC.exists() else ""
    DOC.write_text(render(data, reports), encoding="utf-8")
    COMMITTED.parent.mkdir(parents=True, exist_ok=True)
    COMMITTED.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --- rendering ---------------------------------------------------------------------------------


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value == int(value):
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def shown_goal(goal: str | None, unit: str) -> str:
    parsed = parse_goal(goal)
    if parsed is None:
        return "—"
    op, target = parsed
    return f"{SHOWN_OPS[op]} {target:,g} {unit}".strip()


def verdict(met: bool | None) -> str:
    return {True: "✅ met", False: "❌ **not met**", None: "—"}[met]


def shown_machine(m: dict | None) -> str:
    if not m:
        return "—"
    load_avg = m.get("load_avg") or []
    parts = [
        f"{m.get('cores')} cores" if m.get("cores") else "",
        f"{fmt(m['ram_gb'])} GB RAM" if m.get("ram_gb") else "",
        m.get("db") or "",
        ("load " + " / ".join(f"{x:.1f}" for x in load_avg)) if load_avg else "",
    ]
    return ", ".join(p for p in parts if p)


def _order(data: dict) -> list[str]:
    seen: list[str] = []
    for m in data["measures"]:
        if m.get("benchmark") not in seen:
            seen.append(m.get("benchmark"))
    return sorted(seen, key=lambda b: (b is None, b or ""))


def table_rows(data: dict) -> list[list[str]]:
    rows = []
    for bench in _order(data):
        for m in (x for x in data["measures"] if x.get("benchmark") == bench):
            ratio = f"{m['ratio']:.2f}× {m['peer']}" if m.get("ratio") is not None and m.get("peer") else "—"
            load_avg = (m.get("machine") or {}).get("load_avg") or []
            rows.append(
                [
                    verdict(m["met"]),
                    bench or "—",
                    m["name"],
                    f"{fmt(m['value'])} {m['unit']}".strip(),
                    shown_goal(m["goal"], m["unit"]),
                    ratio,
                    f"{load_avg[0]:.1f}" if load_avg else "—",
                    (m.get("run_at") or "—")[:16].replace("T", " "),
                ]
            )
    return rows


HEADER = ["met", "benchmark", "measure", "value", "goal", "vs peer (same run)", "load 1 min", "run at (UTC)"]


def render(data: dict, reports_section: str = "") -> str:
    measures = data["measures"]
    with_goal = [m for m in measures if m["goal"] is not None]
    met = [m for m in with_goal if m["met"]]
    lines = [
        "# Benchmarks",
        "",
        "Generated from the benchmark record (`var/bench/latest.json`, committed as `bench/data/recorded.json`)",
        "by `bench/record.py`; do not edit by hand. `make bench` runs every benchmark on PostgreSQL and",
        "regenerates this page; one module can be re-run alone (`.venv/bin/python -m bench <name>`,",
        "`python -m bench.reports`, `python -m bench.deadline_load`) and replaces only its own measures.",
        "The machine is shared: every figure carries the load average it was measured under (cores in",
        "the notes); prefer the ratios measured in the same run.",
        "",
        f"**Goals met: {len(met)} of {len(with_goal)}** "
        f"({len(measures) - len(with_goal)} further measures are context without a goal).",
        "",
        "## Goals at a glance",
        "",
        "| benchmark | goals met | not met |",
        "|---|---:|---|",
    ]
    for bench in _order(data):
        goals = [m for m in with_goal if m.get("benchmark") == bench]
        if goals:
            missed = [
                f"{m['name']} ({fmt(m['value'])} {m['unit']}, goal {shown_goal(m['goal'], m['unit'])})"
                for m in goals
                if not m["met"]
            ]
            lines.append(
                f"| {bench} | {len(goals) - len(missed)} of {len(goals)} | "
                + ("; ".join(missed).replace("|", "\\|") or "—")
                + " |"
            )
    lines += [
        "",
        "## Every measure",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join(["---", "---", "---", "---:", "---:", "---:", "---:", "---"]) + "|",
    ]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table_rows(data)]
    lines += ["", "## Notes per benchmark", ""]
    for bench in _order(data):
        lines += [f"### {bench}", ""]
        machines = []
        for m in (x for x in measures if x.get("benchmark") == bench):
            desc = shown_machine(m.get("machine"))
            if desc not in machines:
                machines.append(desc)
        lines.append("Measured on: " + "; ".join(machines) + ".")
        lines.append("")
        note = data.get("notes", {}).get(bench)
        if note:
            lines += [note, ""]
        details = [(m["name"], m["detail"]) for m in measures if m.get("benchmark") == bench and m.get("detail")]
        for name, detail in details:
            lines.append(f"- {name}: {detail}")
        if details:
            lines.append("")
    if reports_section.strip():
        lines += [
            "## City-scale report pages (full tables)",
            "",
            "Written by `bench.reports` and `bench.delivery_report` to `docs/benchmarks-reports.md` and folded",
            "in here; their headline measures are in the table above.",
            "",
            re.sub(r"^## ", "### ", reports_section.strip(), flags=re.MULTILINE),
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def print_table(data: dict | None = None, out=None) -> None:
    data = data if data is not None else load()
    out = out or sys.stdout
    rows = [HEADER] + table_rows(data)
    rows = [[c.replace("**", "").replace("✅ ", "").replace("❌ ", "") for c in row] for row in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    for i, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)
        if i == 0:
            print("  ".join("-" * w for w in widths), file=out)
    with_goal = [m for m in data["measures"] if m["goal"] is not None]
    print(f"\nGoals met: {sum(1 for m in with_goal if m['met'])} of {len(with_goal)}", file=out)


if __name__ == "__main__":
    if "--doc" in sys.argv:
        publish()
        print(f"Wrote {DOC.relative_to(ROOT)}")
    print_table()
