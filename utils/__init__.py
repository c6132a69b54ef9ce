"""Why Muscles Twitch: the small, tested package behind the notebooks.

The package is built in layers; each layer imports only the layers below it
(``tests/unit/test_layers.py`` checks this)::

    course    quiz, checks, glossary, series, lessontime, export, worksheet   the course around the notebooks
    panels    kit (the Panel base) + one module per notebook's panels
    figures   theme, the figure widget, the figure builders
    models    membrane, hh, muscle, nmj, emg, electrolytes, syndromes, sweeps, ...
    sources   tables (data/), references, recordings, ddf, diary
    validation.py   ParameterError and the boundary checks, used by every layer

Every public module of every layer is reachable from the top, so notebook cells stay short::

    from utils import membrane
    membrane.nernst_mV(c_out_mM=4, c_in_mM=155, valence=1, temperature_C=37)

Submodules are imported lazily so that ``import utils`` stays fast.
"""

from importlib import import_module
from pathlib import Path

from .resources import configure_numba_cache
from .validation import ParameterError

# before numba is imported: a read-only NUMBA_CACHE_DIR (a hub's shared warm cache) becomes a per-user copy
configure_numba_cache()

__all__ = ["ParameterError", "LAYERS", "module_path"]
__version__ = "0.1.0"

#: The layers, bottom first. A module may import from its own layer and the layers before it.
LAYERS = ("sources", "models", "figures", "panels", "course")


def module_path(name: str) -> str | None:
    """The full dotted name of the public module ``name`` in any layer, or None.

    >>> module_path("hh")
    'utils.models.hh'
    >>> module_path("nothing") is None
    True
    """
    here = Path(__file__).parent
    if name.startswith("_"):
        return None
    if (here / f"{name}.py").is_file():
        return f"{__name__}.{name}"
    for layer in LAYERS:
        if name == layer:
            return f"{__name__}.{layer}"
        if (here / layer / f"{name}.py").is_file():
            return f"{__name__}.{layer}.{name}"
    return None


def __getattr__(name):
    # any public module of any layer, e.g. utils.hh -> utils/models/hh.py
    full = module_path(name)
    if full is None:
        raise AttributeError(f"module 'utils' has no attribute {name!r}")
    return import_module(full)


def __dir__():
    here = Path(__file__).parent
    names = {p.stem for layer in LAYERS for p in (here / layer).glob("[!_]*.py")}
    return sorted(set(globals()) | names | set(LAYERS))
