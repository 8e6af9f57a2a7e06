"""The accuracy runs of issue 3 on the real MNIST, one recipe at a time.

    python bench/accuracy.py ch1-30            # Nielsen ch. 1, [784, 30, 10]
    python bench/accuracy.py ch1-100 --seed 1  # [784, 100, 10]
    python bench/accuracy.py ch3-100           # Nielsen ch. 3, cross-entropy + L2
    python bench/accuracy.py beyond            # softmax + log-likelihood, momentum, cosine η
    python bench/accuracy.py fashion-100       # the ch. 3 network on Fashion-MNIST
    python bench/accuracy.py --list

As in the book: train on the first 50,000 training images, keep the last 10,000 as
validation data, and report the accuracy on the 10,000 test images after every epoch; the
table row gives the best test accuracy (and its epoch), the final one and the wall time.
The row is printed and appended to ``bench/accuracy_results.md``; the full history (with the
per-epoch test accuracy) goes to ``bench/accuracy_histories/<recipe>-seed<seed>.json``.

The MNIST files are read from ``$DELTAPROP_DATA/mnist`` (default ``../shared/data``, the
published IDX files) by ``deltaprop.datasets.load_mnist``, without downloading; the
Fashion-MNIST recipe reads ``fashion-mnist/`` the same way, split the same way.
Pixels are scaled to [0, 1] and kept in float32; a float64 network casts them per mini-batch.
BLAS runs single-threaded unless ``--threads`` says otherwise: the recorded times were taken
that way on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

import deltaprop as dp
from deltaprop.training import Callback, CosineDecay, evaluate

HERE = Path(__file__).resolve().parent
N_TRAIN = 50_000  # the first 50,000 training images train; the last 10,000 validate
TABLE_HEADER = (
    "| recipe | what | epochs | seed | best test accuracy | final | target met | wall time |\n"
    "|---|---|---|---|---|---|---|---|\n"
)

RECIPES = {
    "ch1-30": {
        "about": "Nielsen ch. 1: [784, 30, 10], logistic, quadratic, normal init, m = 10, η = 3.0",
        "network": {"sizes": [784, 30, 10], "cost": "quadratic", "init": "normal"},
        "fit": {"batch_size": 10, "learning_rate": 3.0},
        "epochs": 30,
        "target": 0.950,
    },
    "ch1-100": {
        "about": "Nielsen ch. 1: [784, 100, 10], logistic, quadratic, normal init, m = 10, η = 3.0",
        "network": {"sizes": [784, 100, 10], "cost": "quadratic", "init": "normal"},
        "fit": {"batch_size": 10, "learning_rate": 3.0},
        "epochs": 30,
        "target": 0.960,
    },
    "ch3-100": {
        "about": "Nielsen ch. 3: [784, 100, 10], logistic, cross-entropy, normal_scaled, λ = 5.0, "
        "m = 10, η = 0.5",
        "network": {"sizes": [784, 100, 10], "cost": "cross_entropy", "init": "normal_scaled"},
        "fit": {"batch_size": 10},
        "optimizer": lambda: dp.SGD(0.5, l2=5.0),
        "epochs": 30,
        "target": 0.978,
    },
    "beyond": {
        "about": "beyond the book: [784, 800, 800, 10] ReLU, softmax + log-likelihood, he_normal, "
        "float32, m = 100, Nesterov μ = 0.9, η = 0.1 cosine-decayed over 20 epochs, λ = 5.0",
        "network": {
            "sizes": [784, 800, 800, 10],
            "activation": "relu",
            "output_activation": "softmax",
            "cost": "log_likelihood",
            "init": "he_normal",
            "dtype": np.float32,
        },
        "fit": {"batch_size": 100},
        "optimizer": lambda: dp.Nesterov(0.1, momentum=0.9, l2=5.0),
        "schedule": lambda: CosineDecay(0.1, epochs=20),
        "epochs": 20,
        "target": 0.983,
    },
    # Not in the book: its chapter 3 recipe (with a softmax output) on Fashion-MNIST, the
    # drop-in replacement for MNIST. Zalando's benchmark of scikit-learn models puts an
    # MLPClassifier with one hidden layer of 100 units at about 87 %: the target.
    "fashion-100": {
        "about": "Fashion-MNIST: [784, 100, 10], logistic, softmax + log-likelihood, normal_scaled, "
        "λ = 5.0, m = 10, η = 0.1",
        "data": "fashion-mnist",
        "network": {
            "sizes": [784, 100, 10],
            "output_activation": "softmax",
            "cost": "log_likelihood",
            "init": "normal_scaled",
        },
        "fit": {"batch_size": 10},
        "optimizer": lambda: dp.SGD(0.1, l2=5.0),
        "epochs": 30,
        "target": 0.870,
    },
}


def load_data(name: str = "mnist") -> tuple[np.ndarray, ...]:
    """(X_train, y_train, X_test, y_test): pixels in [0, 1] as float32 ``(n, 784)``, labels ``(n,)``."""
    root = os.environ.get("DELTAPROP_DATA") or str(HERE.parent.parent / "shared" / "data")
    load = dp.datasets.load_fashion_mnist if name == "fashion-mnist" else dp.datasets.load_mnist
    try:
        X_train, y_train = load("train", data_dir=root, download=False)
        X_test, y_test = load("test", data_dir=root, download=False)
    except (FileNotFoundError, dp.DownloadError) as err:
        sys.exit(f"no {name} files under {root}: {err}; set DELTAPROP_DATA to the folder holding {name}/")
    return X_train, y_train, X_test, y_test


class TestAccuracy(Callback):
    """Record the test accuracy after every epoch (the number Nielsen reports), as ``test_accuracy``."""

    def __init__(self, X_test, y_test, stream=sys.stdout):
        self.X_test, self.y_test, self.stream = X_test, y_test, stream
        self.values: list[float] = []

    def on_epoch_end(self, epoch, logs=None):
        test = evaluate(self.run.network, self.X_test, self.y_test)["accuracy"]
        self.values.append(test)
        val = logs.get("val_accuracy", float("nan"))
        print(
            f"  epoch {epoch + 1:2d}: loss {logs['loss']:.4f}  val {val:.4f}  test {test:.4f}"
            f"  lr {logs['lr']:.3g}  {logs['time']:.1f}s",
            file=self.stream,
            flush=True,
        )


def run(name: str, seed: int, epochs: int | None, dtype: str | None = None) -> str:
    recipe = RECIPES[name]
    X, y, X_test, y_test = load_data(recipe.get("data", "mnist"))
    X_train, y_train, X_val, y_val = X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]
    network = dict(recipe["network"])
    if dtype is not None and np.dtype(dtype) != np.dtype(network.get("dtype", np.float64)):
        network["dtype"] = np.dtype(dtype)
        name = f"{name}+{np.dtype(dtype).name}"  # the recipe with another dtype
    net = dp.Network(**network, seed=seed)
    epochs = epochs or recipe["epochs"]
    fit_kw = dict(recipe["fit"])
    if "optimizer" in recipe:
        fit_kw["optimizer"] = recipe["optimizer"]()
    tester = TestAccuracy(X_test, y_test)
    callbacks = [tester]
    if "schedule" in recipe:
        callbacks.insert(0, recipe["schedule"]())
    print(f"{name} (seed {seed}): {recipe['about']}; {epochs} epochs; {net!r}", flush=True)
    t0 = time.perf_counter()
    history = net.fit(
        X_train, y_train, epochs, validation_data=(X_val, y_val), seed=seed, callbacks=callbacks, **fit_kw
    )
    wall = time.perf_counter() - t0
    test = history.history["test_accuracy"] = tester.values
    best = int(np.argmax(test))
    (HERE / "accuracy_histories").mkdir(exist_ok=True)
    history.params["recipe"] = name
    history.params["about"] = recipe["about"]
    history.to_json(HERE / "accuracy_histories" / f"{name}-seed{seed}.json")
    verdict = "yes" if test[best] >= recipe["target"] else "no"
    row = (
        f"| {name} | {recipe['about']} | {epochs} | {seed} | {100 * test[best]:.2f}% (epoch {best + 1}) "
        f"| {100 * test[-1]:.2f}% | {100 * recipe['target']:.1f}%: {verdict} | {wall / 60:.1f} min |"
    )
    print(row, flush=True)
    table = HERE / "accuracy_results.md"
    header = "" if table.exists() else TABLE_HEADER
    with open(table, "a", encoding="utf-8") as fh:
        fh.write(header + row + "\n")
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recipes", nargs="*", help=f"recipes to run, in order: {', '.join(RECIPES)}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=None, help="override the recipe's epochs")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS threads (default 1: with mini-batches of 10, more threads only contend for the cores)",
    )
    parser.add_argument(
        "--dtype", choices=["float32", "float64"], default=None, help="override the recipe's dtype"
    )
    parser.add_argument("--list", action="store_true", help="list the recipes and exit")
    args = parser.parse_args(argv)
    if args.list or not args.recipes:
        for name, recipe in RECIPES.items():
            target = f"target {100 * recipe['target']:.1f}%"
            print(f"{name:11s} {recipe['about']}; {recipe['epochs']} epochs; {target}")
        return 0
    unknown = [r for r in args.recipes if r not in RECIPES]
    if unknown:
        parser.error(f"unknown recipe(s) {unknown}; choose from {list(RECIPES)}")
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=args.threads, user_api="blas"):
        for name in args.recipes:
            run(name, args.seed, args.epochs, args.dtype)
    return 0


if __name__ == "__main__":
    sys.exit(main())
