"""The keras tier's prelude: a runnable example is executed as this file followed by the example's code.

It defines what `genlint.rules.base.Example.runs` promises: `np`, `keras`, `math`, `itertools`,
`functools`, a compiled `model` (4 features → 1 output, sgd / mse) and float32 arrays `x_train`,
`y_train` (96 rows), `x_val`, `y_val`, `x_test`, `y_test` (32 rows each). Everything else it needs is
bound to underscore names, so an example cannot lean on a name the documentation does not promise.

It also counts the batches that Keras runs and prints the counts when the script exits; when the tier
stops a process that hangs (SIGTERM), it prints them with the Python stack, which shows that the process
was still spinning inside Keras's loop rather than stuck before it.
"""

import os as _os

# Set before Keras is imported: the backend is chosen at import, and the TF/JAX start-up chatter
# (CUDA probing, oneDNN notes) would only bury the symptom in the output.
_os.environ["KERAS_BACKEND"] = "jax"
_os.environ.setdefault("JAX_PLATFORMS", "cpu")
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import atexit as _atexit
import functools
import inspect as _inspect
import itertools  # noqa: F401 - promised to the examples
import math  # noqa: F401 - promised to the examples
import signal as _signal
import sys as _sys
import traceback as _traceback

import keras
import numpy as np

keras.utils.set_random_seed(0)


class _BatchCounter(keras.callbacks.Callback):
    """Counts the batches that fit, evaluate and predict complete, across every call in the script."""

    def __init__(self) -> None:
        super().__init__()
        self.counts = {"train": 0, "test": 0, "predict": 0}

    def on_train_batch_end(self, batch, logs=None):
        self.counts["train"] += 1

    def on_test_batch_end(self, batch, logs=None):
        self.counts["test"] += 1

    def on_predict_batch_end(self, batch, logs=None):
        self.counts["predict"] += 1


_BATCHES = _BatchCounter()


def _counting(method):
    """`method` with the batch counter added to its callbacks; any other call goes through untouched."""

    @functools.wraps(method)
    def counted(self, *args, **kwargs):
        try:
            bound = _inspect.signature(method).bind(self, *args, **kwargs)
        except TypeError:  # a bad call: let Keras raise its own error, with its own message
            return method(self, *args, **kwargs)
        callbacks = bound.arguments.get("callbacks")
        # fit hands its CallbackList (which already holds the counter) to evaluate for validation
        if callbacks is None or isinstance(callbacks, (list, tuple)):
            bound.arguments["callbacks"] = [*(callbacks or ()), _BATCHES]
        return method(*bound.args, **bound.kwargs)

    return counted


for _name in ("fit", "evaluate", "predict"):
    setattr(keras.Model, _name, _counting(getattr(keras.Model, _name)))


def _report_batches(how: str) -> None:
    counts = " ".join(f"{kind}={count}" for kind, count in _BATCHES.counts.items())
    print(f"keras-tier: {how}; batches {counts}", file=_sys.stderr, flush=True)


def _stopped(signum, frame):
    """The tier stopped a hanging run: show how far it got and where it was."""
    _report_batches("stopped while still running")
    _traceback.print_stack(frame, file=_sys.stderr)
    _sys.stderr.flush()
    _os._exit(124)


_signal.signal(_signal.SIGTERM, _stopped)
_atexit.register(_report_batches, "exited")

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")

_rng = np.random.default_rng(0)
x_train = _rng.random((96, 4), dtype=np.float32)
y_train = _rng.random((96, 1), dtype=np.float32)
x_val = _rng.random((32, 4), dtype=np.float32)
y_val = _rng.random((32, 1), dtype=np.float32)
x_test = _rng.random((32, 4), dtype=np.float32)
y_test = _rng.random((32, 1), dtype=np.float32)

print("keras-tier: prelude ready", flush=True)
# ---- the example's code follows ----
