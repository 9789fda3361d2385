"""Shared fixtures: the seed article and the shared corpora (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
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


COOPERATION = ("Officials praised the cooperation and partnership between the two countries. "
               "The joint agreement benefits both sides, a minister said. ")
SECURITY = ("Officials warned of security threats and cyber attacks from hackers. "
            "The military said the risks to national security were growing. ")


@pytest.fixture(scope="session")
def small_corpus() -> pd.DataFrame:
    """Three outlets with known leanings: Alpha writes cooperation, Beta security, Gamma
    both; each article also mentions the economy so frame shares differ only where meant."""
    rows = []
    for outlet, body, n in (("Alpha", COOPERATION, 8), ("Beta", SECURITY, 8),
                            ("Gamma", COOPERATION + SECURITY, 8), ("Tiny", SECURITY, 2)):
        for i in range(n):
            rows.append({
                "title": f"{outlet} story {i}",
                "source": outlet,
                "leaning": "left" if outlet in ("Alpha", "Gamma") else "right",
                "date": f"2024-{1 + i % 6:02d}-15",
                "body": f"Story {i} of {outlet} about week {i}. " + body
                        + f"Exports rose {i + 2} percent, boosting economic growth in region {i}.",
            })
    return pd.DataFrame(rows)


# --- learned frames: a small coded sample and the model learned from it ---------------

ECONOMIC = [
    "The plan will cost taxpayers billions of dollars, economists warned.",
    "Prices for electricity rose and the budget deficit grew.",
    "Investors fear the tax will hurt jobs and the economy.",
    "The company reported losses of $3 billion after the storm.",
    "Markets fell as the cost of insurance soared.",
]
OTHER = [
    "The river flooded the valley after three days of rain.",
    "Scientists measured the ice sheet with satellites.",
    "The committee met on Tuesday to discuss the report.",
    "Snow fell across the northern hills overnight.",
    "The museum opened a new exhibition about glaciers.",
]


def coded_sample(n: int = 40) -> pd.DataFrame:
    """``n`` short articles; every other one is about money (economic = 1)."""
    rows = []
    rng = np.random.default_rng(7)
    for i in range(n):
        economic = i % 2
        pool = ECONOMIC if economic else OTHER
        picked = rng.choice(len(pool), size=3, replace=False)
        body = " ".join(pool[k] for k in picked) + " " + OTHER[i % len(OTHER)]
        rows.append({"unit_id": f"u{i:03d}", "title": f"Story {i}", "text": body,
                     "frame_economic": economic, "frame_conflict": int(i % 4 == 0)})
    return pd.DataFrame(rows)




@pytest.fixture(scope="session")
def learned_frames(tmp_path_factory) -> Path:
    """The frames model learned (seed 3) from :func:`coded_sample`, saved to a file."""
    from framelens.models.frames import learn_frames

    model = learn_frames(coded_sample(), codebook="generic", seed=3)
    return model.save(tmp_path_factory.mktemp("frames") / "generic.frames.json")
