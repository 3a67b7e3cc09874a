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
