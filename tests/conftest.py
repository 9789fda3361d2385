"""Shared fixtures: the seed article and the shared corpora (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "global-times-2025-09-05-ai-public-good.txt"
SHARED = ROOT.parent / "shared" / "data"
ALLSIDES = SHARED / "allsides-china-tech" / "articles.jsonl"
NEWSMTSC = SHARED / "newsmtsc" / "train.jsonl"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_articles() -> pd.DataFrame:
    from framelens.corpus import read_article

    return read_article(SEED)


@pytest.fixture(scope="session")
def seed_analysis(seed_articles):
    from framelens.analysis import analyze

    return analyze(seed_articles, codebook="ai")


@pytest.fixture(scope="session")
def allsides_path() -> Path:
    if not ALLSIDES.is_file():
        pytest.skip(f"shared corpus not found at {ALLSIDES} (present beside the project in CI; "
                    "a fresh clone does not have it)")
    return ALLSIDES
