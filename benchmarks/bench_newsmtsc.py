"""Measure framelens's sentiment toward a target against NewsMTSC's human labels.

NewsMTSC (Hamborg & Donnay, EACL 2021) labels the sentiment of a news sentence toward a
person or organisation it mentions: negative, neutral or positive. Each (sentence,
target) pair is one item. The items are split 70/30 by story, so sentences of one article
(and, for AllSides, of the articles that cover the same story) fall on one side only:

``tune``
    the 70 % on which :data:`framelens.sentiment.TARGET_THRESHOLDS`, ``window`` and
    ``decay`` were chosen (``--tune`` repeats that search), and whose errors were read to
    pick :data:`framelens.sentiment.NEWS_NEUTRAL_WORDS`;
``held-out``
    the 30 % that played no part in any choice; read these numbers.

``--repeats N`` re-draws the 70/30 split N times and re-tunes the thresholds on each, to
show how much one split's numbers move. Those held-out parts overlap the published tuning
part, on which the neutral words, ``window`` and ``decay`` were chosen, so the spread is
honest but the level is slightly optimistic for the target-aware VADER methods.

Every lexicon method is scored with its tuned thresholds; the two whole-sentence baselines
are also scored with the usual untuned neutral band of ±0.05, and the majority class gives
the floor. Macro-F1 (the mean of the three classes' F1) is the main metric, because the
classes are unbalanced.

    python benchmarks/bench_newsmtsc.py [--data PATH] [--tune] [--repeats 10] [--markdown]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.sentiment import TARGET_THRESHOLDS, score_target_sentiment

DATA = Path(__file__).resolve().parents[2] / "shared/data/newsmtsc/train.jsonl"
CLASSES = ("negative", "neutral", "positive")
POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
TUNE_SHARE = 70  # percent of stories in the tuning part
SPLITS = ("tune", "held-out", "all")

#: (name, options of score_target_sentiment); thresholds default to TARGET_THRESHOLDS.
METHODS = [
    ("tone model (default)", {"method": "model"}),
    ("textblob sentence ±0.05", {"lexicon": "textblob", "method": "sentence",
                                 "negative_below": -0.05, "positive_above": 0.05}),
    ("vader sentence ±0.05", {"lexicon": "vader", "method": "sentence",
                              "negative_below": -0.05, "positive_above": 0.05}),
    *[
        (f"{lexicon} {method}", {"lexicon": lexicon, "method": method})
        for lexicon in ("textblob", "vader")
        for method in ("sentence", "window", "clause", "distance")
    ],
    ("vader distance, all lexicon words", {"lexicon": "vader", "method": "distance",
                                           "ignore_words": ()}),
    ("vader distance, all words, names kept", {"lexicon": "vader", "method": "distance",
                                               "ignore_words": (), "skip_names": False}),
]
#: Parameter values tried by --tune (thresholds are searched for each of them).
PARAMETER_GRID = {"window": [4, 6, 8, 10, 15], "distance": [2, 3, 5, 8, 12]}
THRESHOLD_GRID = np.round(np.arange(-0.5, 0.501, 0.05), 2)


def story(primary_gid: str) -> str:
    """The story an item comes from: AllSides event id, or POLUSA article id.

    ``allsides_1018_408_1_...`` is article 1018 of AllSides story 408 (the story's left,
    centre and right articles share 408); ``polusa_v1_113704059_-1_35_...`` is article
    113704059 of POLUSA.
    """
    source, _, key, *_ = primary_gid.split("_")
    return f"{source}_{key}"


def split_of(story_id: str, *, salt: str = "") -> str:
    """``"tune"`` or ``"held-out"``, fixed by a hash of the story id (70/30).

    The published split has no ``salt``; ``--repeats`` draws other splits with salts.
    """
    bucket = int(hashlib.md5(f"{salt}{story_id}".encode()).hexdigest(), 16) % 100
    return "tune" if bucket < TUNE_SHARE else "held-out"


def load_items(path: Path) -> pd.DataFrame:
    """One row per (sentence, target): ``text, start, end, mention, label, story, split``."""
    rows = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            story_id = story(record["primary_gid"])
            for target in record["targets"]:
                rows.append((record["sentence_normalized"], target["from"], target["to"],
                             target["mention"], POLARITY[target["polarity"]], story_id))
    items = pd.DataFrame(rows, columns=["text", "start", "end", "mention", "label", "story"])
    items["split"] = items["story"].map(split_of)
    return items


def classification_scores(truth, predicted) -> dict[str, float]:
    """Accuracy, macro-F1 and each class's F1 of 3-class labels.

    A class never predicted and never true would have an undefined F1; here it scores 0,
    as it does when it is true but never predicted.
    """
    truth = np.asarray(truth, dtype=object)
    predicted = np.asarray(predicted, dtype=object)
    scores = {"n": len(truth), "accuracy": float(np.mean(truth == predicted))}
    for label in CLASSES:
        tp = np.sum((truth == label) & (predicted == label))
        fp = np.sum((truth != label) & (predicted == label))
        fn = np.sum((truth == label) & (predicted != label))
        scores[f"f1_{label}"] = float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0
    scores["macro_f1"] = float(np.mean([scores[f"f1_{c}"] for c in CLASSES]))
    return scores


def story_bootstrap(items: pd.DataFrame, predicted, *, repeats: int = 1000,
                    seed: int = 0) -> dict[str, list[float]]:
    """95 % percentile intervals of macro-F1, accuracy and each class's F1.

    Stories, not items, are resampled (a cluster bootstrap): sentences of one story are
    not independent, so resampling them one by one would give intervals too narrow.
    """
    truth = items["label"].to_numpy(dtype=object)
    predicted = np.asarray(predicted, dtype=object)
    codes, stories = pd.factorize(items["story"])
    members = [np.flatnonzero(codes == k) for k in range(len(stories))]
    rng = np.random.default_rng(seed)
    keys = ["macro_f1", "accuracy", *(f"f1_{c}" for c in CLASSES)]
    draws = {key: [] for key in keys}
    for _ in range(repeats):
        rows = np.concatenate([members[k] for k in rng.integers(0, len(members), len(members))])
        scores = classification_scores(truth[rows], predicted[rows])
        for key in keys:
            draws[key].append(scores[key])
    return {key: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))]
            for key, v in draws.items()}


def _parts(items: pd.DataFrame) -> dict[str, pd.Series]:
    return {"tune": items["split"] == "tune", "held-out": items["split"] == "held-out",
            "all": pd.Series(True, index=items.index)}


def _interval(items: pd.DataFrame, predicted, mask: pd.Series, repeats: int) -> str:
    if not repeats:
        return ""
    low, high = story_bootstrap(items[mask], np.asarray(predicted, dtype=object)[mask.to_numpy()],
                                repeats=repeats)["macro_f1"]
    return f"{low:.3f}–{high:.3f}"


def evaluate(items: pd.DataFrame, *, repeats: int = 1000) -> pd.DataFrame:
    """Score every method on every part; one row per (method, part).

    ``interval`` is the 95 % story-bootstrap interval of macro-F1 on the held-out part
    (``repeats`` resamples). ``seconds`` is the time to score all items in this process,
    with the model on one onnxruntime thread, so ``pairs_per_s`` compares methods fairly.
    """
    parts = _parts(items)
    majority = items.loc[parts["tune"], "label"].mode().iloc[0]
    rows = []
    for part, mask in parts.items():
        predicted = [majority] * len(items)
        rows.append({"method": f"majority class ({majority}, from tune)", "part": part,
                     "seconds": 0.0, "thresholds": "",
                     "interval": _interval(items, predicted, mask, repeats)
                     if part == "held-out" else "",
                     **classification_scores(items.loc[mask, "label"], [majority] * mask.sum())})
    for name, options in METHODS:
        started = time.perf_counter()
        scored = score_target_sentiment(items, **options)
        seconds = time.perf_counter() - started
        if options["method"] == "model":
            thresholds = "most probable class"
        else:
            low, high = TARGET_THRESHOLDS[(options["lexicon"], options["method"])]
            low = options.get("negative_below", low)
            high = options.get("positive_above", high)
            thresholds = f"({low:g}, {high:g})"
        for part, mask in parts.items():
            rows.append({"method": name, "part": part, "seconds": seconds,
                         "thresholds": thresholds,
                         "interval": _interval(items, scored["target_label"], mask, repeats)
                         if part == "held-out" else "",
                         **classification_scores(items.loc[mask, "label"],
                                                 scored.loc[mask, "target_label"])})
    return pd.DataFrame(rows)


def _labels(polarity: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.where(polarity > high, "positive", np.where(polarity < low, "negative", "neutral"))


def best_thresholds(polarity: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    """``(macro_f1, negative_below, positive_above)`` maximising macro-F1 on the grid.

    Ties go to the first pair on the grid (lowest ``negative_below``, then lowest
    ``positive_above``).
    """
    best = (-1.0, 0.0, 0.0)
    for low, high in itertools.combinations_with_replacement(THRESHOLD_GRID, 2):
        f1 = classification_scores(truth, _labels(polarity, low, high))["macro_f1"]
        if f1 > best[0]:
            best = (f1, float(low), float(high))
    return best


def tune(items: pd.DataFrame) -> pd.DataFrame:
    """Search parameters and thresholds on the tuning part; report the choice's held-out score."""
    parts = _parts(items)
    truth = items["label"].to_numpy(dtype=object)
    rows = []
    for lexicon, method in itertools.product(("textblob", "vader"),
                                             ("sentence", "window", "clause", "distance")):
        option = {"window": "window", "distance": "decay"}.get(method)
        for value in PARAMETER_GRID.get(method, [None]):
            extra = {option: value} if option else {}
            polarity = score_target_sentiment(items, lexicon=lexicon, method=method,
                                              **extra)["target_polarity"].to_numpy()
            tuned = parts["tune"].to_numpy()
            f1, low, high = best_thresholds(polarity[tuned], truth[tuned])
            labels = _labels(polarity, low, high)
            held = classification_scores(truth[parts["held-out"]], labels[parts["held-out"]])
            rows.append({"lexicon": lexicon, "method": method, "parameter": option or "",
                         "value": value, "negative_below": low, "positive_above": high,
                         "tune_macro_f1": round(f1, 3),
                         "held_out_macro_f1": round(held["macro_f1"], 3)})
    return pd.DataFrame(rows)


def repeats(items: pd.DataFrame, n: int) -> pd.DataFrame:
    """Held-out macro-F1 over ``n`` other 70/30 story splits, thresholds re-tuned on each.

    One split can flatter or hurt a method by chance; this shows the spread. ``window``
    and ``decay`` stay at their defaults.
    """
    truth = items["label"].to_numpy(dtype=object)
    polarity = {
        name: score_target_sentiment(items, **{k: v for k, v in options.items()
                                               if k in ("lexicon", "method")}
                                     )["target_polarity"].to_numpy()
        for name, options in METHODS if len(options) == 2
    }
    rows = []
    for draw in range(n):
        tuned = (items["story"].map(lambda s, d=draw: split_of(s, salt=f"{d}:")) == "tune")
        tuned = tuned.to_numpy()
        for name, values in polarity.items():
            _, low, high = best_thresholds(values[tuned], truth[tuned])
            held = classification_scores(truth[~tuned], _labels(values[~tuned], low, high))
            rows.append({"draw": draw, "method": name, "macro_f1": held["macro_f1"]})
    scores = pd.DataFrame(rows).pivot(index="draw", columns="method", values="macro_f1")
    gain = scores.sub(scores["vader sentence"], axis=0)
    return pd.DataFrame({
        "held-out macro_f1 mean": scores.mean(), "sd": scores.std(),
        "min": scores.min(), "max": scores.max(),
        "gain over vader sentence mean": gain.mean(), "gain min": gain.min(),
        "gain max": gain.max(),
    }).loc[list(polarity)].round(3)


def _markdown(table: pd.DataFrame) -> str:
    """A GitHub Markdown table (pandas needs the optional ``tabulate`` for this)."""
    header = [table.index.name or ""] + [str(c) for c in table.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for index, row in table.iterrows():
        cells = [str(index)] + [f"{v:.3f}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _balance(items: pd.DataFrame) -> pd.DataFrame:
    counts = pd.crosstab(items["split"], items["label"], margins=True, margins_name="all")
    counts = counts.reindex(["tune", "held-out", "all"])
    shares = counts[list(CLASSES)].div(counts["all"], axis=0).round(3)
    return pd.concat([counts, shares.add_suffix(" share")], axis=1)


def _table(results: pd.DataFrame, *, markdown: bool, n_items: int) -> str:
    wide = results.pivot(index="method", columns="part",
                         values=["accuracy", "macro_f1"]).round(3)
    held = results[results["part"] == "held-out"].set_index("method")
    table = pd.DataFrame({
        "thresholds": held["thresholds"],
        **{f"{metric} {part}": wide[(metric, part)]
           for metric in ("accuracy", "macro_f1") for part in SPLITS},
        "macro_f1 held-out 95% CI": held["interval"],
        **{f"F1 {label[:3]} held-out": held[f"f1_{label}"].round(3) for label in CLASSES},
        "seconds (all)": held["seconds"].round(2),
        "pairs/s": (n_items / held["seconds"].where(held["seconds"] > 0)).round(0),
    }).loc[results["method"].unique()]
    return _markdown(table) if markdown else table.to_string()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA), help="NewsMTSC train.jsonl")
    parser.add_argument("--tune", action="store_true",
                        help="repeat the parameter and threshold search on the tuning part")
    parser.add_argument("--repeats", type=int, default=0, metavar="N",
                        help="also score N other story splits, re-tuning thresholds on each")
    parser.add_argument("--markdown", action="store_true", help="print tables as Markdown")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                        help="story-bootstrap resamples for the held-out intervals (0: none)")
    args = parser.parse_args()

    items = load_items(Path(args.data))
    n_sentences = items["text"].nunique()
    n_stories = items["story"].nunique()
    print(f"{len(items)} items (sentence, target) from {n_sentences} sentences, "
          f"{n_stories} stories\n")
    print("Class balance:")
    print(_balance(items).to_string(), "\n")
    if args.tune:
        print("Search on the tuning part (held-out shown for the choice, not used to choose):")
        print(tune(items).to_string(index=False), "\n")
    pd.set_option("display.width", 250)
    print("Accuracy and macro-F1 (held-out = stories never used for tuning):")
    results = evaluate(items, repeats=args.bootstrap)
    print(_table(results, markdown=args.markdown, n_items=len(items)))
    held = results[results["part"] == "held-out"].set_index("method")
    model_rate = len(items) / held.loc["tone model (default)", "seconds"]
    lexicon_rate = len(items) / held.loc["vader distance", "seconds"]
    print(f"\nThroughput, one thread: tone model {model_rate:.0f} pairs/s, "
          f"{model_rate / lexicon_rate:.2f}× the lexicon default (vader distance, "
          f"{lexicon_rate:.0f} pairs/s) in the same run; peak memory of this process "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB.")
    print("The tone model was trained on the tune part: read its held-out row only.")
    if args.repeats:
        print(f"\nHeld-out macro-F1 over {args.repeats} other story splits "
              "(thresholds re-tuned on each split's tuning part):")
        spread = repeats(items, args.repeats)
        print(_markdown(spread) if args.markdown else spread.to_string())


if __name__ == "__main__":
    main()
