"""The fuzz registry: every public callable of ``utils.validation``, the sources, the models, the
figures and the panels, with the kind of each of its parameters, and the values each kind is
fuzzed with.

``tests/unit/test_fuzz.py`` calls every entry with generated valid, edge and hostile values and
fails when a public callable is missing here, so new code cannot skip the fuzz layer. To add
one: give each parameter a kind from :data:`KINDS` (and, for a required parameter whose valid
values the kind cannot guess, a valid value in :data:`VALID`), or mark it ``SKIP_RECORD`` /
``SKIP_EXCEPTION`` with that reason.

Outcome classes of a call (counted in ``build/fuzz_counts.json``):

* ``ok``: it returned, with no RuntimeWarning and no NaN/inf unless its docstring documents
  them as markers (the words ``inf``, ``NaN`` or ``nan``);
* ``parameter_error``: :class:`utils.ParameterError` (and its kinds: ``DiaryError``,
  ``SimulationError``, ``UnknownKeyError``);
* ``data_error``: a documented data error (``DDFFormatError``, ``WFDBFormatError``,
  ``RecordingError``);
* ``failure``: anything else, or over its time budget, or over the memory limit.
"""

from __future__ import annotations

import decimal
import fractions
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def _layer_modules(layer: str) -> tuple:
    return tuple(f"utils.{layer}.{p.stem}" for p in sorted((ROOT / "utils" / layer).glob("[!_]*.py")))


#: Every module whose public callables are fuzzed: validation, and every module of the sources,
#: models, figures and panels layers (found on disk, so a new module is fuzzed, and must be
#: registered, at once).
MODULES = (
    "utils.validation",
    *_layer_modules("sources"),
    *_layer_modules("models"),
    *_layer_modules("figures"),
    *_layer_modules("panels"),
)

SKIP_RECORD = "result record: built by the library from checked values, not an input boundary"
SKIP_EXCEPTION = "exception class"
SKIP_SLOW_NEW = (
    "new on main at the merge (axon/fibre); each call is a multi-second simulation or search, so its "
    "fuzz budget (examples, valid ranges) is for the module's owner to set; not fuzzed yet"
)

#: Wall-clock budget of one in-process call, s (generous: the CI machine is shared and loaded).
CALL_BUDGET_S = 20.0
#: Limits of one subprocess cost case.
CASE_TIMEOUT_S = 30.0
MEMORY_LIMIT_BYTES = 3 * 2**30

# ----------------------------------------------------------------------------- value pools
HOSTILE = (
    math.nan,
    math.inf,
    -math.inf,
    10**400,
    -(10**400),
    True,
    "3",
    "",
    None,
    1j,
    (),
    [[1.0, 2.0], [3.0, 4.0]],
    np.array([math.nan]),
    np.array([1 + 1j]),
    {"a": 1},
    b"\x00",
    "../../../etc/passwd",
    "\u202e=1",
    decimal.Decimal("1.5"),
    fractions.Fraction(1, 3),
    ["a", "b"],
    np.array([1, 2], dtype=object),
    np.datetime64("2024-01-01"),
    np.float32("nan"),
    np.int64(2**62),
    np.array([[]]),
    range(3),
    -1e-320,
)
EDGE_NUMBERS = (0, 0.0, -0.0, -1, -1.0, 1e-300, 5e-324, 1e300, -1e300, 2**63, 10**20, 1e-9, 1e9)
EDGE_ARRAYS = (
    np.array([]),
    np.array([0.0]),
    np.zeros(3),
    np.full(3, 1e300),
    np.array([5e-324, 1.0]),
    np.array([-1.0, 1.0]),
    [1, 2, 3],
)
EDGE_TEXT = ("", " ", "x" * 10_000, "\x00", "é", "ＡＢＣ", "None", "nan")

#: Parameter kinds. ``fixed``: a developer's argument (a name, a unit, bounds) that is never
#: fuzzed; every other kind gets valid values (kind- or VALID-given), EDGE_* and HOSTILE values.
KINDS = (
    "real",  # a float with a default
    "real?",  # a float or None
    "int",
    "int?",
    "seed",
    "bool",
    "num",  # a number or a 1-D array of numbers
    "num?",
    "array",  # a 1-D array
    "array2d",
    "pair",  # a 2-tuple of numbers
    "text",
    "bytes",
    "path",
    "choice",  # one of a few strings (VALID gives them)
    "choice?",
    "choices",  # a list of such strings
    "any",
    "fixed",
    "kwargs",
    "varargs",
    "hh_params",
    "axon_params",
    "fibre_params",
    "pool",
    "pool_params",
    "profile",
    "state",
    "stimulus",
    "activity",
    "entries",
    "diary_parse",
    "spectrum",
    "loader",
    "predicate",
    "exception",
    "wfdb_header",
    "emg_recording",
    "clamp_recording",
)

# fmt: off
#: callable -> {parameter: kind} (or a skip reason).
REGISTRY = {
    # validation: 'value' is the fuzzed input; names, units and bounds are the developer's.
    "utils.validation.ParameterError": SKIP_EXCEPTION,
    "utils.validation.UnknownKeyError": SKIP_EXCEPTION,
    "utils.validation.check_array": {"values": "any", "name": "fixed", "unit": "fixed", "lo": "fixed", "hi": "fixed",
                                     "lo_open": "fixed", "hi_open": "fixed", "what": "fixed", "min_size": "fixed"},
    "utils.validation.check_choice": {"value": "any", "name": "fixed", "choices": "fixed", "what": "fixed"},
    "utils.validation.check_int": {"value": "any", "name": "fixed", "lo": "fixed", "hi": "fixed", "what": "fixed",
                                   "unit": "fixed"},
    "utils.validation.check_range": {"value": "any", "name": "fixed", "unit": "fixed", "lo": "fixed", "hi": "fixed",
                                     "lo_open": "fixed", "hi_open": "fixed", "what": "fixed"},
    "utils.validation.show": {"value": "any"},
    "utils.validation.check_pair": {"value": "any", "name": "fixed", "unit": "fixed", "lo": "fixed", "hi": "fixed",
                                    "what": "fixed"},
    "utils.validation.check_instance": {"value": "any", "name": "fixed", "types": "fixed", "what": "fixed"},
    "utils.validation.check_callable": {"value": "any", "name": "fixed", "what": "fixed"},
    "utils.validation.check_file": {"path": "path", "name": "fixed", "what": "fixed"},
    "utils.validation.check_names": {"values": "any", "name": "fixed", "choices": "fixed", "what": "fixed"},
    "utils.validation.check_broadcast": {"arrays": "kwargs"},
    "utils.validation.check_bool": {"value": "any", "name": "fixed", "what": "fixed"},
    # sources
    "utils.sources.tables.read_table": {"name": "choice"},
    "utils.sources.tables.table_path": {"name": "choice"},
    "utils.sources.references.cite": {"key": "choice"},
    "utils.sources.references.full": {"key": "choice"},
    "utils.sources.references.further_reading": {"keys": "choices"},
    "utils.sources.references.get": {"key": "choice"},
    "utils.sources.references.load": {},
    "utils.sources.recordings.CurrentClampRecording": SKIP_RECORD,
    "utils.sources.recordings.EMGRecording": SKIP_RECORD,
    "utils.sources.recordings.ForceRecording": SKIP_RECORD,
    "utils.sources.recordings.RecordingCorrupted": SKIP_EXCEPTION,
    "utils.sources.recordings.RecordingError": SKIP_EXCEPTION,
    "utils.sources.recordings.RecordingUnavailable": SKIP_EXCEPTION,
    "utils.sources.recordings.WFDBFormatError": SKIP_EXCEPTION,
    "utils.sources.recordings.WFDBHeader": SKIP_RECORD,
    "utils.sources.recordings.cache_dir": {},
    "utils.sources.recordings.citation": {"name": "choice"},
    "utils.sources.recordings.credit": {"name": "choice"},
    "utils.sources.recordings.epp_histogram": {},
    "utils.sources.recordings.fetch": {"name": "choice"},
    "utils.sources.recordings.fetch_all": {"names": "choices"},
    "utils.sources.recordings.file_sha256": {"path": "path"},
    "utils.sources.recordings.load_channel_open_times": {},
    "utils.sources.recordings.load_current_clamp": {"name": "choice"},
    "utils.sources.recordings.load_emg": {"condition": "choice"},
    "utils.sources.recordings.load_endplate_noise": {"state": "choice"},
    "utils.sources.recordings.load_epp_amplitudes": {},
    "utils.sources.recordings.load_force": {"kind": "choice"},
    "utils.sources.recordings.load_lab_results": {"analytes": "choice?"},
    "utils.sources.recordings.local_path": {"name": "choice"},
    "utils.sources.recordings.read_wfdb16": {"header": "wfdb_header", "dat_path": "path"},
    "utils.sources.recordings.read_wfdb_header": {"path": "path"},
    "utils.sources.recordings.registry": {},
    "utils.sources.recordings.retry": {},
    "utils.sources.recordings.timeout_s": {},
    "utils.sources.recordings.try_load": {"loader": "loader", "args": "varargs", "kwargs": "kwargs"},
    "utils.sources.recordings.unavailable_message": {"exc": "exception"},
    "utils.sources.ddf.DDFFile": SKIP_RECORD,
    "utils.sources.ddf.DDFFormatError": SKIP_EXCEPTION,
    "utils.sources.ddf.parse_ddf": {"text": "text", "source": "text"},
    "utils.sources.ddf.read_ddf": {"path": "path"},
    "utils.sources.diary.DiaryError": SKIP_EXCEPTION,
    "utils.sources.diary.DiaryParse": SKIP_RECORD,
    "utils.sources.diary.Rejected": SKIP_RECORD,
    "utils.sources.diary.associations": {"entries": "entries"},
    "utils.sources.diary.by_hour": {"entries": "entries"},
    "utils.sources.diary.by_location": {"entries": "entries"},
    "utils.sources.diary.checklist": {"entries": "entries"},
    "utils.sources.diary.honest_note": {"n_days": "int"},
    "utils.sources.diary.load_sample": {},
    "utils.sources.diary.overview": {"parse": "diary_parse"},
    "utils.sources.diary.parse_bytes": {"data": "bytes", "max_bytes": "int"},
    "utils.sources.diary.parse_diary": {"text": "text"},
    "utils.sources.diary.per_day": {"entries": "entries"},
    "utils.sources.diary.read_diary": {"path": "path"},
    "utils.sources.diary.sample_path": {},
    # models: membrane
    "utils.models.membrane.Ion": SKIP_RECORD,
    "utils.models.membrane.Preset": SKIP_RECORD,
    "utils.models.membrane.ghk_mV": {"K_out_mM": "num", "K_in_mM": "num", "Na_out_mM": "num", "Na_in_mM": "num",
                                     "Cl_out_mM": "num", "Cl_in_mM": "num", "p_K": "real", "p_Na": "real",
                                     "p_Cl": "real", "temperature_C": "real"},
    "utils.models.membrane.ln10_factor_mV": {"temperature_C": "real", "valence": "int"},
    "utils.models.membrane.nernst_mV": {"c_out_mM": "num", "c_in_mM": "num", "valence": "int", "temperature_C": "real"},
    "utils.models.membrane.preset": {"name": "choice"},
    "utils.models.membrane.preset_names": {},
    "utils.models.membrane.resting_vs_potassium": {"K_out_mM": "num", "preset_name": "choice", "pNa_over_pK": "real",
                                                   "temperature_C": "real?"},
    "utils.models.membrane.thermal_voltage_mV": {"temperature_C": "real"},
    # models: axon (MRG human motor axon) and fibre (skeletal muscle fibre)
    "utils.models.axon.AxonParams": {"variant": "choice", "fibre_diameter_um": "real", "n_nodes": "int",
                                     "k_out_mM": "real", "ca_out_mM": "real", "mg_out_mM": "real",
                                     "temperature_C": "real", "g_naf_scale": "real", "g_nap_scale": "real",
                                     "g_ks_scale": "real", "g_kf_scale": "real", "g_h_scale": "real",
                                     "g_leak_scale": "real", "myelin_lamellae_scale": "real",
                                     "screening_k_mV": "real", "mg_screening_factor": "real"},
    "utils.models.axon.AxonResult": SKIP_RECORD,
    "utils.models.axon.AxonState": SKIP_RECORD,
    "utils.models.axon.Geometry": SKIP_RECORD,
    "utils.models.axon.RecoveryCycle": SKIP_RECORD,
    "utils.models.axon.SimulationError": SKIP_EXCEPTION,
    "utils.models.axon.StrengthDuration": SKIP_RECORD,
    "utils.models.axon.conduction_velocity_m_per_s": {"params": "axon_params", "dt_ms": "real?"},
    "utils.models.axon.e_k_mV": {"k_out_mM": "real", "temperature_C": "real"},
    "utils.models.axon.gating_shift_mV": {"ca_out_mM": "real", "mg_out_mM": "real", "k_mV": "real",
                                          "mg_factor": "real"},
    "utils.models.axon.geometry": {"fibre_diameter_um": "real", "variant": "choice"},
    "utils.models.axon.recovery_cycle": {"params": "axon_params", "intervals_ms": "array", "test_ms": "real",
                                        "conditioning_ms": "real", "conditioning_ratio": "real", "max_ratio": "real",
                                        "node": "int?", "dt_ms": "real?", "rel_tol": "real"},
    "utils.models.axon.reference_solution": {"stimulus": "stimulus", "t_stop_ms": "real", "params": "axon_params",
                                            "node": "int?", "rtol": "real", "atol": "real", "method": "choice",
                                            "grid_dt_ms": "real"},
    "utils.models.axon.resting_state": {"params": "axon_params"},
    "utils.models.axon.gate_steady_state": {"v_mV": "num", "params": "axon_params"},
    "utils.models.axon.simulate": {"stimulus": "stimulus", "t_stop_ms": "real", "params": "axon_params",
                                  "node": "int?", "dt_ms": "real?", "record_every": "int", "initial": "fixed"},
    "utils.models.axon.strength_duration": {"params": "axon_params", "durations_ms": "array", "node": "int?",
                                           "dt_ms": "real?"},
    "utils.models.axon.threshold": {"pulse_ms": "real", "params": "axon_params", "node": "int?", "dt_ms": "real?",
                                   "rel_tol": "real"},
    "utils.models.fibre.FibreParams": {"k_out_mM": "real", "na_out_mM": "real", "cl_out_mM": "real",
                                       "k_in_mM": "real", "na_in_mM": "real", "cl_in_mM": "real",
                                       "g_cl_scale": "real", "na_noninactivating_fraction": "real",
                                       "g_kir_scale": "real", "g_na_scale": "real", "cation_leak_scale": "real",
                                       "temperature_C": "real", "radius_um": "real", "pump_scale": "real",
                                       "nkcc_scale": "real", "nkcc_tubule_ratio": "real"},
    "utils.models.fibre.FibreResult": SKIP_RECORD,
    "utils.models.fibre.check_range_array": {"v_mV": "num"},
    "utils.models.fibre.currents_at": {"v_mV": "num", "k_tt_mM": "num?", "params": "fibre_params", "tubule": "bool",
                                       "gates": "any"},
    "utils.models.fibre.default_dt_ms": {"params": "fibre_params"},
    "utils.models.fibre.excitability": SKIP_SLOW_NEW,
    "utils.models.fibre.gates_steady_state": {"v_mV": "num"},
    "utils.models.fibre.resting_cl_in_mM": SKIP_SLOW_NEW,
    "utils.models.fibre.resting_state": SKIP_SLOW_NEW,
    "utils.models.fibre.simulate": SKIP_SLOW_NEW,
    "utils.models.fibre.steady_state_current": {"v_mV": "num", "params": "fibre_params"},
    "utils.models.fibre.steady_states": SKIP_SLOW_NEW,
    "utils.models.fibre.threshold_pulse": SKIP_SLOW_NEW,
    # models: hh
    "utils.models.hh.HHParams": {"C_uF_per_cm2": "real", "g_Na_mS_per_cm2": "real", "g_K_mS_per_cm2": "real",
                                 "g_L_mS_per_cm2": "real", "E_Na_mV": "real", "E_K_mV": "real", "E_L_mV": "real",
                                 "temperature_C": "real", "shift_Na_mV": "real", "shift_K_mV": "real"},
    "utils.models.hh.HHResult": SKIP_RECORD,
    "utils.models.hh.HyperpolarisingStep": {"amplitude_uA_per_cm2": "real", "start_ms": "real", "duration_ms": "real"},
    "utils.models.hh.Noise": {"sigma_uA_per_cm2": "real", "tau_ms": "real", "mean_uA_per_cm2": "real", "seed": "seed",
                              "start_ms": "real", "duration_ms": "real"},
    "utils.models.hh.Protocol": {"pieces": "any"},
    "utils.models.hh.Pulse": {"amplitude_uA_per_cm2": "real", "start_ms": "real", "duration_ms": "real"},
    "utils.models.hh.PulseTrain": {"amplitude_uA_per_cm2": "real", "start_ms": "real", "duration_ms": "real",
                                   "interval_ms": "real", "n_pulses": "int"},
    "utils.models.hh.Ramp": {"start_uA_per_cm2": "real", "end_uA_per_cm2": "real", "start_ms": "real",
                             "duration_ms": "real"},
    "utils.models.hh.SampledCurrent": {"values_uA_per_cm2": "array", "dt_ms": "real"},
    "utils.models.hh.SimulationError": SKIP_EXCEPTION,
    "utils.models.hh.State": {"v_mV": "real", "m": "real", "h": "real", "n": "real"},
    "utils.models.hh.Step": {"amplitude_uA_per_cm2": "real", "start_ms": "real", "duration_ms": "real"},
    "utils.models.hh.Stimulus": {},
    "utils.models.hh.bisect_edge": {"pred": "predicate", "lo": "real", "hi": "real", "tol": "real"},
    "utils.models.hh.default_dt_ms": {"params": "hh_params"},
    "utils.models.hh.check_tolerance": {"value": "real", "name": "fixed"},
    "utils.models.hh.detect_spikes": {
        "t_ms": "array",
        "v_mV": "array",
        "min_rise_mV": "real",
        "i_stim_uA_per_cm2": "num?",
        "gates": "any",
        "params": "hh_params",
    },
    "utils.models.hh.eigenvalues": {"i_uA_per_cm2": "real", "params": "hh_params"},
    "utils.models.hh.equilibrium": {"i_uA_per_cm2": "real", "params": "hh_params"},
    "utils.models.hh.fi_curve": {"i_uA_per_cm2": "num", "params": "hh_params", "t_stop_ms": "real",
                                 "transient_ms": "real?", "dt_ms": "real?", "initial": "state"},
    "utils.models.hh.firing_onset": {"params": "hh_params", "i_lo_uA_per_cm2": "real", "i_hi_uA_per_cm2": "real",
                                     "tol_uA_per_cm2": "real", "t_stop_ms": "real", "dt_ms": "real?"},
    "utils.models.hh.hopf_current": {"params": "hh_params", "i_lo_uA_per_cm2": "real", "i_hi_uA_per_cm2": "real",
                                     "tol_uA_per_cm2": "real"},
    "utils.models.hh.instantaneous_depolarisation": {"delta_v_mV": "real", "t_stop_ms": "real", "params": "hh_params",
                                                     "dt_ms": "real?"},
    "utils.models.hh.max_dt_ms": {"params": "hh_params"},
    "utils.models.hh.n_steps": {"t_stop": "real", "dt": "real"},
    "utils.models.hh.phi": {"temperature_C": "real"},
    "utils.models.hh.refractory_curve": {"intervals_ms": "num", "params": "hh_params", "conditioning_uA_per_cm2": "real",
                                         "duration_ms": "real", "tol_uA_per_cm2": "real", "dt_ms": "real?"},
    "utils.models.hh.refractory_threshold": {"interval_ms": "real", "params": "hh_params",
                                             "conditioning_uA_per_cm2": "real", "duration_ms": "real",
                                             "tol_uA_per_cm2": "real", "dt_ms": "real?", "window_ms": "real"},
    "utils.models.hh.absolute_refractory_ms": {"params": "hh_params", "conditioning_uA_per_cm2": "real",
                                               "duration_ms": "real", "tol_ms": "real", "dt_ms": "real?"},
    "utils.models.hh.resting_state": {"params": "hh_params"},
    "utils.models.hh.rheobase": {"params": "hh_params", "duration_ms": "real", "tol_uA_per_cm2": "real",
                                 "dt_ms": "real?"},
    "utils.models.hh.simulate": {"stimulus": "stimulus", "t_stop_ms": "real", "params": "hh_params", "dt_ms": "real?",
                                 "initial": "state", "record_currents": "bool", "record_every": "int"},
    "utils.models.hh.steady_rate_Hz": {"sp": "array", "t_stop": "real", "t_from": "real"},
    "utils.models.hh.steady_states": {"v_mV": "num", "params": "hh_params"},
    "utils.models.hh.threshold_pulse": {"duration_ms": "real", "params": "hh_params", "tol_uA_per_cm2": "real",
                                       "dt_ms": "real?", "window_ms": "real"},
    "utils.models.hh.voltage_clamp": {"v_step_mV": "real", "v_hold_mV": "real", "duration_ms": "real",
                                      "params": "hh_params", "dt_ms": "real", "t_pre_ms": "real"},
    "utils.models.hh.voltage_clamp_summary": {"v_steps_mV": "num", "v_hold_mV": "real", "params": "hh_params"},
    # models: muscle
    "utils.models.muscle.ForceTrace": SKIP_RECORD,
    "utils.models.muscle.MotorUnitPool": SKIP_RECORD,
    "utils.models.muscle.MuscleActivity": SKIP_RECORD,
    "utils.models.muscle.Pattern": SKIP_RECORD,
    "utils.models.muscle.PoolParameters": {"n_units": "int", "recruitment_range": "real", "force_range": "real",
                                           "T_longest_ms": "real", "contraction_time_range": "real",
                                           "min_rate_Hz": "real", "peak_rate_Hz": "real", "peak_rate_drop_Hz": "real",
                                           "excitation_gain_Hz": "real", "isi_cv": "real", "isi_z_max": "real"},
    "utils.models.muscle.TwitchFit": SKIP_RECORD,
    "utils.models.muscle.TwitchProperties": SKIP_RECORD,
    "utils.models.muscle.classify_contraction": {"force_au": "array", "spike_times_ms": "array", "fs_Hz": "real"},
    "utils.models.muscle.cramp": {"duration_s": "real", "seed": "seed", "n_units": "int", "level": "real",
                                  "onset_s": "real?", "release_s": "real?", "rise_s": "real", "release_tau_s": "real",
                                  "isi_cv": "real", "pool": "pool", "fs_Hz": "real"},
    "utils.models.muscle.fasciculation": {"rate_Hz": "real", "duration_s": "real", "seed": "seed", "unit": "int",
                                          "dead_time_ms": "real", "pool": "pool", "fs_Hz": "real"},
    "utils.models.muscle.firing_rates_Hz": {"excitation": "num", "pool": "pool"},
    "utils.models.muscle.fit_twitch": {"time_s": "array", "force_mN": "array", "stimulus_s": "real",
                                       "fit_latency": "bool", "latency_ms": "real", "max_latency_ms": "real"},
    "utils.models.muscle.force_rate_curve": {"rates_Hz": "num", "T_ms": "real", "P": "real"},
    "utils.models.muscle.fusion_index": {"force_au": "array"},
    "utils.models.muscle.make_pool": {"params": "pool_params", "overrides": "kwargs"},
    "utils.models.muscle.myoclonus": {"duration_s": "real", "seed": "seed", "burst_ms": "real", "onset_s": "real?",
                                      "level": "real", "pool": "pool", "fs_Hz": "real"},
    "utils.models.muscle.myokymia": {"intraburst_rate_Hz": "real", "spikes_per_burst": "int", "burst_period_s": "real",
                                     "duration_s": "real", "seed": "seed", "unit": "int", "jitter_cv": "real",
                                     "pool": "pool", "fs_Hz": "real"},
    "utils.models.muscle.pattern_options": {},
    "utils.models.muscle.periodic_force": {"rate_Hz": "real", "T_ms": "real", "P": "real", "duration_s": "real",
                                           "fs_Hz": "real", "train_s": "real?"},
    "utils.models.muscle.recruited_count": {"excitation": "num", "pool": "pool"},
    "utils.models.muscle.ripple_ratio": {"force_au": "array"},
    "utils.models.muscle.simulate_pattern": {"key": "choice", "kwargs": "kwargs"},
    "utils.models.muscle.simulate_pool": {"excitation": "num", "duration_s": "real", "pool": "pool", "fs_Hz": "real",
                                          "seed": "seed", "isi_cv": "real?", "unit_drive": "any"},
    "utils.models.muscle.spike_train_force": {"spike_times_ms": "array", "T_ms": "real", "P": "real",
                                              "duration_s": "real", "fs_Hz": "real", "nonlinear": "bool"},
    "utils.models.muscle.steady_force_au": {"excitation": "num", "pool": "pool"},
    "utils.models.muscle.summation_gain": {"T_ms": "num", "isi_ms": "num"},
    "utils.models.muscle.tetanic_force_au": {"P": "real"},
    "utils.models.muscle.tetany": {"duration_s": "real", "seed": "seed", "n_units": "int", "group_rate_Hz": "real",
                                   "interval_ms": "pair", "multiplet_probs": "any", "pool": "pool", "fs_Hz": "real"},
    "utils.models.muscle.tremor": {"frequency_Hz": "real", "mean_excitation": "real", "modulation": "real",
                                   "duration_s": "real", "seed": "seed", "pool": "pool", "fs_Hz": "real"},
    "utils.models.muscle.twitch_kernel": {"t_ms": "num", "P": "real", "T_ms": "real"},
    "utils.models.muscle.twitch_properties": {"T_ms": "real", "P": "real"},
    "utils.models.muscle.voluntary": {"excitation": "real", "duration_s": "real", "seed": "seed", "pool": "pool",
                                      "fs_Hz": "real"},
    # models: nmj
    "utils.models.nmj.PoissonFit": SKIP_RECORD,
    "utils.models.nmj.binomial_quanta": {"n_sites": "int", "p": "real"},
    "utils.models.nmj.boyd_martin_analysis": {"amplitude_mV": "array", "n_trials": "array", "q_mV": "real"},
    "utils.models.nmj.epp_amplitude_mV": {"m": "num", "q_mV": "real"},
    "utils.models.nmj.epp_histogram_probabilities": {"amplitude_mV": "array", "m": "real", "q_mV": "real", "cv": "real",
                                                     "model": "choice", "n_sites": "int?"},
    "utils.models.nmj.fit_poisson_mixture": {"amplitude_mV": "array", "n_trials": "array", "q_mV": "real?",
                                             "cv": "real?"},
    "utils.models.nmj.parameters": {},
    "utils.models.nmj.poisson_quanta": {"m": "real", "k_max": "int?"},
    "utils.models.nmj.quantal_content": {"ca_mM": "num", "mg_mM": "num", "m_max": "real", "K_Ca_mM": "real",
                                         "K_Mg_mM": "real", "n": "real"},
    "utils.models.nmj.quantal_content_from_cv": {"amplitudes_mV": "array", "q_cv": "real"},
    "utils.models.nmj.quantal_content_from_failures": {"n_trials": "int", "n_failures": "int"},
    "utils.models.nmj.quantal_content_from_mean": {"mean_epp_mV": "real", "q_mV": "real"},
    "utils.models.nmj.relative_release": {"ca_mM": "num", "mg_mM": "num", "ca_ref_mM": "real", "mg_ref_mM": "real"},
    "utils.models.nmj.release_log_slope": {"ca_mM": "num", "mg_mM": "num", "K_Ca_mM": "real", "K_Mg_mM": "real",
                                           "n": "real"},
    "utils.models.nmj.safety_factor": {"epp_mV": "num", "threshold_mV": "real", "rest_mV": "real"},
    "utils.models.nmj.simulate_epp_amplitudes": {"n_trials": "int", "m": "real", "q_mV": "real", "cv": "real",
                                                 "seed": "seed", "model": "choice", "n_sites": "int?"},
    "utils.models.nmj.simulated_histogram": {"n_trials": "int", "m": "real?", "q_mV": "real", "cv": "real",
                                             "bin_mV": "real", "seed": "seed", "model": "choice", "n_sites": "int?"},
    "utils.models.nmj.transmission": {"ca_mM": "num", "mg_mM": "num", "q_mV": "real", "threshold_mV": "real",
                                      "rest_mV": "real", "m_max": "real"},
    # models: emg
    "utils.models.emg.EMGAnalysis": SKIP_RECORD,
    "utils.models.emg.SyntheticEMG": SKIP_RECORD,
    "utils.models.emg.analyse_recording": {"recording": "emg_recording", "kwargs": "kwargs"},
    "utils.models.emg.analyse_signal": {"signal_mV": "array", "fs_Hz": "real", "band_Hz": "pair",
                                        "threshold_mV": "real?", "threshold_sd": "real", "refractory_ms": "real",
                                        "n_clusters": "int", "merge_tolerance": "real", "min_spikes": "int",
                                        "clip_mV": "real?", "seed": "seed"},
    "utils.models.emg.bandpass": {"signal_mV": "array", "fs_Hz": "real", "low_Hz": "real", "high_Hz": "real",
                                  "order": "int"},
    "utils.models.emg.cluster_potentials": {"snippets": "array2d", "n_clusters": "int", "merge_tolerance": "real",
                                            "seed": "seed", "max_lag": "int", "return_shifts": "bool"},
    "utils.models.emg.detect_potentials": {"filtered_mV": "array", "fs_Hz": "real", "threshold_mV": "real?",
                                           "threshold_sd": "real", "refractory_ms": "real"},
    "utils.models.emg.emg_from_activity": {"activity": "activity", "fs_Hz": "real", "noise_mV": "real",
                                           "seed": "seed"},
    "utils.models.emg.envelope": {"signal_mV": "array", "fs_Hz": "real", "cutoff_Hz": "real", "band_Hz": "pair"},
    "utils.models.emg.extract_snippets": {"filtered_mV": "array", "peaks": "array", "fs_Hz": "real",
                                          "window_ms": "pair"},
    "utils.models.emg.fasciculation_emg": {"rate_Hz": "real", "duration_s": "real", "unit": "int", "seed": "seed",
                                           "pool": "pool", "fs_Hz": "real", "noise_mV": "real"},
    "utils.models.emg.firing_statistics": {"times_s": "array"},
    "utils.models.emg.mup_measures": {"template_mV": "array", "fs_Hz": "real", "peak_index": "int?"},
    "utils.models.emg.mup_waveform": {"t_ms": "num", "width_ms": "real", "kind": "choice"},
    "utils.models.emg.noise_sd_mV": {"filtered_mV": "array"},
    "utils.models.emg.power_spectrum": {"signal_mV": "array", "fs_Hz": "real", "segment_s": "real",
                                        "detrend": "choice"},
    "utils.models.emg.rectify": {"signal_mV": "array"},
    "utils.models.emg.spectral_frequencies": {"spectrum": "spectrum", "low_Hz": "real", "high_Hz": "real?"},
    "utils.models.emg.synthetic_emg": {"spike_times_s": "array", "spike_unit": "array", "unit_size": "array",
                                       "duration_s": "real", "fs_Hz": "real", "noise_mV": "real", "seed": "seed",
                                       "label": "text"},
    "utils.models.emg.voluntary_emg": {"excitation": "real", "duration_s": "real", "seed": "seed", "pool": "pool",
                                       "fs_Hz": "real", "noise_mV": "real"},
    # models: electrolytes
    "utils.models.electrolytes.Classification": SKIP_RECORD,
    "utils.models.electrolytes.Consequences": SKIP_RECORD,
    "utils.models.electrolytes.ModelParameters": SKIP_RECORD,
    "utils.models.electrolytes.SerumProfile": {"potassium_mmol_L": "real", "sodium_mmol_L": "real",
                                               "calcium_ionised_mmol_L": "real", "magnesium_mmol_L": "real",
                                               "chloride_mmol_L": "real"},
    "utils.models.electrolytes.calcium_shift_mV": {"calcium_ionised_mmol_L": "num", "magnesium_mmol_L": "num",
                                                   "k_mV": "real", "mg_factor": "real"},
    "utils.models.electrolytes.classify": {"value": "real", "analyte": "choice", "unit": "choice"},
    "utils.models.electrolytes.fibre_excitability": SKIP_SLOW_NEW,
    "utils.models.hh.fi_curve_batch": SKIP_SLOW_NEW,
    "utils.models.tablecache.code_hash": "cache infrastructure (hashes of source files), no user input",
    "utils.models.tablecache.disk_cached": "a decorator for the panel tables, no user input",
    "utils.models.tablecache.enabled": "cache infrastructure (an environment switch), no user input",
    "utils.models.tablecache.key": "cache infrastructure (a hash of a call), tested in test_tablecache.py",
    "utils.models.tablecache.load": "cache infrastructure (reads its own files), tested in test_tablecache.py",
    "utils.models.tablecache.primary_dir": "cache infrastructure (a folder), no user input",
    "utils.models.tablecache.store": "cache infrastructure (writes its own files), tested in test_tablecache.py",
    "utils.models.tablecache.user_dir": "cache infrastructure (a folder), no user input",
    "utils.models.electrolytes.muscle_verdict": (
        "a rule over fibre results (dicts made by fibre_excitability, not user input); every branch is "
        "tested in tests/unit/test_electrolytes.py"
    ),
    "utils.models.electrolytes.classify_profile": {"profile": "profile"},
    "utils.models.electrolytes.consequences": {"profile": "profile", "fast": "bool", "k_mV": "real", "gates": "choice",
                                               "mg_factor": "real", "keep_trace": "bool", "dt_ms": "real?"},
    "utils.models.electrolytes.conversion_factor": {"analyte": "choice", "unit": "choice"},
    "utils.models.electrolytes.convert": {"value": "num", "analyte": "choice", "from_unit": "choice",
                                          "to_unit": "choice"},
    "utils.models.electrolytes.corrected_calcium_mg_dL": {"total_calcium_mg_dL": "real", "albumin_g_dL": "real"},
    "utils.models.electrolytes.corrected_calcium_mmol_L": {"total_calcium_mmol_L": "real", "albumin_g_L": "real"},
    "utils.models.electrolytes.ionised_calcium_at_pH": {"calcium_ionised_mmol_L": "real", "pH": "real",
                                                        "measured_at_pH": "real"},
    "utils.models.electrolytes.mapping_parameters": {},
    "utils.models.electrolytes.model_parameters": {"profile": "profile", "k_mV": "real", "gates": "choice",
                                                   "mg_factor": "real", "muscle_pNa_over_pK": "real"},
    "utils.models.electrolytes.reference_range_rows": {},
    "utils.models.electrolytes.reference_ranges": {},
    "utils.models.electrolytes.standard_pulse": {"start_ms": "real"},
    # models: syndromes
    "utils.models.syndromes.SyndromeRun": SKIP_RECORD,
    "utils.models.syndromes.after_discharge_calcium_mmol_L": {"tol": "real"},
    "utils.models.syndromes.after_discharge_gk_fraction": {"tol": "real"},
    "utils.models.syndromes.near_threshold_noise": {"sigma_uA_per_cm2": "real", "bias_uA_per_cm2": "real",
                                                    "duration_ms": "real", "seed": "seed"},
    "utils.models.syndromes.simulate_fasciculation": {"rate_Hz": "real", "duration_s": "real", "seed": "seed"},
    "utils.models.syndromes.simulate_neuromyotonia": {"gk_fraction": "real", "seed": "seed"},
    "utils.models.syndromes.simulate_tetany": {"calcium_ionised_mmol_L": "real", "seed": "seed"},
    "utils.models.syndromes.spontaneous_calcium_mmol_L": {"tol": "real"},
    "utils.models.syndromes.spontaneous_gk_fraction": {"tol": "real"},
    "utils.models.syndromes.standard_pulse_spikes": {"params": "hh_params", "dt_ms": "real?"},
    "utils.models.syndromes.tetany_onsets": {"seed": "seed", "tol": "real"},
    "utils.models.syndromes.tetany_params": {"calcium_ionised_mmol_L": "real", "gk_scale": "real"},
    # syndromes on the human axon (utils.axon at 37 °C)
    "utils.models.syndromes.human_axon_params": {"variant": "choice", "fibre_diameter_um": "real", "changes": "kwargs"},
    "utils.models.syndromes.simulate_tetany_axon": {"calcium_ionised_mmol_L": "real", "seed": "seed"},
    "utils.models.syndromes.simulate_neuromyotonia_axon": {"kv1_fraction": "real", "seed": "seed"},
    "utils.models.syndromes.axon_fires_after_pulse": {"params": "axon_params"},
    "utils.models.syndromes.axon_fires_on_its_own": {"params": "axon_params"},
    "utils.models.syndromes.axon_calcium_onsets": {"variant": "choice", "tol": "real", "k_mV": "real"},
    "utils.models.syndromes.axon_train_rate_Hz": {"params": "axon_params"},
    "utils.models.syndromes.distal_ectopic_firing": {"bias_fraction": "real", "sigma_nA": "real", "duration_ms": "real",
                                                     "seed": "seed", "variant": "choice"},
    "utils.models.syndromes.axon_potassium_table": {"k_out_mM": "num", "variant": "choice"},
    # models: sweeps
    "utils.models.sweeps.recorded_spikes": {"t_s": "array", "v_mV": "array", "min_peak_mV": "real"},
    "utils.models.sweeps.recording_fi": {"rec": "clamp_recording"},
    "utils.models.sweeps.spike_half_width_ms": {"t_ms": "array", "v_mV": "array", "threshold_rate_mV_per_ms": "real"},
    "utils.models.sweeps.step_window_s": {"rec": "clamp_recording"},
}

SKIP_FIGURE = (
    "figure builder: draws arrays and ranges that a panel computed from the models (a developer's "
    "input, never a reader's); its output is checked by the panel tests and framing.layout_problems"
)
SKIP_PLUMBING = "figure-widget plumbing (JSON, paths, trait views); tested in test_figure_widget.py"
SKIP_SERVER = "Jupyter server extension (paths, handlers, command line); no reader input"
SKIP_TABLE = (
    "a panel's precomputed table over the module's own grid (seconds to minutes of simulation; cached "
    "on disk by utils.panels.precompute); its numbers are tested in the panel's unit tests"
)
SKIP_BASE = "a base class for panels: its controls and figure are a developer's, not a reader's"
#: The figures and panels layers: the callables a notebook calls with a reader's numbers or choices
#: are fuzzed; builders fed by panels and widget plumbing are listed with the reason they are not.
PANEL_REGISTRY = {
    # figures: builders fed by panels (developer input) ...
    **{f"utils.figures.{k}": SKIP_FIGURE for k in (
        "axon_plots.conduction_figure", "electrolyte_plots.lab_report_figure",
        "electrolyte_plots.block_comparison_figure", "electrolyte_plots.potassium_paradox_figure",
        "electrolyte_plots.lab_distribution_figure", "fibre_plots.fibre_rest_figure",
        "fibre_plots.periodic_paralysis_figure", "framing.as_figure", "framing.legend_rows", "framing.frame",
        "framing.named_traces", "framing.layout_problems", "framing.set_xy", "framing.line_trace",
        "framing.marker_trace", "nmj_plots.release_figure", "nmj_plots.records_figure",
        "plots.StaticFigure", "plots.base_layout", "plots.figure", "plots.axis", "plots.ladder_range",
        "plots.ladder_title", "plots.potassium_figure", "plots.rate_figure", "plots.add_force_and_spikes",
        "plots.twitch_fit_figure", "plots.subplots_widget", "plots.point_trace", "plots.line_trace",
        "plots.curve_trace", "plots.shade", "plots.threshold_figure", "plots.refractory_figure",
        "plots.firing_figure", "plots.clamp_figure", "plots.recording_figure", "plots.spike_shape_figure",
        "plots.normal_band",
        "syndrome_plots.syndrome_figure", "syndrome_plots.diary_left_margin_px")},
    **{f"utils.figures.widget.{k}": SKIP_PLUMBING for k in (
        "to_json_value", "is_typed_array_spec", "decode_typed_array", "numeric_array", "flatten", "set_path",
        "merge", "TraceHandle", "PropView", "LayoutView")},
    **{f"utils.figures.server.{k}": SKIP_SERVER for k in (
        "plotly_js_dir", "plotly_url_path", "handlers", "voila_app", "config_path", "install", "main")},
    # ... and the few figure helpers that take a number or a choice a notebook may pass
    "utils.figures.framing.text_width_px": {"text": "text", "font_px": "real"},
    "utils.figures.framing.strip_tags": {"s": "text"},
    "utils.figures.framing.wrap": {"text": "text", "max_chars": "int"},
    "utils.figures.nmj_plots.unit_marker": {"i": "int", "size": "real"},
    "utils.figures.nmj_plots.unit_line": {"i": "int", "width": "real"},
    "utils.figures.nmj_plots.motor_unit_figure": {"duration_s": "real", "y_emg_mV": "real"},
    "utils.figures.nmj_plots.synthetic_figure": {"vol_s": "real", "fasc_s": "real", "y_mV": "real"},
    "utils.figures.nmj_plots.ec_box_positions": {},
    "utils.figures.nmj_plots.ec_coupling_diagram": {},
    "utils.figures.plots.line_style": {"key": "choice", "width": "real"},
    "utils.figures.plots.marker_style": {"key": "choice", "size": "real"},
    "utils.figures.plots.log_ticks": {"lo": "real", "hi": "real"},
    "utils.figures.plots.log_axis": {"title": "text", "lo": "real", "hi": "real"},
    "utils.figures.plots.plural": {"n": "int", "word": "text", "many": "choice?"},
    "utils.figures.plots.credit_annotation": {"text": "text"},
    "utils.figures.plots.membrane_ladder": {"widget": "bool"},
    "utils.figures.plots.raster_force_figure": {"title": "text", "y_units_title": "text", "n_units": "int",
                                               "widget": "bool", "steady": "bool"},
    "utils.figures.syndrome_plots.diary_figure": {},
    # data, layout and config: trace and layout dicts from the figure builders (a developer's)
    "utils.figures.widget.PlotlyFigure": {"figure": "any", "data": "fixed", "layout": "fixed", "config": "fixed",
                                         "font_scale": "real?", "kwargs": "fixed"},
    # panels: the kit
    "utils.panels.kit.control_layout": {},
    "utils.panels.kit.control": SKIP_BASE,
    "utils.panels.kit.Panel": SKIP_BASE,
    "utils.panels.muscle_widgets.TrainPanel": SKIP_BASE,
    "utils.panels.muscle_widgets.RasterForcePanel": SKIP_BASE,
    "utils.panels.kit.unit_of": {"description": "text"},
    "utils.panels.kit.label_of": {"description": "text"},
    "utils.panels.kit.check_seed": {"seed": "seed", "name": "fixed"},
    "utils.panels.kit.check_keywords": {"kwargs": "any", "cls": "fixed"},
    "utils.panels.kit.readout_box": {"inner": "text"},
    "utils.panels.kit.decimate": {"t": "array", "y": "array", "max_points": "int"},
    "utils.panels.kit.slider": {"description": "fixed", "value": "real", "lo": "fixed", "hi": "fixed", "step": "fixed",
                                "fmt": "fixed", "param": "fixed"},
    "utils.panels.kit.int_slider": {"description": "fixed", "value": "int", "lo": "fixed", "hi": "fixed",
                                    "step": "fixed", "param": "fixed"},
    "utils.panels.kit.dropdown": {"description": "fixed", "options": "fixed", "value": "choice", "param": "fixed"},
    "utils.panels.controls.snap": {"value": "real", "lo": "fixed", "hi": "fixed", "step": "fixed"},
    "utils.panels.controls.Slider": {"value": "real", "lo": "fixed", "hi": "fixed", "step": "fixed",
                                     "description": "fixed", "fmt": "fixed", "kw": "kwargs"},
    "utils.panels.controls.IntegerSlider": {"value": "int", "lo": "fixed", "hi": "fixed", "step": "fixed",
                                            "description": "fixed", "kw": "kwargs"},
    "utils.panels.controls.ChoiceSlider": {"options": "fixed", "value": "choice", "description": "fixed",
                                           "kw": "kwargs"},
    # panels: the panels and their helpers
    "utils.panels.axon_widgets.params": {"diameter_um": "real", "myelin_percent": "real"},
    "utils.panels.axon_widgets.conduction_point": SKIP_TABLE,
    "utils.panels.axon_widgets.ConductionTable": SKIP_RECORD,
    "utils.panels.axon_widgets.conduction_table": SKIP_TABLE,
    "utils.panels.axon_widgets.ConductionPanel": {"diameter_um": "real", "myelin_percent": "real"},
    "utils.panels.axon_widgets.conduction_panel": {"diameter_um": "real", "myelin_percent": "real"},
    "utils.panels.electrolyte_widgets.consequences_cached": SKIP_TABLE,
    "utils.panels.electrolyte_widgets.muscle_traces": SKIP_TABLE,
    "utils.panels.electrolyte_widgets.muscle_force": SKIP_TABLE,
    "utils.panels.electrolyte_widgets.muscle_rest_curve": SKIP_TABLE,
    "utils.panels.electrolyte_widgets.lab_report_figure": {},
    "utils.panels.electrolyte_widgets.LabReportPanel": {"k_mV": "real", "gates": "choice", "values": "kwargs"},
    "utils.panels.electrolyte_widgets.lab_report_panel": {"kwargs": "kwargs"},
    "utils.panels.electrolyte_widgets.block_comparison_figure": {"rec": "clamp_recording", "gates": "choice"},
    "utils.panels.electrolyte_widgets.potassium_paradox_figure": {},
    "utils.panels.electrolyte_widgets.lab_summary": SKIP_FIGURE,
    "utils.panels.electrolyte_widgets.lab_distribution_figure": SKIP_FIGURE,
    "utils.panels.emg_widgets.analyses": {},
    "utils.panels.emg_widgets.unit_table": SKIP_FIGURE,
    "utils.panels.emg_widgets.RecordsPanel": {"start_s": "real", "window_s": "real"},
    "utils.panels.emg_widgets.records_panel": {"start_s": "real", "window_s": "real"},
    "utils.panels.emg_widgets.voluntary_run": SKIP_TABLE,
    "utils.panels.emg_widgets.fasciculation_run": SKIP_TABLE,
    "utils.panels.emg_widgets.SyntheticPanel": {"excitation_pct": "real", "fasciculation_Hz": "real"},
    "utils.panels.emg_widgets.synthetic_panel": {"excitation_pct": "real", "fasciculation_Hz": "real"},
    "utils.panels.fibre_widgets.k_grid": {},
    "utils.panels.fibre_widgets.rest_table": SKIP_TABLE,
    "utils.panels.fibre_widgets.stable_rests": {"k_mM": "real", "g_cl_scale": "real"},
    "utils.panels.fibre_widgets.e_k_mV": {"k_mM": "num"},
    "utils.panels.fibre_widgets.steady_current": SKIP_TABLE,
    "utils.panels.fibre_widgets.FibreRestPanel": {"k_mM": "real", "g_cl_scale": "choice"},
    "utils.panels.fibre_widgets.fibre_rest_panel": {"k_mM": "real", "g_cl_scale": "choice"},
    "utils.panels.fibre_widgets.pulse_times_ms": {},
    "utils.panels.fibre_widgets.paralysis_run": SKIP_TABLE,
    "utils.panels.fibre_widgets.PeriodicParalysisPanel": {"g_cl_scale": "real", "na_fraction": "choice",
                                                          "k_mM": "real"},
    "utils.panels.fibre_widgets.periodic_paralysis_panel": {"kwargs": "kwargs"},
    "utils.panels.hh_widgets.response_peak_mV": SKIP_FIGURE,
    "utils.panels.hh_widgets.strength_duration": SKIP_TABLE,
    "utils.panels.hh_widgets.all_or_none_curve": SKIP_TABLE,
    "utils.panels.hh_widgets.paired_threshold": {"interval_ms": "real", "cap_uA": "real", "tol_uA": "real"},
    "utils.panels.hh_widgets.refractory_table": SKIP_TABLE,
    "utils.panels.hh_widgets.refractory_periods": SKIP_FIGURE,
    "utils.panels.hh_widgets.fi_table": SKIP_TABLE,
    "utils.panels.hh_widgets.firing_landmarks": SKIP_TABLE,
    "utils.panels.hh_widgets.clamp_table": SKIP_TABLE,
    "utils.panels.hh_widgets.ThresholdPanel": {"amplitude_uA": "real", "duration_ms": "real"},
    "utils.panels.hh_widgets.threshold_panel": {"amplitude_uA": "real", "duration_ms": "real"},
    "utils.panels.hh_widgets.RefractoryPanel": {"interval_ms": "real", "test_uA": "real"},
    "utils.panels.hh_widgets.refractory_panel": {"interval_ms": "real", "test_uA": "real"},
    "utils.panels.hh_widgets.steady_rate_Hz": {"spike_times_ms": "array", "t_stop_ms": "real"},
    "utils.panels.hh_widgets.FiringPanel": {"current_uA": "real"},
    "utils.panels.hh_widgets.firing_panel": {"current_uA": "real"},
    "utils.panels.hh_widgets.ClampPanel": {"v_step_mV": "real"},
    "utils.panels.hh_widgets.clamp_panel": {"v_step_mV": "real"},
    "utils.panels.hh_widgets.RecordingPanel": {"rec": "clamp_recording", "sweep": "int?", "t_max_s": "real"},
    "utils.panels.hh_widgets.recording_panel": {"rec": "clamp_recording", "sweep": "int?"},
    "utils.panels.hh_widgets.spike_shape_figure": {"rec": "clamp_recording", "sweep": "int"},
    "utils.panels.muscle_widgets.force_recordings": {},
    "utils.panels.muscle_widgets.rec_pulses": SKIP_FIGURE,
    "utils.panels.muscle_widgets.RatePanel": {"rate_Hz": "real", "T_ms": "real", "show_recordings": "bool"},
    "utils.panels.muscle_widgets.rate_panel": {"rate_Hz": "real", "T_ms": "real"},
    "utils.panels.muscle_widgets.twitch_fit_figure": SKIP_FIGURE,
    "utils.panels.muscle_widgets.activity_traces": SKIP_FIGURE,
    "utils.panels.muscle_widgets.PoolPanel": {"excitation_pct": "real", "seed": "seed"},
    "utils.panels.muscle_widgets.pool_panel": {"excitation_pct": "real"},
    "utils.panels.muscle_widgets.PatternPanel": {"key": "choice", "seed": "seed"},
    "utils.panels.muscle_widgets.pattern_panel": {"key": "choice"},
    "utils.panels.muscle_widgets.terms": {},
    "utils.panels.muscle_widgets.terms_markdown": {},
    "utils.panels.muscle_widgets.terms_table": {},
    "utils.panels.nmj_widgets.boyd_martin": {},
    "utils.panels.nmj_widgets.mg_for_quantal_content": {"m": "real", "ca_mM": "real"},
    "utils.panels.nmj_widgets.ReleasePanel": {"ca_mM": "real", "mg_mM": "real?"},
    "utils.panels.nmj_widgets.references_normal_ca": {},
    "utils.panels.nmj_widgets.release_panel": {"ca_mM": "real", "mg_mM": "real?"},
    "utils.panels.nmj_widgets.unit_spike_times_s": {"rate_Hz": "real", "duration_s": "real", "cv": "real",
                                                    "seed": "seed"},
    "utils.panels.nmj_widgets.MotorUnitPanel": {"rate_Hz": "real", "unit": "int", "seed": "seed"},
    "utils.panels.nmj_widgets.motor_unit_panel": {"rate_Hz": "real", "unit": "int"},
    "utils.panels.nmj_widgets.ec_coupling_diagram": {},
    "utils.panels.precompute.jobs": SKIP_TABLE,
    "utils.panels.precompute.main": "the precompute command line (make setup); no reader input",
    "utils.panels.twitch_widgets.slider_values": {"key": "choice"},
    "utils.panels.twitch_widgets.cached_run": SKIP_TABLE,
    "utils.panels.twitch_widgets.SyndromePanel": {"key": "choice", "value": "real?", "precompute": "bool",
                                                  "seed": "seed"},
    "utils.panels.twitch_widgets.syndrome_panel": {"key": "choice", "value": "real?"},
    "utils.panels.twitch_widgets.DiaryPanel": {},
    "utils.panels.twitch_widgets.name_for_title": {"name": "text"},
    "utils.panels.twitch_widgets.diary_panel": {},
    "utils.panels.twitch_widgets.causes_markdown": {"group": "choice?"},
    "utils.panels.twitch_widgets.claims_markdown": {},
    "utils.panels.twitch_widgets.causes_table": {"group": "choice?"},
    "utils.panels.twitch_widgets.claims_table": {},
    "utils.panels.widgets.MembranePanel": {"preset": "choice"},
    "utils.panels.widgets.membrane_panel": {"preset": "choice"},
    "utils.panels.widgets.PotassiumPanel": {},
    "utils.panels.widgets.potassium_panel": {},
    "utils.panels.widgets.FirstSliderPanel": {"rate_Hz": "real"},
    "utils.panels.widgets.first_slider_panel": {"rate_Hz": "real"},
}
REGISTRY.update(PANEL_REGISTRY)
# fmt: on

#: Valid values of required parameters (and the options of ``choice`` parameters), per callable.
#: Values are functions (built lazily: some load recordings). Missing: the kind's valid pool.
_SIG = lambda: np.sin(np.arange(4000) / 7.0) * 0.2  # noqa: E731 (a 1 s EMG-like signal at 4 kHz)
VALID = {
    "utils.models.axon.AxonParams": {"variant": lambda: ["mrg2002"], "n_nodes": lambda: [11, 21]},
    "utils.models.axon.geometry": {"variant": lambda: ["mrg2002"]},
    # the slow axon searches run on a 5-node fibre with short runs (a few seconds per call)
    "utils.models.axon.reference_solution": {
        "method": lambda: ["Radau"],
        "t_stop_ms": lambda: [0.5],
        "params": lambda: [_small_axon()],
        "rtol": lambda: [1e-4],
        "atol": lambda: [1e-4],
    },
    "utils.models.axon.simulate": {
        "t_stop_ms": lambda: [2.0],
        "stimulus": lambda: [None, _hh().Pulse(2.0, 0.5, 0.1)],
        "params": lambda: [None, _small_axon()],
    },
    "utils.models.axon.recovery_cycle": {
        "intervals_ms": lambda: [(2.0, 10.0)],
        "rel_tol": lambda: [0.05],
        "params": lambda: [_small_axon()],
    },
    "utils.models.axon.strength_duration": {
        "durations_ms": lambda: [(0.1, 0.3, 1.0)],
        "params": lambda: [_small_axon()],
    },
    "utils.models.axon.threshold": {"rel_tol": lambda: [0.05], "params": lambda: [_small_axon()]},
    "utils.models.axon.conduction_velocity_m_per_s": {
        "params": lambda: [_small_axon()],
        "dt_ms": lambda: [0.01],
    },
    "utils.models.axon.resting_state": {"params": lambda: [None, _small_axon()]},
    "utils.models.syndromes.human_axon_params": {"variant": lambda: ["mrg2002", "gaines_motor"]},
    "utils.models.syndromes.axon_calcium_onsets": {"variant": lambda: ["mrg2002"], "tol": lambda: [0.05]},
    "utils.models.syndromes.distal_ectopic_firing": {
        "variant": lambda: ["gaines_motor"],
        "duration_ms": lambda: [50.0],
    },
    "utils.models.syndromes.axon_potassium_table": {
        "k_out_mM": lambda: [4.0, [4.0, 6.0]],
        "variant": lambda: ["mrg2002"],
    },
    "utils.models.fibre.simulate": {
        "stimulus": lambda: [_hh().Step(0.0), _hh().Pulse(50.0, 1.0, 1.0)],
        "t_stop_ms": lambda: [5.0],
    },
    "utils.models.fibre.currents_at": {"v_mV": lambda: [-80.0, [-90.0, -50.0]]},
    "utils.models.fibre.gates_steady_state": {"v_mV": lambda: [-80.0]},
    "utils.models.fibre.steady_state_current": {"v_mV": lambda: [-80.0, [-90.0, -50.0]]},
    "utils.models.fibre.check_range_array": {"v_mV": lambda: [-80.0, [-90.0, -50.0]]},
    "utils.validation.check_range": {
        "value": lambda: [1.0, 5, np.float32(2.0)],
        "name": lambda: ["x"],
        "unit": lambda: ["mM"],
        "lo": lambda: [None, 0.0],
        "hi": lambda: [None, 10.0],
        "what": lambda: ["a test value"],
    },
    "utils.validation.check_int": {
        "value": lambda: [3, 3.0, np.int64(2)],
        "name": lambda: ["k"],
        "lo": lambda: [0],
        "hi": lambda: [10],
        "what": lambda: [""],
        "unit": lambda: [""],
    },
    "utils.validation.check_array": {
        "values": lambda: [[1.0, 2.0], np.arange(3.0)],
        "name": lambda: ["xs"],
        "unit": lambda: ["mV"],
        "lo": lambda: [None, 0.0],
        "hi": lambda: [None, 10.0],
        "what": lambda: [""],
        "min_size": lambda: [0, 1],
    },
    "utils.validation.check_choice": {
        "value": lambda: ["a", "b"],
        "name": lambda: ["c"],
        "choices": lambda: [("a", "b")],
        "what": lambda: [""],
    },
    "utils.validation.show": {"value": lambda: [1.0, "text", None]},
    "utils.validation.check_bool": {
        "value": lambda: [True, False],
        "name": lambda: ["flag"],
        "what": lambda: [""],
    },
    "utils.validation.check_pair": {
        "value": lambda: [(1.0, 2.0)],
        "name": lambda: ["band"],
        "unit": lambda: ["Hz"],
        "lo": lambda: [None, 0.0],
        "hi": lambda: [None, 100.0],
        "what": lambda: [""],
    },
    "utils.validation.check_instance": {
        "value": lambda: ["x", "y"],
        "name": lambda: ["x"],
        "types": lambda: [(str,)],
        "what": lambda: ["a text"],
    },
    "utils.validation.check_callable": {
        "value": lambda: [len],
        "name": lambda: ["f"],
        "what": lambda: ["a function"],
    },
    "utils.validation.check_file": {
        "path": lambda: [str(ROOT / "README.md")],
        "name": lambda: ["path"],
        "what": lambda: ["a file"],
    },
    "utils.validation.check_names": {
        "values": lambda: ["a", ["a", "b"]],
        "name": lambda: ["names"],
        "choices": lambda: [("a", "b")],
        "what": lambda: [""],
    },
    "utils.sources.tables.read_table": {"name": lambda: ["constants.csv", "terms.csv"]},
    "utils.sources.tables.table_path": {"name": lambda: ["constants.csv"]},
    "utils.sources.references.cite": {"key": lambda: ["hodgkin1952", "boyd1956"]},
    "utils.sources.references.full": {"key": lambda: ["hodgkin1952"]},
    "utils.sources.references.get": {"key": lambda: ["hodgkin1952"]},
    "utils.sources.references.further_reading": {"keys": lambda: [["hodgkin1952", "boyd1956"], []]},
    "utils.sources.recordings.citation": {"name": lambda: ["emg_healthy", "emgdb"]},
    "utils.sources.recordings.credit": {"name": lambda: ["twitch", "emgdb"]},
    "utils.sources.recordings.fetch": {"name": lambda: ["twitch", "epp_amplitudes"]},
    "utils.sources.recordings.fetch_all": {"names": lambda: [["twitch", "epp_amplitudes"]]},
    "utils.sources.recordings.local_path": {"name": lambda: ["twitch"]},
    "utils.sources.recordings.load_current_clamp": {"name": lambda: ["17o05028_ic_steps"]},
    "utils.sources.recordings.load_emg": {"condition": lambda: ["healthy", "neuropathy"]},
    "utils.sources.recordings.load_endplate_noise": {"state": lambda: ["resting", "exposed"]},
    "utils.sources.recordings.load_force": {"kind": lambda: ["twitch"]},
    "utils.sources.recordings.load_lab_results": {
        "analytes": lambda: [None, "potassium", ["sodium", "magnesium"]]
    },
    "utils.sources.recordings.file_sha256": {"path": lambda: [str(ROOT / "data" / "constants.csv")]},
    "utils.sources.recordings.read_wfdb_header": {"path": lambda: [_shared("emgdb/emg_healthy.hea")]},
    "utils.sources.recordings.read_wfdb16": {"dat_path": lambda: [_shared("emgdb/emg_healthy.dat")]},
    "utils.sources.ddf.parse_ddf": {"text": lambda: [_ddf_text()], "source": lambda: ["x.ddf"]},
    "utils.sources.ddf.read_ddf": {"path": lambda: [_shared("workloopR/twitch.ddf")]},
    "utils.sources.diary.parse_diary": {"text": lambda: [_diary_text()]},
    "utils.sources.diary.parse_bytes": {
        "data": lambda: [_diary_text().encode()],
        "max_bytes": lambda: [1_000_000],
    },
    "utils.sources.diary.read_diary": {"path": lambda: [str(ROOT / "data" / "sample_twitch_diary.csv")]},
    "utils.sources.diary.honest_note": {"n_days": lambda: [0, 3, 30]},
    "utils.models.membrane.preset": {"name": lambda: ["muscle", "squid"]},
    "utils.models.membrane.resting_vs_potassium": {"preset_name": lambda: ["muscle"]},
    "utils.models.membrane.ghk_mV": {
        "K_out_mM": lambda: [4.0],
        "K_in_mM": lambda: [140.0],
        "Na_out_mM": lambda: [145.0],
        "Na_in_mM": lambda: [12.0],
        "Cl_out_mM": lambda: [110.0],
        "Cl_in_mM": lambda: [4.0],
    },
    "utils.models.membrane.nernst_mV": {
        "c_out_mM": lambda: [4.0, np.array([2.0, 4.0])],
        "c_in_mM": lambda: [155.0],
    },
    "utils.models.hh.bisect_edge": {"lo": lambda: [0.0], "hi": lambda: [10.0], "tol": lambda: [1e-3, 0.0]},
    "utils.models.hh.detect_spikes": {
        "t_ms": lambda: [np.arange(500) * 0.1],
        "v_mV": lambda: [np.where(np.arange(500) % 100 == 50, 30.0, -65.0)],
    },
    "utils.models.hh.fi_curve": {"i_uA_per_cm2": lambda: [[0.0, 10.0]], "t_stop_ms": lambda: [50.0]},
    "utils.models.hh.firing_onset": {"t_stop_ms": lambda: [100.0], "tol_uA_per_cm2": lambda: [0.5]},
    "utils.models.hh.refractory_curve": {
        "intervals_ms": lambda: [[5.0, 15.0]],
        "tol_uA_per_cm2": lambda: [0.5],
    },
    "utils.models.hh.refractory_threshold": {"interval_ms": lambda: [8.0], "tol_uA_per_cm2": lambda: [0.1]},
    "utils.models.hh.absolute_refractory_ms": {"tol_ms": lambda: [1.0]},
    "utils.models.hh.rheobase": {"tol_uA_per_cm2": lambda: [0.1], "duration_ms": lambda: [20.0]},
    "utils.models.hh.threshold_pulse": {"tol_uA_per_cm2": lambda: [0.1]},
    "utils.models.hh.hopf_current": {"tol_uA_per_cm2": lambda: [0.01]},
    "utils.models.hh.steady_rate_Hz": {
        "sp": lambda: [np.array([10.0, 30.0, 50.0, 70.0])],
        "t_stop": lambda: [80.0],
        "t_from": lambda: [0.0],
    },
    "utils.models.hh.check_tolerance": {"value": lambda: [1e-3, 0.5], "name": lambda: ["tol_uA"]},
    "utils.models.hh.n_steps": {"t_stop": lambda: [10.0], "dt": lambda: [0.01]},
    "utils.models.hh.steady_states": {"v_mV": lambda: [-65.0, np.linspace(-80, 20, 5)]},
    "utils.models.hh.instantaneous_depolarisation": {"delta_v_mV": lambda: [6.0, 7.0]},
    "utils.models.hh.phi": {"temperature_C": lambda: [6.3, 20.0]},
    "utils.models.hh.voltage_clamp": {"v_step_mV": lambda: [0.0, -20.0]},
    "utils.models.hh.voltage_clamp_summary": {"v_steps_mV": lambda: [[-40.0, 0.0]]},
    "utils.models.hh.simulate": {"t_stop_ms": lambda: [20.0]},
    "utils.models.hh.State": {
        "v_mV": lambda: [-65.0],
        "m": lambda: [0.05],
        "h": lambda: [0.6],
        "n": lambda: [0.32],
    },
    "utils.models.hh.Pulse": {"amplitude_uA_per_cm2": lambda: [10.0]},
    "utils.models.hh.PulseTrain": {"amplitude_uA_per_cm2": lambda: [10.0]},
    "utils.models.hh.Step": {"amplitude_uA_per_cm2": lambda: [5.0]},
    "utils.models.hh.HyperpolarisingStep": {"amplitude_uA_per_cm2": lambda: [-5.0]},
    "utils.models.hh.Noise": {"sigma_uA_per_cm2": lambda: [1.0]},
    "utils.models.hh.Ramp": {"start_uA_per_cm2": lambda: [0.0], "end_uA_per_cm2": lambda: [10.0]},
    "utils.models.hh.SampledCurrent": {"values_uA_per_cm2": lambda: [np.zeros(100)]},
    "utils.models.hh.Protocol": {"pieces": lambda: [(_hh().Pulse(10.0), _hh().Step(2.0))]},
    "utils.models.muscle.classify_contraction": {
        "force_au": lambda: [np.r_[np.zeros(10), np.ones(50), np.zeros(40)]],
        "spike_times_ms": lambda: [np.array([10.0])],
    },
    "utils.models.muscle.fit_twitch": {
        "time_s": lambda: [np.arange(400) / 1000.0],
        "force_mN": lambda: [_twitch_force()],
        "stimulus_s": lambda: [0.1],
    },
    "utils.models.muscle.force_rate_curve": {"rates_Hz": lambda: [[1.0, 10.0, 40.0]]},
    "utils.models.muscle.fusion_index": {"force_au": lambda: [np.abs(np.sin(np.arange(500) / 20.0))]},
    "utils.models.muscle.ripple_ratio": {"force_au": lambda: [1 + 0.1 * np.sin(np.arange(500) / 20.0)]},
    "utils.models.muscle.firing_rates_Hz": {"excitation": lambda: [20.0, [5.0, 40.0]]},
    "utils.models.muscle.recruited_count": {"excitation": lambda: [20.0, [5.0, 40.0]]},
    "utils.models.muscle.steady_force_au": {"excitation": lambda: [20.0, [5.0, 40.0]]},
    "utils.models.muscle.simulate_pool": {"excitation": lambda: [10.0], "duration_s": lambda: [0.5]},
    "utils.models.muscle.simulate_pattern": {"key": lambda: ["fasciculation", "tremor"]},
    "utils.models.muscle.spike_train_force": {"spike_times_ms": lambda: [np.array([10.0, 60.0])]},
    "utils.models.muscle.periodic_force": {"rate_Hz": lambda: [10.0]},
    "utils.models.muscle.summation_gain": {"T_ms": lambda: [90.0], "isi_ms": lambda: [[10.0, 50.0]]},
    "utils.models.muscle.twitch_kernel": {"t_ms": lambda: [np.arange(300.0)]},
    "utils.models.nmj.binomial_quanta": {"n_sites": lambda: [100], "p": lambda: [0.02]},
    "utils.models.nmj.boyd_martin_analysis": {
        "amplitude_mV": lambda: [np.arange(10) * 0.1],
        "n_trials": lambda: [np.array([18, 20, 30, 40, 30, 20, 15, 10, 8, 7])],
    },
    "utils.models.nmj.fit_poisson_mixture": {
        "amplitude_mV": lambda: [np.arange(10) * 0.1],
        "n_trials": lambda: [np.array([18, 20, 30, 40, 30, 20, 15, 10, 8, 7])],
    },
    "utils.models.nmj.epp_amplitude_mV": {"m": lambda: [2.0, [1.0, 3.0]]},
    "utils.models.nmj.epp_histogram_probabilities": {
        "amplitude_mV": lambda: [np.arange(10) * 0.1],
        "m": lambda: [2.0],
        "model": lambda: ["poisson", "binomial"],
    },
    "utils.models.nmj.poisson_quanta": {"m": lambda: [2.0]},
    "utils.models.nmj.quantal_content": {"ca_mM": lambda: [1.2, [0.5, 2.0]]},
    "utils.models.nmj.quantal_content_from_cv": {"amplitudes_mV": lambda: [[0.0, 0.4, 0.8, 1.2]]},
    "utils.models.nmj.quantal_content_from_failures": {"n_trials": lambda: [198], "n_failures": lambda: [18]},
    "utils.models.nmj.quantal_content_from_mean": {"mean_epp_mV": lambda: [0.9]},
    "utils.models.nmj.relative_release": {"ca_mM": lambda: [1.2, [0.5, 2.0]]},
    "utils.models.nmj.release_log_slope": {"ca_mM": lambda: [1.2, [0.5, 2.0]]},
    "utils.models.nmj.safety_factor": {"epp_mV": lambda: [40.0, [20.0, 60.0]]},
    "utils.models.nmj.simulate_epp_amplitudes": {
        "n_trials": lambda: [198],
        "m": lambda: [2.0],
        "model": lambda: ["poisson", "binomial"],
    },
    "utils.models.nmj.simulated_histogram": {"model": lambda: ["poisson"]},
    "utils.models.nmj.transmission": {"ca_mM": lambda: [1.2, [0.5, 2.0]]},
    "utils.models.emg.analyse_signal": {"signal_mV": lambda: [_SIG()], "fs_Hz": lambda: [4000.0]},
    "utils.models.emg.bandpass": {"signal_mV": lambda: [_SIG()], "fs_Hz": lambda: [4000.0]},
    "utils.models.emg.envelope": {"signal_mV": lambda: [_SIG()], "fs_Hz": lambda: [4000.0]},
    "utils.models.emg.power_spectrum": {
        "signal_mV": lambda: [_SIG()],
        "fs_Hz": lambda: [4000.0],
        "detrend": lambda: ["constant", "linear"],
    },
    "utils.models.emg.rectify": {"signal_mV": lambda: [_SIG()]},
    "utils.models.emg.noise_sd_mV": {"filtered_mV": lambda: [_SIG()]},
    "utils.models.emg.detect_potentials": {"filtered_mV": lambda: [_SIG()], "fs_Hz": lambda: [4000.0]},
    "utils.models.emg.extract_snippets": {
        "filtered_mV": lambda: [_SIG()],
        "peaks": lambda: [np.array([100, 2000])],
        "fs_Hz": lambda: [4000.0],
    },
    "utils.models.emg.cluster_potentials": {
        "snippets": lambda: [np.random.default_rng(0).normal(size=(40, 30))]
    },
    "utils.models.emg.firing_statistics": {"times_s": lambda: [np.cumsum(np.full(20, 0.1))]},
    "utils.models.emg.mup_measures": {
        "template_mV": lambda: [np.sin(np.linspace(0, 6.28, 40))],
        "fs_Hz": lambda: [4000.0],
    },
    "utils.models.emg.mup_waveform": {
        "t_ms": lambda: [np.linspace(-3, 5, 50)],
        "kind": lambda: ["triphasic", "biphasic"],
    },
    "utils.models.emg.synthetic_emg": {
        "spike_times_s": lambda: [np.array([0.1, 0.3])],
        "spike_unit": lambda: [np.array([0, 0])],
        "unit_size": lambda: [np.array([1.0])],
        "duration_s": lambda: [0.5],
    },
    "utils.models.emg.fasciculation_emg": {"duration_s": lambda: [2.0]},
    "utils.models.emg.voluntary_emg": {"duration_s": lambda: [0.5]},
    "utils.models.electrolytes.calcium_shift_mV": {"calcium_ionised_mmol_L": lambda: [1.2, [0.8, 1.2]]},
    "utils.models.electrolytes.classify": {
        "value": lambda: [4.0],
        "analyte": lambda: ["potassium"],
        "unit": lambda: ["mmol/L"],
    },
    "utils.models.electrolytes.conversion_factor": {
        "analyte": lambda: ["calcium_total"],
        "unit": lambda: ["mg/dL", "mmol/L"],
    },
    "utils.models.electrolytes.convert": {
        "value": lambda: [9.5],
        "analyte": lambda: ["calcium_total"],
        "from_unit": lambda: ["mg/dL"],
        "to_unit": lambda: ["mmol/L"],
    },
    "utils.models.electrolytes.consequences": {"gates": lambda: ["na"]},
    "utils.models.electrolytes.model_parameters": {"gates": lambda: ["na"]},
    "utils.models.electrolytes.corrected_calcium_mg_dL": {
        "total_calcium_mg_dL": lambda: [9.0],
        "albumin_g_dL": lambda: [3.0],
    },
    "utils.models.electrolytes.corrected_calcium_mmol_L": {
        "total_calcium_mmol_L": lambda: [2.2],
        "albumin_g_L": lambda: [30.0],
    },
    "utils.models.electrolytes.ionised_calcium_at_pH": {
        "calcium_ionised_mmol_L": lambda: [1.2],
        "pH": lambda: [7.4, 7.6],
    },
    "utils.models.syndromes.tetany_params": {"calcium_ionised_mmol_L": lambda: [0.9]},
    "utils.models.syndromes.simulate_fasciculation": {"duration_s": lambda: [5.0]},
    "utils.models.syndromes.near_threshold_noise": {"duration_ms": lambda: [500.0]},
    "utils.models.syndromes.after_discharge_calcium_mmol_L": {"tol": lambda: [0.05]},
    "utils.models.syndromes.after_discharge_gk_fraction": {"tol": lambda: [0.05]},
    "utils.models.syndromes.spontaneous_calcium_mmol_L": {"tol": lambda: [0.05]},
    "utils.models.syndromes.spontaneous_gk_fraction": {"tol": lambda: [0.05]},
    "utils.models.syndromes.tetany_onsets": {"tol": lambda: [0.05]},
    "utils.models.sweeps.recorded_spikes": {
        "t_s": lambda: [np.arange(500) * 1e-4],
        "v_mV": lambda: [np.where(np.arange(500) % 100 == 50, 30.0, -65.0)],
    },
    "utils.figures.plots.line_style": {"key": lambda: ["c0", "c3"]},
    "utils.figures.plots.marker_style": {"key": lambda: ["c1"]},
    "utils.figures.plots.plural": {
        "n": lambda: [1, 3],
        "word": lambda: ["unit"],
        "many": lambda: [None, "units"],
    },
    "utils.figures.plots.log_ticks": {"lo": lambda: [0.1], "hi": lambda: [100.0]},
    "utils.figures.plots.log_axis": {
        "title": lambda: ["rate (Hz)"],
        "lo": lambda: [0.1],
        "hi": lambda: [100.0],
    },
    "utils.figures.framing.wrap": {
        "text": lambda: ["a short caption in words"],
        "max_chars": lambda: [10, 40],
    },
    "utils.figures.framing.text_width_px": {"text": lambda: ["force (mN)"], "font_px": lambda: [14.0]},
    "utils.figures.nmj_plots.unit_marker": {"i": lambda: [0, 2]},
    "utils.figures.nmj_plots.unit_line": {"i": lambda: [0, 2]},
    "utils.figures.plots.raster_force_figure": {"title": lambda: ["Pool"], "n_units": lambda: [30]},
    "utils.panels.kit.slider": {
        "description": lambda: ["rate (Hz)"],
        "value": lambda: [2.0],
        "lo": lambda: [1.0],
        "hi": lambda: [10.0],
        "step": lambda: [0.5],
        "fmt": lambda: [".1f"],
        "param": lambda: ["", "rate_Hz"],
    },
    "utils.panels.kit.int_slider": {
        "description": lambda: ["seed"],
        "value": lambda: [2],
        "lo": lambda: [0],
        "hi": lambda: [20],
        "step": lambda: [1],
        "param": lambda: ["", "seed"],
    },
    "utils.panels.kit.dropdown": {
        "description": lambda: ["pattern"],
        "options": lambda: [[("one", "a"), ("two", "b")]],
        "value": lambda: ["a", "b"],
        "param": lambda: ["", "key"],
    },
    "utils.panels.kit.check_seed": {"name": lambda: ["seed"]},
    "utils.panels.kit.check_keywords": {
        "kwargs": lambda: [{}, {"k_mM": 4.5}],
        "cls": lambda: [resolve("utils.panels.fibre_widgets.PeriodicParalysisPanel")],
    },
    "utils.panels.kit.decimate": {"t": lambda: [np.arange(5000.0)], "y": lambda: [np.sin(np.arange(5000.0))]},
    "utils.panels.controls.snap": {
        "value": lambda: [2.3],
        "lo": lambda: [1.0],
        "hi": lambda: [10.0],
        "step": lambda: [0.5],
    },
    "utils.panels.controls.Slider": {
        "value": lambda: [2.0],
        "lo": lambda: [1.0],
        "hi": lambda: [10.0],
        "step": lambda: [0.5],
        "description": lambda: ["rate (Hz)"],
        "fmt": lambda: [".1f"],
    },
    "utils.panels.controls.IntegerSlider": {
        "value": lambda: [2],
        "lo": lambda: [0],
        "hi": lambda: [20],
        "step": lambda: [1],
        "description": lambda: ["seed"],
    },
    "utils.panels.controls.ChoiceSlider": {
        "options": lambda: [[("one", "a"), ("two", "b")]],
        "value": lambda: ["a"],
        "description": lambda: ["pattern"],
    },
    "utils.panels.electrolyte_widgets.LabReportPanel": {"gates": lambda: ["na", "all"]},
    "utils.panels.electrolyte_widgets.block_comparison_figure": {"gates": lambda: ["na"]},
    "utils.panels.fibre_widgets.FibreRestPanel": {"g_cl_scale": lambda: [1.0, 0.0]},
    "utils.panels.fibre_widgets.fibre_rest_panel": {"g_cl_scale": lambda: [1.0]},
    "utils.panels.fibre_widgets.PeriodicParalysisPanel": {"na_fraction": lambda: [0.003, 0.03]},
    "utils.panels.muscle_widgets.PatternPanel": {"key": lambda: ["fasciculation", "tremor"]},
    "utils.panels.muscle_widgets.pattern_panel": {"key": lambda: ["myokymia"]},
    "utils.panels.twitch_widgets.slider_values": {"key": lambda: ["tetany", "fasciculation"]},
    "utils.panels.twitch_widgets.SyndromePanel": {
        "key": lambda: ["fasciculation"],
        "precompute": lambda: [False],
    },
    "utils.panels.twitch_widgets.syndrome_panel": {"key": lambda: ["fasciculation"]},
    "utils.panels.twitch_widgets.causes_markdown": {"group": lambda: [None, "common and harmless"]},
    "utils.panels.twitch_widgets.causes_table": {"group": lambda: [None]},
    "utils.panels.twitch_widgets.name_for_title": {"name": lambda: ["diary.csv"]},
    "utils.panels.widgets.MembranePanel": {"preset": lambda: ["muscle", "squid"]},
    "utils.panels.widgets.membrane_panel": {"preset": lambda: ["neuron"]},
    "utils.panels.hh_widgets.spike_shape_figure": {"sweep": lambda: [3]},
    "utils.models.sweeps.spike_half_width_ms": {
        "t_ms": lambda: [np.arange(500) * 0.1],
        "v_mV": lambda: [-65 + 95 * np.exp(-(((np.arange(500) - 250) / 8.0) ** 2))],
    },
}


def _small_axon():
    from utils.models import axon

    return axon.AxonParams(n_nodes=5)


def _hh():
    from utils.models import hh

    return hh


def _shared(rel: str) -> str:
    from utils.sources import recordings

    return str(recordings.cache_dir() / rel)


def _ddf_text() -> str:
    head = (
        "DMCv5.3 Data File\nSample Frequency (Hz): 10000\nCalibration Data:\nChannel\tAI0\tAI1\nUnits\tmm\tmN\n"
        "Scale (units/V)\t1.0\t500.0\nOffset (volts)\t0.0\t0.0\nTest Comments:\n\nProtocol Array:\n\n"
        "0.000000\tStimulus-Twitch\tStimulator\t.1,.2\n0.000400\tStop\n\nTest Data in Volts:\n\n"
        "Sample\tAI0\tAI1\tStim\n"
    )
    return head + "".join(f"{k}\t0.1\t0.2\t0\n" for k in range(4)) + "4\t0\t0\t0\n"


def _diary_text() -> str:
    return (
        "date,time,location,duration_s,caffeine_mg,sleep_h,stress,exercise,notes\n"
        "2024-03-05,07:45,left eyelid,30,200,6,7,no,coffee\n"
        "2024-03-06,08:00,left eyelid,20,100,7.5,3,yes,\n"
        "2024-03-08,22:10,calf,5,,,,,after running\n"
    )


def _twitch_force() -> np.ndarray:
    t = np.arange(400) / 1000.0 - 0.1
    x = np.clip(t / 0.03, 0, None)
    return 1.0 + 50.0 * x * np.exp(1 - x)


# ----------------------------------------------------------------------------- valid objects
def kind_valid(kind: str, default):
    """Valid values of a kind (used when VALID has none for a parameter)."""
    from utils.models import electrolytes, emg, hh, muscle
    from utils.sources import diary, recordings

    base = kind.rstrip("?")
    vals = []
    if default is not None and default is not _EMPTY:
        vals.append(default)
    if kind.endswith("?"):
        vals.append(None)
    if base == "real":
        if isinstance(default, (int, float)) and math.isfinite(default) and default not in (0, 0.0):
            vals += [default * 0.5, default * 1.5]
        elif not vals:
            vals += [1.0]
    elif base in ("int", "seed"):
        vals += [0, 1, 12345] if base == "seed" else ([default + 1] if isinstance(default, int) else [1])
    elif base == "bool":
        vals += [True, False]
    elif base == "num":
        vals += [1.0, [0.5, 1.5]] if not vals else []
    elif base == "array":
        vals += [np.linspace(0.0, 1.0, 20)]
    elif base == "array2d":
        vals += [np.zeros((3, 4))]
    elif base == "pair":
        pass
    elif base == "text":
        vals += ["eyelid"]
    elif base == "bytes":
        vals += [b"x"]
    elif base == "hh_params":
        vals += [None, hh.HHParams(), hh.HHParams(temperature_C=20.0)]
    elif base == "axon_params":
        from utils.models import axon

        vals += [None, axon.AxonParams(n_nodes=11)]
    elif base == "fibre_params":
        from utils.models import fibre

        vals += [None, fibre.FibreParams()]
    elif base == "pool":
        vals += [None, muscle.make_pool(n_units=30)]
    elif base == "pool_params":
        vals += [None, muscle.PoolParameters(n_units=30)]
    elif base == "profile":
        vals += [None, electrolytes.SerumProfile(), electrolytes.SerumProfile(potassium_mmol_L=6.5)]
    elif base == "state":
        vals += [None, hh.resting_state()]
    elif base == "stimulus":
        vals += [None, hh.Pulse(10.0), 3.0, [hh.Pulse(10.0), hh.Step(1.0)]]
    elif base == "activity":
        vals += [muscle.voluntary(excitation=10.0, duration_s=0.3, pool=muscle.make_pool(n_units=20))]
    elif base in ("entries", "diary_parse"):
        p = diary.parse_diary(_diary_text())
        vals += [p] if base == "diary_parse" else [p, p.entries]
    elif base == "spectrum":
        vals += [emg.power_spectrum(_SIG(), 4000.0)]
    elif base == "loader":
        vals += [recordings.load_epp_amplitudes, lambda: 42]
    elif base == "predicate":
        vals += [lambda x: x > 3.0]
    elif base == "exception":
        vals += [ValueError("x"), recordings.RecordingUnavailable([], "no network connection (test)")]
    elif base == "wfdb_header":
        vals += _offline_safe(lambda: recordings.read_wfdb_header(_shared("emgdb/emg_healthy.hea")))
    elif base == "emg_recording":
        vals += _offline_safe(lambda: recordings.load_emg("healthy"))
    elif base == "clamp_recording":
        vals += _offline_safe(recordings.load_current_clamp)
    elif base in ("choice", "choices", "any", "path", "kwargs", "varargs", "fixed"):
        pass
    return vals


def _offline_safe(load) -> list:
    """``[load()]``, or ``[]`` when the recording cache is not there (the hostile values still run)."""
    from utils import ParameterError
    from utils.sources.recordings import RecordingError

    try:
        return [load()]
    except (RecordingError, ParameterError):
        return []


class _Empty:
    def __repr__(self):
        return "<no default>"


_EMPTY = _Empty()


# ----------------------------------------------------------------------------- classify one call
DATA_ERROR_NAMES = ("DDFFormatError", "WFDBFormatError", "RecordingError")


def outcome_of(exc: BaseException | None) -> str:
    """The outcome class of a call that raised ``exc`` (None: it returned)."""
    from utils import ParameterError
    from utils.sources.ddf import DDFFormatError
    from utils.sources.recordings import RecordingError, WFDBFormatError

    if exc is None:
        return "ok"
    if isinstance(exc, ParameterError):
        return "parameter_error"
    if isinstance(exc, (DDFFormatError, WFDBFormatError, RecordingError)):
        return "data_error"
    return "failure"


def non_finite(obj, depth: int = 0) -> str | None:
    """Where ``obj`` holds a NaN or ±inf (a short path), or None."""
    import dataclasses

    import pandas as pd

    if depth > 3:
        return None
    if isinstance(obj, (bool, np.bool_)):
        return None
    if isinstance(obj, (float, np.floating)):
        return None if math.isfinite(obj) else "value"
    if isinstance(obj, (complex, np.complexfloating)):
        return None if np.isfinite(obj) else "value"
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc" and obj.size and not np.isfinite(obj).all():
            return "array"
        return None
    if isinstance(obj, pd.DataFrame):
        for c in obj.columns:
            where = non_finite(obj[c], depth + 1)
            if where:
                return f"column {c!r}"
        return None
    if isinstance(obj, pd.Series):
        if obj.dtype.kind in "fc" and obj.size and not np.isfinite(obj.to_numpy()).all():
            return "series"
        return None
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            where = non_finite(getattr(obj, f.name, None), depth + 1)
            if where:
                return f"{f.name}: {where}"
        return None
    if isinstance(obj, dict):
        for k, v in list(obj.items())[:200]:
            where = non_finite(v, depth + 1)
            if where:
                return f"[{k!r}]: {where}"
        return None
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj[:200]):
            where = non_finite(v, depth + 1)
            if where:
                return f"[{i}]: {where}"
    return None


def documents_markers(fn) -> bool:
    """True if the docstring of ``fn`` documents NaN or inf as a marker."""
    import re

    doc = getattr(fn, "__doc__", None) or ""
    return bool(re.search(r"\b(inf|nan|NaN|∞)\b", doc))


def resolve(key: str):
    import importlib

    mod, _, name = key.rpartition(".")
    return getattr(importlib.import_module(mod), name)


# ----------------------------------------------------------------------------- bounded subprocess
_CHILD = r"""
import json, math, resource, sys, time, traceback, warnings
resource.setrlimit(resource.RLIMIT_AS, ({mem}, {mem}))
sys.path.insert(0, {tests!r})
import socket
def _refuse(*a, **k):
    raise OSError("fuzz: no network")
socket.getaddrinfo = _refuse
socket.create_connection = _refuse
import numpy as np
from fuzz_registry import outcome_of, non_finite, documents_markers, resolve
cases = json.loads(sys.stdin.read())
for i, case in enumerate(cases):
    print(json.dumps({{"start": i}}), flush=True)
    fn = resolve(case["target"])
    args = [eval(a, {{"np": np, "math": math}}) for a in case["args"]]
    kwargs = {{k: eval(v, {{"np": np, "math": math}}) for k, v in case["kwargs"].items()}}
    t0 = time.perf_counter()
    exc = None
    value = None
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            value = fn(*args, **kwargs)
        except BaseException as e:
            exc = e
    dt = time.perf_counter() - t0
    out = outcome_of(exc)
    detail = "" if exc is None else f"{{type(exc).__name__}}: {{str(exc)[:300]}}"
    rw = [str(x.message)[:200] for x in w if issubclass(x.category, RuntimeWarning)]
    if out == "ok" and rw:
        out, detail = "failure", "RuntimeWarning: " + rw[0]
    if out == "ok":
        where = non_finite(value)
        if where and not documents_markers(fn):
            out, detail = "failure", "undocumented NaN/inf at " + where
    v = value if isinstance(value, (int, float, str, type(None))) else repr(type(value))
    if isinstance(v, float) and not math.isfinite(v):
        v = str(v)
    print(json.dumps({{"done": i, "outcome": out, "detail": detail, "seconds": dt, "value": v}}), flush=True)
"""


def run_cases(
    cases: list[dict], timeout_s: float = CASE_TIMEOUT_S, mem: int = MEMORY_LIMIT_BYTES
) -> list[dict]:
    """Run cost cases in a child Python with an address-space limit; each case gets ``timeout_s``.

    A case is ``{"target": "utils.models.hh.rheobase", "args": ["1.0"], "kwargs": {"dt_ms": "1e-5"}}``
    (arguments as Python expressions). A case that does not finish in time is a failure (the child
    is killed and the rest run in a new child); a MemoryError is a failure too.
    """
    results: list[dict] = []
    todo = list(cases)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = _CHILD.format(mem=mem, tests=str(Path(__file__).parent))
    while todo:
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            text=True,
        )
        proc.stdin.write(json.dumps(todo))
        proc.stdin.close()
        done_here = 0
        started = None
        t_start = time.monotonic()
        import selectors

        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        buf = ""
        timed_out = False
        # import time of the child is not charged to the first case
        deadline = time.monotonic() + timeout_s + 60.0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            if not sel.select(timeout=min(remaining, 1.0)):
                if proc.poll() is not None:
                    break
                continue
            line = proc.stdout.readline()
            if not line:
                break
            buf = line
            msg = json.loads(buf)
            if "start" in msg:
                started = msg["start"]
                deadline = time.monotonic() + timeout_s
            else:
                r = dict(todo[msg["done"]], **{k: msg[k] for k in ("outcome", "detail", "seconds", "value")})
                results.append(r)
                done_here = msg["done"] + 1
                started = None
        sel.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        err = proc.stderr.read()[-500:]
        if started is not None:  # the case that was running did not finish
            why = (
                f"over its time budget of {timeout_s:g} s" if timed_out else f"the child died: {err.strip()}"
            )
            results.append(
                dict(
                    todo[started],
                    outcome="failure",
                    detail=why,
                    seconds=time.monotonic() - t_start,
                    value=None,
                )
            )
            todo = todo[started + 1 :]
        elif done_here < len(todo):
            results.append(
                dict(
                    todo[done_here],
                    outcome="failure",
                    detail=f"child ended early: {err.strip()}",
                    seconds=0.0,
                )
            )
            todo = todo[done_here + 1 :]
        else:
            todo = []
    return results


def run_bounded(target: str, args=(), kwargs=None, timeout_s: float = CASE_TIMEOUT_S) -> dict:
    """One call in a bounded child process (see :func:`run_cases`); arguments are plain values."""
    case = {
        "target": target,
        "args": [repr(a) for a in args],
        "kwargs": {k: repr(v) for k, v in (kwargs or {}).items()},
    }
    r = run_cases([case], timeout_s=timeout_s)[0]
    if isinstance(r.get("value"), str) and r["value"] in ("inf", "-inf", "nan"):
        r["value"] = float(r["value"])
    return r
