"""bench.wrk, the side-by-side benchmarks' load generator: each learner sends its own cookie and
CSRF token, every statement gets a fresh id, and the counts it reports are the server's."""

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import wrk


class _Seen:
    def __init__(self):
        self.lock = threading.Lock()
        self.cookies, self.tokens, self.ids, self.requests = set(), set(), [], 0


@pytest.fixture
def server():
    seen = _Seen()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's gthread workers answer

        def do_POST(self):  # noqa: N802 (the http.server interface)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            items = body if isinstance(body, list) else [body]
            with seen.lock:
                seen.requests += 1
                seen.cookies.add(self.headers["Cookie"])
                seen.tokens.add(self.headers["X-CSRFToken"])
                seen.ids.extend(item["id"] for item in items)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], seen
    httpd.shutdown()


def test_each_learner_posts_its_stream_with_fresh_ids_and_the_counts_are_the_servers(server):
    port, seen = server
    one = json.dumps({"id": "{uuid}", "verb": "answered"})
    two = json.dumps([{"id": "{uuid}", "verb": "interacted"}, {"id": "{uuid}", "verb": "answered"}])
    jobs = [
        wrk.Job("/xapi/a", "sessionid=a", method="POST", csrf="token-a", bodies=(one, two)),
        wrk.Job("/xapi/b", "sessionid=b", method="POST", csrf="token-b", bodies=(one,)),
    ]
    result = wrk.load(port, jobs, 1, count_items=True)
    assert seen.cookies == {"sessionid=a", "sessionid=b"} and seen.tokens == {"token-a", "token-b"}
    assert result["statuses"] == {204: result["requests"]} and result["requests"] > 50
    assert abs(result["requests"] - seen.requests) <= len(jobs)  # at most one in flight per learner at the end
    assert abs(result["n"] - len(seen.ids)) <= 2 * len(jobs)
    assert len(set(seen.ids)) == len(seen.ids)  # never the same statement id twice
    assert all(uuid.UUID(i).version == 4 and re.fullmatch(r"[0-9a-f-]{36}", i) for i in seen.ids)
    assert result["p50"] <= result["p95"] <= result["p99"] and result["rate"] > 0


def test_a_field_that_would_break_the_jobs_file_is_refused():
    with pytest.raises(ValueError):
        wrk.load(1, [wrk.Job("/lesson/", "sessionid=a\tb")], 1)
