"""Claims about validation against human coding: the sample, the coding sheet, the
refusals, Krippendorff's alpha and framelens's agreement with the coders."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framelens as fl
from framelens.errors import EmptyInputError, InputError, MissingColumnError, OptionError
from framelens.validation import (
    AGREEMENT_COLUMNS,
    CONFUSION_COLUMNS,
    DISAGREEMENT_COLUMNS,
    PER_CLASS_COLUMNS,
    Validation,
    draw_sample,
    flag_frames,
    krippendorff_alpha,
    latest_validation,
    read_coding_sheet,
    validate,
    validation_html,
    write_coding_sheet,
)

# --- Krippendorff's alpha: the published worked example ------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, values 1-5, "." (here None) where an observer gave no value.
KRIPPENDORFF_2011 = [
    # unit: 1     2     3     4     5     6     7     8     9     10    11    12
    [1,    2,    3,    3,    2,    1,    4,    1,    2,    None, None, None],  # observer A
    [1,    2,    3,    3,    2,    2,    4,    1,    2,    5,    None, 3],     # observer B
    [None, 3,    3,    3,    2,    3,    4,    2,    2,    5,    1,    None],  # observer C
    [1,    2,    3,    3,    2,    4,    4,    1,    2,    5,    1,    None],  # observer D
]


@pytest.mark.parametrize(("level", "published"), [
    ("nominal", 0.743),
    ("ordinal", 0.815),
    ("interval", 0.849),
])
def test_alpha_matches_krippendorff_2011_worked_example(level, published):
    assert krippendorff_alpha(KRIPPENDORFF_2011, level=level) == pytest.approx(published,
                                                                                abs=5e-4)


def test_alpha_of_two_coders_matches_the_coincidence_matrix_by_hand():
    # units (1,1) (1,1) (0,0) (0,1): o_01 = o_10 = 1, n_0 = 3, n_1 = 5, n = 8
    by_hand = 1 - (8 - 1) * (1 + 1) / (2 * 3 * 5)
    assert krippendorff_alpha([[1, 1, 0, 0], [1, 1, 0, 1]]) == pytest.approx(by_hand)


@pytest.mark.parametrize("data", [
    [[1, 1, 1], [1, 1, 1]],            # no variation: alpha is 0/0
    [[1, None, 0], [None, 1, None]],   # no unit coded twice
])
def test_alpha_is_nan_when_undefined(data):
    assert math.isnan(krippendorff_alpha(data))


def test_alpha_refuses_an_unknown_level():
    with pytest.raises(OptionError, match="level"):
        krippendorff_alpha(KRIPPENDORFF_2011, level="ratio-ish")


# --- agreement of framelens with the coders, on hand-made sheets ----------------------------


def _sheet(codes: dict[str, list], *, measure: str = "frame_cooperation") -> pd.DataFrame:
    """A filled sheet in long format: ``codes`` maps coder → one code per unit."""
    rows = []
    for coder, values in codes.items():
        for i, value in enumerate(values, start=1):
            rows.append({"unit_id": f"u{i:02d}", "coder": coder, measure: value,
                         "title": f"story {i}", "text": f"Text of story {i}."})
    table = pd.DataFrame(rows)
    table[measure] = table[measure].astype("Int64")
    return table


def _machine(values: list, *, measure: str = "frame_cooperation") -> pd.DataFrame:
    return pd.DataFrame({"unit_id": [f"u{i:02d}" for i in range(1, len(values) + 1)],
                         f"machine_{measure}": pd.array(values, dtype="Int64")})


# Three coders on ten units; majority and framelens's code per unit:
#        u01 u02 u03 u04 u05 u06 u07 u08 u09 u10
# a       1   1   1   0   0   1   0   0   0   1
# b       1   1   0   0   0   1   0   1   0   1
# c       1   0   1   0   1   1   0   1   0   0
# major   1   1   1   0   0   1   0   1   0   1
# machine 1   1   0   1   0   1   0   0   0   1
#         TP  TP  FN  FP  TN  TP  TN  FN  TN  TP
THREE_CODERS = {"a": [1, 1, 1, 0, 0, 1, 0, 0, 0, 1],
                "b": [1, 1, 0, 0, 0, 1, 0, 1, 0, 1],
                "c": [1, 0, 1, 0, 1, 1, 0, 1, 0, 0]}
MACHINE = [1, 1, 0, 1, 0, 1, 0, 0, 0, 1]


def test_precision_recall_f1_match_hand_counts_against_the_majority():
    row = validate(_sheet(THREE_CODERS), _machine(MACHINE)).agreement.iloc[0]
    tp, fp, fn, tn = 4, 1, 2, 3
    assert row["precision"] == pytest.approx(tp / (tp + fp))            # 4/5
    assert row["recall"] == pytest.approx(tp / (tp + fn))               # 4/6
    assert row["f1"] == pytest.approx(2 * tp / (2 * tp + fp + fn))      # 8/11
    assert row["accuracy"] == pytest.approx((tp + tn) / 10)
    assert (row["n_positive_human"], row["n_positive_machine"]) == (tp + fn, tp + fp)
    assert (row["n_compared"], row["n_ties"], row["n_units"], row["n_coders"]) == (10, 0, 10, 3)


def test_alpha_between_coders_matches_the_coincidence_matrix_by_hand():
    row = validate(_sheet(THREE_CODERS), _machine(MACHINE)).agreement.iloc[0]
    # per unit n_0 * n_1 (pairs of unlike codes) over m_u - 1 = 2:
    # u02 1*2, u03 1*2, u05 2*1, u08 1*2, u10 1*2, others 0 → o_01 = 10 / 2
    o_01, n_0, n_1, n = 10 / 2, 15, 15, 30
    assert row["level"] == "nominal"
    assert row["alpha_coders"] == pytest.approx(1 - (n - 1) * o_01 / (n_0 * n_1))
    with_machine = [*THREE_CODERS.values(), MACHINE]
    assert row["alpha_with_machine"] == pytest.approx(krippendorff_alpha(with_machine))


def test_confusion_table_counts_every_pair_of_codes_including_zeros():
    confusion = validate(_sheet(THREE_CODERS), _machine(MACHINE)).confusion
    assert list(confusion.columns) == CONFUSION_COLUMNS
    counts = {(h, m): c for _, h, m, c in confusion.itertuples(index=False)}
    assert counts == {(1, 1): 4, (0, 1): 1, (1, 0): 2, (0, 0): 3}


def test_disagreements_name_the_units_strongest_first_with_their_codes():
    found = validate(_sheet(THREE_CODERS), _machine(MACHINE)).disagreements
    assert list(found.columns) == DISAGREEMENT_COLUMNS
    # u04: all three coders say 0, framelens 1 (distance 1); u03 and u08: two of three
    # coders say 1, framelens 0 (distance 2/3)
    assert found["unit_id"].tolist() == ["u04", "u03", "u08"]
    assert found["disagreement"].tolist() == pytest.approx([1.0, 2 / 3, 2 / 3])
    first = found.iloc[0]
    assert (first["human"], first["machine"], first["human_codes"]) == (0, 1, "a=0; b=0; c=0")
    assert first["excerpt"] == "Text of story 4."


def test_a_tie_between_coders_is_left_out_of_precision_and_counted():
    sheet = _sheet({"a": [1, 1, 0], "b": [0, 1, 0]})
    row = validate(sheet, _machine([0, 1, 0])).agreement.iloc[0]
    assert (row["n_ties"], row["n_compared"]) == (1, 2)
    assert row["accuracy"] == 1.0
    assert not math.isnan(row["alpha_with_machine"])


def test_one_coder_gives_nan_alpha_between_coders_with_a_note_and_machine_scores():
    human = [1, 1, 0, 0, -1, -1]
    machine = [1, 0, 0, 0, 1, -1]
    result = validate(_sheet({"ana": human}, measure="sentiment"),
                      _machine(machine, measure="sentiment"))
    row = result.agreement.iloc[0]
    assert math.isnan(row["alpha_coders"]) and "one coder" in row["note"]
    assert any("one coder" in note.lower() for note in result.notes)
    assert row["level"] == "ordinal"
    assert row["alpha_with_machine"] == pytest.approx(
        krippendorff_alpha([human, machine], level="ordinal"))
    # per class (precision, recall, F1): 1 → (1/2, 1/2, 2/4); 0 → (2/3, 2/2, 4/5);
    # -1 → (1/1, 1/2, 2/3); macro averages over the three classes
    assert row["precision"] == pytest.approx((1 / 2 + 2 / 3 + 1) / 3)
    assert row["recall"] == pytest.approx((1 / 2 + 1 + 1 / 2) / 3)
    assert row["f1"] == pytest.approx((2 / 4 + 4 / 5 + 2 / 3) / 3)
    assert row["accuracy"] == pytest.approx(4 / 6)
    assert (row["n_positive_human"], row["n_positive_machine"]) == (2, 2)


def test_interval_sentiment_is_available_and_named_in_the_table():
    result = validate(_sheet({"a": [1, 0, -1], "b": [1, 0, 0]}, measure="sentiment"),
                      sentiment_level="interval")
    row = result.agreement.iloc[0]
    assert row["level"] == "interval"
    assert row["alpha_coders"] == pytest.approx(
        krippendorff_alpha([[1, 0, -1], [1, 0, 0]], level="interval"))


def test_without_machine_codes_only_the_coders_are_measured():
    result = validate(_sheet(THREE_CODERS))
    row = result.agreement.iloc[0]
    assert not math.isnan(row["alpha_coders"])
    assert math.isnan(row["alpha_with_machine"]) and math.isnan(row["f1"])
    assert result.confusion.empty and result.disagreements.empty
    assert list(result.agreement.columns) == AGREEMENT_COLUMNS


def test_validate_refuses_an_unknown_sentiment_level():
    with pytest.raises(OptionError, match="sentiment_level"):
        validate(_sheet(THREE_CODERS), sentiment_level="nominal")


# --- drawing the sample ------------------------------------------------------------------

COOPERATION = "Officials praised the cooperation and partnership between the two countries."
SECURITY = "Officials warned of security threats and cyber attacks from hackers."


def _articles(sizes: dict[str, int]) -> pd.DataFrame:
    rows = [{"title": f"{outlet} story {i}", "outlet": outlet,
             "text": f"{COOPERATION if i % 2 else SECURITY} It happened on day {i} of the "
                     f"talks in {outlet}."}
            for outlet, n in sizes.items() for i in range(n)]
    return fl.read_articles(pd.DataFrame(rows))


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return _articles({"Alpha": 12, "Beta": 6, "Gamma": 2})


def test_same_seed_draws_the_same_sample_whatever_the_row_order(corpus):
    first = draw_sample(corpus, n=8, stratify="outlet", seed=7)
    again = draw_sample(corpus, n=8, stratify="outlet", seed=7)
    shuffled = draw_sample(corpus.sample(frac=1, random_state=3), n=8, stratify="outlet",
                           seed=7)
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, shuffled)


def test_another_seed_draws_another_sample(corpus):
    first = draw_sample(corpus, n=8, stratify="outlet", seed=7)
    other = draw_sample(corpus, n=8, stratify="outlet", seed=8)
    assert set(first["article_id"]) != set(other["article_id"])


@pytest.mark.parametrize(("sizes", "n", "expected"), [
    # quotas 4.8 / 2.4 / 0.8: floors 4 / 2 / 0, the two largest remainders (.8) get one more
    ({"Alpha": 12, "Beta": 6, "Gamma": 2}, 8, {"Alpha": 5, "Beta": 2, "Gamma": 1}),
    # quotas 5.0 / 4.5 / 0.5: 5 / 5 / 0 by remainders (tie to the larger stratum), then
    # Gamma takes one from Beta, whose share was rounded up most: at least one per stratum
    ({"Alpha": 50, "Beta": 45, "Gamma": 5}, 10, {"Alpha": 5, "Beta": 4, "Gamma": 1}),
    # fewer units than strata: the largest strata get them
    ({"Alpha": 6, "Beta": 3, "Gamma": 1}, 2, {"Alpha": 1, "Beta": 1}),
])
def test_stratified_sample_is_proportional_with_one_per_stratum(sizes, n, expected):
    sample = draw_sample(_articles(sizes), n=n, stratify="outlet", seed=0)
    assert sample["outlet"].value_counts().to_dict() == expected


def test_a_sample_larger_than_the_corpus_is_the_whole_corpus(corpus):
    sample = draw_sample(corpus, n=500, seed=0)
    assert sorted(sample["article_id"]) == sorted(corpus["article_id"])
    assert sample["unit_id"].tolist()[:2] == ["u001", "u002"]


def test_articles_without_text_are_left_out_of_the_sample(corpus):
    holed = corpus.copy()
    holed.loc[0, "text"] = "   "
    sample = draw_sample(holed, n=500, seed=0)
    assert corpus.loc[0, "article_id"] not in set(sample["article_id"])


def test_machine_codes_come_from_the_codebook_terms(corpus):
    sample = draw_sample(corpus, n=500, seed=0)
    cooperating = sample["text"].str.contains("cooperation")
    assert (sample.loc[cooperating, "machine_frame_cooperation"] == 1).all()
    assert (sample.loc[~cooperating, "machine_frame_cooperation"] == 0).all()
    assert sample.loc[cooperating, "machine_terms_cooperation"].str.contains("cooperat").all()
    assert set(sample["machine_sentiment"].dropna()) <= {-1, 0, 1}
    assert (sample["codebook"] == "ai 1.1.0").all()


@pytest.mark.parametrize(("options", "error"), [
    ({"n": 0}, OptionError),
    ({"n": 5, "unit": "paragraph"}, OptionError),
    ({"n": 5, "stratify": "leaning"}, MissingColumnError),
])
def test_draw_sample_refuses_bad_options(corpus, options, error):
    with pytest.raises(error):
        draw_sample(corpus, **options)


# --- the coding sheet ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(corpus) -> pd.DataFrame:
    return draw_sample(corpus, n=6, stratify="outlet", seed=1)


def _write(sample: pd.DataFrame, folder: Path, coders=("ana", "ben")) -> list[Path]:
    return write_coding_sheet(sample, folder / "sheet.csv", codebook="ai", coders=coders)


def _fill(path: Path, edit=None, *, copy_machine: bool = True) -> Path:
    """Fill a written sheet with framelens's own codes, apply ``edit``, save it back."""
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    machine = pd.read_csv(path.with_suffix(".machine.csv"), dtype=str,
                          keep_default_na=False, encoding="utf-8-sig").set_index("unit_id")
    for column in [c for c in sheet.columns if c.startswith("frame_")] + ["sentiment"]:
        sheet[column] = sheet["unit_id"].map(machine[f"machine_{column}"]) if copy_machine \
            else "0"
    if edit is not None:
        sheet = edit(sheet)
    sheet.to_csv(path, index=False)
    return path


def test_sheet_has_one_row_per_unit_and_coder_with_empty_code_columns(sample, tmp_path):
    sheet_path, guide, machine = _write(sample, tmp_path)
    assert (guide.name, machine.name) == ("sheet.codebook.md", "sheet.machine.csv")
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(sheet) == 2 * len(sample)
    assert sheet["coder"].tolist() == ["ana"] * 6 + ["ben"] * 6
    codes = [f"frame_{f}" for f in fl.load_codebook("ai").frame_ids] + ["sentiment"]
    assert (sheet[codes] == "").all().all()
    assert (sheet["codebook"] == "ai 1.1.0").all()


def test_machine_codes_of_articles_follow_the_codebook_threshold(tmp_path):
    # two matches needed: "cooperation and partnership" passes, one "cooperation" does not
    path = tmp_path / "strict.yml"
    path.write_text('name: strict\nversion: "1"\nthreshold: {matches: 2}\nframes:\n'
                    '  cooperation:\n    terms: [cooperat*, partnership]\n', encoding="utf-8")
    articles = fl.read_articles(pd.DataFrame({
        "title": ["One", "Two"], "outlet": "X",
        "text": ["Officials praised the cooperation and partnership of both sides.",
                 "Officials praised the cooperation of both sides."]}))
    sample = draw_sample(articles, n=10, seed=0, codebook=path).sort_values("title")
    assert sample["machine_hits_cooperation"].tolist() == [2, 1]
    assert sample["machine_frame_cooperation"].tolist() == [1, 0]
    # a sentence is coded present at one match: a threshold is the article's
    sentences = draw_sample(articles, n=10, seed=0, codebook=path, unit="sentence")
    one = sentences["text"].str.contains("cooperation of both")
    assert sentences.loc[one, "machine_frame_cooperation"].tolist() == [1]


def test_machine_codes_are_kept_off_the_sheet_and_in_their_own_file(sample, tmp_path):
    sheet_path, guide, machine_path = _write(sample, tmp_path)
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert not [c for c in sheet.columns if c.startswith(("machine_", "hits_", "polarity"))]
    machine = pd.read_csv(machine_path, encoding="utf-8-sig")
    assert machine["unit_id"].tolist() == sample["unit_id"].tolist()
    assert machine["machine_frame_cooperation"].tolist() == \
        sample["machine_frame_cooperation"].tolist()
    # coders judge meaning: the instructions describe frames but never list their terms
    text = guide.read_text(encoding="utf-8")
    wildcards = [t for f in fl.load_codebook("ai").frames for t in f.terms if "*" in t]
    assert wildcards and not [t for t in wildcards if t in text]
    for column in [*sheet.columns]:
        assert f"`{column}`" in text


@pytest.mark.parametrize("dangerous", [
    '=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3 officials",
    "@SUM(A1:A9)", "'=already quoted",
])
def test_formula_cells_are_neutralised_and_read_back_unchanged(corpus, tmp_path, dangerous):
    articles = corpus.head(2).assign(title=[dangerous, "plain"], outlet=["+Alpha", "Beta"])
    sample = draw_sample(articles, n=2, seed=0)
    sheet_path = _write(sample, tmp_path, coders=("ana",))[0]
    raw = pd.read_csv(sheet_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for column in raw.columns:
        for cell in raw[column]:
            assert not cell.startswith(("=", "+", "-", "@")), (column, cell)
    assert "'" + dangerous in set(raw["title"])
    back = read_coding_sheet(_fill(sheet_path))
    assert set(back["title"]) == {dangerous, "plain"}
    assert set(back["outlet"]) == {"+Alpha", "Beta"}


def test_the_stratifying_column_is_on_the_sheet_and_explained(corpus, tmp_path):
    leaning = corpus.assign(leaning=["left", "right"] * (len(corpus) // 2))
    sample = draw_sample(leaning, n=4, stratify="leaning", seed=0)
    assert sample["leaning"].value_counts().to_dict() == {"left": 2, "right": 2}
    sheet_path, guide, _ = _write(sample, tmp_path)
    assert "leaning" in pd.read_csv(sheet_path, encoding="utf-8-sig").columns
    assert "`leaning`" in guide.read_text(encoding="utf-8")


def test_validate_refuses_a_code_outside_the_allowed_values_in_a_table():
    sheet = _sheet({"a": [1, 0]}, measure="sentiment").assign(sentiment=[1, 3])
    with pytest.raises(InputError, match="'3'"):
        validate(sheet)


def test_an_existing_sheet_is_not_overwritten(sample, tmp_path):
    _write(sample, tmp_path)
    with pytest.raises(InputError, match="exists"):
        _write(sample, tmp_path)
    assert len(write_coding_sheet(sample, tmp_path / "sheet.csv", codebook="ai",
                                  overwrite=True)) == 3


def test_a_sheet_for_another_codebook_than_the_sample_is_refused(sample, tmp_path):
    with pytest.raises(OptionError, match="codebook"):
        write_coding_sheet(sample, tmp_path / "sheet.csv", codebook="generic")


# --- reading the filled sheet: refusals ------------------------------------------------------


def test_a_filled_sheet_reads_back_with_integer_codes(sample, tmp_path):
    sheet = read_coding_sheet(_fill(_write(sample, tmp_path)[0]))
    assert sheet["frame_cooperation"].dtype == "Int64"
    assert sheet.attrs["codebook"].name == "ai" and sheet.attrs["unit"] == "article"


def test_an_empty_code_is_refused_naming_row_and_column(sample, tmp_path):
    def blank(sheet):
        sheet.loc[3, "frame_security"] = ""
        return sheet

    path = _fill(_write(sample, tmp_path)[0], blank)
    with pytest.raises(InputError) as caught:
        read_coding_sheet(path)
    error = caught.value
    assert error.row == 3 + 2  # the header is row 1
    assert "frame_security" in str(error) and "--allow-missing" in error.fix
    assert error.path == str(path)


def test_allow_missing_treats_empty_codes_as_missing_data(sample, tmp_path):
    def blank(sheet):
        sheet.loc[3, "frame_security"] = ""
        return sheet

    path = _fill(_write(sample, tmp_path)[0], blank)
    sheet = read_coding_sheet(path, allow_missing=True)
    assert sheet["frame_security"].isna().sum() == 1
    result = validate(sheet, path.with_suffix(".machine.csv"))
    row = result.agreement.set_index("measure").loc["frame_security"]
    assert row["n_coders"] == 2
    assert any("empty" in note for note in result.notes)


def test_an_unknown_frame_column_is_refused_with_a_suggestion(sample, tmp_path):
    def rename(sheet):
        return sheet.rename(columns={"frame_economy": "frame_econmy"})

    path = _fill(_write(sample, tmp_path)[0], rename)
    with pytest.raises(InputError, match="frame_econmy") as caught:
        read_coding_sheet(path)
    assert "frame_economy" in caught.value.fix


@pytest.mark.parametrize(("column", "value"), [
    ("frame_cooperation", "2"), ("frame_cooperation", "yes"), ("sentiment", "5"),
    ("sentiment", "0.5"),
])
def test_a_code_outside_the_allowed_values_is_refused_naming_row_column_value(
        sample, tmp_path, column, value):
    def spoil(sheet):
        sheet.loc[4, column] = value
        return sheet

    with pytest.raises(InputError) as caught:
        read_coding_sheet(_fill(_write(sample, tmp_path)[0], spoil))
    assert caught.value.row == 4 + 2
    assert column in str(caught.value) and repr(value) in str(caught.value)


def test_codes_a_spreadsheet_saved_as_decimals_are_read(sample, tmp_path):
    def decimals(sheet):
        return sheet.assign(frame_cooperation=sheet["frame_cooperation"] + ".0")

    sheet = read_coding_sheet(_fill(_write(sample, tmp_path)[0], decimals))
    assert set(sheet["frame_cooperation"]) <= {0, 1}


def test_a_semicolon_separated_sheet_is_read(sample, tmp_path):
    path = _fill(_write(sample, tmp_path)[0])
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.to_csv(path, index=False, sep=";")
    assert len(read_coding_sheet(path)) == 12


@pytest.mark.parametrize("column", ["coder", "unit_id", "sentiment"])
def test_a_missing_required_column_is_refused(sample, tmp_path, column):
    path = _fill(_write(sample, tmp_path)[0], lambda s: s.drop(columns=column))
    with pytest.raises(MissingColumnError, match=column):
        read_coding_sheet(path)


def test_the_same_unit_twice_for_one_coder_is_refused(sample, tmp_path):
    def rename_coder(sheet):
        return sheet.assign(coder="ana")

    with pytest.raises(InputError, match="more than once"):
        read_coding_sheet(_fill(_write(sample, tmp_path)[0], rename_coder))


def test_a_sheet_checked_against_another_codebook_is_refused(sample, tmp_path):
    with pytest.raises(InputError, match="ai 1.1.0"):
        read_coding_sheet(_fill(_write(sample, tmp_path)[0]), codebook="generic")


# --- the whole loop on the seed article, by sentence -----------------------------------------


def test_sentence_sheet_of_the_seed_article_validates_the_machine_end_to_end(seed_path,
                                                                             tmp_path):
    sample = draw_sample(fl.read_articles(seed_path), n=15, unit="sentence", seed=0)
    assert sample["sentence_id"].notna().all() and sample["article_id"].nunique() == 1
    sheet_path = write_coding_sheet(sample, tmp_path / "sentences.csv", codebook="ai",
                                    coders=["ana", "ben", "cy"])[0]
    target = sample.iloc[0]
    flipped = str(1 - int(target["machine_frame_cooperation"]))

    def humans_overrule_first_unit(sheet):
        sheet.loc[sheet["unit_id"] == target["unit_id"], "frame_cooperation"] = flipped
        return sheet

    path = _fill(sheet_path, humans_overrule_first_unit)
    sheet = read_coding_sheet(path)
    assert sheet.attrs["unit"] == "sentence"
    result = validate(sheet, path.with_suffix(".machine.csv"))
    cooperation = result.agreement.set_index("measure").loc["frame_cooperation"]
    assert cooperation["alpha_coders"] == 1.0
    assert cooperation["accuracy"] == pytest.approx(14 / 15)
    first = result.disagreements.iloc[0]
    assert (first["unit_id"], first["measure"], first["disagreement"]) == (
        target["unit_id"], "frame_cooperation", 1.0)
    assert first["sentence_id"] == target["sentence_id"]
    assert first["excerpt"] == " ".join(target["text"].split())[:200]
    sentiment = result.agreement.set_index("measure").loc["sentiment"]
    assert sentiment["accuracy"] == 1.0 and sentiment["level"] == "ordinal"


# --- outputs: CSV, HTML, latest validation, flags ---------------------------------------------


def _validation(title: str = "story") -> Validation:
    sheet = _sheet(THREE_CODERS).assign(title=title)
    return validate(sheet, _machine(MACHINE), codebook="ai")


def test_validation_html_escapes_every_text_and_loads_nothing(tmp_path):
    page = validation_html(_validation(title="<script>alert(1)</script>"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "http" not in page
    assert "Cooperation and public good" in page and "nominal" in page


def test_to_csv_writes_the_tables_latest_validation_reads_back(tmp_path):
    paths = _validation().to_csv(tmp_path / "validation" / "ai-1-1-0" / "sheet")
    assert [p.name for p in paths] == ["validation.csv", "confusion.csv",
                                       "disagreements.csv", "notes.txt"]
    latest = latest_validation(tmp_path / "validation", codebook="ai")
    assert latest["measure"].tolist() == ["frame_cooperation"]
    assert latest["f1"].iloc[0] == pytest.approx(8 / 11)


def test_latest_validation_takes_the_newest_of_the_codebook(tmp_path):
    old = _validation().to_csv(tmp_path / "a")[0]
    new = _validation().to_csv(tmp_path / "b")[0]
    os.utime(old, (1_000_000, 1_000_000))
    assert latest_validation(tmp_path).attrs["path"] == str(new)
    os.utime(new, (900_000, 900_000))
    assert latest_validation(tmp_path, codebook=fl.load_codebook("ai")).attrs["path"] == str(old)
    assert latest_validation(tmp_path, codebook="generic") is None
    assert latest_validation(tmp_path / "nowhere") is None


def test_flag_frames_adds_alpha_f1_and_reliability_to_a_frame_table():
    agreement = pd.DataFrame({"measure": ["frame_cooperation", "frame_security", "sentiment"],
                              "alpha_with_machine": [0.81, 0.52, 0.9], "f1": [0.9, 0.6, 0.8]})
    table = pd.DataFrame({"frame": ["cooperation", "security", "economy"], "share": [1, 2, 3]})
    flagged = flag_frames(table, agreement)
    assert flagged["validation_alpha"].tolist()[:2] == [0.81, 0.52]
    assert np.isnan(flagged["validation_alpha"].iloc[2])
    assert flagged["validation_f1"].tolist()[:2] == [0.9, 0.6]
    assert flagged["reliable"].tolist() == [True, False, pd.NA]
    assert flag_frames(table, agreement, min_alpha=0.5)["reliable"].tolist()[:2] == [True, True]
    assert list(flagged.columns[:2]) == ["frame", "share"]


def test_flag_frames_without_a_validation_marks_every_frame_unknown():
    flagged = flag_frames(pd.DataFrame({"frame": ["cooperation"]}), None)
    assert flagged["reliable"].isna().all() and flagged["validation_alpha"].isna().all()


def test_flag_frames_refuses_a_table_without_frames():
    with pytest.raises(MissingColumnError, match="frame"):
        flag_frames(pd.DataFrame({"group": ["a"]}), None)


# --- the command line -------------------------------------------------------------------


def _has_commands(*names: str) -> bool:
    import argparse

    from framelens.cli import build_parser

    commands = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return bool(commands) and all(name in commands[0].choices for name in names)


def test_cli_has_the_sample_and_validate_commands():
    assert _has_commands("sample", "validate")



def test_cli_samples_then_validates_and_writes_the_page(tmp_path, capsys, monkeypatch):
    from framelens.cli import main

    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "corpus.csv"
    _articles({"Alpha": 6, "Beta": 4}).drop(columns="article_id").to_csv(corpus, index=False)
    assert main(["sample", str(corpus), "--n", "5", "--stratify", "outlet",
                 "--coders", "ana", "ben", "--out", "coding/sheet.csv"]) == 0
    out = capsys.readouterr().out
    assert "coding/sheet.csv" in out and "sheet.machine.csv" in out
    _fill(tmp_path / "coding" / "sheet.csv")
    assert main(["validate", "coding/sheet.csv", "--out", "validation"]) == 0
    assert (tmp_path / "validation" / "ai-1-1-0" / "sheet" / "validation.html").is_file()
    assert latest_validation(tmp_path / "validation", codebook="ai") is not None


def test_cli_validate_with_an_empty_code_exits_2_naming_row_and_fix(sample, tmp_path, capsys):
    from framelens.cli import main

    def blank(sheet):
        sheet.loc[0, "sentiment"] = ""
        return sheet

    path = _fill(_write(sample, tmp_path)[0], blank)
    assert main(["validate", str(path), "--out", str(tmp_path / "v")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "row 2" in err and "--allow-missing" in err


# --- tone toward actors: mention units (issue 11) ---------------------------------------------

# One actor per sentence, in sentences whose tone toward the actor is plain, so the tone
# model's codes are known: +1, -1, 0, +1, -1, 0 in this order.
TONE_SENTENCES = {
    "Voters praised Joe Biden for his brave leadership.": 1,
    "Critics accused Nancy Pelosi of lying to voters.": -1,
    "Donald Trump said the meeting would be held on Monday.": 0,
    "Supporters thanked Donald Trump for the generous gift.": 1,
    "Angry protesters blamed Joe Biden for the deadly crisis.": -1,
    "Mitch McConnell will visit the factory on Tuesday.": 0,
}
# The coders' codes (ana, ben, cy) per sentence, their majority, and framelens's code:
#   S1 ( 1, 1, 1) maj  1, framelens  1      S4 ( 1, 1, 0) maj  1, framelens  1
#   S2 (-1,-1,-1) maj -1, framelens -1      S5 (-1, 0,-1) maj -1, framelens -1
#   S3 ( 0, 0, 1) maj  0, framelens  0      S6 ( 0,-1,-1) maj -1, framelens  0  <- disagree
HAND_TONE = dict(zip(TONE_SENTENCES, [(1, 1, 1), (-1, -1, -1), (0, 0, 1), (1, 1, 0),
                                      (-1, 0, -1), (0, -1, -1)]))


def _mention_corpus() -> pd.DataFrame:
    sentences = list(TONE_SENTENCES)
    rows = [{"title": f"Alpha story {i}", "outlet": "Alpha",
             "text": f"{sentences[2 * i]} {sentences[2 * i + 1]}"} for i in range(2)]
    rows.append({"title": "Beta story", "outlet": "Beta", "text": " ".join(sentences[4:])})
    return fl.read_articles(pd.DataFrame(rows))


@pytest.fixture(scope="module")
def mention_sample() -> pd.DataFrame:
    # n above the six mentions: the whole pool, in a seeded order
    return draw_sample(_mention_corpus(), n=10, unit="mention", actors="us-politics",
                       stratify="outlet", seed=3)


def _fill_tone(path: Path, sample: pd.DataFrame, edit=None) -> Path:
    """Give each coder of a written mention sheet the codes of HAND_TONE."""
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    sentence = dict(zip(sample["unit_id"], sample["text"]))
    which = {"ana": 0, "ben": 1, "cy": 2}
    sheet["tone"] = [str(HAND_TONE[sentence[u]][which[c]])
                     for u, c in zip(sheet["unit_id"], sheet["coder"])]
    if edit is not None:
        sheet = edit(sheet)
    sheet.to_csv(path, index=False)
    return path


def _write_mentions(sample: pd.DataFrame, folder: Path) -> list[Path]:
    return write_coding_sheet(sample, folder / "tone.csv", coders=["ana", "ben", "cy"])


def test_mention_sample_is_one_unit_per_actor_and_sentence_with_the_model_codes(
        mention_sample):
    assert len(mention_sample) == 6 and mention_sample["unit_id"].tolist()[0] == "u001"
    assert set(mention_sample["text"]) == set(TONE_SENTENCES)
    marked = [t[a:b] for t, a, b in mention_sample[["text", "start", "end"]].itertuples(
        index=False)]
    assert marked == mention_sample["mention"].tolist()
    assert (mention_sample["actors"] == "us-politics 1.0.0").all()
    assert mention_sample["tone_model"].str.contains("sha256:").all()
    # the sentences are plain enough that the tone model must read them as written
    expected = mention_sample["text"].map(TONE_SENTENCES).tolist()
    assert mention_sample["machine_tone"].tolist() == expected


def test_mention_sample_is_reproducible_and_stratified_by_outlet():
    corpus = _mention_corpus()
    first = draw_sample(corpus, n=3, unit="mention", actors="us-politics",
                        stratify="outlet", seed=5)
    shuffled = draw_sample(corpus.iloc[::-1], n=3, unit="mention", actors="us-politics",
                           stratify="outlet", seed=5)
    pd.testing.assert_frame_equal(first, shuffled)
    # Alpha has 4 of the 6 mentions: quotas 2.0 / 1.0
    assert first["outlet"].value_counts().to_dict() == {"Alpha": 2, "Beta": 1}


def test_mention_sample_without_a_list_uses_the_names_the_articles_mention():
    sample = draw_sample(_mention_corpus(), n=10, unit="mention", seed=0)
    assert set(sample["actor"]) == {"Joe Biden", "Nancy Pelosi", "Donald Trump",
                                    "Mitch McConnell"}
    assert (sample["actors"] == "names in the articles").all()


def test_mention_sheet_marks_the_mention_and_keeps_the_model_codes_from_the_coders(
        mention_sample, tmp_path):
    sheet_path, guide, machine_path = _write_mentions(mention_sample, tmp_path)
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(sheet.columns) == ["unit_id", "actors", "article_id", "sentence_id", "outlet",
                                   "title", "actor", "label", "mention", "coder", "tone",
                                   "comment", "text"]
    assert len(sheet) == 3 * 6 and (sheet["tone"] == "").all()
    first = sheet.iloc[0]
    assert f"[[{first['mention']}]]" in first["text"]
    # nothing of the model on the sheet or in the instructions
    assert not [c for c in sheet.columns if c.startswith(("machine_", "tone_"))]
    assert not sheet.apply(lambda col: col.str.contains("positive|negative|neutral")).any().any()
    text = guide.read_text(encoding="utf-8")
    assert "machine" not in text and "tone-newsmtsc" not in text
    assert all(f"`{column}`" in text for column in sheet.columns)
    assert "not your own opinion" in text and "[[" in text
    machine = pd.read_csv(machine_path, encoding="utf-8-sig")
    assert machine["unit_id"].tolist() == mention_sample["unit_id"].tolist()
    assert machine["machine_tone"].tolist() == mention_sample["machine_tone"].tolist()
    assert machine["tone_model"].str.contains("sha256:").all()


def test_mention_instructions_escape_markdown_and_html_of_the_actor_list(tmp_path):
    actor_file = tmp_path / "mine.yml"
    actor_file.write_text(
        "name: mine\nversion: '1'\ntitle: My <b>list</b>\nactors:\n"
        "  biden:\n    label: Joe *Biden*\n    description: <script>alert(1)</script> [x](y)\n"
        "    names: [Joe Biden]\n", encoding="utf-8")
    sample = draw_sample(_mention_corpus(), n=2, unit="mention", actors=actor_file, seed=0)
    text = write_coding_sheet(sample, tmp_path / "s.csv")[1].read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text and "<b>" not in text
    assert "Joe \\*Biden\\*" in text and "\\[x\\](y)" in text


def test_mention_validation_matches_hand_counts(mention_sample, tmp_path):
    path = _fill_tone(_write_mentions(mention_sample, tmp_path)[0], mention_sample)
    sheet = read_coding_sheet(path)
    assert sheet.attrs["unit"] == "mention" and sheet.attrs["actors"] == "us-politics 1.0.0"
    result = validate(sheet, path.with_suffix(".machine.csv"))
    assert result.unit == "mention" and result.codebook == "us-politics 1.0.0"
    ordinal, nominal = result.agreement.to_dict("records")
    assert (ordinal["measure"], ordinal["level"], nominal["level"]) == (
        "tone", "ordinal", "nominal")
    # coincidence matrix of the coders (pairs within a unit weigh 1 / (3 - 1)):
    # o(-1,-1) = 5, o(0,0) = 1, o(1,1) = 4, o(-1,0) = o(0,-1) = 2, o(0,1) = o(1,0) = 2;
    # n(-1) = 7, n(0) = 5, n(1) = 6, n = 18
    n, n_neg, n_neu, n_pos = 18, 7, 5, 6
    nominal_by_hand = 1 - (n - 1) * 8 / (n ** 2 - n_neg ** 2 - n_neu ** 2 - n_pos ** 2)
    assert nominal["alpha_coders"] == pytest.approx(nominal_by_hand)     # 78/214 = 0.364
    # ordinal distances: d(-1,0) = ((7 + 5) / 2)^2 = 36, d(0,1) = ((5 + 6) / 2)^2 = 30.25,
    # d(-1,1) = (18 - (7 + 6) / 2)^2 = 132.25
    observed = 2 * 36 + 2 * 30.25
    expected = n_neg * n_neu * 36 + n_neu * n_pos * 30.25 + n_neg * n_pos * 132.25
    assert ordinal["alpha_coders"] == pytest.approx(1 - (n - 1) * observed / expected)  # 0.708
    codes = [[HAND_TONE[t][k] for t in mention_sample["text"]] for k in range(3)]
    machine = mention_sample["machine_tone"].tolist()
    assert nominal["alpha_with_machine"] == pytest.approx(
        krippendorff_alpha([*codes, machine], level="nominal"))
    assert ordinal["alpha_with_machine"] == pytest.approx(
        krippendorff_alpha([*codes, machine], level="ordinal"))
    # per class against the majority: negative P 2/2 R 2/3 F1 4/5; neutral P 1/2 R 1/1
    # F1 2/3; positive P = R = F1 = 1
    per_class = result.per_class.set_index("class")
    assert list(result.per_class.columns) == PER_CLASS_COLUMNS
    assert per_class.loc["negative", ["precision", "recall", "f1"]].tolist() == \
        pytest.approx([1, 2 / 3, 4 / 5])
    assert per_class.loc["neutral", ["precision", "recall", "f1"]].tolist() == \
        pytest.approx([1 / 2, 1, 2 / 3])
    assert per_class.loc["positive", ["precision", "recall", "f1"]].tolist() == \
        pytest.approx([1, 1, 1])
    assert per_class.loc["negative", ["n_human", "n_machine"]].tolist() == [3, 2]
    macro_f1 = (4 / 5 + 2 / 3 + 1) / 3                                   # 37/45 = 0.822
    assert per_class.loc["macro", "f1"] == pytest.approx(macro_f1)
    for row in (ordinal, nominal):
        assert row["f1"] == pytest.approx(macro_f1)
        assert row["precision"] == pytest.approx((1 + 1 / 2 + 1) / 3)
        assert row["recall"] == pytest.approx((2 / 3 + 1 + 1) / 3)
        assert row["accuracy"] == pytest.approx(5 / 6)
        assert (row["n_compared"], row["n_ties"], row["n_coders"]) == (6, 0, 3)
    counts = {(h, m): c for _, h, m, c in result.confusion.itertuples(index=False)}
    assert counts == {(-1, -1): 2, (-1, 0): 1, (-1, 1): 0, (0, -1): 0, (0, 0): 1, (0, 1): 0,
                      (1, -1): 0, (1, 0): 0, (1, 1): 2}
    (worst,) = result.disagreements.to_dict("records")
    assert (worst["actor"], worst["mention"], worst["human"], worst["machine"]) == (
        "republicans", "Mitch McConnell", -1, 0)
    assert worst["disagreement"] == pytest.approx(2 / 3)
    assert worst["human_codes"] == "ana=0; ben=-1; cy=-1"
    assert "[[Mitch McConnell]]" in worst["excerpt"] and "neutral 0.9" in worst["machine_detail"]


def test_mention_validation_writes_per_class_csv_and_an_escaped_page(mention_sample, tmp_path):
    path = _fill_tone(_write_mentions(mention_sample, tmp_path)[0], mention_sample)
    result = validate(read_coding_sheet(path), path.with_suffix(".machine.csv"))
    names = [p.name for p in result.to_csv(tmp_path / "out")]
    assert names == ["validation.csv", "confusion.csv", "disagreements.csv", "per_class.csv",
                     "notes.txt"]
    page = validation_html(result)
    assert "tone toward actors" in page and "Per class" in page and "macro-F1" in page
    assert "[[Mitch McConnell]]" in page and "<script" not in page
    # a tone validation holds no frame figures: the reports' lookup passes over it
    assert latest_validation(tmp_path / "out") is None


@pytest.mark.parametrize("value", ["positive", "2", "0.5"])
def test_a_tone_code_outside_minus_one_to_one_is_refused_with_row_and_fix(
        mention_sample, tmp_path, value):
    def spoil(sheet):
        sheet.loc[4, "tone"] = value
        return sheet

    path = _fill_tone(_write_mentions(mention_sample, tmp_path)[0], mention_sample, spoil)
    with pytest.raises(InputError) as caught:
        read_coding_sheet(path)
    error = caught.value
    assert (error.path, error.row) == (str(path), 4 + 2)
    assert "'tone'" in str(error) and repr(value) in str(error)
    assert "-1 negative, 0 neutral, 1 positive" in error.fix


@pytest.mark.parametrize("column", ["tone", "mention", "unit_id", "coder"])
def test_a_mention_sheet_missing_a_column_is_refused(mention_sample, tmp_path, column):
    path = _fill_tone(_write_mentions(mention_sample, tmp_path)[0], mention_sample,
                      lambda s: s.drop(columns=column))
    with pytest.raises(MissingColumnError, match=column) as caught:
        read_coding_sheet(path)
    assert caught.value.path == str(path)


def test_a_mention_sheet_with_a_sentiment_column_is_refused(mention_sample, tmp_path):
    path = _fill_tone(_write_mentions(mention_sample, tmp_path)[0], mention_sample,
                      lambda s: s.assign(sentiment="0"))
    with pytest.raises(InputError, match="tone only"):
        read_coding_sheet(path)


def test_a_mention_sheet_without_its_machine_codes_is_refused(mention_sample, tmp_path):
    path = _fill_tone(_write_mentions(mention_sample, tmp_path)[0], mention_sample)
    with pytest.raises(InputError) as caught:
        validate(read_coding_sheet(path))
    assert caught.value.path == str(path.with_suffix(".machine.csv"))
    assert "--machine" in caught.value.fix


def test_a_machine_file_of_another_sheet_is_refused(mention_sample, tmp_path):
    path = _fill_tone(_write_mentions(mention_sample, tmp_path)[0], mention_sample)
    machine = pd.read_csv(path.with_suffix(".machine.csv"), encoding="utf-8-sig")
    machine["mention"] = machine["mention"].iloc[::-1].to_numpy()
    with pytest.raises(InputError, match="does not belong"):
        validate(read_coding_sheet(path), machine)


def test_an_article_machine_file_for_a_mention_sheet_is_refused_naming_it(
        mention_sample, sample, tmp_path):
    path = _fill_tone(_write_mentions(mention_sample, tmp_path)[0], mention_sample)
    article_machine = _write(sample, tmp_path / "articles")[2]
    with pytest.raises(MissingColumnError, match="machine_tone") as caught:
        validate(read_coding_sheet(path), article_machine)
    assert caught.value.path == str(article_machine)


def test_draw_sample_refuses_actors_for_other_units_and_a_list_that_matches_nothing(
        tmp_path):
    with pytest.raises(OptionError, match="unit='mention'"):
        draw_sample(_mention_corpus(), n=2, unit="sentence", actors="us-politics")
    nobody = tmp_path / "nobody.yml"
    nobody.write_text("name: nobody\nversion: '1'\nactors:\n  zed:\n    names: [Zed Zedson]\n",
                      encoding="utf-8")
    with pytest.raises(EmptyInputError, match="nobody 1"):
        draw_sample(_mention_corpus(), n=2, unit="mention", actors=nobody)
def test_codebook_labels_are_escaped_in_the_coding_instructions(sample, tmp_path):
    import yaml

    book = yaml.safe_load((Path(fl.__file__).parent / "codebooks" / "ai.yml").read_text())
    first = next(iter(book["frames"]))
    book["frames"][first]["label"] = "<script>alert(1)</script> **Win**"
    book["frames"][first]["description"] = "# Not a heading; [link](http://evil.example)"
    path = tmp_path / "book.yml"
    path.write_text(yaml.safe_dump(book))
    drawn = sample.assign(codebook=f"{book['name']} {book['version']}")
    guide = write_coding_sheet(drawn, tmp_path / "sheet.csv", codebook=str(path))[1]
    text = guide.read_text(encoding="utf-8")
    assert "<script>" not in text and "**Win**" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\*\\*Win\\*\\*" in text
    assert "\\# Not a heading; \\[link\\](http://evil.example)" in text


# --- drawing where learned frames are least sure -----------------------------------------


def test_sample_uncertain_draws_a_random_share_then_the_least_certain(learned_frames):
    from conftest import ECONOMIC, OTHER

    from framelens.models.frames import uncertain_units

    rows = []
    for i in range(20):  # from all-economy to no economy: the model is unsure in between
        k = i % 5
        rows.append({"article_id": f"a{i:02d}", "title": f"Story {i}",
                     "text": " ".join(ECONOMIC[:k] + OTHER[: 5 - k])})
    articles = pd.DataFrame(rows)
    sample = draw_sample(articles, n=10, codebook="generic", uncertain=learned_frames,
                         random_share=0.2, seed=4)
    assert len(sample) == 10
    assert sample["drawn"].value_counts().to_dict() == {"uncertain": 8, "random": 2}
    ranked = uncertain_units(learned_frames, articles, n=20, codebook="generic",
                             random_share=0.0)
    randoms = set(sample.loc[sample["drawn"] == "random", "article_id"])
    expected = [a for a in ranked["article_id"] if a not in randoms][:8]
    assert set(sample.loc[sample["drawn"] == "uncertain", "article_id"]) == set(expected)
    # the most uncertain are the mixed articles, not the pure ones
    assert ranked["uncertainty"].is_monotonic_decreasing
    again = draw_sample(articles, n=10, codebook="generic", uncertain=learned_frames,
                        random_share=0.2, seed=4)
    pd.testing.assert_frame_equal(sample, again)
    with pytest.raises(OptionError, match="cannot be combined with unit='sentence'"):
        draw_sample(articles, n=5, unit="sentence", codebook="generic",
                    uncertain=learned_frames)
    done = draw_sample(articles, n=30, codebook="generic", uncertain=learned_frames,
                       exclude=["a00", "a01"])
    assert len(done) == 18 and not {"a00", "a01"} & set(done["article_id"])


def test_error_codes_rebuild_units_from_a_saved_confusion_table(tmp_path):
    from framelens.validation import error_codes

    folder = tmp_path / "v"
    folder.mkdir()
    pd.DataFrame({"measure": ["frame_a"] * 4 + ["sentiment"], "human": [1, 1, 0, 0, 1],
                  "machine": [1, 0, 1, 0, 1], "count": [5, 1, 2, 12, 9]}).to_csv(
        folder / "confusion.csv", index=False)
    codes = error_codes(folder)
    assert len(codes) == 20 and set(codes["frame"]) == {"a"}
    assert int(((codes.truth == 1) & (codes.predicted == 1)).sum()) == 5
    assert int(((codes.truth == 0) & (codes.predicted == 1)).sum()) == 2
    assert error_codes(tmp_path / "nothing").empty
