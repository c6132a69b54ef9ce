"""The twitch diary: format, strict and kind parsing (good, malformed, empty, oversize, hostile
files), and the summaries on the invented sample."""

import codecs

import numpy as np
import pandas as pd
import pytest

from utils import diary, tables

HEADER = "date,time,location,duration_s,caffeine_mg,sleep_h,stress,exercise,notes"


def _parse(body: str, header: str = HEADER):
    return diary.parse_diary(header + "\n" + body)


# ----------------------------------------------------------------------------- the sample
def test_sample_is_labelled_invented_and_parses_cleanly():
    path = diary.sample_path()
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#") and "INVENTED" in first
    p = diary.load_sample()
    assert p.rejected == [] and p.notes == []
    # an independent reader (the data-table reader, which also skips '#' lines) sees the
    # same number of rows
    assert len(p.entries) == len(tables.read_table("sample_twitch_diary.csv")) == 40
    assert p.entries["line"].min() == 5  # 3 comment lines + header: first entry on line 5
    assert set(p.entries["source"]) == {"sample_diary_invented"}


def test_sample_summaries_add_up():
    p = diary.load_sample()
    days = diary.per_day(p)
    assert days["n_twitches"].sum() == 40
    first, last = p.entries["date"].min(), p.entries["date"].max()
    assert len(days) == (last - first).days + 1  # every calendar day is listed
    assert (days["n_twitches"] == 0).sum() >= 1  # ... including one without entries
    assert diary.by_hour(p)["n_twitches"].sum() == 40
    assert len(diary.by_hour(p)) == 24
    locs = diary.by_location(p)
    assert locs["n_twitches"].sum() == 40
    assert locs["n_twitches"].is_monotonic_decreasing
    assert locs.iloc[0]["location"] == "left eyelid"
    ov = diary.overview(p)
    assert ov["n_entries"] == 40 and ov["n_days"] == len(days) and ov["n_locations"] == 3


def test_sample_associations_are_honest():
    a = diary.associations(diary.load_sample()).set_index("factor")
    assert list(a.index) == ["caffeine (mg)", "sleep (h)", "stress (0–10)"]
    # the invented diary was made with more twitches on stressful days
    assert a.loc["stress (0–10)", "spearman_rho"] > a.loc["stress (0–10)", "rho_needed"]
    assert "not proof of cause" in a.loc["stress (0–10)", "verdict"]
    for f in a.index:
        assert a.loc[f, "n_days"] <= 11
    note = diary.honest_note(10)
    assert "not a cause" in note and "0.63" in note


def test_critical_rho_matches_the_textbook_table():
    # two-sided 5 % critical values of r (df = n - 2): 0.632 for n = 10, 0.444 for n = 20
    assert diary._critical_rho(10) == pytest.approx(0.632, abs=0.001)
    assert diary._critical_rho(20) == pytest.approx(0.444, abs=0.001)
    assert diary._critical_rho(3) == np.inf


def test_perfect_monotone_diary_gives_rho_one():
    rows = []
    for d in range(1, 9):  # day d: d twitches, caffeine 50 d, sleep 10 - d/2
        for k in range(d):
            rows.append(f"2024-05-{d:02d},{8 + k:02d}:00,calf,3,{50 * d},{10 - d / 2},{d % 3},no,")
    a = diary.associations(_parse("\n".join(rows))).set_index("factor")
    assert a.loc["caffeine (mg)", "spearman_rho"] == pytest.approx(1.0)
    assert a.loc["sleep (h)", "spearman_rho"] == pytest.approx(-1.0)
    assert a.loc["caffeine (mg)", "p_value"] < 0.01


def test_checklist_separates_what_a_diary_can_and_cannot_answer():
    items = diary.checklist(diary.load_sample())
    cannot = [i["question"] for i in items if not i["diary_can_answer"]]
    assert any("weak" in q for q in cannot) and any("wasting" in q for q in cannot)
    assert any("swallowing" in q for q in cannot)
    two_weeks = items[0]
    assert two_weeks["diary_can_answer"] and "within two weeks" in two_weeks["answer"]
    long = _parse("2024-01-01,08:00,eyelid,10,,,,,\n2024-01-20,08:00,eyelid,10,,,,,")
    assert "more than two weeks" in diary.checklist(long)[0]["answer"]


# ----------------------------------------------------------------------------- good files
def test_good_variants_are_accepted():
    body = '2024-01-01,08:00,Left eyelid,10,100,7.5,3,yes,"coffee, then a walk"'
    base = _parse(body)
    assert len(base.entries) == 1 and not base.rejected
    e = base.entries.iloc[0]
    assert e["notes"] == "coffee, then a walk" and e["exercise"] == True  # noqa: E712
    assert e["stress"] == 3 and e["sleep_h"] == 7.5 and e["hour"] == 8
    text = HEADER + "\n" + body + "\n"
    for data in (
        codecs.BOM_UTF8 + text.encode(),  # Excel's 'CSV UTF-8'
        text.replace("\n", "\r\n").encode(),  # Windows line ends
        text.encode("utf-16"),
    ):  # UTF-16 with BOM
        p = diary.parse_bytes(data)
        assert len(p.entries) == 1 and not p.rejected
        assert p.entries.iloc[0]["notes"] == "coffee, then a walk"
    # shuffled, upper-case header; only the required columns; an unknown column is reported
    p = diary.parse_diary("Location,DURATION_S,Date,Time,mood\ncalf,2,2024-01-02,21:30,ok\n")
    assert len(p.entries) == 1 and p.entries.iloc[0]["location"] == "calf"
    assert any("mood" in n for n in p.notes)
    assert pd.isna(p.entries.iloc[0]["stress"]) and np.isnan(p.entries.iloc[0]["caffeine_mg"])


def test_windows_1252_is_read_with_a_note():
    text = HEADER + "\n2024-01-01,08:00,paupière gauche,10,,,,,\n"
    p = diary.parse_bytes(text.encode("cp1252"))
    assert p.entries.iloc[0]["location"] == "paupière gauche"
    assert p.encoding == "cp1252" and any("Windows-1252" in n for n in p.notes)


def test_header_only_is_an_empty_diary_not_an_error():
    p = diary.parse_diary(HEADER + "\n")
    assert len(p.entries) == 0 and p.rejected == []
    assert any("no entries" in n for n in p.notes)
    assert diary.per_day(p)["n_twitches"].sum() == 0
    assert diary.by_hour(p)["n_twitches"].sum() == 0
    assert diary.overview(p)["n_entries"] == 0
    assert not diary.associations(p)["spearman_rho"].notna().any()
    assert len(diary.checklist(p)) >= 5


# ----------------------------------------------------------------------------- malformed rows
MALFORMED = [
    ("2024-02-30,08:00,calf,3,,,,,", "not a real calendar day"),
    ("05/03/2024,08:00,calf,3,,,,,", "YYYY-MM-DD"),
    ("1850-01-01,08:00,calf,3,,,,,", "year outside"),
    ("2024-01-01,24:00,calf,3,,,,,", "not a time of day"),
    ("2024-01-01,8 am,calf,3,,,,,", "HH:MM"),
    ("2024-01-01,08:00,,3,,,,,", "location is empty"),
    ("2024-01-01,08:00,calf,,,,,,", "duration_s is empty"),
    ("2024-01-01,08:00,calf,0,,,,,", "outside the allowed range"),
    ("2024-01-01,08:00,calf,ten,,,,,", "not a plain number"),
    ("2024-01-01,08:00,calf,3,,25,,,", "sleep_h = 25 is outside"),
    ("2024-01-01,08:00,calf,3,,,3.5,,", "whole number"),
    ("2024-01-01,08:00,calf,3,,,11,,", "stress = 11 is outside"),
    ("2024-01-01,08:00,calf,3,,,,maybe,", "yes or no"),
    ("2024-01-01,08:00,calf,3", "has 4 cells"),
    ("2024-01-01,08:00,calf,3,,,,,,,", "has 11 cells"),
]


@pytest.mark.parametrize("row,reason", MALFORMED, ids=[r for _, r in MALFORMED])
def test_malformed_row_is_rejected_with_line_and_reason(row, reason):
    p = _parse("2024-01-01,07:00,calf,3,,,,,\n" + row + "\n2024-01-02,07:00,calf,3,,,,,")
    assert len(p.entries) == 2  # the good rows around it survive
    assert len(p.rejected) == 1
    r = p.rejected[0]
    assert r.line == 3 and reason in r.reason, r
    assert str(r).startswith("line 3: ")


def test_nothing_is_dropped_silently():
    rows = [good for good in ("2024-01-01,07:00,calf,3,,,,,", "2024-01-02,07:00,eye,3,,,,,")]
    rows += [row for row, _ in MALFORMED]
    text = "# a comment\n" + HEADER + "\n\n" + "\n".join(rows) + "\n# trailing comment\n"
    p = diary.parse_diary(text)
    assert len(p.entries) + len(p.rejected) == len(rows)
    assert sorted(r.line for r in p.rejected) == list(range(6, 6 + len(MALFORMED)))
    assert any("blank" in n for n in p.notes)


def test_line_numbers_survive_a_multi_line_quoted_cell():
    body = '2024-01-01,07:00,calf,3,,,,,"first line\nsecond line"\n2024-01-01,07:00,calf,3,,,99,,'
    p = _parse(body)
    # header on line 1, the two-line record on lines 2-3 (a line break inside a cell is
    # refused), the bad stress value on line 4
    assert [r.line for r in p.rejected] == [2, 4]
    assert "control characters" in p.rejected[0].reason
    assert "stress = 99" in p.rejected[1].reason


# ----------------------------------------------------------------------------- file-level
@pytest.mark.parametrize(
    "data,words",
    [
        (b"", "empty"),
        (b"   \n\n  \n", "empty"),
        (b"# only a comment\n# and another\n", "only comments"),
        (b"date,time,location\n2024-01-01,08:00,calf\n", "duration_s"),
        (b"date,date,time,location,duration_s\n", "more than once"),
        (b"date,time,location,duration_s\x00\n", "NUL"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL"),
    ],
)
def test_unusable_files_raise_a_kind_error(data, words):
    with pytest.raises(diary.DiaryError, match=words):
        diary.parse_bytes(data)


def test_oversize_files_are_refused_before_parsing():
    big = (HEADER + "\n" + "2024-01-01,07:00,calf,3,,,,,\n" * 40_000).encode()
    assert len(big) > diary.MAX_BYTES
    with pytest.raises(diary.DiaryError, match="at most"):
        diary.parse_bytes(big)
    with pytest.raises(diary.DiaryError, match="at most 100"):
        diary.parse_bytes(b"x" * 101, max_bytes=100)
    with pytest.raises(diary.DiaryError, match="characters"):
        diary.parse_diary("a" * (diary.MAX_BYTES + 1))


def test_row_cap(monkeypatch):
    monkeypatch.setattr(diary, "MAX_ROWS", 5)
    with pytest.raises(diary.DiaryError, match="more than 5 data rows"):
        _parse("\n".join(["2024-01-01,07:00,calf,3,,,,,"] * 6))


def test_read_diary_checks_size_on_disk(tmp_path):
    f = tmp_path / "big.csv"
    f.write_bytes(b"#" * (diary.MAX_BYTES + 1))
    with pytest.raises(diary.DiaryError, match="at most"):
        diary.read_diary(f)
    with pytest.raises(diary.DiaryError, match="no file"):
        diary.read_diary(tmp_path / "missing.csv")


# ----------------------------------------------------------------------------- hostile files
@pytest.mark.parametrize("cell", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")', "\t=1+1"])
def test_formula_like_cells_are_rejected(cell):
    quoted = '"' + cell.replace('"', '""') + '"'
    p = _parse(f"2024-01-01,07:00,{quoted},3,,,,,\n2024-01-01,08:00,calf,3,,,,,{quoted}")
    assert len(p.entries) == 0 and len(p.rejected) == 2
    assert all("spreadsheet formula" in r.reason for r in p.rejected)


@pytest.mark.parametrize(
    "value", ["1e308", "inf", "-inf", "nan", "NaN", "1,000", "1_000", "9" * 400, "0x10", "-5", "+5", " 3 3"]
)
def test_huge_or_odd_numbers_are_rejected(value):
    p = _parse(f'2024-01-01,07:00,calf,"{value}",,,,,')
    assert len(p.entries) == 0 and len(p.rejected) == 1
    assert "duration_s" in p.rejected[0].reason
    assert len(p.rejected[0].reason) < 200  # a long value is shortened in the message


def test_control_characters_long_cells_and_broken_quotes():
    text = (
        HEADER
        + "\n"
        + "2024-01-01,07:00,calf,3,,,,,bell\x07here\n"
        + "2024-01-01,07:00,calf,3,,,,,"
        + "x" * 2000
        + "\n"
        + "2024-01-01,07:00,calf,3,,,,,"
        + "y" * 200_000
        + "\n"  # beyond csv's limit
        + '2024-01-01,07:00,calf,3,,,,,"ok"x\n'
        + "2024-01-02,07:00,calf,3,,,,,fine\n"
        + '2024-01-03,07:00,calf,3,,,,,"never closed\n'
    )
    p = diary.parse_diary(text)
    assert list(p.entries["notes"]) == ["fine"]
    lines = [r.line for r in p.rejected]
    assert lines == [2, 3, 4, 5, 7], p.report()
    assert "control characters" in p.rejected[0].reason
    assert "longer than" in p.rejected[1].reason
    assert "not valid CSV" in p.rejected[4].reason
    assert all(len(r.text) <= diary.ECHO_CHARS for r in p.rejected)


def test_markup_is_kept_as_plain_text_by_the_parser():
    p = _parse("2024-01-01,07:00,<script>alert(1)</script>,3,,,,,<b>bold</b>")
    assert p.entries.iloc[0]["location"] == "<script>alert(1)</script>"


def test_non_text_input_is_refused():
    with pytest.raises(diary.DiaryError):
        diary.parse_diary(b"date")
    with pytest.raises(diary.DiaryError):
        diary.parse_bytes(12)
    with pytest.raises(diary.ParameterError):
        diary.per_day(pd.DataFrame({"x": [1]}))


def test_unpacking_and_report():
    entries, rejected = _parse("2024-01-01,07:00,calf,3,,,,,\n2024-01-01,07:00,calf,-1,,,,,")
    assert len(entries) == 1 and len(rejected) == 1
    rep = _parse("2024-01-01,07:00,calf,-1,,,,,").report()
    assert rep.startswith("0 entries accepted, 1 rejected.") and "line 2" in rep
