"""Report benchmarks on PostgreSQL with the generated city (``manage.py generate_city_data``).

Measures, in one run: server time of the completion report at city / district / school
level (Django test Client, p50 / p95 over n runs), SQL queries per page, the hand-written
raw SQL aggregate for the same city numbers (checked equal) and the report/raw ratio, and
a 50,000-row Excel export built by the export task's code in a subprocess (wall time and
peak RSS of that process). Each timing set runs twice: with the server's default settings
and with ``jit = off`` for the session (PostgreSQL's JIT compiles these queries for longer
than they run; see docs/reports.md).

Run: ``DATABASE_URL=postgres://… .venv/bin/python -m bench.reports [--runs 20]``.
Writes ``var/bench/reports.json`` and ``docs/benchmarks-reports.md``; ``run() -> dict``
is the entry point for the shared ``bench`` runner.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time

from bench import record
from bench.harness import (
    KEPT_SECTIONS,
    ROOT,
    fixtures,
    jit,
    setup_django,
    summary,
    time_calls,
    time_pages,
)

GOALS = {
    "city_p95_ms": 300,
    "school_p95_ms": 100,
    "queries_max": 20,
    "ratio_max": 1.5,
    "export_s": 60,
    "export_mb": 300,
}

RAW_CITY_SQL = """
SELECT s.district_id,
       COUNT(*) AS total,
       SUM(CASE WHEN (tg.hours IS NOT NULL OR tg.sessions IS NOT NULL)
                 AND (tg.hours IS NULL OR COALESCE(l.h, 0) >= tg.hours)
                 AND (tg.sessions IS NULL OR COALESCE(l.n, 0) >= tg.sessions) THEN 1 ELSE 0 END) AS met,
       SUM(CASE WHEN tg.hours IS NULL AND tg.sessions IS NULL THEN 1 ELSE 0 END) AS no_target
FROM accounts_teacherprofile t
JOIN accounts_school s ON s.id = t.school_id
LEFT JOIN (SELECT teacher_id, SUM(hours) AS h,
                  COUNT(*) FILTER (WHERE counts_as_session AND hours >= 0) AS n
           FROM tracking_ledgerentry WHERE training_year_id = %s GROUP BY teacher_id) l ON l.teacher_id = t.id
LEFT JOIN tracking_trainingtarget tg ON tg.category = t.category AND tg.training_year_id = %s
WHERE t.is_active AND s.is_active
GROUP BY s.district_id
"""


# The same numbers from the maintained roll-up the report reads (the like-for-like comparison).
RAW_CITY_TOTALS_SQL = """
SELECT s.district_id,
       COUNT(*) AS total,
       SUM(CASE WHEN (tg.hours IS NOT NULL OR tg.sessions IS NOT NULL)
                 AND (tg.hours IS NULL OR COALESCE(y.hours, 0) >= tg.hours)
                 AND (tg.sessions IS NULL OR COALESCE(y.sessions, 0) >= tg.sessions) THEN 1 ELSE 0 END) AS met,
       SUM(CASE WHEN tg.hours IS NULL AND tg.sessions IS NULL THEN 1 ELSE 0 END) AS no_target
FROM accounts_teacherprofile t
JOIN accounts_school s ON s.id = t.school_id
LEFT JOIN tracking_teacheryeartotal y ON y.teacher_id = t.id AND y.training_year_id = %s
LEFT JOIN tracking_trainingtarget tg ON tg.category = t.category AND tg.training_year_id = %s
WHERE t.is_active AND s.is_active
GROUP BY s.district_id
"""


# What the page computes, by hand: since the membership history (accounts.membership) the report
# counts each teacher under the school of the training year (the stint covering the year's
# reference day), not the current school; the like-for-like statement for the page / raw ratio.
RAW_CITY_YEAR_SCHOOL_SQL = """
SELECT s.district_id,
       COUNT(*) AS total,
       SUM(CASE WHEN (tg.hours IS NOT NULL OR tg.sessions IS NOT NULL)
                 AND (tg.hours IS NULL OR COALESCE(y.hours, 0) >= tg.hours)
                 AND (tg.sessions IS NULL OR COALESCE(y.sessions, 0) >= tg.sessions) THEN 1 ELSE 0 END) AS met,
       SUM(CASE WHEN tg.hours IS NULL AND tg.sessions IS NULL THEN 1 ELSE 0 END) AS no_target
FROM accounts_teacherprofile t
JOIN accounts_schoolmembership m ON m.teacher_id = t.id AND m.started_on <= %(day)s
                                 AND (m.ended_on IS NULL OR m.ended_on > %(day)s)
JOIN accounts_school s ON s.id = m.school_id
LEFT JOIN tracking_teacheryeartotal y ON y.teacher_id = t.id AND y.training_year_id = %(year)s
LEFT JOIN tracking_trainingtarget tg ON tg.category = t.category AND tg.training_year_id = %(year)s
WHERE s.is_active
GROUP BY s.district_id
"""


def _params(sql: str, year) -> dict | list:
    if "%(day)s" in sql:
        from accounts.membership import reference_date

        return {"year": year.pk, "day": reference_date(year)}
    return [year.pk, year.pk]


def _time_raw(year, runs: int, sql: str = RAW_CITY_SQL) -> tuple[dict, dict]:
    from django.db import connection

    ms, rows = [], None
    for i in range(runs + 2):
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, _params(sql, year))
            rows = cursor.fetchall()
        if i >= 2:
            ms.append((time.perf_counter() - t0) * 1000)
    return summary(ms), {r[0]: {"total": r[1], "met": r[2], "no_target": r[3]} for r in rows}


def _time_rollup(year, runs: int) -> dict:
    """The report's aggregate alone (`completion_rollup` for the city table), without the page."""
    from accounts.models import TeacherProfile
    from tracking.ledger.services import completion_rollup

    teachers = TeacherProfile.objects.filter(is_active=True, school__is_active=True)
    return time_calls(lambda: completion_rollup(teachers, year, "district"), runs)


def _time_page_and_raw(client, page, year, runs: int) -> tuple[dict, dict]:
    """The city page and the raw statement of the same figures (over the totals, teachers under
    the school of the training year), one after the other in each round
    (after two warm-up rounds), on the same connection: both see the same load and the same
    buffer cache, so their ratio holds on a busy machine. The page is the whole request through
    Django's test client — session, second-factor check, scope, filters, the report's
    aggregate, the template and the site's chrome; the raw statement is the aggregate alone."""
    from django.db import connection

    url, params = page
    page_ms, raw_ms = [], []
    for i in range(runs + 2):
        t0 = time.perf_counter()
        assert client.get(url, params).status_code == 200
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(RAW_CITY_YEAR_SCHOOL_SQL, _params(RAW_CITY_YEAR_SCHOOL_SQL, year))
            cursor.fetchall()
        t2 = time.perf_counter()
        if i >= 2:
            page_ms.append((t1 - t0) * 1000)
            raw_ms.append((t2 - t1) * 1000)
    return summary(page_ms), summary(raw_ms)


def _mode(name: str, jit_off: bool, client, pages, year, runs: int) -> dict:
    with jit(jit_off, "bench-jit-off"):
        pages_result = time_pages(client, pages, runs)
        raw, raw_rows = _time_raw(year, runs)
        raw_totals, raw_totals_rows = _time_raw(year, runs, RAW_CITY_TOTALS_SQL)
        raw_year_school, raw_year_school_rows = _time_raw(year, runs, RAW_CITY_YEAR_SCHOOL_SQL)
        rollup = _time_rollup(year, runs)
        city, raw_paired = _time_page_and_raw(client, pages["city"], year, runs)
    return {
        "mode": name,
        "pages": pages_result,
        "raw_city_sql_over_ledger": raw,
        "raw_city_sql_over_totals": raw_totals,
        "raw_city_sql_year_school": raw_year_school,
        "_raw_year_school_rows": raw_year_school_rows,
        "city_rollup_call": rollup,
        "ratio_city_rollup_to_raw_p50": round(rollup["p50_ms"] / raw_totals["p50_ms"], 2),
        # The page and the raw statement measured in alternation (`_time_page_and_raw`).
        "city_page_paired": city,
        "raw_city_sql_paired": raw_paired,
        "ratio_city_report_to_raw_p50": round(city["p50_ms"] / raw_paired["p50_ms"], 2),
        "ratio_city_report_to_raw_p95": round(city["p95_ms"] / raw_paired["p95_ms"], 2),
        "_raw_rows": raw_rows,
        "_raw_totals_rows": raw_totals_rows,
    }


def _export_subprocess() -> dict:
    """Runs this module with --export-worker in a fresh interpreter; returns its JSON line."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "cms.settings.test")}
    proc = subprocess.run(
        [sys.executable, "-m", "bench.reports", "--export-worker"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def export_worker() -> dict:
    """The export exactly as the Celery task builds it: every teacher in the city, .xlsx."""
    import resource

    setup_django()
    from tracking.models import ExportJob
    from tracking.tasks import build_report_export

    city, _district, _school, year = fixtures()
    job = ExportJob.objects.create(user=city, report="completion", params={"year": year.pk, "detail": "teachers"})
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    build_report_export(str(job.pk))
    seconds = time.perf_counter() - t0
    job.refresh_from_db()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = job.file.size
    job.file.delete(save=False)
    job.delete()
    return {
        "rows": job.rows_done,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "rss_before_export_mb": round(base_rss / 1024, 1),
        "file_mb": round(size / 1024 / 1024, 1),
    }


def run(runs: int = 20) -> dict:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import TeacherProfile
    from accounts.scope import Scope
    from tests.auth import login_with_mfa
    from tracking.ledger.services import completion_rollup
    from tracking.reports import REPORTS
    from tracking.reports.base import ReportContext

    if connection.vendor != "postgresql":
        raise SystemExit("The report benchmark needs PostgreSQL (set DATABASE_URL).")
    city, district, school, year = fixtures()
    client = Client()
    login_with_mfa(client, city)  # coordinators have mandatory TOTP (accounts/mfa.py)
    url = reverse("reports:completion")
    pages = {
        "city": (url, {"year": year.pk}),
        "district": (url, {"year": year.pk, "district": district.pk}),
        "school": (url, {"year": year.pk, "school": school.pk}),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        server_jit = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM tracking_ledgerentry")
        n_entries = cursor.fetchone()[0]
    modes = [_mode(f"server default (jit={server_jit})", False, client, pages, year, runs)]
    if server_jit == "on":
        modes.append(_mode("jit=off", True, client, pages, year, runs))
    # the report's numbers equal the raw SQL's (both from the same database, same run)
    report = completion_rollup(TeacherProfile.objects.filter(is_active=True, school__is_active=True), year, "district")
    raw_rows = modes[0].pop("_raw_rows")
    raw_totals_rows = modes[0].pop("_raw_totals_rows")
    raw_year_school_rows = modes[0].pop("_raw_year_school_rows")
    for m in modes[1:]:
        m.pop("_raw_rows")
        m.pop("_raw_totals_rows")
        m.pop("_raw_year_school_rows")
    same = raw_rows == raw_totals_rows and all(
        report.get(k, {}).get("total") == v["total"] and report.get(k, {}).get("met") == v["met"]
        for k, v in raw_rows.items()
    )
    # The page's own figures (teachers under the school of the year) equal the year-school statement's.
    page_ctx = ReportContext.from_params({"year": year.pk}, Scope.for_user(city))
    page_rows = {r["id"]: r for r in REPORTS["completion"].build(page_ctx).rows}
    same = same and all(
        page_rows.get(k, {}).get("total") == v["total"] and page_rows.get(k, {}).get("met") == v["met"]
        for k, v in raw_year_school_rows.items()
    )
    export = _export_subprocess()
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_avg": os.getloadavg()},
        "data": {
            "teachers": TeacherProfile.objects.count(),
            "ledger_entries": n_entries,
            "training_year": year.year,
            "school_teachers": TeacherProfile.objects.filter(school=school).count(),
        },
        "goals": GOALS,
        "report_equals_raw": same,
        "modes": modes,
        "export_50k_xlsx": export,
    }
    _write(result)
    _record(result)
    return result


def _record(result: dict) -> None:
    """The headline figures into the shared record (bench.record); the full tables stay in
    docs/benchmarks-reports.md, folded into docs/benchmarks.md."""
    g, m = result["goals"], result["modes"][0]
    pages = m["pages"]
    data = result["data"]
    e = result["export_50k_xlsx"]
    city_detail = (
        f"p50 {pages['city']['p50_ms']} ms, {pages['city']['queries']} queries; {data['teachers']:,} teachers, "
        f"{data['ledger_entries']:,} ledger entries; {m['mode']}; numbers equal the raw SQL's: "
        f"{'yes' if result['report_equals_raw'] else 'NO'}"
    )
    paired, raw_paired = m["city_page_paired"], m["raw_city_sql_paired"]
    page_ratio = paired["p95_ms"] / raw_paired["p95_ms"]
    measures = [
        record.measure(
            "completion city p95", pages["city"]["p95_ms"], "ms", f"<= {g['city_p95_ms']}", detail=city_detail
        ),
        record.measure(
            "completion district p95", pages["district"]["p95_ms"], "ms", detail=f"p50 {pages['district']['p50_ms']} ms"
        ),
        record.measure(
            "completion school p95",
            pages["school"]["p95_ms"],
            "ms",
            f"<= {g['school_p95_ms']}",
            detail=f"p50 {pages['school']['p50_ms']} ms",
        ),
        record.measure(
            "completion page queries (max of city/district/school)",
            max(p["queries"] for p in pages.values()),
            "",
            f"<= {g['queries_max']}",
        ),
        record.measure(
            "completion city page ÷ raw aggregate (p95)",
            page_ratio,
            "×",
            f"<= {g['ratio_max']}",
            peer="raw SQL aggregate",
            ratio=page_ratio,
            detail=f"page p50 {paired['p50_ms']} / p95 {paired['p95_ms']} ms and the raw SQL of the same figures "
            f"(totals, school of the year) p50 {raw_paired['p50_ms']} / p95 {raw_paired['p95_ms']} ms, "
            "measured in alternation; "
            f"page ÷ raw at p50 {m['ratio_city_report_to_raw_p50']}",
        ),
        record.measure(
            "completion_rollup ÷ raw aggregate (p50)",
            m["ratio_city_rollup_to_raw_p50"],
            "×",
            peer="raw SQL aggregate",
            ratio=m["ratio_city_rollup_to_raw_p50"],
            detail=f"the report's ORM aggregate alone, {m['city_rollup_call']['p50_ms']} ms p50",
        ),
        record.measure(
            "Excel export, 50,000 rows",
            e["seconds"],
            "s",
            f"<= {g['export_s']}",
            detail=f"{e['file_mb']} MB file, built by the export task in a separate process",
        ),
        record.measure(
            "Excel export peak RSS",
            e["peak_rss_mb"],
            "MB",
            f"<= {g['export_mb']}",
            detail=f"{e['rss_before_export_mb']} MB before the export started",
        ),
    ]
    record.write("reports", measures)


def _write(result: dict) -> None:
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "reports.json").write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    g = result["goals"]
    lines = [
        "## Reports (tracking/reports)",
        "",
        f"Run {result['when']} on {result['machine']['cpus']} CPUs (load average at start "
        f"{', '.join(f'{x:.1f}' for x in result['machine']['load_avg'])}), PostgreSQL, generated city: "
        f"{result['data']['teachers']:,} teachers, {result['data']['ledger_entries']:,} ledger entries "
        f"(training year {result['data']['training_year']}). Report numbers equal the raw SQL's: "
        f"{'yes' if result['report_equals_raw'] else 'NO'}.",
        "",
        "Raw SQL: the hand-written aggregate for the city table, over the maintained per-teacher",
        "totals the report reads and, for context, summing the ledger from scratch (both by the",
        "teachers' current school). The page counts each teacher under the school of the training",
        "year (membership history), so the ratio the goal reads uses the statement that does the same",
        "(`RAW_CITY_YEAR_SCHOOL_SQL`, checked equal to the page's rows). All return the report's numbers.",
        "“page / raw” compares the whole page",
        "(session, second factor, scope, filters, the report's aggregate, template and the site's chrome)",
        "with the one SQL statement, the two measured in alternation on the same connection (a page",
        "request, then the statement, in each of N rounds) so that both see the same load; “rollup /",
        "raw” compares the report's own aggregate query (ORM) with the hand-written one.",
        "",
        "| mode | page | p50 ms | p95 ms | goal p95 | queries | raw over totals p50 / p95 ms "
        "| raw over ledger p50 / p95 ms | page / raw (p50, in alternation) | `completion_rollup` p50 ms "
        "| rollup / raw (p50) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in result["modes"]:
        raw, ledger = m["raw_city_sql_over_totals"], m["raw_city_sql_over_ledger"]
        for page, r in m["pages"].items():
            goal = {"city": g["city_p95_ms"], "school": g["school_p95_ms"]}.get(page, "")
            raw_cell = f"{raw['p50_ms']} / {raw['p95_ms']}" if page == "city" else ""
            ledger_cell = f"{ledger['p50_ms']} / {ledger['p95_ms']}" if page == "city" else ""
            city = page == "city"
            ratio = m["ratio_city_report_to_raw_p50"] if city else ""
            rollup = m["city_rollup_call"]["p50_ms"] if city else ""
            rollup_ratio = m["ratio_city_rollup_to_raw_p50"] if city else ""
            cells = [m["mode"], page, r["p50_ms"], r["p95_ms"], goal, r["queries"], raw_cell, ledger_cell, ratio]
            cells += [rollup, rollup_ratio]
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines += [
        "",
        "The city page and the year-school raw statement in alternation (the ratio the goal reads):",
        "",
        f"| mode | page p50 / p95 ms | raw p50 / p95 ms | page / raw p50 | page / raw p95 (goal ≤ {g['ratio_max']}) |",
        "|---|---:|---:|---:|---:|",
    ]
    for m in result["modes"]:
        p, r = m["city_page_paired"], m["raw_city_sql_paired"]
        lines.append(
            f"| {m['mode']} | {p['p50_ms']} / {p['p95_ms']} | {r['p50_ms']} / {r['p95_ms']} "
            f"| {m['ratio_city_report_to_raw_p50']} | {m['ratio_city_report_to_raw_p95']} |"
        )
    e = result["export_50k_xlsx"]
    lines += [
        "",
        f"Excel export of every teacher ({e['rows']:,} rows, {e['file_mb']} MB), built by the export task in a "
        f"separate process: {e['seconds']} s (goal ≤ {g['export_s']} s), peak RSS {e['peak_rss_mb']} MB "
        f"(of which {e['rss_before_export_mb']} MB before the export started; goal ≤ {g['export_mb']} MB).",
        "",
    ]
    (ROOT / "docs").mkdir(exist_ok=True)
    doc = ROOT / "docs" / "benchmarks-reports.md"
    text = "\n".join(lines)
    # Keep the sections other benchmarks write (bench.delivery_report, bench.evaluation) when rewriting.
    old = doc.read_text() if doc.exists() else ""
    for start, end in KEPT_SECTIONS:
        if start in old and end in old:
            kept = start + old.split(start, 1)[1].split(end, 1)[0] + end
            text = text.rstrip("\n") + "\n\n" + kept + "\n"
    doc.write_text(text)


if __name__ == "__main__":
    if "--export-worker" in sys.argv:
        print(json.dumps(export_worker()))
    else:
        n = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 20
        print(json.dumps(run(n), ensure_ascii=False, indent=2, default=str))
