"""The Aurora DMC .ddf reader: the two real files, and refusal of malformed ones by line."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.sources.ddf import DDFFormatError, parse_ddf, read_ddf

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "workloopR"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="offline data cache not present")

# A small synthetic file in the same layout as the real ones (DMC v5.3): 20 samples at 10 kHz,
# protocol Stop at 0.002 s, DMC's closing all-zero row at sample 20.
_HEAD = """DMCv5.3 Data File
Sample Frequency (Hz): 10000
Reference Area: NaN sq. mm
Calibration Data:
Channel\tAI0\tAI1\tAI2
Units\tmm\tmN\tTTL
Scale (units/V)\t1.000000\t500.000000\t0.200000
Offset (volts)\t0.000000\t0.010000\t0.000000
TADs\t0.000000\t0.000000\t0.000000
Test Comments:


Protocol Array:

0.000000\tStimulus-Twitch\tStimulator\t.0005,.2\t
0.002000\tStop\t\t\t


Test Data in Volts:

Sample\tAI0\tAI1\tAI2\tStim
"""
N_HEAD_LINES = _HEAD.count("\n")  # the first data row is line N_HEAD_LINES + 1


def _synthetic(n=20, closing_row=True):
    rows = []
    for k in range(n):
        stim = 1 if k in (5, 6) else 0
        rows.append(f"{k}\t{-6 + 0.001 * k:.6f}\t{0.4 + 0.01 * k:.6f}\t{4.0 * stim:.6f}\t{stim}")
    if closing_row:
        rows.append(f"{n}\t0.000000\t0.000000\t0.000000\t0")
    return _HEAD + "\n".join(rows) + "\n"


def test_synthetic_file_parses_with_scales_and_offsets():
    d = parse_ddf(_synthetic(), "synthetic.ddf")
    assert d.fs_Hz == 10000 and d.n_samples == 20  # closing all-zero row dropped
    assert d.channels == ("AI0", "AI1", "AI2")
    assert d.units == {"AI0": "mm", "AI1": "mN", "AI2": "TTL"}
    np.testing.assert_allclose(d.time_s, np.arange(20) / 1e4)
    # (volts + offset) * scale, as workloopR::read_ddf
    np.testing.assert_allclose(d.channel("AI1"), (0.4 + 0.01 * np.arange(20) + 0.01) * 500)
    np.testing.assert_allclose(d.channel("AI0"), -6 + 0.001 * np.arange(20))
    assert list(np.flatnonzero(d.stim)) == [5, 6]
    assert d.protocol[0][:2] == (0.0, "Stimulus-Twitch") and d.protocol[1][:2] == (0.002, "Stop")
    with pytest.raises(KeyError, match="AI7"):
        d.channel("AI7")


def test_file_without_closing_row_is_also_complete():
    assert parse_ddf(_synthetic(closing_row=False), "x.ddf").n_samples == 20


def _line_of(err: DDFFormatError, text: str) -> str:
    return text.splitlines()[err.line_no - 1]


def test_bad_number_names_its_line():
    text = _synthetic().replace("7\t-5.993000", "7\t-5.99x000")
    with pytest.raises(DDFFormatError, match=r"line \d+: value '-5.99x000' is not a number") as ei:
        parse_ddf(text, "bad.ddf")
    assert ei.value.line_no == N_HEAD_LINES + 8
    assert _line_of(ei.value, text).startswith("7\t")
    assert "bad.ddf" in str(ei.value)


def test_missing_row_out_of_sequence_names_its_line():
    lines = _synthetic().splitlines(keepends=True)
    del lines[N_HEAD_LINES + 3]  # drop sample 3
    text = "".join(lines)
    with pytest.raises(DDFFormatError, match="sample index 4 out of sequence") as ei:
        parse_ddf(text, "gap.ddf")
    assert _line_of(ei.value, text).startswith("4\t")


def test_truncated_mid_line_names_the_last_line():
    text = _synthetic()
    cut = text[: text.index("12\t") + 8]  # the file stops inside sample 12
    with pytest.raises(DDFFormatError, match=r"data row has \d fields") as ei:
        parse_ddf(cut, "cut.ddf")
    assert ei.value.line_no == N_HEAD_LINES + 13 == len(cut.splitlines())


def test_truncated_at_a_line_boundary_is_caught_by_the_protocol_length():
    text = _synthetic()
    cut = text[: text.index("12\t")]  # whole rows 0..11 only
    with pytest.raises(DDFFormatError, match=r"after 12 samples.*0.002 s = 20 samples.*truncated"):
        parse_ddf(cut, "cut.ddf")


def test_header_problems_name_their_line():
    text = _synthetic()
    with pytest.raises(DDFFormatError, match="line 1: not a DMC data file"):
        parse_ddf("hello\n" + text, "x.ddf")
    bad_scale = text.replace("500.000000", "five hundred")
    with pytest.raises(DDFFormatError, match="line 7: scale of AI1 'five hundred' is not a number"):
        parse_ddf(bad_scale, "x.ddf")
    with pytest.raises(DDFFormatError, match="Sample Frequency"):
        parse_ddf(text.replace("Sample Frequency (Hz): 10000\n", ""), "x.ddf")
    with pytest.raises(DDFFormatError, match="sample frequency must be > 0"):
        parse_ddf(text.replace("(Hz): 10000", "(Hz): 0"), "x.ddf")
    with pytest.raises(DDFFormatError, match="no 'Offset \\(volts\\)' row"):
        parse_ddf(text.replace("Offset (volts)", "Offsets"), "x.ddf")
    with pytest.raises(DDFFormatError, match="data column header"):
        parse_ddf(text.replace("Sample\tAI0\tAI1\tAI2\tStim", "Sample\tAI0\tAI1\tStim"), "x.ddf")
    with pytest.raises(DDFFormatError, match="Stim must be 0 or 1"):
        parse_ddf(text.replace("\t4.000000\t1\n", "\t4.000000\t2\n", 1), "x.ddf")
    with pytest.raises(DDFFormatError, match="before the 'Test Data in Volts' section"):
        parse_ddf(text[: text.index("Test Data")], "x.ddf")


def test_non_ascii_byte_is_refused_with_its_line(tmp_path):
    raw = bytearray(_synthetic().encode("ascii"))
    pos = raw.index(b"5\t-5.995")
    raw[pos + 3] = 0xB5
    p = tmp_path / "binary.ddf"
    p.write_bytes(bytes(raw))
    with pytest.raises(DDFFormatError, match=r"binary.ddf, line \d+: non-ASCII byte 0xb5") as ei:
        read_ddf(p)
    assert ei.value.line_no == N_HEAD_LINES + 6


@settings(max_examples=60)
@given(st.integers(min_value=2, max_value=len(_synthetic()) - len(_HEAD) - 1))
def test_any_truncation_of_the_data_is_refused(n_removed):
    text = _synthetic()
    with pytest.raises(DDFFormatError, match=r"line \d+"):
        parse_ddf(text[:-n_removed], "cut.ddf")


@needs_shared
def test_real_twitch_file():
    d = read_ddf(SHARED / "twitch.ddf")
    assert d.fs_Hz == 10000 and d.n_samples == 4000  # 0.4 s (protocol Stop at 0.4 s)
    assert d.channels == ("AI0", "AI1", "AI2", "AI3", "AI4", "AI5", "AI6", "AI7", "AO0", "AO1")
    assert d.scale_units_per_V["AI1"] == 500 and d.units["AI1"] == "mN"
    assert d.scale_units_per_V["AI0"] == 1 and d.units["AI0"] == "mm"
    assert d.protocol[0][1:] == ("Stimulus-Twitch", "Stimulator", ".1,.2")
    # first data row of the file: 0  -6.004655  0.446521 ...
    assert d.volts[0, 0] == -6.004655 and d.volts[0, 1] == 0.446521
    assert d.channel("AI1")[0] == pytest.approx(0.446521 * 500)
    assert list(np.flatnonzero(d.stim)) == [1001, 1002]  # one 0.2 ms pulse at 0.1001 s


@needs_shared
def test_real_tetanus_file_and_truncated_copy(tmp_path):
    d = read_ddf(SHARED / "tetanus.ddf")
    assert d.n_samples == 7500 and d.protocol[0][3] == ".1,275,.2, .081"
    assert int(d.stim.sum()) == 44  # 22 pulses x 2 samples
    raw = (SHARED / "tetanus.ddf").read_bytes()
    cut = tmp_path / "tetanus.ddf"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DDFFormatError, match=r"tetanus.ddf, line \d+"):
        read_ddf(cut)
