"""Walk a running demo as every demo user and list what looks broken.

    .venv/bin/python manage.py runserver 127.0.0.1:8093 &   # after load_demo
    .venv/bin/python scripts/qa_crawl.py [--base URL] [--users t_psy,school_coord] [--limit 300]

For each user: log in, follow every same-site link breadth-first (GET only; logout, language
switch and Wagtail admin are skipped), and print every response that is not 200/3xx and every run
of Latin words visible in the Chinese UI (codes such as staff numbers show up too; read the
list). Expected refusals are not errors: pages a role may not open answer 403/404.
"""

from __future__ import annotations

import argparse
import collections
import re
from urllib.parse import urldefrag, urljoin, urlparse

import requests
from bs4 import BeautifulSoup

USERS = ["t_psy", "t_head", "t_other", "school_coord", "donghu_coord", "city_coord", "editor", "admin", "parent1"]
PASSWORD = "xinyu-demo-2026"  # noqa: S105 - the published demo login (accounts/demo.py)
SEEDS = ["/", "/me/", "/me/training/", "/me/classes/", "/hours/claims/", "/manage/"]
SKIP = re.compile(r"^/(accounts/logout|i18n/|admin/|static/|media/)|\.(png|jpe?g|gif|svg|css|js|ico|pdf|xlsx)$")
LATIN = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}(?:[ ,.:]+[A-Za-z][A-Za-z'\-]+)*")
IGNORE = {"QR", "PDF", "Excel", "xlsx", "csv", "JPEG", "PNG", "WebP", "Wagtail"}


def login(session: requests.Session, base: str, username: str) -> bool:
    session.get(base + "/accounts/login/")
    response = session.post(
        base + "/accounts/login/",
        data={"login": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
        headers={"Referer": base + "/accounts/login/"},
        allow_redirects=False,
    )
    return response.status_code == 302


def walk(base: str, username: str, limit: int) -> tuple[list[tuple[str, int]], dict[str, set[str]]]:
    session = requests.Session()
    if username != "anon" and not login(session, base, username):
        return [("(login failed)", 0)], {}
    host = urlparse(base).netloc
    queue, seen = collections.deque(SEEDS), set()
    problems, latin = [], collections.defaultdict(set)
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = session.get(base + path, allow_redirects=False, timeout=60)
        if response.status_code >= 400 and path not in SEEDS:
            problems.append((path, response.status_code))
        if "text/html" not in response.headers.get("Content-Type", "") or response.status_code != 200:
            continue
        soup = BeautifulSoup(response.text, "html.parser")
        for anchor in soup.find_all("a", href=True):
            url = urlparse(urldefrag(urljoin(base + path, anchor["href"]))[0])
            if url.netloc == host and not SKIP.search(url.path):
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
        for tag in soup(["script", "style", "template"]):
            tag.decompose()
        for run in LATIN.findall(soup.get_text(" ")):
            if run not in IGNORE:
                latin[run].add(path)
    return problems, latin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8093")
    parser.add_argument("--users", default=",".join(USERS + ["anon"]))
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    for username in args.users.split(","):
        problems, latin = walk(args.base.rstrip("/"), username, args.limit)
        print(f"== {username}: {len(problems)} broken link(s), {len(latin)} Latin run(s)")
        for path, status in problems:
            print(f"   {status} {path}")
        for run, paths in sorted(latin.items()):
            print(f"   EN {run!r} on {sorted(paths)[0]}")


if __name__ == "__main__":
    main()
