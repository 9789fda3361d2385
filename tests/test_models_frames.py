"""Learned frames: the reasons a frame is not learned, reproducible learning, the model
file's checks, and coding new articles (framelens.models.frames)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import ECONOMIC, OTHER, coded_sample

import framelens as fl
from framelens.errors import InputError, ModelError, OutputError
from framelens.models import frames as lf


@pytest.fixture(scope="module")
def model(learned_frames) -> lf.FrameModel:
    return lf.load_frame_model(learned_frames)


def test_unlearnable_names_the_frame_and_how_many_more_units():
    assert lf._unlearnable(np.array([1, 0] * 5)) == (
        "only 10 coded units; code at least 10 more (20 in all)")
    assert "never coded as present in 30 units" in lf._unlearnable(np.zeros(30, int))
    assert lf._unlearnable(np.array([1] * 3 + [0] * 27)) == (
        "coded as present in only 3 of 30 units; code at least 2 more units that use it")
    assert lf._unlearnable(np.array([1] * 28 + [0] * 2)).startswith(
        "coded as absent in only 2 of 30 units; code at least 3 more")
    assert lf._unlearnable(np.array([1] * 10 + [0] * 20)) == ""


def test_learn_learns_what_it_can_and_falls_back_for_the_rest(model):
    assert model.learned == ["conflict", "economic"]  # codebook order
    frames = model.frames
    assert frames["responsibility"].method == "dictionary"
    assert frames["morality"].note == (
        "never coded (the sheet has no frame_morality column); code it in at least 20 "
        "units, 5 of them with the frame")
    metrics = model.metrics.set_index("frame")
    # money articles use words of the economy: cross-validated F1 near 1, far above the
    # always-"used" rule (F1 of always saying yes with half the units positive = 2/3)
    assert metrics.loc["economic", "f1"] >= 0.9
    assert metrics.loc["economic", "always_f1"] == pytest.approx(2 / 3)
    assert metrics.loc["economic", "f1_lo"] <= metrics.loc["economic", "f1"] <= \
        metrics.loc["economic", "f1_hi"]
    assert metrics.loc["economic", "n_units"] == 40
    assert metrics.loc["economic", "n_present"] == 20
    # the out-of-fold codes are kept: one row per unit and frame
    v = model.validation
    assert len(v) == 40 * 5
    economic = v[v["frame"] == "economic"]
    tp = int(((economic.truth == 1) & (economic.predicted == 1)).sum())
    assert metrics.loc["economic", "sensitivity"] == pytest.approx(tp / 20)


def test_learn_reproduces_the_same_model_file(model, tmp_path):
    again = lf.learn_frames(coded_sample(), codebook="generic", seed=3)
    first = model.to_json()
    assert again.to_json() == first
    path = model.save(tmp_path / "generic.frames.json")
    loaded = lf.load_frame_model(path, codebook="generic")
    assert loaded.to_json() == first
    assert loaded.sha256 == model.sha256 and len(loaded.sha256) == 64
    pd.testing.assert_frame_equal(loaded.metrics, model.metrics, check_dtype=False)


def test_model_file_made_elsewhere_is_refused_with_the_fix(model, tmp_path):
    path = model.save(tmp_path / "m.json")
    payload = json.loads(path.read_text())
    payload["framelens_version"] = "0.0.1"
    other = tmp_path / "old.json"
    other.write_text(json.dumps(payload))
    with pytest.raises(ModelError, match="made by framelens 0.0.1.*framelens learn"):
        lf.load_frame_model(other)
    with pytest.raises(ModelError, match="learned for codebook generic .*not for ai"):
        lf.load_frame_model(path, codebook="ai")
    (tmp_path / "notes.json").write_text('{"a": 1}')
    with pytest.raises(ModelError, match="not a framelens frames model"):
        lf.load_frame_model(tmp_path / "notes.json")


def test_save_never_replaces_a_file_it_did_not_make(model, tmp_path):
    mine = tmp_path / "data.json"
    mine.write_text('{"my": "data"}')
    with pytest.raises(OutputError, match="exists"):
        model.save(mine)
    with pytest.raises(OutputError, match="not a framelens frames model"):
        model.save(mine, overwrite=True)
    assert mine.read_text() == '{"my": "data"}'


def test_sheet_with_a_bad_code_is_refused_naming_row_and_column():
    sheet = coded_sample()
    sheet.loc[4, "frame_economic"] = 2
    with pytest.raises(InputError, match=r"row 6 .*column frame_economic: 2 is not a code"):
        lf.learn_frames(sheet, codebook="generic")


def test_sheet_without_frame_columns_is_refused():
    with pytest.raises(InputError, match="no frame_<id> column of codebook generic"):
        lf.learn_frames(pd.DataFrame({"text": ["a"] * 30, "frame_x": 1}), codebook="generic")


def test_majority_of_coders_is_the_units_code():
    sheet = pd.DataFrame({"unit_id": ["u1"] * 3 + ["u2"] * 2, "text": ["t1"] * 3 + ["t2"] * 2,
                          "frame_economic": [1, 1, 0, 1, 0]})
    units = lf._unit_codes(sheet, fl.load_codebook("generic"), where="sheet")
    assert units.set_index("unit_id")["frame_economic"].to_dict() == {"u1": 1, "u2": 1}


def test_apply_codes_new_articles(model):
    articles = pd.DataFrame({
        "article_id": ["money", "weather"],
        "title": ["Costs soar", "Snow again"],
        "text": [" ".join(ECONOMIC), " ".join(OTHER)]})
    sentences = fl.split_sentences(articles)
    scores = fl.score_frames(sentences, fl.match_frames(sentences, codebook="generic"),
                             codebook="generic")
    applied = lf.apply_frames(sentences, scores, model, codebook="generic")
    assert list(applied.columns) == lf.APPLIED_COLUMNS
    eco = applied[applied.frame == "economic"].set_index("article_id")
    assert eco.loc["money", "used"] and not eco.loc["weather", "used"]
    assert eco.loc["money", "probability"] > 0.5 > eco.loc["weather", "probability"]
    assert set(applied.loc[applied.frame == "morality", "method"]) == {"dictionary"}
    assert applied.loc[applied.frame == "morality", "probability"].isna().all()
    with pytest.raises(ModelError, match="learned for codebook generic"):
        lf.apply_frames(sentences, scores, model, codebook="ai")


def test_a_sentence_sheet_learns_sentence_frames_that_code_articles():
    rows = []
    for i in range(40):
        economic = i % 2
        pool = ECONOMIC if economic else OTHER
        rows.append({"unit_id": f"s{i:02d}", "article_id": f"a{i // 4}", "sentence_id": i % 4,
                     "text": pool[i % 5], "frame_economic": economic})
    sheet = pd.DataFrame(rows)
    sheet.attrs["unit"] = "sentence"
    model = lf.learn_frames(sheet, codebook="generic", seed=1)
    assert model.unit == "sentence" and model.learned == ["economic"]
    assert model.metrics.set_index("frame").loc["economic", "f1"] >= 0.9
    articles = pd.DataFrame({"article_id": ["money", "weather"], "title": ["", ""],
                             "text": [" ".join(OTHER[:3] + ECONOMIC[:1]), " ".join(OTHER)]})
    sentences = fl.split_sentences(articles)
    sentences = sentences[sentences["kind"].isin(fl.ANALYSED_KINDS)]
    scores = fl.score_frames(sentences, fl.match_frames(sentences, codebook="generic"),
                             codebook="generic")
    applied = lf.apply_frames(sentences, scores, model, codebook="generic")
    eco = applied[applied.frame == "economic"].set_index("article_id")
    # one economic sentence is enough for the article; its probability is that sentence's
    assert eco.loc["money", "used"] and not eco.loc["weather", "used"]
    assert eco.loc["money", "probability"] > eco.loc["weather", "probability"]
