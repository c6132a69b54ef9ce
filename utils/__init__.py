"""Why Muscles Twitch: the small, tested package behind the notebooks.

One module per model (``membrane``, ``hh``, ``muscle``, ...), plotting in ``plots``,
interactive panels in ``widgets``. Import what you need::

    from utils import membrane
    membrane.nernst_mV(c_out_mM=4, c_in_mM=155, valence=1, temperature_C=37)

Submodules are imported lazily so that ``import utils`` stays fast.
"""

from importlib import import_module as _import_module

from ._validate import ParameterError

__all__ = ["ParameterError"]
__version__ = "0.1.0"

_SUBMODULES = {"membrane", "plots", "widgets", "references", "data", "hh", "muscle",
               "nmj", "emg", "electrolytes", "quiz", "notebook"}


def __getattr__(name):
    if name in _SUBMODULES:
        return _import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}")
