"""The accuracy runs of issue 3 on the real MNIST, one recipe at a time.

    python bench/accuracy.py ch1-30            # Nielsen ch. 1, [784, 30, 10]
    python bench/accuracy.py ch1-100 --seed 1  # [784, 100, 10]
    python bench/accuracy.py ch3-100           # Nielsen ch. 3, cross-entropy + L2
    python bench/accuracy.py beyond            # softmax + log-likelihood, momentum, cosine η
    python bench/accuracy.py fashion-100       # the ch. 3 network on Fashion-MNIST
    python bench/accuracy.py ch1-30 --seeds 0-9             # ten seeds, then their summary
    python bench/accuracy.py ch1-30 --textbook --seeds 0-9  # the same with network.py itself
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

One run says little about a recipe whose result depends on its seed (the chapter 1 ones do:
see ``accuracy_results.md``); ``--seeds 0-9`` runs a range and ends with the mean, spread and
share of seeds meeting the target. ``--textbook`` trains the chapter 1 recipes with Nielsen's
``network.py`` instead of deltaprop, to compare the two distributions side by side: the
book's per-example loop (``bench/_textbook.py``) with network.py's own randomness, i.e.
``np.random.seed(seed)`` then ``randn`` biases and weights in its order, and
``random.shuffle`` of the training data every epoch (``random.seed(seed)``). Its rows are
named ``<recipe>+network.py``; it is ~6× slower than deltaprop (~2 min a run here).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

import deltaprop as dp
from deltaprop.training import Callback, CosineDecay, evaluate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # bench/_textbook.py, for --textbook
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
        "textbook": True,  # network.py (quadratic cost, logistic units, plain SGD) can run it
    },
    "ch1-100": {
        "about": "Nielsen ch. 1: [784, 100, 10], logistic, quadratic, normal init, m = 10, η = 3.0",
        "network": {"sizes": [784, 100, 10], "cost": "quadratic", "init": "normal"},
        "fit": {"batch_size": 10, "learning_rate": 3.0},
        "epochs": 30,
        "target": 0.960,
        "textbook": True,
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


def fit_textbook(recipe: dict, seed: int, epochs: int, data: tuple, stream=sys.stdout) -> list[float]:
    """Train a chapter 1 recipe with network.py itself; the test accuracy after each epoch.

    The training is the book's per-example loop (``bench/_textbook.py``); the randomness is
    network.py's: ``np.random.seed(seed)`` then ``randn`` for the biases, then the weights,
    layer by layer, and ``random.shuffle`` of the training rows every epoch after
    ``random.seed(seed)``. Only the test accuracy is computed by deltaprop (a forward pass).
    """
    from _textbook import TextbookNetwork

    X_train, y_train, X_test, y_test = data
    sizes, m, eta = recipe["network"]["sizes"], recipe["fit"]["batch_size"], recipe["fit"]["learning_rate"]
    draw = np.random.RandomState(seed)  # the stream of np.random after np.random.seed(seed)
    biases = [draw.randn(n, 1) for n in sizes[1:]]
    weights = [draw.randn(n_out, n_in) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    book = TextbookNetwork([w.T for w in weights], biases)  # it takes deltaprop's (n_in, n_out)
    shuffler, order = random.Random(seed), list(range(len(X_train)))
    Y = np.eye(sizes[-1])[y_train]
    values = []
    for epoch in range(epochs):
        t0 = time.perf_counter()
        shuffler.shuffle(order)
        rows = np.array(order)
        for k in range(0, len(rows), m):
            batch = rows[k : k + m]
            book.update_mini_batch(X_train[batch].astype(np.float64), Y[batch], eta)
        net = dp.Network.from_arrays(
            [w.T for w in book.weights], [b.ravel() for b in book.biases], cost=recipe["network"]["cost"]
        )
        values.append(evaluate(net, X_test, y_test)["accuracy"])
        print(
            f"  epoch {epoch + 1:2d}: test {values[-1]:.4f}  {time.perf_counter() - t0:.1f}s",
            file=stream,
            flush=True,
        )
    return values


def run(name: str, seed: int, epochs: int | None, dtype: str | None = None, textbook: bool = False):
    """One run of ``name``: its table row (also appended to the results) and best test accuracy."""
    recipe = RECIPES[name]
    X, y, X_test, y_test = load_data(recipe.get("data", "mnist"))
    X_train, y_train, X_val, y_val = X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]
    epochs = epochs or recipe["epochs"]
    (HERE / "accuracy_histories").mkdir(exist_ok=True)
    if textbook:
        name = f"{name}+network.py"
        print(f"{name} (seed {seed}): {recipe['about']}; {epochs} epochs; Nielsen's network.py", flush=True)
        t0 = time.perf_counter()
        test = fit_textbook(recipe, seed, epochs, (X_train, y_train, X_test, y_test))
        wall = time.perf_counter() - t0
        record = {"recipe": name, "about": recipe["about"], "seed": seed, "test_accuracy": test}
        path = HERE / "accuracy_histories" / f"{name}-seed{seed}.json"
        path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    else:
        network = dict(recipe["network"])
        if dtype is not None and np.dtype(dtype) != np.dtype(network.get("dtype", np.float64)):
            network["dtype"] = np.dtype(dtype)
            name = f"{name}+{np.dtype(dtype).name}"  # the recipe with another dtype
        net = dp.Network(**network, seed=seed)
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
        history.params["recipe"] = name
        history.params["about"] = recipe["about"]
        history.to_json(HERE / "accuracy_histories" / f"{name}-seed{seed}.json")
    best = int(np.argmax(test))
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
    return row, test[best]


def summary(name: str, seeds: list[int], bests: list[float], target: float) -> str:
    """One line over several seeds: mean ± standard deviation, range, seeds meeting the target."""
    values = 100 * np.asarray(bests)
    spread = f" ± {values.std(ddof=1):.2f}" if len(values) > 1 else ""
    met = int(np.sum(values >= 100 * target - 1e-9))
    return (
        f"{name}, seeds {seeds[0]}..{seeds[-1]} ({len(values)}): "
        f"best test accuracy {values.mean():.2f}{spread} % "
        f"(min {values.min():.2f}, median {np.median(values):.2f}, max {values.max():.2f}); "
        f"{met} of {len(values)} seeds ≥ {100 * target:.1f} %"
    )


def parse_seeds(text: str) -> list[int]:
    """``"0-9"``, ``"0,3,5"`` or a mix (``"0-3,7"``) as a list of seeds ≥ 0."""
    seeds = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        if not first.isdigit() or (last and not last.isdigit()) or (last and int(last) < int(first)):
            raise argparse.ArgumentTypeError(f"seeds must look like 0-9 or 0,3,5; got {text!r}")
        seeds += list(range(int(first), int(last or first) + 1))
    if not seeds:
        raise argparse.ArgumentTypeError(f"no seeds in {text!r}")
    return seeds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recipes", nargs="*", help=f"recipes to run, in order: {', '.join(RECIPES)}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--seeds",
        type=parse_seeds,
        default=None,
        help="several seeds (0-9, 0,3,5): a run each, then a summary",
    )
    parser.add_argument(
        "--textbook",
        action="store_true",
        help="train with Nielsen's network.py (its loop and randomness) instead of deltaprop (ch. 1 recipes)",
    )
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
    if args.textbook:
        book = [r for r in RECIPES if RECIPES[r].get("textbook")]
        others = [r for r in args.recipes if r not in book]
        if others or args.dtype is not None:
            parser.error(
                f"--textbook runs network.py, which has the chapter 1 recipes only ({book}) "
                f"in float64; got {others or args.dtype}"
            )
    seeds = args.seeds or [args.seed]
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=args.threads, user_api="blas"):
        for name in args.recipes:
            bests = [run(name, seed, args.epochs, args.dtype, args.textbook)[1] for seed in seeds]
            if len(seeds) > 1:
                label = f"{name}+network.py" if args.textbook else name
                print(summary(label, seeds, bests, RECIPES[name]["target"]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
