"""Home page for an anonymous visitor, cache miss vs hit: queries and median time of 20 requests.

Run against a loaded demo database:  .venv/bin/python manage.py shell < scripts/home_cache_bench.py
"""

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.home.cache import invalidate

c = Client()
for label in ("miss", "hit"):
    if label == "miss":
        invalidate()
    times = []
    for _i in range(20):
        if label == "miss":
            invalidate()
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            r = c.get("/", HTTP_HOST="127.0.0.1")
            times.append(time.perf_counter() - t)
    times.sort()
    print(label, r["X-Home-Cache"], "queries", len(q), "median ms", round(times[10] * 1000, 1))
