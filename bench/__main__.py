"""Run the benchmarks on a fresh database and write their measures through bench.record."""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":
        # A real file, not an in-memory database: closer to what the platform runs on.
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(ROOT / "var" / "bench" / "bench.sqlite3")
    else:
        # <name>_run beside the configured database (keeps its prefix), not Django's test_<name>.
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"{settings.DATABASES['default']['NAME']}_run"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection, old_name


def main(argv: list[str]) -> int:
    from bench import BENCHMARKS, record

    selected = [b for b in BENCHMARKS if not argv or b.rsplit(".", 1)[1] in argv]
    if not selected:
        print(f"No benchmark named {argv}; known: {', '.join(b.rsplit('.', 1)[1] for b in BENCHMARKS)}")
        return 2
    connection, old_name = setup_django()
    database = record.database_version()
    try:
        for dotted in selected:
            name = dotted.rsplit(".", 1)[1]
            print(f"→ {name} ({database}, load average {os.getloadavg()[0]:.1f})", flush=True)
            started = time.perf_counter()
            measures = importlib.import_module(dotted).run()
            if not measures:
                continue
            for m in measures:
                flag = {True: "  met", False: "  NOT MET"}.get(m["met"], "")
                print(f"   {m['name']}: {m['value']:.2f} {m['unit']}{flag}")
            print(f"   ({time.perf_counter() - started:.0f} s)")
            record.write(name, measures, db=database)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"Wrote {record.LATEST.relative_to(ROOT)} and {record.DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
