"""Learned frames on the shared coded climate articles: agreement, learning curve, correction.

The 200 articles of ``../shared/data/climate-frames`` were coded by trained annotators
for five generic frames (see its README). Three measurements, all without a test set
(this is a development set; every number below is cross-validated or measured on
articles the model did not learn from):

1. **Agreement** (``learn_frames`` on all 200): nested 5-fold cross-validated precision,
   recall and F1 per frame, beside the dictionary (the ``generic`` codebook, on the same
   articles), the always-"used" rule and the majority class, with 95 % bootstrap
   intervals.
2. **Learning curve**: learn on 25, 50, 100 and 150 articles drawn at random, code the
   articles not drawn, macro-F1 on those (mean over ``--repeats`` draws). With
   ``--uncertain`` the same curve when, after the first 25, the next articles are drawn
   as ``framelens sample --uncertain`` draws them (80 % least certain, 20 % at random).
3. **Correction**: two halves by article (seeded). The model learned on one half codes
   the other; each outlet leaning's share of articles using each frame is shown as
   coded by the annotators, as measured (raw) and corrected with the learning half's
   cross-validated sensitivity and specificity (Rogan-Gladen), for both halves pooled.

    python benchmarks/bench_learned_frames.py [--repeats 3] [--uncertain] [--n-boot 1000]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

import framelens as fl
from framelens.models.encoder import clear_embeddings
from framelens.models.frames import apply_frames, learn_frames

DATA = Path(__file__).resolve().parents[2] / "shared/data/climate-frames/articles.jsonl"
FRAMES = {"resolution": "responsibility", "human_interest": "human_interest",
          "conflict": "conflict", "morality": "morality", "economic": "economic"}
CODEBOOK = "generic"
LEANINGS = ["left_bias", "left_center_bias", "right_bias", "questionable_source"]


def coded_table() -> pd.DataFrame:
    """The coded articles as a coding table: unit_id, title, text, frame_<id>, mbfc."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    table = pd.DataFrame(rows)
    out = pd.DataFrame({"unit_id": table["id"].astype(str), "title": "",
                        "text": table["text"], "mbfc": table["mbfc"]})
    for source, frame in FRAMES.items():
        out[f"frame_{frame}"] = table[source].astype(bool).astype(int)
    return out


def f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    tp = ((truth == 1) & (predicted == 1)).sum()
    wrong = (truth != predicted).sum()
    return float(2 * tp / (2 * tp + wrong)) if tp else 0.0


def code_articles(model, table: pd.DataFrame) -> pd.DataFrame:
    """The model's codes of ``table``'s articles: one 0/1 column per frame."""
    articles = pd.DataFrame({"article_id": table["unit_id"], "title": table["title"],
                             "text": table["text"]})
    sentences = fl.split_sentences(articles)
    sentences = sentences[sentences["kind"].isin(fl.ANALYSED_KINDS)]
    scores = fl.score_frames(sentences, fl.match_frames(sentences, codebook=CODEBOOK),
                             codebook=CODEBOOK)
    applied = apply_frames(sentences, scores, model, codebook=CODEBOOK)
    wide = applied.pivot(index="article_id", columns="frame", values="used")
    return wide.reindex(table["unit_id"]).astype(int)


def agreement(table: pd.DataFrame) -> pd.DataFrame:
    started = time.process_time()
    model = learn_frames(table, codebook=CODEBOOK, seed=0)
    cpu = time.process_time() - started
    m = model.metrics.copy()
    m["majority_f1"] = 0.0  # the majority class is "absent" for 4 frames: F1 of 0
    m.loc[m["n_present"] > m["n_units"] / 2, "majority_f1"] = m["always_f1"]
    print(f"\n## 1. Agreement with the coders (n = {len(table)}, nested 5-fold CV; "
          f"learn took {cpu:.0f} s of CPU)\n")
    print("| frame | coded | learned P | R | F1 (95 % CI) | dictionary F1 (95 % CI) | "
          "always | majority |")
    print("|---|---|---|---|---|---|---|---|")
    for r in m.itertuples():
        print(f"| {r.frame} | {r.n_present / r.n_units:.0%} | {r.precision:.2f} | "
              f"{r.recall:.2f} | {r.f1:.2f} ({r.f1_lo:.2f}-{r.f1_hi:.2f}) | "
              f"{r.dictionary_f1:.2f} ({r.dictionary_f1_lo:.2f}-{r.dictionary_f1_hi:.2f}) | "
              f"{r.always_f1:.2f} | {r.majority_f1:.2f} |")
    print(f"| **macro** | | {m.precision.mean():.2f} | {m.recall.mean():.2f} | "
          f"**{m.f1.mean():.3f}** | {m.dictionary_f1.mean():.3f} | {m.always_f1.mean():.3f} "
          f"| {m.majority_f1.mean():.3f} |")
    return m


def uncertain_order(model, pool: pd.DataFrame, k: int, rng: np.random.Generator
                    ) -> list[str]:
    """``k`` articles of ``pool`` as `sample --uncertain` draws them."""
    articles = pd.DataFrame({"article_id": pool["unit_id"], "title": pool["title"],
                             "text": pool["text"]})
    picked = fl.uncertain_units(model, articles, n=k, codebook=CODEBOOK, random_share=0.2,
                                seed=int(rng.integers(1 << 30)))
    return list(picked["article_id"])


def learning_curve(table: pd.DataFrame, *, sizes=(25, 50, 100, 150), repeats: int = 3,
                   uncertain: bool = False) -> None:
    print("\n## 2. Learning curve (macro-F1 on the articles not coded; mean of "
          f"{repeats} draws)\n")
    header = "| coded articles | random | " + ("uncertain + 20 % random |" if uncertain
                                              else "")
    print(header)
    print("|---|---|" + ("---|" if uncertain else ""))
    ids = table["unit_id"].to_numpy()
    for size in sizes:
        cells = []
        for strategy in ["random"] + (["uncertain"] if uncertain else []):
            scores = []
            for rep in range(repeats):
                rng = np.random.default_rng(1000 + rep)
                order = rng.permutation(ids)
                chosen = list(order[:sizes[0]])
                if strategy == "random":
                    chosen = list(order[:size])
                else:
                    while len(chosen) < size:
                        model = learn_frames(table[table.unit_id.isin(chosen)],
                                             codebook=CODEBOOK, seed=rep)
                        pool = table[~table.unit_id.isin(chosen)]
                        step = min(25, size - len(chosen))
                        chosen += uncertain_order(model, pool, step, rng)
                coded = table[table.unit_id.isin(chosen)]
                rest = table[~table.unit_id.isin(chosen)]
                model = learn_frames(coded, codebook=CODEBOOK, seed=rep)
                codes = code_articles(model, rest)
                scores.append(np.mean([f1(rest[f"frame_{f}"].to_numpy(),
                                          codes[f].to_numpy()) for f in FRAMES.values()]))
            cells.append(f"{np.mean(scores):.3f} (sd {np.std(scores):.3f})")
        print(f"| {size} | " + " | ".join(cells) + " |")


def correction(table: pd.DataFrame, *, n_boot: int) -> None:
    rng = np.random.default_rng(42)
    half = rng.permutation(len(table)) % 2
    coded_parts = []
    for h in (0, 1):
        learn_part, code_part = table[half == h], table[half != h].copy()
        model = learn_frames(learn_part, codebook=CODEBOOK, seed=h)
        codes = code_articles(model, code_part)
        for f in FRAMES.values():
            code_part[f"used_{f}"] = codes[f].to_numpy().astype(bool)
            code_part[f"hits_{f}"] = code_part[f"used_{f}"].astype(int)
            code_part[f"frame_{f}_coded"] = code_part[f"frame_{f}"]
            code_part[f"frame_{f}"] = code_part[f"hits_{f}"]
        # a validation sample drawn at random from the coded corpus (half of it), coded by
        # the final model: its error rates are the applied model's own
        sample = code_part.sample(n=len(code_part) // 2, random_state=7 + h)
        independent = pd.DataFrame(
            [(f, int(sample.at[i, f"frame_{f}_coded"]), int(sample.at[i, f"used_{f}"]))
             for f in FRAMES.values() for i in sample.index],
            columns=["frame", "truth", "predicted"])
        coded_parts.append((code_part, model.validation, independent))
    frames = list(FRAMES.values())
    print("\n## 3. Shares per outlet leaning: coded, raw and corrected (each half coded "
          "by the model learned on the other)\n")
    print("| frame | leaning | coded | raw | corrected |")
    print("|---|---|---|---|---|")
    rows, independent_rows = [], []
    for part, validation, independent in coded_parts:
        t2 = fl.corrected_prevalence(part, by="mbfc", validation=independent, frames=frames,
                                     groups=LEANINGS, n_boot=n_boot, min_articles=5)
        coded2 = part.groupby("mbfc")[[f"frame_{f}_coded" for f in frames]].sum()
        share2 = np.array([coded2.loc[g, f"frame_{f}_coded"] for g, f in
                           zip(t2.group, t2.frame)]) / t2["n_articles"].to_numpy()
        t2["error"] = (t2["corrected_share"] - share2).abs()
        t2["raw_error"] = (t2["raw_share"] - share2).abs()
        t2["covered"] = (t2["corrected_lo"] <= share2) & (share2 <= t2["corrected_hi"])
        independent_rows.append(t2)
        t = fl.corrected_prevalence(part, by="mbfc", validation=validation, frames=frames,
                                    groups=LEANINGS, n_boot=n_boot, min_articles=5)
        coded = part.groupby("mbfc")[[f"frame_{f}_coded" for f in frames]].sum()
        t["coded_n"] = [coded.loc[g, f"frame_{f}_coded"] for g, f in zip(t.group, t.frame)]
        share = t["coded_n"] / t["n_articles"]
        t["covered"] = (t["corrected_lo"] <= share) & (share <= t["corrected_hi"])
        t["raw_covered"] = (t["raw_lo"] <= share) & (share <= t["raw_hi"])
        rows.append(t)
    both = pd.concat(rows)
    pooled = both.groupby(["frame", "group"], sort=False).agg(
        n=("n_articles", "sum"), coded=("coded_n", "sum"), raw=("articles_with_frame", "sum"))
    # the pooled corrected share weights each half's corrected share by its articles
    both["weighted"] = both["corrected_share"] * both["n_articles"]
    corrected = both.groupby(["frame", "group"], sort=False)["weighted"].sum() / pooled["n"]
    errors, raw_errors = [], []
    for (frame, group), r in pooled.iterrows():
        c = corrected.loc[(frame, group)]
        coded_share, raw_share = r["coded"] / r["n"], r["raw"] / r["n"]
        errors.append(abs(c - coded_share))
        raw_errors.append(abs(raw_share - coded_share))
        print(f"| {frame} | {group} | {coded_share:.0%} | {raw_share:.0%} | {c:.0%} |")
    print(f"\nMean absolute error against the coded shares: raw {np.mean(raw_errors):.3f}, "
          f"corrected {np.nanmean(errors):.3f}; within 8 points: raw "
          f"{np.mean(np.array(raw_errors) <= 0.08):.0%}, corrected "
          f"{np.nanmean(np.array(errors) <= 0.08):.0%} of {len(errors)} cells.")
    # direction of every coded difference over 10 points
    share = (pooled["coded"] / pooled["n"]).unstack()
    fixed = corrected.unstack()
    raw = (pooled["raw"] / pooled["n"]).unstack()
    kept = kept_raw = total = 0
    for frame in frames:
        for i, a in enumerate(LEANINGS):
            for b in LEANINGS[i + 1:]:
                d = share.loc[frame, a] - share.loc[frame, b]
                if abs(d) > 0.10:
                    total += 1
                    kept += np.sign(fixed.loc[frame, a] - fixed.loc[frame, b]) == np.sign(d)
                    kept_raw += np.sign(raw.loc[frame, a] - raw.loc[frame, b]) == np.sign(d)
    print(f"Coded differences over 10 points between leanings: {total}; direction "
          f"reproduced raw {kept_raw}, corrected {kept}.")
    ind = pd.concat(independent_rows)
    print(f"With error rates from a validation sample of half of each coded half (50 "
          f"articles, coded by the applied model itself), per half x leaning x frame cell: "
          f"raw error {ind['raw_error'].mean():.3f}, corrected {ind['error'].mean():.3f} "
          f"({(ind['error'] <= 0.08).mean():.0%} within 8 points); the coded share lies in "
          f"the corrected interval in {ind['covered'].mean():.0%} of {len(ind)} cells.")
    print(f"The coded share lies inside the 95 % interval in {both['raw_covered'].mean():.0%} "
          f"of the {len(both)} half x leaning x frame cells for the raw share and in "
          f"{both['covered'].mean():.0%} for the corrected share (whose interval carries the "
          "uncertainty of the measured error rates).")


def speed(table: pd.DataFrame, *, n: int = 100) -> None:
    """``score_articles`` per article with and without learned frames, in this process."""
    model = learn_frames(table, codebook=CODEBOOK, seed=0)
    articles = pd.DataFrame({"article_id": table["unit_id"], "title": table["title"],
                             "text": table["text"]}).head(n)
    fl.score_articles(articles.head(2), codebook=CODEBOOK, frames=model)  # warm up
    clear_embeddings()  # learn embedded these articles: time them cold
    started = time.perf_counter()
    fl.score_articles(articles, codebook=CODEBOOK)
    plain = time.perf_counter() - started
    started = time.perf_counter()
    fl.score_articles(articles, codebook=CODEBOOK, frames=model)
    framed = time.perf_counter() - started
    print(f"\n## 4. Cost of applying learned frames ({n} articles, one process, one thread)\n")
    print(f"score_articles: {plain / n * 1000:.0f} ms per article; with learned frames "
          f"{framed / n * 1000:.0f} ms per article: {framed / plain:.1f}x "
          "(nearly all of it the sentence encoder: one call per sentence)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--uncertain", action="store_true")
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--skip", nargs="*", default=[], choices=["agreement", "curve",
                                                                  "correction", "speed"])
    args = parser.parse_args(argv)
    if not DATA.is_file():
        print(f"skipped: {DATA} is missing (the shared coded set sits beside the project)")
        return 0
    table = coded_table()
    if "agreement" not in args.skip:
        agreement(table)
    if "curve" not in args.skip:
        learning_curve(table, repeats=args.repeats, uncertain=args.uncertain)
    if "correction" not in args.skip:
        correction(table, n_boot=args.n_boot)
    if "speed" not in args.skip:
        speed(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
