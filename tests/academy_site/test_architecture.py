"""The architecture `make lint` keeps (import-linter's contracts in
pyproject.toml): the apps' layers, no import cycle inside an app, shared
helpers that import no app, tasks and receivers that only call services and
selectors.

The tree keeps every contract, and a copy of it with one import planted
against a contract fails the check, naming that contract: the lint would
catch the same import in a real change.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import BASE_DIR

PACKAGES = ("academy_site", "courses", "enrolments", "certificates", "home")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = [
    pytest.mark.embedded,
    pytest.mark.skipif(
        not LINT_IMPORTS.exists(), reason="import-linter is not installed"
    ),
]


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """lint-imports with the project's contracts over the packages in `tree`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(BASE_DIR / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree_copy(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            BASE_DIR / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "fonts", "*.mo"),
        )
    return tmp_path


def plant(tree: Path, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_tree_keeps_every_contract(tree_copy):
    result = lint_imports(tree_copy)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize(
    "module, line, contract",
    [
        (
            "courses.selectors",
            "from enrolments.models import Enrolment  # noqa",
            "App layers: certificates -> enrolments -> courses",
        ),
        (
            "enrolments.models.enrolment",
            "import enrolments.views.learning  # noqa",
            "No import cycle inside an app",
        ),
        (
            "academy_site.transliteration",
            "from courses.models import CoursePage  # noqa",
            "Helpers every app uses import no app",
        ),
        (
            "certificates.tasks",
            "from certificates.admin import listing  # noqa",
            "Tasks and receivers call services and selectors only",
        ),
        (
            "home.models",
            "from certificates.models import Certificate  # noqa",
            "The home page reads courses, nothing of enrolments or certificates",
        ),
    ],
    ids=["layer", "cycle", "shared helper", "task", "home"],
)
def test_an_import_against_a_contract_fails_the_lint(tree_copy, module, line, contract):
    plant(tree_copy, module, line)

    result = lint_imports(tree_copy)

    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout, result.stdout
