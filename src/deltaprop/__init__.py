"""deltaprop: feed-forward neural networks trained by textbook backpropagation.

Notation follows the classic account (Rumelhart, Hinton & Williams, 1986; Nielsen's
*Neural Networks and Deep Learning*): ``weights[l][i, j]`` is w_ij, the weight from neuron
i of layer l to neuron j of layer l + 1; ``net`` is a neuron's weighted input, ``o`` (or
``a``) its output, δ = ∂C/∂net its error, η the learning rate, C the cost averaged over the
samples. Samples are rows: every batch is ``(n_samples, n_features)``.

    >>> import deltaprop as dp
    >>> net = dp.Network([2, 3, 1], seed=0)
    >>> grads = net.backprop([[0.0, 1.0]], [[1.0]])
    >>> dp.SGD(3.0).step(net, grads)
"""

from . import activations, costs, initializers, optimizers
from .errors import DataFileError, DivergenceError, DownloadError, ModelFileError
from .gradcheck import gradient_check, gradient_errors
from .network import ForwardPass, Gradients, Network
from .optimizers import SGD, Adam, Momentum, Nesterov, Optimizer

__version__ = "0.1.0"

# Names from the layers above the core, imported on first use so that ``import deltaprop``
# stays light (no matplotlib, rich or scikit-learn until they are needed).
_LAZY = {
    "fit": "training",
    "evaluate": "training",
    "History": "training",
    "Callback": "training",
    "EarlyStopping": "training",
    "ModelCheckpoint": "training",
    "TerminateOnNaN": "training",
    "ProgressLogger": "training",
    "ReduceLROnPlateau": "training",
    "LearningRateScheduler": "training",
    "StepDecay": "training",
    "ExponentialDecay": "training",
    "CosineDecay": "training",
    "OutputCostWarning": "training",
    "CsvLayoutWarning": "datasets",
    "CsvCellError": "datasets.csv_file",
    "save": "files",
    "load": "files",
    "save_checkpoint": "files",
    "load_checkpoint": "files",
    "explain": "walkthrough",
    "datasets": None,
    "training": None,
    "files": None,
    "plots": None,
    "diagnostics": None,
    "reference": None,
    "walkthrough": None,
    "sklearn": None,
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'deltaprop' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f".{_LAZY[name] or name}", __name__)
    value = module if _LAZY[name] is None else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Adam",
    "DataFileError",
    "DivergenceError",
    "DownloadError",
    "ForwardPass",
    "Gradients",
    "ModelFileError",
    "Momentum",
    "Nesterov",
    "Network",
    "Optimizer",
    "SGD",
    "activations",
    "costs",
    "gradient_check",
    "gradient_errors",
    "initializers",
    "optimizers",
    *_LAZY,
]
