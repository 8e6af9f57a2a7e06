"""A batch whose step buffers cannot fit in memory is refused before NumPy is asked for them,
naming batch_size, the bytes needed and the largest batch that fits."""

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training import fast_step


def test_a_full_batch_too_large_for_memory_names_batch_size(monkeypatch):
    # [4, 3000, 3] on 2000 rows: 3 buffers × 2000 rows × 3003 widths + 2 numbers, 8 bytes each.
    needed = 2000 * (3 * 3003 + 2) * 8  # 144,176,000 bytes, 0.13 GiB
    monkeypatch.setattr(fast_step, "available_bytes", lambda: needed // 2)
    X, y = np.random.default_rng(0).random((2000, 4)), np.arange(2000) % 3
    net, optimizer = dp.Network([4, 3000, 3], seed=0), dp.SGD(0.1)
    before = net.copy()
    with pytest.raises(MemoryError) as info:
        net.fit(X, y, epochs=1, batch_size=None, optimizer=optimizer)
    assert optimizer.n_train is None  # refused with the arguments, before anything changed
    message = str(info.value)
    assert "batch_size=2,000 needs 0.1 GiB" in message and "[3000, 3]" in message
    assert f"at most {(needed // 2) // ((3 * 3003 + 2) * 8):,} fit" in message  # 999 rows
    assert all(np.array_equal(w, b) for w, b in zip(net.weights, before.weights))
    net.fit(X, y, epochs=1, batch_size=999)  # the size it names fits


def test_small_buffers_do_not_ask_the_system(monkeypatch):
    def unexpected():
        raise AssertionError("available_bytes read for a small step")

    monkeypatch.setattr(fast_step, "available_bytes", unexpected)
    X, y = np.random.default_rng(0).random((100, 4)), np.arange(100) % 3
    dp.Network([4, 30, 3], seed=0).fit(X, y, epochs=1, batch_size=None)


def test_a_step_growing_past_memory_is_refused_too(monkeypatch):
    net = dp.Network([4, 3000, 3], seed=0)
    step = fast_step.FastStep(net, dp.SGD(0.1), 10)
    monkeypatch.setattr(fast_step, "available_bytes", lambda: 1 << 26)  # 64 MiB: 930 rows of 72,088 bytes
    X, Y = np.zeros((5000, 4)), np.zeros((5000, 3))
    with pytest.raises(MemoryError, match="batch_size=5,000 needs 0.3 GiB .* at most 930 fit"):
        step(X, Y)
