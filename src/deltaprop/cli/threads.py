"""``--threads N``: how many threads BLAS may use for the matrix products of a run.

BLAS (OpenBLAS in the pip wheels of NumPy and SciPy) starts one thread per core by default.
For small networks, and on a machine other jobs share, one thread is often as fast or
faster: the threads of a multithreaded product wait for each other by spinning, and stall
when another job holds a core (bench/README.md has the measurements). The limit holds for
the whole command, through threadpoolctl; it is not part of the run's configuration (it
changes how fast the products are computed, not what they compute, up to the rounding of
a product split between threads).
"""

from __future__ import annotations

import contextlib

from .errors import UsageError


def add_option(parser) -> None:
    parser.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="BLAS threads for the matrix products (default: the library's own, one per core; "
        "1 is often fastest for small networks or on a busy machine)",
    )


def check(threads: int | None) -> None:
    if threads is not None and threads < 1:
        raise UsageError(f"--threads must be a whole number ≥ 1; got {threads}")


@contextlib.contextmanager
def limit(threads: int | None):
    """Within the block, BLAS uses at most ``threads`` threads (no limit for None)."""
    check(threads)
    if threads is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads, user_api="blas"):
        yield
