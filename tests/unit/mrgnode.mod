: Node of Ranvier of the McIntyre-Richardson-Grill (2002) mammalian motor axon, transcribed for the
: NEURON cross-check (tests/unit/neuron_mrg.py, test_axon_neuron.py, benchmarks/bench_axon.py) from the equations in utils/models/axon.py's module
: docstring and data/axon_parameters.csv (sources: mcintyre2002; mcintyre2002_code, HUMAN_MODELS.md
: section 2.0). Fast Na+ m3 h, persistent Na+ p3, slow K+ s and a leak; rates in 1/ms, V in mV.
: Each x/(1 - exp(-x/c)) has its limit c at x = 0 (lin() below).

NEURON {
    SUFFIX mrgnode
    NONSPECIFIC_CURRENT ina, inap, ik, il
    RANGE gnabar, gnapbar, gkbar, gl, ena, ek, el, mhalf
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    gnabar = 3.0 (mho/cm2)
    gnapbar = 0.01 (mho/cm2)
    gkbar = 0.08 (mho/cm2)
    gl = 0.007 (mho/cm2)
    ena = 50.0 (mV)
    ek = -90.0 (mV)
    el = -90.0 (mV)
    mhalf = 21.4 (mV)
}

ASSIGNED {
    v (mV)
    celsius (degC)
    ina (mA/cm2)
    inap (mA/cm2)
    ik (mA/cm2)
    il (mA/cm2)
    q10na
    q10h
    q10k
    pinf mpinf minf hinf sinf
    ptau (ms) mtau (ms) htau (ms) stau (ms)
}

STATE { p m h s }

BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = gnabar * m * m * m * h * (v - ena)
    inap = gnapbar * p * p * p * (v - ena)
    ik = gkbar * s * (v - ek)
    il = gl * (v - el)
}

DERIVATIVE states {
    rates(v)
    p' = (pinf - p) / ptau
    m' = (minf - m) / mtau
    h' = (hinf - h) / htau
    s' = (sinf - s) / stau
}

INITIAL {
    q10na = 2.2 ^ ((celsius - 20) / 10)
    q10h = 2.9 ^ ((celsius - 20) / 10)
    q10k = 3.0 ^ ((celsius - 36) / 10)
    rates(v)
    p = pinf
    m = minf
    h = hinf
    s = sinf
}

FUNCTION lin(x, c) {
    : x / (1 - exp(-x / c)), and its limit c at x = 0
    if (fabs(x / c) < 1e-6) {
        lin = c * (1 + x / (2 * c))
    } else {
        lin = x / (1 - exp(-x / c))
    }
}

PROCEDURE rates(v (mV)) {
    LOCAL a, b, u
    UNITSOFF
    a = q10na * 0.01 * lin(v + 27, 10.2)
    b = q10na * 0.00025 * lin(-(v + 34), 10)
    ptau = 1 / (a + b)
    pinf = a / (a + b)
    a = q10na * 1.86 * lin(v + mhalf, 10.3)
    b = q10na * 0.086 * lin(-(v + 25.7), 9.16)
    mtau = 1 / (a + b)
    minf = a / (a + b)
    a = q10h * 0.062 * lin(-(v + 114), 11)
    b = q10h * 2.3 / (1 + exp(-(v + 31.8) / 13.4))
    htau = 1 / (a + b)
    hinf = a / (a + b)
    u = v + 80
    a = q10k * 0.3 / (1 + exp((u - 27) / -5))
    b = q10k * 0.03 / (1 + exp((u + 10) / -1))
    stau = 1 / (a + b)
    sinf = a / (a + b)
    UNITSON
}
