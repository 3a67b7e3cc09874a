"""The PostgreSQL database `make bench` uses when DATABASE_URL is unset.

If PostgreSQL answers on 127.0.0.1 (pg_isready), create the database `xinyu_bench` when it
is missing and print its URL; otherwise print nothing (the Makefile then says it is skipped).

    DATABASE_URL=$(python -m bench.database)   # BENCH_DB_NAME / BENCH_PG_USER override
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PORT = os.environ.get("BENCH_PG_PORT", "5432")
USER = os.environ.get("BENCH_PG_USER", "postgres")
NAME = os.environ.get("BENCH_DB_NAME", "xinyu_bench")


def url(name: str = NAME) -> str:
    return f"postgres://{USER}@{HOST}:{PORT}/{name}"


def available() -> bool:
    pg_isready = shutil.which("pg_isready")
    if pg_isready is None:
        return False
    return subprocess.run([pg_isready, "-q", "-h", HOST, "-p", PORT], check=False).returncode == 0  # noqa: S603


def ensure(name: str = NAME) -> str:
    """Create `name` if it does not exist; return its URL."""
    import psycopg

    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", file=sys.stderr)
    return url(name)


def main() -> int:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print(os.environ["DATABASE_URL"])
        return 0
    if not available():
        return 1
    print(ensure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
