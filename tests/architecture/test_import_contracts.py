"""The layering is enforced: `make lint` runs lint-imports with the contracts in pyproject.toml.
A copy of the tree with one wrong import must fail it, naming the broken contract; the real
tree must pass. (Deferred imports inside functions count: they do not hide an arrow.)"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["accounts", "bench", "cms", "courses", "evaluation", "resources", "search", "tracking"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("tree")
    for name in PACKAGES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def lint(tree: Path, *wrong: tuple[str, str]) -> subprocess.CompletedProcess:
    """Run lint-imports on the copy with the `wrong` modules (path, source) added, then remove them."""
    for path, source in wrong:
        (tree / path).write_text(source, encoding="utf-8")
    try:
        return subprocess.run(
            [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=300, check=False
        )
    finally:
        for path, _source in wrong:
            (tree / path).unlink()


def test_the_tree_keeps_every_contract(tree):
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("path", "source", "contract"),
    [
        ("accounts/wrong.py", "from tracking.models import LedgerEntry\n", "Apps point one way"),
        ("courses/wrong.py", "def later():\n    from tracking.ledger import services\n", "Apps point one way"),
        ("search/wrong.py", "from courses.models import CoursePage\n", "search reads the apps"),
        ("search/wrong.py", "from resources.models import ResourcePage\n", "search reads the apps"),
        ("resources/wrong.py", "from courses.models import CoursePage\n", "Apps point one way"),
        ("resources/wrong.py", "def later():\n    from tracking.delivery import services\n", "Apps point one way"),
        ("tracking/ledger/wrong.py", "def later():\n    from tracking.reports import REPORTS\n", "Inside tracking"),
        ("tracking/wrong.py", "from evaluation.compute import compute\n", "Apps point one way"),
    ],
    ids=[
        "accounts-imports-tracking",
        "deferred-courses-to-tracking",
        "search-imports-courses",
        "search-imports-resources",
        "resources-imports-courses",
        "deferred-resources-to-tracking",
        "ledger-reads-reports",
        "tracking-reads-evaluation",
    ],
)
def test_a_wrong_import_breaks_make_lint(tree, path, source, contract):
    result = lint(tree, (path, source))
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and contract in " ".join(result.stdout.split())


def test_a_deferred_import_circle_breaks_make_lint(tree):
    """courses.models.pages once imported courses.services inside a method, and services imports the models."""
    result = lint(tree, ("courses/models/circle.py", "def later():\n    from courses import services\n"))
    assert result.returncode != 0
    assert "No import circles" in " ".join(result.stdout.split())
