"""The lock files (`make lock`) agree with the requirements they were made
from: every package requirements.txt and requirements-dev.txt pin is locked
at that version, and every locked package carries the hashes pip checks
(`make run` and `make test` install with --require-hashes)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            found[normalise(match[1])] = match[2]
    return found


def locked(path: Path) -> dict[str, tuple[str, int]]:
    """Package -> (version, number of hashes) of a pip-compile lock."""
    entries, current = {}, None
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = normalise(match[1])
            entries[current] = (match[2], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
        elif not line.startswith(" "):
            current = None
    return entries


@pytest.mark.parametrize(
    "requirements, lock",
    [
        ("requirements.txt", "requirements.lock"),
        ("requirements-dev.txt", "requirements-dev.lock"),
    ],
)
def test_every_pin_is_locked_at_its_version_with_hashes(requirements, lock):
    wanted = pins(ROOT / requirements)
    if requirements == "requirements-dev.txt":
        wanted |= pins(ROOT / "requirements.txt")
    entries = locked(ROOT / lock)
    assert wanted, requirements
    stale = {
        name: (version, entries.get(name, ("missing", 0))[0])
        for name, version in wanted.items()
        if entries.get(name, ("", 0))[0] != version
    }
    assert not stale, f"run `make lock`: {stale}"
    unhashed = [name for name, (_, hashes) in entries.items() if not hashes]
    assert not unhashed, unhashed


def test_the_development_lock_keeps_the_runtime_versions():
    runtime = locked(ROOT / "requirements.lock")
    development = locked(ROOT / "requirements-dev.lock")
    differ = {
        name: (version, development[name][0])
        for name, (version, _) in runtime.items()
        if name in development and development[name][0] != version
    }
    assert not differ, differ
    assert set(runtime) <= set(development)
