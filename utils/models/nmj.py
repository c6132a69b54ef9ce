"""The neuromuscular junction: quantal transmitter release, calcium and magnesium, safety factor.

A nerve impulse releases a whole number of packets (quanta) of acetylcholine; each quantum
depolarises the end plate by about the size of one spontaneous miniature potential (q). In a bath
with raised Mg²⁺ the number released per impulse is small and random, and the end-plate potential
(EPP) amplitudes cluster near 0, q, 2q, … (del Castillo & Katz; boyd1956).

* Quantal statistics: :func:`poisson_quanta`, :func:`binomial_quanta` (probability of k quanta),
  :func:`quantal_content_from_failures` (m = ln(trials / failures)),
  :func:`quantal_content_from_mean` (m = mean EPP / q), :func:`quantal_content_from_cv`
  (m = mean² / variance), :func:`epp_histogram_probabilities`, :func:`simulate_epp_amplitudes`,
  :func:`simulated_histogram`, :func:`fit_poisson_mixture`, :func:`boyd_martin_analysis`
  (all three estimates and the fit on the real Boyd & Martin data, ``data.load_epp_amplitudes``).
* Calcium and magnesium (dodge1967; delcastillo1954): :func:`quantal_content` —
  m = m_max·((Ca/K_Ca)/(1 + Ca/K_Ca + Mg/K_Mg))^n, :func:`release_log_slope` (d ln m / d ln Ca),
  :func:`relative_release`.
* Transmission: :func:`epp_amplitude_mV`, :func:`safety_factor`, :func:`transmission`
  (m, EPP, safety factor and the chance that an impulse fails to fire the muscle fibre).

Parameters (value, unit, meaning, source, and which are illustrative) are in
``data/nmj_parameters.csv`` and loaded by :func:`parameters`. Concentrations in mM (= mmol/L),
potentials and amplitudes in mV. Random functions take ``seed`` (numpy Generator).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..sources.tables import read_table
from ..validation import ParameterError, check_array, check_broadcast, check_choice, check_int, check_range
from . import tablecache

__all__ = [
    "ParameterError",
    "parameters",
    "poisson_quanta",
    "binomial_quanta",
    "quantal_content_from_failures",
    "quantal_content_from_mean",
    "quantal_content_from_cv",
    "epp_histogram_probabilities",
    "simulate_epp_amplitudes",
    "simulated_histogram",
    "PoissonFit",
    "fit_poisson_mixture",
    "boyd_martin_analysis",
    "quantal_content",
    "release_log_slope",
    "relative_release",
    "epp_amplitude_mV",
    "safety_factor",
    "transmission",
]


#: Allowed ranges (error messages quote them).
#: Memory cap of simulate_epp_amplitudes: expected quanta over all trials (≈ 160 MB of sizes).
MAX_QUANTA = 20_000_000
#: Most bins of a histogram to analyse or fit (Boyd & Martin's has 27).
MAX_HIST_BINS = 10_000
#: Memory cap of epp_histogram_probabilities: quantal counts × bins (float64 table, ≈ 160 MB).
MAX_PROB_CELLS = 20_000_000
#: Most bins of a simulated histogram (memory and a readable table).
MAX_BINS = 1_000_000
CONC_MAX_mM = 100.0  # far above any bath or serum Ca/Mg (Boyd & Martin used ~ 10 mM Mg)
M_MAX = 10_000.0  # quanta per impulse; mammalian junctions release ~10²
Q_MIN_mV = 1e-3  # 1 µV: far below any miniature potential; smaller sizes overflow quanta counts
Q_MAX_mV = 50.0  # one quantum is ~0.4–1 mV
CV_MAX = 2.0
#: Smallest non-zero quantal CV (smaller ones overflow the Gaussian terms; 0 is exact).
CV_MIN = 1e-6
N_TRIALS_MAX = 10_000_000


@lru_cache(maxsize=1)
def _params() -> dict:
    return {r["name"]: r for r in read_table("nmj_parameters.csv")}


def parameters() -> pd.DataFrame:
    """The model parameters of ``data/nmj_parameters.csv`` (name, value, unit, meaning,
    status — ``published``, ``derived`` or ``illustrative`` — and source keys)."""
    df = pd.DataFrame(list(_params().values()))
    df["value"] = df["value"].astype(float)
    return df


def _p(name: str) -> float:
    return float(_params()[name]["value"])


# Defaults, read from data/nmj_parameters.csv (each row cites its source).
#: Cooperativity: ~4 Ca²⁺ per quantum; log-log slope 3.78 ± 0.2 at low Ca (dodge1967).
N_COOPERATIVITY = _p("n_cooperativity")
#: Dissociation constants of Ca²⁺ and Mg²⁺ at the release site X (order of magnitude as in
#: dodge1967; recalled, not re-read: uncertain, treat as illustrative).
K_CA_mM = _p("K_Ca_mM")
K_MG_mM = _p("K_Mg_mM")
#: Reference condition: typical ionised serum Ca and serum Mg (reference_sheet §3.1).
CA_REF_mM = _p("ca_ref_mM")
MG_REF_mM = _p("mg_ref_mM")
#: Quantal size: mean miniature end-plate potential 0.4 mV, CV ≈ 0.2 (boyd1956; recalled).
Q_mV = _p("quantal_size_mV")
Q_CV = _p("quantal_cv")
#: Muscle fibre resting potential and action-potential threshold (illustrative).
REST_mV = _p("rest_mV")
THRESHOLD_mV = _p("threshold_mV")
#: Safety factor at the reference condition (illustrative; ~2–5 is the usual statement).
SAFETY_FACTOR_REF = _p("safety_factor_ref")


def _w(ca, mg, K_Ca, K_Mg):
    x = ca / K_Ca
    return x / (1.0 + x + mg / K_Mg)


#: m_max normalises the Dodge–Rahamimoff curve so that at (CA_REF_mM, MG_REF_mM) the linear EPP
#: m·q is SAFETY_FACTOR_REF × (threshold − rest): m_ref = 3·30/0.4 = 225 quanta (derived).
M_REF = SAFETY_FACTOR_REF * (THRESHOLD_mV - REST_mV) / Q_mV
M_MAX_DEFAULT = M_REF / _w(CA_REF_mM, MG_REF_mM, K_CA_mM, K_MG_mM) ** N_COOPERATIVITY


# ----------------------------------------------------------------------------- checks
def _conc(value, name, what):
    check = check_range if np.ndim(value) == 0 else check_array
    return check(value, name, "mM", lo=0.0, hi=CONC_MAX_mM, what=what)


def _m(m, name="m"):
    return check_range(
        m, name, "quanta", lo=0.0, hi=M_MAX, what="quantal content: mean number of quanta per impulse"
    )


def _q(q_mV, name="q_mV"):
    return check_range(
        q_mV,
        name,
        "mV",
        lo=Q_MIN_mV,
        hi=Q_MAX_mV,
        what="quantal size: mean amplitude of one quantum",
    )


def _cv(cv, name="cv"):
    c = check_range(cv, name, "", lo=0.0, hi=CV_MAX, what="coefficient of variation of the quantal size")
    if 0.0 < c < CV_MIN:
        raise ParameterError(
            f"{name} = {c:g} is not allowed: a coefficient of variation this small overflows the Gaussian "
            f"quantal-size terms; use 0 for identical quanta or at least {CV_MIN:g}; allowed: 0 or "
            f"[{CV_MIN:g}, {CV_MAX:g}]."
        )
    return c


def _seed(seed):
    return check_int(seed, "seed", lo=0, hi=2**63 - 1, what="random seed")


# ----------------------------------------------------------------------------- quantal statistics
def _poisson_pmf(k, m: float) -> np.ndarray:
    """Poisson P(K = k) with mean ``m``, in numpy (scipy.stats costs 0.6-1 s to import at kernel start)."""
    k = np.asarray(k)
    if m == 0.0:
        return (k == 0).astype(float)
    logfact = np.array([math.lgamma(x + 1.0) for x in k.ravel()]).reshape(k.shape)
    return np.exp(k * math.log(m) - m - logfact)


def _poisson_cdf(k: int, m) -> np.ndarray:
    """Poisson P(K <= k) for each mean in ``m`` (k a small whole number), in numpy."""
    m = np.asarray(m, dtype=float)
    if k < 0:
        return np.zeros_like(m)
    term = np.exp(-m)
    total = term.copy()
    for j in range(1, k + 1):
        term = term * m / j
        total += term
    return np.minimum(total, 1.0)


def poisson_quanta(m: float, k_max: int | None = None) -> np.ndarray:
    """P(k quanta released), k = 0 … k_max, when release is Poisson with mean ``m`` quanta.

    Poisson is the limit of many release sites each with a small probability (boyd1956).
    ``k_max`` defaults to m + 10·√m + 10 (the tail beyond holds < 1e-12).
    """
    m = _m(m)
    k_max = _kmax(m) if k_max is None else check_int(k_max, "k_max", lo=0, hi=100_000)
    return _poisson_pmf(np.arange(k_max + 1), m)


def _kmax(m: float) -> int:
    return int(math.ceil(m + 10.0 * math.sqrt(m) + 10.0))


def binomial_quanta(n_sites: int, p: float) -> np.ndarray:
    """P(k quanta), k = 0 … n_sites: ``n_sites`` release sites, each releasing with probability
    ``p`` (m = n·p). With p small and n large this tends to :func:`poisson_quanta`."""
    n = check_int(n_sites, "n_sites", lo=1, hi=100_000, what="number of release sites")
    p = check_range(p, "p", "", lo=0.0, hi=1.0, what="release probability per site")
    from scipy import stats  # noqa: PLC0415 (deferred: scipy.stats costs 0.6-1 s at kernel start)

    return stats.binom.pmf(np.arange(n + 1), n, p)


def quantal_content_from_failures(n_trials: int, n_failures: int) -> float:
    """m = ln(trials / failures): for Poisson release P(0) = e^(−m) (the method of failures).

    Boyd & Martin: 198 trials, 18 failures → m = ln(11) = 2.40 (boyd1956).
    """
    n = check_int(n_trials, "n_trials", lo=1, hi=N_TRIALS_MAX, what="number of impulses")
    f = check_int(
        n_failures,
        "n_failures",
        lo=1,
        hi=N_TRIALS_MAX,
        what="number of impulses with no response; with 0 failures m is unbounded",
    )
    if f > n:
        raise ParameterError(
            f"n_failures = {f} is not allowed: there cannot be more failures "
            f"than trials (n_trials = {n}); allowed range: [1, {n}]."
        )
    return math.log(n / f)


def quantal_content_from_mean(mean_epp_mV: float, q_mV: float = Q_mV) -> float:
    """m = mean EPP amplitude / quantal size (failures counted as 0 mV in the mean)."""
    mean = check_range(
        mean_epp_mV,
        "mean_epp_mV",
        "mV",
        lo=0.0,
        hi=Q_MAX_mV * M_MAX,
        what="mean end-plate potential over all trials",
    )
    return mean / _q(q_mV)


def quantal_content_from_cv(amplitudes_mV, q_cv: float = 0.0) -> float:
    """m = mean² / variance · (1 + CV_q²): the coefficient-of-variation method. For Poisson
    release with quantal size CV c, var = m·q²·(1 + c²) and mean = m·q."""
    a = check_array(
        amplitudes_mV, "amplitudes_mV", "mV", lo=0.0, min_size=2, what="EPP amplitudes, failures as 0"
    )
    c = _cv(q_cv, "q_cv")
    var = float(a.var(ddof=1))
    if var == 0.0:
        raise ParameterError(
            "amplitudes_mV are all equal: the variance is 0, so the "
            "coefficient-of-variation estimate of m is undefined."
        )
    return float(a.mean()) ** 2 / var * (1.0 + c * c)


def _bin_probs(centres, width, m, q, cv, pk):
    """Probability of each histogram bin: failures (k = 0) land in the bin containing 0 mV; the
    k-quantum responses are Gaussian N(k·q, k·(cv·q)²). Outer bins extend to ±∞."""
    edges = np.r_[-np.inf, (centres[:-1] + centres[1:]) / 2.0, np.inf]
    k = np.arange(1, pk.size)
    mu = k * q
    sd = np.sqrt(k) * cv * q
    if cv == 0.0:
        cdf = (edges[None, :] >= mu[:, None]).astype(float)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (edges[None, :] - mu[:, None]) / sd[:, None]
        from scipy import special  # noqa: PLC0415 (deferred, as scipy.stats)

        cdf = special.ndtr(z)
    p = pk[1:] @ np.diff(cdf, axis=1)
    zero_bin = int(np.searchsorted(edges, 0.0, side="right") - 1)
    p[zero_bin] += pk[0]
    return p


def epp_histogram_probabilities(
    amplitude_mV,
    m: float,
    q_mV: float = Q_mV,
    cv: float = Q_CV,
    model: str = "poisson",
    n_sites: int | None = None,
) -> np.ndarray:
    """Probability that one EPP falls in each bin (bins centred on ``amplitude_mV``, evenly
    spaced, the first containing 0 mV): failures go to the 0 bin, k quanta are Gaussian with
    mean k·q and SD √k·cv·q. ``model='binomial'`` uses ``n_sites`` sites with p = m / n_sites.
    Multiply by the number of trials for the expected histogram (to overlay on the real one)."""
    c = check_array(amplitude_mV, "amplitude_mV", "mV", min_size=2, what="histogram bin centres, increasing")
    if np.any(np.diff(c) <= 0):
        raise ParameterError("amplitude_mV must be strictly increasing bin centres.")
    pk = _quanta(m, model, n_sites)
    if pk.size * (c.size + 1) > MAX_PROB_CELLS:
        raise ParameterError(
            f"amplitude_mV has {c.size:,} bins and m = {float(m):g} needs {pk.size:,} quantal counts: "
            f"{pk.size * (c.size + 1):,} probabilities, above the memory limit of {MAX_PROB_CELLS:,} "
            "(≈ 160 MB); use fewer bins or a smaller m."
        )
    return _bin_probs(c, None, m, _q(q_mV), _cv(cv), pk)


def _quanta(m, model, n_sites):
    m = _m(m)
    check_choice(model, "model", ("poisson", "binomial"), what="release statistics")
    if model == "poisson":
        return poisson_quanta(m)
    if n_sites is None:
        raise ParameterError("model='binomial' needs n_sites (number of release sites, ≥ m).")
    n = check_int(n_sites, "n_sites", lo=1, hi=100_000, what="number of release sites")
    if m > n:
        raise ParameterError(
            f"m = {m:g} quanta is not allowed with n_sites = {n}: the mean "
            f"cannot exceed the number of sites; allowed range: [0, {n}]."
        )
    return binomial_quanta(n, m / n)


def simulate_epp_amplitudes(
    n_trials: int,
    m: float,
    q_mV: float = Q_mV,
    cv: float = Q_CV,
    seed: int = 0,
    model: str = "poisson",
    n_sites: int | None = None,
) -> np.ndarray:
    """Amplitudes (mV) of ``n_trials`` simulated EPPs: a Poisson (or binomial) number of quanta,
    each of Gaussian size with mean ``q_mV`` and coefficient of variation ``cv`` (a quantum
    never counts below 0 mV). Failures are exactly 0 mV."""
    n = check_int(n_trials, "n_trials", lo=1, hi=N_TRIALS_MAX, what="number of impulses")
    q, c, seed = _q(q_mV), _cv(cv), _seed(seed)
    _quanta(m, model, n_sites)  # validates m, model and n_sites together
    m = _m(m)
    if n * m > MAX_QUANTA:
        raise ParameterError(
            f"n_trials × m = {n:,} × {m:g} = {n * m:,.0f} quanta expected, above the memory limit of "
            f"{MAX_QUANTA:,} quanta (one random size each, ≈ 8 bytes); allowed: n_trials ≤ "
            f"{max(1, int(MAX_QUANTA // max(m, 1e-300))):,} at this m."
        )
    rng = np.random.default_rng(seed)
    if model == "poisson":
        k = rng.poisson(m, n)
    else:
        k = rng.binomial(int(n_sites), m / int(n_sites), n)
    total = int(k.sum())
    sizes = np.maximum(q * (1.0 + c * rng.standard_normal(total)), 0.0)
    owner = np.repeat(np.arange(n), k)
    return np.bincount(owner, weights=sizes, minlength=n)


def simulated_histogram(
    n_trials: int = 198,
    m: float | None = None,
    q_mV: float = Q_mV,
    cv: float = Q_CV,
    bin_mV: float = 0.101,
    seed: int = 0,
    model: str = "poisson",
    n_sites: int | None = None,
) -> pd.DataFrame:
    """A simulated amplitude histogram in the layout of ``data.load_epp_amplitudes()``:
    columns ``amplitude_mV`` (bin centres 0, bin_mV, 2·bin_mV, …) and ``n_trials``.

    Defaults mimic Boyd & Martin: 198 trials, bins 0.101 mV, q = 0.4 mV; ``m`` defaults to the
    failure estimate ln(198/18) (boyd1956).
    """
    if m is None:
        m = quantal_content_from_failures(198, 18)
    b = check_range(bin_mV, "bin_mV", "mV", lo=0.0, hi=10.0, lo_open=True, what="bin width")
    a = simulate_epp_amplitudes(n_trials, m, q_mV, cv, seed, model, n_sites)
    n_bins = float(a.max()) / b + 2 if a.size else 2
    if n_bins > MAX_BINS:
        raise ParameterError(
            f"bin_mV = {b:g} mV is not allowed: the amplitudes up to {float(a.max()):g} mV would need "
            f"{n_bins:,.0f} bins, above the limit of {MAX_BINS:,}; allowed: bin_mV ≥ {float(a.max()) / MAX_BINS:.3g} mV."
        )
    idx = np.floor(a / b + 0.5).astype(np.int64)
    counts = np.bincount(idx, minlength=int(idx.max()) + 2)
    return pd.DataFrame({"amplitude_mV": np.arange(counts.size) * b, "n_trials": counts.astype(np.int64)})


@dataclass(frozen=True)
class PoissonFit:
    """Maximum-likelihood Poisson-mixture fit to an amplitude histogram.

    ``m`` quanta per impulse, ``q_mV`` quantal size, ``cv`` its coefficient of variation,
    ``log_likelihood`` (multinomial, binned), ``expected`` (DataFrame: amplitude_mV, observed,
    expected counts), ``chi2`` (Σ (obs − exp)² / exp over bins with exp ≥ 1) and ``dof``.
    """

    m: float
    q_mV: float
    cv: float
    log_likelihood: float
    expected: pd.DataFrame
    chi2: float
    dof: int


def _check_hist(amplitude_mV, n_trials):
    c = check_array(amplitude_mV, "amplitude_mV", "mV", min_size=2, what="histogram bin centres, increasing")
    n = check_array(n_trials, "n_trials", "trials", lo=0.0, what="counts per bin")
    if n.size != c.size:
        raise ParameterError(f"n_trials has {n.size} values but amplitude_mV has {c.size}.")
    if c.size > MAX_HIST_BINS:
        raise ParameterError(
            f"amplitude_mV has {c.size:,} bins; at most {MAX_HIST_BINS:,} (cost limit: the fit evaluates "
            "every bin for every quantal count at each step)."
        )
    if n.sum() > N_TRIALS_MAX:
        raise ParameterError(f"n_trials add up to {n.sum():g}; at most {N_TRIALS_MAX:g} trials in all.")
    if np.any(np.diff(c) <= 0):
        raise ParameterError("amplitude_mV must be strictly increasing bin centres.")
    if n.sum() <= 0:
        raise ParameterError("n_trials sums to 0: the histogram is empty.")
    return c, n


def fit_poisson_mixture(
    amplitude_mV, n_trials, q_mV: float | None = None, cv: float | None = None
) -> PoissonFit:
    """Fit m (and q, cv unless fixed) of the Poisson mixture to a binned EPP histogram by
    maximum likelihood (e.g. the Boyd & Martin histogram, ``recordings.load_epp_amplitudes``).

    Fixing ``q_mV`` / ``cv`` (e.g. to the miniature potentials' 0.4 mV) leaves fewer free
    parameters; with both free, the failure bin pins m and the peaks pin q.
    """
    c, n = _check_hist(amplitude_mV, n_trials)
    q_fix = None if q_mV is None else _q(q_mV)
    cv_fix = None if cv is None else _cv(cv)
    N = float(n.sum())
    mean = float((c * n).sum() / N)
    zero = int(np.argmin(np.abs(c)))
    f0 = n[zero] / N
    m0 = -math.log(f0) if 0 < f0 < 1 else max(mean / (q_fix or Q_mV), 0.1)
    q0 = q_fix if q_fix is not None else max(mean / max(m0, 1e-3), 1e-3)
    cv0 = cv_fix if cv_fix is not None else 0.25

    def unpack(x):
        it = iter(x)
        m = math.exp(next(it))
        q = q_fix if q_fix is not None else math.exp(next(it))
        v = cv_fix if cv_fix is not None else math.exp(next(it))
        return m, q, v

    def nll(x):
        m, q, v = unpack(x)
        if m > M_MAX or q > Q_MAX_mV or v > CV_MAX or v < 1e-3 and cv_fix is None:
            return 1e300
        p = _bin_probs(c, None, m, q, v, _poisson_pmf(np.arange(_kmax(m) + 1), m))
        return -float(np.sum(n * np.log(np.maximum(p, 1e-300))))

    x0 = [math.log(max(m0, 1e-3))]
    if q_fix is None:
        x0.append(math.log(q0))
    if cv_fix is None:
        x0.append(math.log(cv0))
    from scipy import optimize  # noqa: PLC0415 (deferred: scipy.optimize costs 0.6-1 s at kernel start)

    res = optimize.minimize(
        nll, x0, method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-9, "maxiter": 4000}
    )
    m, q, v = unpack(res.x)
    p = _bin_probs(c, None, m, q, v, _poisson_pmf(np.arange(_kmax(m) + 1), m))
    exp = N * p
    ok = exp >= 1.0
    chi2 = float(np.sum((n[ok] - exp[ok]) ** 2 / exp[ok]))
    dof = int(ok.sum() - 1 - len(x0))
    table = pd.DataFrame({"amplitude_mV": c, "observed": n, "expected": exp})
    return PoissonFit(m, q, v, -float(res.fun), table, chi2, dof)


@tablecache.disk_cached  # notebook 04 shows it before its first panel: the fit and scipy cost ~1 s
def boyd_martin_analysis(amplitude_mV, n_trials, q_mV: float = Q_mV) -> pd.DataFrame:
    """The quantal content of the Boyd & Martin (1956) EPPs, estimated four ways, on the real
    histogram (bin centres ``amplitude_mV`` and counts ``n_trials``, from
    ``recordings.load_epp_amplitudes()``; failures = the 0 mV bin).

    Rows: ``failures`` (ln(trials/failures)), ``mean amplitude / q`` (q = ``q_mV``, the mean
    miniature potential), ``mean² / variance`` (CV method, quantal CV from the parameters),
    ``Poisson-mixture fit`` (m, q, cv all free). Columns: method, m, q_mV (NaN marks a method
    that does not estimate q), note. The mean and variance use bin centres, so they carry the
    0.101 mV binning.
    """
    a, n = _check_hist(amplitude_mV, n_trials)
    N = int(n.sum())
    zero = int(np.argmin(np.abs(a)))
    fails = int(n[zero])
    mean = float((a * n).sum() / N)
    var = float((n * (a - mean) ** 2).sum() / (N - 1))
    fit = fit_poisson_mixture(a, n)
    rows = [
        ("failures", quantal_content_from_failures(N, fails), float("nan"), f"ln({N}/{fails})"),
        (
            "mean amplitude / q",
            quantal_content_from_mean(mean, q_mV),
            _q(q_mV),
            f"mean EPP {mean:.3f} mV / q {q_mV:g} mV",
        ),
        (
            "mean² / variance",
            mean**2 / var * (1.0 + Q_CV**2),
            float("nan"),
            f"mean {mean:.3f} mV, variance {var:.3f} mV², quantal CV {Q_CV:g}",
        ),
        ("Poisson-mixture fit", fit.m, fit.q_mV, f"cv {fit.cv:.3f}; chi² {fit.chi2:.1f} on {fit.dof} dof"),
    ]
    return pd.DataFrame(rows, columns=["method", "m", "q_mV", "note"])


# ----------------------------------------------------------------------------- Ca and Mg
def quantal_content(
    ca_mM,
    mg_mM=MG_REF_mM,
    *,
    m_max: float = M_MAX_DEFAULT,
    K_Ca_mM: float = K_CA_mM,
    K_Mg_mM: float = K_MG_mM,
    n: float = N_COOPERATIVITY,
):
    """Quantal content m (quanta per impulse) at extracellular ``ca_mM`` and ``mg_mM``.

    Dodge & Rahamimoff (1967): Ca²⁺ binds a site X with dissociation constant K_Ca; Mg²⁺ competes
    for X (K_Mg; delcastillo1954); release needs ~n = 4 occupied sites:
    m = m_max·((Ca/K_Ca) / (1 + Ca/K_Ca + Mg/K_Mg))^n. At low Ca the log-log slope is n
    (dodge1967 measured 3.78 ± 0.2); it falls as Ca rises (saturation). Mg divides the effective
    Ca affinity by (1 + Mg/K_Mg) without changing the low-Ca slope.

    Source status: n from dodge1967; K_Ca = 1 mM and K_Mg = 3 mM are of the order reported
    there but were not re-read (uncertain: treat as illustrative); m_max is derived so that the
    reference condition (1.2 mM Ca, 0.85 mM Mg) gives m = 225 (see ``data/nmj_parameters.csv``).
    Scalars or arrays (broadcast).
    """
    ca = _conc(ca_mM, "ca_mM", "extracellular calcium")
    mg = _conc(mg_mM, "mg_mM", "extracellular magnesium")
    mm = check_range(m_max, "m_max", "quanta", lo=0.0, hi=1e9, lo_open=True, what="maximum quantal content")
    kc = check_range(
        K_Ca_mM,
        "K_Ca_mM",
        "mM",
        lo=0.0,
        hi=CONC_MAX_mM,
        lo_open=True,
        what="Ca dissociation constant of the release site",
    )
    km = check_range(
        K_Mg_mM,
        "K_Mg_mM",
        "mM",
        lo=0.0,
        hi=CONC_MAX_mM,
        lo_open=True,
        what="Mg dissociation constant of the release site",
    )
    nn = check_range(n, "n", "", lo=0.0, hi=10.0, lo_open=True, what="cooperativity (Ca ions per quantum)")
    check_broadcast(ca_mM=ca, mg_mM=mg)
    out = mm * _w(np.asarray(ca, float), np.asarray(mg, float), kc, km) ** nn
    return float(out) if np.ndim(out) == 0 else out


def release_log_slope(
    ca_mM, mg_mM=MG_REF_mM, *, K_Ca_mM: float = K_CA_mM, K_Mg_mM: float = K_MG_mM, n: float = N_COOPERATIVITY
):
    """d ln m / d ln Ca of :func:`quantal_content`: n·(1 + Mg/K_Mg)/(1 + Ca/K_Ca + Mg/K_Mg).
    Tends to n (≈ 4) as Ca → 0; halves where Ca/K_Ca = 1 + Mg/K_Mg."""
    ca = np.asarray(_conc(ca_mM, "ca_mM", "extracellular calcium"), float)
    mg = np.asarray(_conc(mg_mM, "mg_mM", "extracellular magnesium"), float)
    check_broadcast(ca_mM=ca, mg_mM=mg)
    kc = check_range(K_Ca_mM, "K_Ca_mM", "mM", lo=0.0, hi=CONC_MAX_mM, lo_open=True)
    km = check_range(K_Mg_mM, "K_Mg_mM", "mM", lo=0.0, hi=CONC_MAX_mM, lo_open=True)
    nn = check_range(n, "n", "", lo=0.0, hi=10.0, lo_open=True)
    y = mg / km
    out = nn * (1.0 + y) / (1.0 + ca / kc + y)
    return float(out) if np.ndim(out) == 0 else out


def relative_release(ca_mM, mg_mM=MG_REF_mM, ca_ref_mM: float = CA_REF_mM, mg_ref_mM: float = MG_REF_mM):
    """m(ca, mg) / m(ca_ref, mg_ref): release relative to the reference condition (1 = normal).
    Independent of m_max, so it does not depend on the illustrative normalisation."""
    ref = _conc(ca_ref_mM, "ca_ref_mM", "reference calcium")
    mg_ref = _conc(mg_ref_mM, "mg_ref_mM", "reference magnesium")
    check_broadcast(
        ca_mM=_conc(ca_mM, "ca_mM", "extracellular calcium"),
        mg_mM=_conc(mg_mM, "mg_mM", "extracellular magnesium"),
    )
    if np.ndim(ref) != 0 or np.ndim(mg_ref) != 0:
        raise ParameterError(
            "ca_ref_mM and mg_ref_mM must be single numbers in mM (the reference condition)."
        )
    if ref == 0:
        raise ParameterError(
            f"ca_ref_mM = 0 mM is not allowed: release is 0 there; allowed range: (0, {CONC_MAX_mM:g}] mM."
        )
    m0 = quantal_content(ref, mg_ref, m_max=1.0)
    if not m0 > 1e-250:  # the reference release underflows: no ratio to take
        raise ParameterError(
            f"ca_ref_mM = {ref:g} mM is not allowed: release at the reference is {m0:g} of its maximum, "
            "too small to divide by; use a reference calcium of at least 1e-60 mM (any real bath)."
        )
    out = np.asarray(quantal_content(ca_mM, mg_mM, m_max=1.0)) / m0
    return float(out) if np.ndim(out) == 0 else out


# ----------------------------------------------------------------------------- transmission
def epp_amplitude_mV(m, q_mV: float = Q_mV):
    """EPP amplitude as the linear sum m·q (mV). This is the amplitude corrected for non-linear
    summation — the quantity safety factors are computed from; the recorded depolarisation is
    smaller, since the membrane cannot pass the ACh reversal potential (near 0 mV)."""
    q = _q(q_mV)
    if np.ndim(m) == 0:
        return _m(m) * q
    return check_array(m, "m", "quanta", lo=0.0, hi=M_MAX, what="quantal content") * q


def safety_factor(epp_mV, threshold_mV: float = THRESHOLD_mV, rest_mV: float = REST_mV):
    """Safety factor = EPP amplitude / (threshold − rest) (ruff2011): > 1 means the EPP reaches
    the muscle fibre's firing threshold with room to spare. Defaults (rest −85 mV, threshold
    −55 mV) are illustrative."""
    rest = check_range(
        rest_mV, "rest_mV", "mV", lo=-150.0, hi=0.0, what="resting potential of the muscle fibre"
    )
    thr = check_range(
        threshold_mV,
        "threshold_mV",
        "mV",
        lo=rest,
        hi=50.0,
        lo_open=True,
        what="action-potential threshold; must be above rest_mV",
    )
    check = check_range if np.ndim(epp_mV) == 0 else check_array
    e = check(epp_mV, "epp_mV", "mV", lo=0.0, hi=1e6, what="EPP amplitude")
    return e / (thr - rest)


def transmission(
    ca_mM,
    mg_mM=MG_REF_mM,
    q_mV: float = Q_mV,
    threshold_mV: float = THRESHOLD_mV,
    rest_mV: float = REST_mV,
    m_max: float = M_MAX_DEFAULT,
) -> pd.DataFrame:
    """What calcium and magnesium do to transmission: one row per (ca_mM, mg_mM) pair
    (broadcast). Columns: ca_mM, mg_mM, m (quanta), relative_release (to 1.2 mM Ca, 0.85 mM Mg),
    epp_mV (m·q), safety_factor, p_fail (probability that one impulse releases too few quanta
    to reach threshold, Poisson: P(k·q < threshold − rest)).

    The absolute numbers rest on illustrative constants (see :func:`quantal_content`); the
    direction and size of the changes relative to normal are the robust part.
    """
    ca = np.atleast_1d(_conc(ca_mM, "ca_mM", "extracellular calcium"))
    mg = np.atleast_1d(_conc(mg_mM, "mg_mM", "extracellular magnesium"))
    check_broadcast(ca_mM=ca, mg_mM=mg)
    ca, mg = np.broadcast_arrays(ca, mg)
    m = np.atleast_1d(quantal_content(ca.ravel(), mg.ravel(), m_max=m_max))
    if m.size and m.max() > M_MAX:
        raise ParameterError(
            f"m_max = {m_max:g} quanta with ca_mM up to {ca.max():g} mM gives m = {m.max():g} quanta, above "
            f"the model's limit of {M_MAX:g}; use a smaller m_max or lower calcium."
        )
    epp = epp_amplitude_mV(m, q_mV)
    sf = safety_factor(epp, threshold_mV, rest_mV)
    need = math.ceil((threshold_mV - rest_mV) / q_mV - 1e-12)  # quanta needed to fire
    p_fail = _poisson_cdf(need - 1, m)
    return pd.DataFrame(
        {
            "ca_mM": ca.ravel(),
            "mg_mM": mg.ravel(),
            "m": m,
            "relative_release": relative_release(ca.ravel(), mg.ravel()) * np.ones(m.size),
            "epp_mV": epp,
            "safety_factor": sf,
            "p_fail": p_fail,
        }
    )
