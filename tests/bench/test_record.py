"""bench.record: one schema for every benchmark measure, merged by name, rendered to docs/benchmarks.md."""

import json

import pytest

from bench import record


def test_measure_has_the_schema_and_computes_met_for_upper_and_lower_goals():
    upper = record.measure("city p95", 120.0, "ms", "<= 150")
    lower = record.measure("throughput", 25, "req/s", ">= 30")
    assert set(record.KEYS) <= set(upper)
    assert upper["met"] is True
    assert lower["met"] is False
    assert record.measure("at the goal", 150, "ms", "<= 150")["met"] is True
    assert record.measure("strict", 150, "ms", "< 150")["met"] is False
    assert record.measure("strict lower", 3.01, "×", "> 3")["met"] is True
    assert record.measure("no goal", 5, "s")["met"] is None


def test_a_malformed_goal_is_refused():
    with pytest.raises(ValueError):
        record.measure("x", 1, "s", "about 5")
    with pytest.raises(ValueError):
        record.parse_goal("≤ 5")


def test_write_fills_machine_and_time_and_merges_by_name(tmp_path):
    path = tmp_path / "latest.json"
    record.write("alpha", [record.measure("p95", 10, "ms", "<= 20"), record.measure("p50", 5, "ms")], path=path)
    record.write("beta", [record.measure("p95", 900, "ms", "<= 500")], path=path)
    # alpha again: its p95 is replaced, its p50 and beta's p95 (same name, other benchmark) stay
    data = record.write("alpha", [record.measure("p95", 30, "ms", "<= 20")], path=path, notes="second run")
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk == data
    by_key = {(m["benchmark"], m["name"]): m for m in on_disk["measures"]}
    assert set(by_key) == {("alpha", "p95"), ("alpha", "p50"), ("beta", "p95")}
    assert by_key[("alpha", "p95")]["value"] == 30
    assert by_key[("alpha", "p95")]["met"] is False
    assert by_key[("beta", "p95")]["value"] == 900
    assert on_disk["notes"] == {"alpha": "second run"}
    for m in on_disk["measures"]:
        record.validate(m)
        machine = m["machine"]
        assert machine["cores"] >= 1
        assert len(machine["load_avg"]) == 3
        assert set(machine) >= {"cores", "ram_gb", "db", "load_avg"}
        assert m["run_at"].endswith("Z")


def test_validate_rejects_a_met_flag_that_disagrees_with_the_goal():
    m = record.measure("p95", 10, "ms", "<= 20")
    m["machine"], m["run_at"] = record.machine("PostgreSQL 15.20"), record.now()
    record.validate(m)
    m["met"] = False
    with pytest.raises(ValueError):
        record.validate(m)
    del m["peer"]
    with pytest.raises(ValueError):
        record.validate(m)


def test_render_shows_which_goals_are_met_and_notes_per_benchmark():
    data = record.merge(
        {"measures": [], "notes": {}},
        "lesson_page",
        [
            record.measure("lesson p95 at c=16", 80, "ms", "<= 100", detail="16 learners"),
            record.measure(
                "throughput ÷ wagtail-lms", 3.4, "×", ">= 3", peer="wagtail-lms 0.11.1", ratio=3.4, detail="same run"
            ),
        ],
        notes="Measured against the peer in one run.",
    )
    data = record.merge(data, "deadline_load", [record.measure("error rate", 0.5, "%", "< 0.1")])
    for m in data["measures"]:
        m["machine"], m["run_at"] = record.machine("PostgreSQL 15.20"), "2026-11-30T21:00:00Z"
    text = record.render(data, "## Reports (tracking/reports)\n\nfull table")
    assert "**Goals met: 2 of 3**" in text
    assert "| deadline_load | 0 of 1 | error rate (0.50 %, goal < 0.1 %) |" in text
    assert "| lesson_page | 2 of 2 | — |" in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert any("✅ met" in line and "lesson p95 at c=16" in line and "≤ 100 ms" in line for line in table)
    assert any("❌ **not met**" in line and "error rate" in line and "< 0.1 %" in line for line in table)
    assert any("3.40× wagtail-lms 0.11.1" in line for line in table)
    assert "### lesson_page" in text and "Measured against the peer in one run." in text
    assert "- lesson p95 at c=16: 16 learners" in text
    assert "PostgreSQL 15.20" in text
    # the folded report section is kept, its heading demoted under this page's
    assert "### Reports (tracking/reports)" in text and "full table" in text


def test_print_table_ends_with_the_count_of_met_goals(capsys):
    data = record.merge({"measures": [], "notes": {}}, "x", [record.measure("a", 1, "s", "<= 2")])
    data["measures"][0]["machine"], data["measures"][0]["run_at"] = record.machine("SQLite"), record.now()
    record.print_table(data)
    out = capsys.readouterr().out
    assert "met" in out.splitlines()[2] and "Goals met: 1 of 1" in out


def test_the_committed_record_is_valid_and_renders_the_committed_page():
    data = json.loads(record.COMMITTED.read_text(encoding="utf-8"))
    for m in data["measures"]:
        record.validate(m)
    reports = record.REPORTS_DOC.read_text(encoding="utf-8") if record.REPORTS_DOC.exists() else ""
    assert record.DOC.read_text(encoding="utf-8") == record.render(data, reports)
