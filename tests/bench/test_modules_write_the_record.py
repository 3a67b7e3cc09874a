"""The city-scale report benchmarks turn their results into measures of the one record (bench.record)."""

import pytest

from bench import delivery_report, record, reports


@pytest.fixture
def written(monkeypatch):
    calls = []
    monkeypatch.setattr(
        record, "write", lambda benchmark, measures, notes=None, **kw: calls.append((benchmark, measures))
    )
    return calls


def _timing(p50, p95, queries=None):
    out = {"p50_ms": p50, "p95_ms": p95, "n": 20}
    if queries is not None:
        out["queries"] = queries
    return out


def test_reports_headline_measures(written):
    result = {
        "goals": reports.GOALS,
        "report_equals_raw": True,
        "data": {"teachers": 50000, "ledger_entries": 1000000},
        "modes": [
            {
                "mode": "server default (jit=off)",
                "pages": {"city": _timing(77, 96, 19), "district": _timing(52, 55, 20), "school": _timing(31, 42, 19)},
                "raw_city_sql_over_totals": _timing(38, 41),
                "city_rollup_call": _timing(46, 50),
                # the page and the raw statement of its figures, timed in alternation
                "city_page_paired": _timing(80, 96),
                "raw_city_sql_paired": _timing(39, 41),
                "ratio_city_rollup_to_raw_p50": 1.21,
                "ratio_city_report_to_raw_p50": 2.05,
            }
        ],
        "export_50k_xlsx": {"seconds": 7.6, "peak_rss_mb": 148.5, "rss_before_export_mb": 142.9, "file_mb": 2.3},
    }
    reports._record(result)
    [(benchmark, measures)] = written
    assert benchmark == "reports"
    by_name = {m["name"]: m for m in measures}
    assert by_name["completion city p95"]["met"] is True  # 96 ≤ 300
    assert by_name["completion school p95"]["met"] is True  # 42 ≤ 100
    ratio = by_name["completion city page ÷ raw aggregate (p95)"]
    assert ratio["value"] == pytest.approx(96 / 41)
    assert ratio["met"] is False  # issue 17: ≤ 1.5
    assert ratio["peer"] == "raw SQL aggregate"
    assert by_name["completion page queries (max of city/district/school)"]["value"] == 20


def test_delivery_report_headline_measures_carry_issue_17_goals(written):
    result = {
        "data": {"classes": 20000, "class_logs": 350000},
        "modes": [
            {
                "mode": "connection default (jit=off)",
                "pages": {
                    "delivery city": _timing(120, 140, 20),
                    "delivery district": _timing(60, 70, 20),
                    "delivery school": _timing(30, 35, 20),
                    "parents city": _timing(23, 24, 16),
                },
                "pages_cold": {"delivery city": _timing(300, 400, 10)},
                "rollup_city": _timing(100, 110),
            }
        ],
    }
    delivery_report._record(result)
    [(benchmark, measures)] = written
    by_name = {m["name"]: m for m in measures}
    assert benchmark == "delivery_report"
    assert by_name["delivery city p95 (c=1)"]["goal"] == "<= 150" and by_name["delivery city p95 (c=1)"]["met"]
    assert by_name["delivery district p95 (c=1)"]["met"] is False  # 70 > 60
    assert by_name["delivery school p95 (c=1)"]["met"] is True
    assert by_name["parents city p95"]["goal"] is None
    cold = by_name["delivery city p95, cold figures (c=1)"]  # figures recomputed on every request
    assert cold["goal"] == "<= 150" and cold["met"] is False
