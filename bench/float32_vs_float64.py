"""Does float32 training lose MNIST accuracy against float64? (issue 7: within 0.3 points)

    nice -n 10 python bench/float32_vs_float64.py                  # 30 epochs, seed 0
    nice -n 10 python bench/float32_vs_float64.py --epochs 5 --seeds 0 1 2

The recipe is Nielsen's ch. 3 network: [784, 100, 10], logistic, cross-entropy, normal_scaled
init, mini-batches of 10, η = 0.5, λ = 5.0, trained on the first 50,000 training images and
tested on the 10,000 test images. For each seed the same network (same initial weights, drawn
in float64 and rounded once for float32) is trained in both dtypes with the same shuffling, so
the only difference is the arithmetic. The script prints one Markdown row per seed: the test
accuracy after the last epoch in each dtype, the best over the epochs, and the differences.

The MNIST files are read from ``$DELTAPROP_DATA/mnist`` (default ``../shared/data``). BLAS runs
single-threaded unless ``--threads`` says otherwise (a shared 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_POINTS = 0.3  # the largest accepted accuracy gap, in percentage points
N_TRAIN = 50_000
RECIPE = {
    "sizes": [784, 100, 10],
    "cost": "cross_entropy",
    "init": "normal_scaled",
    "batch_size": 10,
    "learning_rate": 0.5,
    "l2": 5.0,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    args = parser.parse_args(argv)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)  # before NumPy loads its BLAS

    import numpy as np

    import deltaprop as dp
    from deltaprop.training import Callback, evaluate

    data_dir = Path(os.environ.get("DELTAPROP_DATA", HERE.parent.parent / "shared" / "data"))
    X, y = dp.datasets.load_mnist("train", data_dir=data_dir, download=False)
    X_test, y_test = dp.datasets.load_mnist("test", data_dir=data_dir, download=False)
    X, y = X[:N_TRAIN], y[:N_TRAIN]

    class TestAccuracy(Callback):
        def __init__(self):
            self.accuracy: list[float] = []

        def on_epoch_end(self, epoch, logs=None):
            self.accuracy.append(evaluate(self.run.network, X_test, y_test)["accuracy"])

    print(
        f"Nielsen ch. 3 recipe {RECIPE}, {args.epochs} epochs, {N_TRAIN:,} training images, "
        f"10,000 test images, BLAS threads {args.threads}\n"
    )
    print(
        "| seed | float64 final | float32 final | difference | float64 best | float32 best | difference "
        "| time 64 / 32 |\n|---|---|---|---|---|---|---|---|"
    )
    gaps = []
    for seed in args.seeds:
        start = dp.Network(RECIPE["sizes"], cost=RECIPE["cost"], init=RECIPE["init"], seed=seed)
        result = {}
        for dtype in (np.float64, np.float32):
            net = dp.Network.from_arrays(
                start.weights, start.biases, activation="logistic", cost=RECIPE["cost"], dtype=dtype
            )
            test = TestAccuracy()
            optimizer = dp.SGD(RECIPE["learning_rate"], l2=RECIPE["l2"])
            t0 = time.perf_counter()
            dp.fit(
                net, X, y, args.epochs, batch_size=RECIPE["batch_size"], optimizer=optimizer, seed=seed,
                callbacks=[test],
            )  # fmt: skip
            result[np.dtype(dtype).name] = (test.accuracy, time.perf_counter() - t0)
        (acc64, t64), (acc32, t32) = result["float64"], result["float32"]
        final, best = (acc32[-1] - acc64[-1]) * 100, (max(acc32) - max(acc64)) * 100
        gaps.append(final)
        print(
            f"| {seed} | {acc64[-1]:.2%} | {acc32[-1]:.2%} | {final:+.2f} pp | {max(acc64):.2%} | "
            f"{max(acc32):.2%} | {best:+.2f} pp | {t64:.0f} s / {t32:.0f} s |",
            flush=True,
        )
    worst = max(abs(g) for g in gaps)
    verdict = "within" if worst <= TARGET_POINTS else "NOT within"
    print(f"\nlargest |final float32 − float64| = {worst:.2f} pp: {verdict} the {TARGET_POINTS} pp target")
    return 0 if worst <= TARGET_POINTS else 1


if __name__ == "__main__":
    sys.exit(main())
