"""The shipped tone model: hand-checked sentences, determinism, agreement with PyTorch."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from framelens.errors import ModelError
from framelens.models.tone import (
    TONE_MODEL_DIR,
    load_tone_model,
    mark_target,
    score_tone,
    tone_model_info,
)


def _span(text: str, mention: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(mention, start + 1)
    return start, start + len(mention)


def _tone(text: str, *mentions: str) -> list[str]:
    spans = [_span(text, m) for m in mentions]
    scored = score_tone([text] * len(spans), [s for s, _ in spans], [e for _, e in spans])
    return scored["tone_label"].tolist()


def test_mark_target_wraps_the_mention():
    assert mark_target("Smith won.", 0, 5) == "[TGT] Smith [/TGT] won."


@pytest.mark.parametrize(("text", "mention", "label"), [
    ("Police arrested Smith on charges of fraud and money laundering.", "Smith", "negative"),
    ("Critics accused the senator of lying to voters about the scandal.", "the senator",
     "negative"),
    ("Fans cheered as Garcia won the championship in a brilliant performance.", "Garcia",
     "positive"),
    ("The governor was praised for her calm and effective leadership during the flood.",
     "The governor", "positive"),
    ("Jones will speak at the conference in Denver on Tuesday.", "Jones", "neutral"),
    ("The ministry published its quarterly report on Monday.", "The ministry", "neutral"),
])
def test_clear_tone_toward_a_target(text, mention, label):
    assert _tone(text, mention) == [label]


def test_two_targets_of_opposite_tone_in_one_sentence_both_get_theirs():
    text = ("Prosecutors charged Jones with fraud, and the court thanked Smith for helping "
            "the investigation.")
    assert _tone(text, "Jones", "Smith") == ["negative", "positive"]


# Known failures of the shipped model (its card says so): in these contrasts it reads the
# sentence's overall tone into both targets. strict: a model that gets them right fails
# here, so the card and this list are updated with it.
@pytest.mark.xfail(strict=True, reason="tone-newsmtsc 1.0.0 reads one tone into both targets")
@pytest.mark.parametrize(("text", "first", "second"), [
    ("The mayor was hailed as a hero for saving the children, while the governor was "
     "condemned for his reckless failure to act.", "The mayor", "the governor"),
    ("Voters praised Smith for her honesty, but they blamed Jones for the scandal.", "Smith",
     "Jones"),
    ("Critics slammed Jones for lying, while Smith was widely admired for telling the truth.",
     "Smith", "Jones"),
])
def test_contrasting_targets_the_model_still_confuses(text, first, second):
    assert _tone(text, first, second) == ["positive", "negative"]


def test_probabilities_sum_to_one_and_score_is_their_difference():
    text = "Police arrested Smith on charges of fraud."
    scored = score_tone([text], [16], [21])
    probabilities = scored[["tone_negative", "tone_neutral", "tone_positive"]].to_numpy()
    assert probabilities.sum() == pytest.approx(1.0)
    assert scored["tone_score"].iloc[0] == pytest.approx(
        scored["tone_positive"].iloc[0] - scored["tone_negative"].iloc[0])
    assert list(scored.columns) == ["tone_negative", "tone_neutral", "tone_positive",
                                    "tone_label", "tone_score", "tone_truncated"]


def test_scores_are_identical_on_a_rerun_and_in_any_order():
    texts = ["Police arrested Smith on charges of fraud.", "Fans cheered Garcia.",
             "Jones will speak on Tuesday."]
    starts, ends = [16, 12, 0], [21, 18, 5]
    first = score_tone(texts, starts, ends)
    again = score_tone(texts, starts, ends)
    pd.testing.assert_frame_equal(first, again)
    reversed_ = score_tone(texts[::-1], starts[::-1], ends[::-1])
    np.testing.assert_allclose(reversed_[["tone_negative", "tone_positive"]].to_numpy()[::-1],
                               first[["tone_negative", "tone_positive"]].to_numpy(), atol=1e-6)


def test_an_over_long_sentence_is_cut_and_counted():
    text = "Smith " + "and the committee discussed the budget " * 40 + "at length."
    scored = score_tone([text, "Smith won."], [0, 0], [5, 5])
    assert scored["tone_truncated"].tolist() == [True, False]


def test_no_pairs_give_an_empty_table_with_the_columns():
    scored = score_tone([], [], [])
    assert scored.empty and "tone_label" in scored.columns


def test_int8_model_agrees_with_the_pytorch_model_on_the_reference_sample():
    """The training script stored the PyTorch model's probabilities for 200 held-out pairs."""
    reference = json.loads((TONE_MODEL_DIR / "reference.json").read_text(encoding="utf-8"))
    scored = score_tone([r["text"] for r in reference], [r["start"] for r in reference],
                        [r["end"] for r in reference])
    torch_labels = np.array([np.argmax(r["torch"]) for r in reference])
    onnx_labels = scored[["tone_negative", "tone_neutral", "tone_positive"]].to_numpy().argmax(1)
    assert np.mean(torch_labels == onnx_labels) >= 0.97
    torch_probs = np.array([r["torch"] for r in reference])
    assert np.abs(torch_probs - scored[["tone_negative", "tone_neutral",
                                        "tone_positive"]].to_numpy()).mean() < 0.05


def test_model_info_names_the_shipped_model_and_its_hash():
    info = tone_model_info()
    manifest = json.loads((TONE_MODEL_DIR / "model.json").read_text())
    assert info["name"] == "tone-newsmtsc" and info["sha256"] == manifest["sha256"]


def test_a_model_with_other_labels_is_refused(tmp_path):
    folder = tmp_path / "other"
    shutil.copytree(TONE_MODEL_DIR, folder)
    manifest = json.loads((folder / "model.json").read_text())
    manifest["labels"] = ["positive", "neutral", "negative"]
    (folder / "model.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="must give"):
        load_tone_model(folder)


def test_a_users_model_folder_is_used(tmp_path):
    folder = tmp_path / "mine"
    shutil.copytree(TONE_MODEL_DIR, folder)
    manifest = json.loads((folder / "model.json").read_text())
    manifest["name"], manifest["version"] = "my-tone", "0.1"
    (folder / "model.json").write_text(json.dumps(manifest))
    model = load_tone_model(folder)
    assert model.name == "my-tone"
    shipped = score_tone(["Fans cheered Garcia."], [12], [18])
    mine = score_tone(["Fans cheered Garcia."], [12], [18], model=folder)
    pd.testing.assert_frame_equal(shipped, mine)


def test_scores_are_the_same_on_one_thread_or_several():
    texts = ["Police arrested Smith on charges of fraud.", "Fans cheered Garcia.",
             "Jones will speak on Tuesday."] * 4
    starts, ends = [16, 12, 0] * 4, [21, 18, 5] * 4
    one = score_tone(texts, starts, ends, model=load_tone_model(threads=1))
    two = score_tone(texts, starts, ends, model=load_tone_model(threads=2))
    pd.testing.assert_frame_equal(one, two)
