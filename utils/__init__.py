"""Why Muscles Twitch: the small, tested package behind the notebooks.

One module per model (``membrane``, ``hh``, ``muscle``, ...), plotting in ``plots``,
interactive panels in ``widgets``. Import what you need::

    from utils import membrane
    membrane.nernst_mV(c_out_mM=4, c_in_mM=155, valence=1, temperature_C=37)

Submodules are imported lazily so that ``import utils`` stays fast.
"""

from importlib import import_module as _import_module
from pathlib import Path as _Path

from ._validate import ParameterError

__all__ = ["ParameterError"]
__version__ = "0.1.0"

def __getattr__(name):
    # any public module file of the package, e.g. utils.hh -> utils/hh.py
    if not name.startswith("_") and (_Path(__file__).parent / f"{name}.py").is_file():
        return _import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}")
