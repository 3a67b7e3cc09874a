"""bench.deadline_load: reading locust's statistics and the sizing derived from them (no servers here)."""

from bench import deadline_load

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def test_read_stats_splits_the_aggregate_from_the_endpoints(tmp_path):
    prefix = tmp_path / "deadline"
    (tmp_path / "deadline_stats.csv").write_text(
        "\n".join(
            [
                HEADER,
                "GET,lesson page,100,1,120,150.0,20,900,5000,3.3,0.03,120,140,160,180,250,400,600,700,900,900,900",
                "POST,lesson progress (beat),200,0,60,70.0,10,300,50,6.6,0.0,60,70,80,90,120,200,250,280,300,300,300",
                ",Aggregated,300,1,80,96.0,10,900,1700,9.9,0.03,80,95,110,120,180,350,500,600,900,900,900",
            ]
        ),
        encoding="utf-8",
    )
    (tmp_path / "deadline_failures.csv").write_text(
        "Method,Name,Error,Occurrences\nGET,lesson page,HTTPError('502'),1\n", encoding="utf-8"
    )
    total, rows, failures = deadline_load.read_stats(prefix)
    assert deadline_load._f(total, "95%") == 350
    assert deadline_load._f(total, "Request Count") == 300
    assert [r["Name"] for r in rows] == ["lesson page", "lesson progress (beat)"]
    assert failures == [{"Method": "GET", "Name": "lesson page", "Error": "HTTPError('502')", "Occurrences": "1"}]
    assert deadline_load._f({"95%": "N/A"}, "95%") == 0.0


def test_sizing_scales_cpu_per_request_to_a_district_and_the_city():
    figures = {
        "rps": 60.0,
        "users": 300,
        "workers": 5,
        "requests": 30000,
        "logins": 300,
        "hash_ms": 200.0,
        "app_cpu_ms": 32.0,
        "app_cpu_ms_no_login": 30.0,
        "db_cpu_ms": 6.0,
        "celery_cpu_s": 1.0,
        "max_conns": 6,
    }
    text = deadline_load.sizing_notes(figures)
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if line.startswith("| ")}
    # 0.2 req/s per teacher: 400 teachers → 80 req/s × 30 ms / 0.6 = 4.0 app cores → 1 server, 9 workers
    assert rows["one district"].startswith("| one district | 400 | 80 | 4.0 | 1 | 9 |")
    # 5,000 → 1,000 req/s × 30 ms / 0.6 = 50 cores → 13 servers of 4 cores, 117 workers; through PgBouncer
    # the database needs 1,000 × 6 ms / 0.6 = 10 cores → a pool of 40 connections
    assert rows["the city"].startswith("| the city | 5,000 | 1,000 | 50.0 | 13 | 117 | 10.0 | 119 / 40 |")
    assert "PgBouncer" in text


def test_a_share_of_the_accounts_arrives_by_login_spread_through_the_queue():
    fresh = deadline_load.fresh_accounts(400, 1 / 3)
    assert len(fresh) == 133
    assert fresh <= set(range(400))
    # spread: every stretch of 30 waiting teachers has its logins
    assert all(8 <= len(fresh & set(range(start, start + 30))) <= 11 for start in range(0, 370, 30))
    assert deadline_load.fresh_accounts(400, 0) == set()
    assert deadline_load.fresh_accounts(400, 1) == set(range(400))


def test_the_report_carries_cpu_per_endpoint_and_the_load_generators_share(tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.setattr(deadline_load, "OUT", tmp_path)
    (tmp_path / "deadline_stats.csv").write_text(
        "\n".join(
            [
                HEADER,
                "POST,lesson progress (beat),200,0,60,70.0,10,300,50,6.6,0.0,60,70,80,90,120,200,250,280,300,300,300",
                ",Aggregated,200,0,60,70.0,10,300,50,6.6,0.0,60,70,80,90,120,200,250,280,300,300,300",
            ]
        ),
        encoding="utf-8",
    )
    logins = {"logins": [["login (POST → 我的首页)", 800.0, True]], "counts": {"x": 400}, "arrivals": {"login": 1}}
    (tmp_path / "logins.json").write_text(json.dumps(logins), encoding="utf-8")
    run = {
        "users": 300, "spawn_rate": 2.0, "duration": 60, "workers": 5, "ramp": 151, "load_before": [1.0, 1.0, 1.0],
        "connections_max": 5, "connections_mean": 5.0, "samples": 200, "server_connections_max": 9,
        "max_connections": 100, "load_mean": 2.0, "load_max": 3.0,
        "cpu_s": {"app": 4.0, "db": 1.0, "celery": 0.1, "locust": 0.8}, "hash_ms": 400.0, "fresh_logins": 1 / 3,
        "endpoints": [{"request": "lesson progress (beat)", "cpu_ms": 10.5, "queries": 9, "status": 200}],
        "data": {"teachers": 10, "ledger_entries": 10, "courses": 3, "lessons": 11, "enrolments": 800},
        "db": "PostgreSQL 15",
    }  # fmt: skip
    assert deadline_load.report(run, record_it=False) == 0
    printed = capsys.readouterr().out
    assert "| lesson progress (beat) | 10.5 | 9 |" in printed
    assert "used 2.0 ms of CPU per request" in printed  # locust: 0.8 s over 400 requests
    assert "33% of arriving teachers log in" in printed
    assert "CPU per request: lesson progress (beat): 10.50 ms" in printed
