"""The encoder runtime: loading and checking model folders, encoding, batching."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from tokenizers import Tokenizer

from framelens.errors import ModelError
from framelens.models.runtime import OnnxModel, encode_texts, file_sha256, softmax
from framelens.models.tone import TARGET_END, TARGET_START, TONE_MODEL_DIR, mark_target


@pytest.fixture(scope="module")
def model() -> OnnxModel:
    return OnnxModel(TONE_MODEL_DIR)


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    loaded = Tokenizer.from_file(str(TONE_MODEL_DIR / "tokenizer.json"))
    loaded.no_padding()
    loaded.no_truncation()
    return loaded


@pytest.fixture
def model_copy(tmp_path):
    folder = tmp_path / "tone"
    shutil.copytree(TONE_MODEL_DIR, folder)
    return folder


def test_softmax_rows_sum_to_one_and_keep_order():
    probabilities = softmax(np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]]))
    assert probabilities.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert probabilities[0].argmax() == 2 and probabilities[1, 0] == pytest.approx(1.0)


def test_shipped_model_matches_its_manifest(model):
    manifest = json.loads((TONE_MODEL_DIR / "model.json").read_text())
    assert model.sha256 == manifest["sha256"] == file_sha256(TONE_MODEL_DIR / "model.onnx")
    assert model.labels == ("negative", "neutral", "positive")
    assert (TONE_MODEL_DIR / "model.onnx").stat().st_size < 30_000_000
    assert (TONE_MODEL_DIR / "MODEL_CARD.md").is_file()


def test_markers_are_single_tokens(tokenizer):
    ids = tokenizer.encode(mark_target("Critics slammed Smith.", 16, 21)).ids
    assert tokenizer.token_to_id(TARGET_START) in ids
    assert tokenizer.token_to_id(TARGET_END) in ids
    assert ids[0] == tokenizer.token_to_id("[CLS]") and ids[-1] == tokenizer.token_to_id("[SEP]")


def test_short_text_is_not_cut(tokenizer):
    encoded = encode_texts(tokenizer, ["one two three"], max_length=16)
    assert encoded.ids[0] == tokenizer.encode("one two three").ids
    assert not encoded.truncated[0]


def test_long_text_is_cut_around_the_target_not_at_the_end(tokenizer):
    filler = " ".join(["word"] * 200)
    text = f"{filler} and then Smith resigned."
    start = text.index("Smith")
    encoded = encode_texts(tokenizer, [mark_target(text, start, start + 5)], max_length=32,
                           focus_token=TARGET_START, focus_end_token=TARGET_END)
    ids = encoded.ids[0]
    assert encoded.truncated[0] and len(ids) == 32
    assert tokenizer.token_to_id(TARGET_START) in ids and tokenizer.token_to_id(TARGET_END) in ids
    assert ids[0] == tokenizer.token_to_id("[CLS]") and ids[-1] == tokenizer.token_to_id("[SEP]")
    words = tokenizer.decode(ids)
    assert "smith" in words and "resigned" in words


def test_long_text_without_focus_keeps_its_start(tokenizer):
    text = "alpha " + " ".join(["word"] * 100)
    ids = encode_texts(tokenizer, [text], max_length=8).ids[0]
    assert len(ids) == 8 and tokenizer.decode(ids).startswith("alpha")


def test_batching_does_not_change_probabilities(model):
    texts = [mark_target("Smith won.", 0, 5), mark_target(
        "After a long and bitter campaign, Jones conceded defeat to his rival on Tuesday.",
        34, 39), mark_target("The court fined Acme.", 16, 20)]
    encoded = model.encode(texts, focus_token=TARGET_START, focus_end_token=TARGET_END)
    together = model.predict_proba(encoded, batch_size=64)
    alone = model.predict_proba(encoded, batch_size=1)
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert together.shape == (3, 3)
    np.testing.assert_allclose(together.sum(axis=1), 1.0)


def test_no_texts_give_an_empty_array(model):
    assert model.predict_proba(model.encode([])).shape == (0, 3)


def test_a_corrupt_model_file_is_refused_with_its_path(model_copy):
    onnx = model_copy / "model.onnx"
    onnx.write_bytes(onnx.read_bytes()[:1000])
    with pytest.raises(ModelError, match="corrupt or was replaced") as caught:
        OnnxModel(model_copy)
    assert str(onnx) in str(caught.value) and "reinstall framelens" in str(caught.value)


def test_a_garbled_model_without_hash_is_refused_as_not_onnx(model_copy):
    manifest = json.loads((model_copy / "model.json").read_text())
    del manifest["sha256"]
    (model_copy / "model.json").write_text(json.dumps(manifest))
    (model_copy / "model.onnx").write_bytes(b"not an onnx graph")
    with pytest.raises(ModelError, match="not a valid ONNX model"):
        OnnxModel(model_copy)


@pytest.mark.parametrize("missing", ["model.onnx", "tokenizer.json", "model.json"])
def test_a_missing_file_is_refused_naming_it(model_copy, missing):
    (model_copy / missing).unlink()
    with pytest.raises(ModelError, match="is missing") as caught:
        OnnxModel(model_copy)
    assert missing in str(caught.value)


def test_a_manifest_without_labels_is_refused(model_copy):
    (model_copy / "model.json").write_text('{"name": "x"}')
    with pytest.raises(ModelError, match="labels"):
        OnnxModel(model_copy)


def test_a_manifest_that_is_not_json_is_refused(model_copy):
    (model_copy / "model.json").write_text("{labels: [")
    with pytest.raises(ModelError, match="cannot be read as JSON"):
        OnnxModel(model_copy)
