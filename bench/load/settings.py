"""Production settings for the deadline-load servers (gunicorn, Celery) started by bench.deadline_load.

Production as deployed, except what plain HTTP on loopback needs and what one client address
would otherwise trip:
- cookies without the Secure flag and no HTTPS redirect (the load generator talks plain HTTP to
  127.0.0.1; TLS termination is the proxy's job and not what is measured);
- the login rate limit per address raised: all 300 simulated teachers come from 127.0.0.1, where
  in production each has their own (a school behind one NAT address would meet the 30/min limit —
  docs/benchmarks.md, deadline_load notes).
"""

from cms.settings.production import *  # noqa: F403
from cms.settings.production import ACCOUNT_RATE_LIMITS

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "100000/m/ip"}
