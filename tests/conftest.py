"""Shared fixtures. Real documents live in ../shared (never copied into the repo): tests that need
them skip with a reason when it is absent, and fail when CI=true."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POUCH_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"

# Prefect: state inside the project, quiet, no telemetry (set before anything imports prefect)
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ["GX_ANALYTICS_ENABLED"] = "false"


def need(path: Path, what: str) -> Path:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{what} missing at {path}: CI=true requires ../shared")
        pytest.skip(f"{what} not found at {path} (../shared is not on this machine)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return need(SEEDS, "seed documents")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return need(CORPUS, "dev corpus")


def seed_path(prefix: str) -> Path:
    """Seed file by its number (`000`, `001`, `003`)."""
    need(SEEDS, "seed documents")
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test server for the whole session (it costs 10-15 s to start)."""
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=180):
        yield
