"""Under the production settings, in a process of their own: the security headers and cookie
flags a browser sees, and a database that does not answer gives the 503 page, not a traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Runs inside the production process: a few requests through Django's test client, printed as JSON.
PROBE = r"""
import json, django
django.setup()
from django.test import Client
out = {}
client = Client(HTTP_HOST="xinyu.example.cn", raise_request_exception=False)
plain = client.get("/healthz")
out["http"] = [plain.status_code, plain.headers.get("Location", "")]
secure = Client(HTTP_HOST="xinyu.example.cn", HTTP_X_FORWARDED_PROTO="https", raise_request_exception=False)
for name, path in (("home", "/"), ("healthz", "/healthz"), ("page", "/training/")):
    response = secure.get(path)
    out[name] = {
        "status": response.status_code,
        "headers": {k.lower(): v for k, v in response.headers.items()},
        "cookies": {k: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
                    for k, m in response.cookies.items()},
        "body": response.content.decode(errors="replace")[:4000],
    }
print("PROBE" + json.dumps(out))
"""


def probe(database_url: str) -> dict:
    unset = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "CELERY_BROKER_URL"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
            "ALLOWED_HOSTS": "xinyu.example.cn",
            "DATABASE_URL": database_url,
            "WHITENOISE_USE_FINDERS": "true",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    line = next((line for line in result.stdout.splitlines() if line.startswith("PROBE")), None)
    assert line, result.stdout + result.stderr
    return json.loads(line[len("PROBE") :]) | {"stderr": result.stderr}


def test_security_headers_and_cookies_under_production_settings(tmp_path):
    out = probe(f"sqlite:///{tmp_path}/empty.sqlite3")  # no tables needed for the login page
    assert out["http"] == [301, "https://xinyu.example.cn/healthz"]
    login = out["healthz"]  # answers without tables: the headers are the middleware's, on every page
    assert login["status"] == 200
    headers = login["headers"]
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    csp = headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self';", "style-src 'self';", "frame-ancestors 'self'"):
        assert directive in csp + ";", directive
    assert "unsafe-inline" not in csp
    assert "Traceback" not in login["body"]


def test_a_database_that_does_not_answer_gives_the_503_page():
    out = probe("postgres://postgres@127.0.0.1:1/xinyu")  # nothing listens on port 1
    for name in ("home", "page"):
        page = out[name]
        assert page["status"] == 503, (name, page["status"], out["stderr"][-2000:])
        assert "服务暂时不可用" in page["body"] and "Traceback" not in page["body"]
        assert page["headers"]["retry-after"] == "60"
        assert "content-security-policy" in page["headers"]
    assert out["healthz"]["status"] == 503
    assert json.loads(out["healthz"]["body"]) == {"status": "database unavailable"}
