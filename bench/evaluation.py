"""Evaluation scorecard timings on the generated city (PostgreSQL): issue 16's budgets.

Needs ``manage.py generate_city_data`` on the database first (like ``bench.reports``).
Measures server time (Django test Client, p50 / p95 over n runs) and SQL queries of:

* the district scorecard page (every school of the district, verdict counts) for the
  generated district with the most schools — budget p95 ≤ 300 ms;
* the city's list of all 1,200 schools (page 1 of 50, and a district's filter) — budget ≤ 500 ms;
* one school's scorecard page, its PDF and the district's .xlsx (no budget);

and checks that the query count is the same for the smallest and the largest district.

Run: ``DATABASE_URL=postgres://… .venv/bin/python -m bench.evaluation [--runs 20]``.
Writes ``var/bench/evaluation.json`` and its section of ``docs/benchmarks-reports.md``
(between the markers in bench.harness; ``bench.reports`` keeps it), which ``python -m bench``
folds into ``docs/benchmarks.md``.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time

from bench.harness import (
    EVALUATION_SECTION_END,
    EVALUATION_SECTION_START,
    ROOT,
    fixtures,
    merge_section,
    setup_django,
    time_pages,
)

BUDGETS_MS = {"district scorecards": 300, "city list (page 1 of 1,200 schools)": 500}


def run(runs: int = 20) -> dict:
    setup_django()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from accounts.models import District, School, Term

    if connection.vendor != "postgresql":
        raise SystemExit("The evaluation benchmark needs PostgreSQL (set DATABASE_URL).")
    city, _district, _school, _year = fixtures()
    term = Term.current() or Term.objects.order_by("-start_date").first()
    if term is None:
        raise SystemExit("No semester: run `generate_city_data`.")
    districts = list(
        District.objects.filter(code__startswith="GEN")
        .annotate(n=Count("schools", distinct=True))
        .order_by("-n", "code")
    )
    largest, smallest = districts[0], districts[-1]
    school = School.objects.filter(district=largest, is_active=True).order_by("code").first()
    from tests.auth import login_with_mfa  # a manager's session carries its second factor

    client = Client()
    login_with_mfa(client, city)
    period = {"period": f"t{term.pk}"}
    pages = {
        "district scorecards": (reverse("evaluation:district", args=[largest.pk]), period),
        "district scorecards (smallest district)": (reverse("evaluation:district", args=[smallest.pk]), period),
        "city list (page 1 of 1,200 schools)": (reverse("evaluation:schools"), period),
        "city list (last page)": (reverse("evaluation:schools"), {**period, "page": 9999}),
        "city list (one district)": (reverse("evaluation:schools"), {**period, "district": largest.pk}),
        "school scorecard": (reverse("evaluation:school", args=[school.pk]), period),
        "school scorecard PDF": (reverse("evaluation:school_pdf", args=[school.pk]), period),
        "district .xlsx": (reverse("evaluation:district_xlsx", args=[largest.pk]), period),
        # Reference in the same run: the delivery report's page for the same district and semester
        # (the scorecard's heaviest query is that report's roll-up).
        "reference: delivery report, same district": (
            reverse("reports:delivery"),
            {"term": term.pk, "district": largest.pk},
        ),
    }
    load_before = os.getloadavg()
    timings = time_pages(client, pages, runs)
    # Cold: the delivery figures' cache dropped before every request (decision 0039) — what the
    # first coordinator after a class log anywhere in the city waits for.
    from tracking.delivery import figures_cache

    cold = {
        f"{name}, cold delivery figures": pages[name]
        for name in ("district scorecards", "city list (page 1 of 1,200 schools)")
    }
    timings.update(time_pages(client, cold, runs, before=figures_cache.bump))
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_avg_before": load_before,
            "load_avg_after": os.getloadavg(),
        },
        "data": {
            "schools": School.objects.filter(is_active=True).count(),
            "districts": len(districts),
            "largest_district": {"name": largest.name, "schools": largest.n},
            "smallest_district": {"name": smallest.name, "schools": smallest.n},
            "term": str(term),
            "runs": runs,
        },
        "pages": timings,
        "constant_queries": timings["district scorecards"]["queries"]
        == timings["district scorecards (smallest district)"]["queries"],
        "budgets_ms": BUDGETS_MS,
    }
    _write(result)
    return result


def section(result: dict) -> str:
    d, m = result["data"], result["machine"]
    load = ", ".join(f"{x:.1f}" for x in m["load_avg_before"])
    load_after = ", ".join(f"{x:.1f}" for x in m["load_avg_after"])
    lines = [
        EVALUATION_SECTION_START,
        "## Evaluation scorecards (issue 16)",
        "",
        f"Run {result['when']} on {m['cpus']} CPUs (load average {load} before, {load_after} after; the machine "
        f"is shared), PostgreSQL, generated city: {d['schools']:,} schools in {d['districts']} districts "
        f"(largest {d['largest_district']['name']}: {d['largest_district']['schools']} schools; smallest "
        f"{d['smallest_district']['name']}: {d['smallest_district']['schools']}), semester {d['term']}, "
        f"{d['runs']} runs per page. Command: `DATABASE_URL=postgres://… .venv/bin/python -m bench.evaluation "
        f"--runs {d['runs']}`.",
        "",
        "| page | p50 ms | p95 ms | budget | queries |",
        "|---|---:|---:|---|---:|",
    ]
    for page, r in result["pages"].items():
        budget = BUDGETS_MS.get(page)
        verdict = "—" if budget is None else (f"p95 ≤ {budget} ms: " + ("ok" if r["p95_ms"] <= budget else "**over**"))
        lines.append(f"| {page} | {r['p50_ms']} | {r['p95_ms']} | {verdict} | {r['queries']} |")
    lines += [
        "",
        "The scorecards' delivery figures are `tracking.delivery.rules.rollup` by school over the maintained",
        "class-term totals, kept in the delivery report's figures cache (decision 0039; dropped on any class",
        "log, tally, lecture, class, school or semester change): the rows marked *cold* drop that cache before",
        "every request — what the first coordinator after a class log anywhere in the city waits for.",
        "Same number of queries for the largest and the smallest district: "
        + ("yes." if result["constant_queries"] else "**no**."),
        "Every page computes its scorecards with `evaluation.compute.compute` (constant queries: the",
        "staffing rule, the delivery roll-up by school, the completion roll-up per teacher category,",
        "parent-school and campaign counts); the city list computes only the 50 schools of its page.",
        EVALUATION_SECTION_END,
        "",
    ]
    return "\n".join(lines)


def _write(result: dict) -> None:
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "evaluation.json").write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    doc = ROOT / "docs" / "benchmarks-reports.md"
    text = doc.read_text() if doc.exists() else ""
    doc.write_text(merge_section(text, EVALUATION_SECTION_START, EVALUATION_SECTION_END, section(result)))
    from bench import record

    pages = result["pages"]
    measures = [
        record.measure(
            f"{page}: p95",
            r["p95_ms"],
            "ms",
            f"<= {BUDGETS_MS[page]}" if page in BUDGETS_MS else None,
            detail=f"p50 {r['p50_ms']} ms, {r['queries']} queries, {result['data']['runs']} runs",
        )
        for page, r in pages.items()
    ]
    measures.append(
        record.measure(
            "same queries for the largest and the smallest district (1 = yes)",
            1 if result["constant_queries"] else 0,
            "",
            ">= 1",
        )
    )
    record.write("evaluation", measures)


if __name__ == "__main__":
    n = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 20
    print(json.dumps(run(n), ensure_ascii=False, indent=2, default=str))
