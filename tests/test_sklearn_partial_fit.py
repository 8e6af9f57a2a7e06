"""partial_fit's L2 term: Nielsen's λ/n needs n, the training set size, which partial_fit never
sees. Its n is the rows of each call (one epoch of fit on them), said in a UserWarning on the
first call of a fresh estimator; with l2 = λ·m/N, chunks of m rows end exactly where fit on all
N rows with λ does. Before, the n was the same but unsaid: the audit's chunks of 100 of 1,000
rows ended with weights 25 times smaller than fit's (‖W‖ 0.045 against 1.12), silently."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris

import deltaprop as dp
from deltaprop.sklearn import DeltapropClassifier, DeltapropRegressor

RNG = np.random.default_rng(0)
X = RNG.normal(size=(1000, 5))
Y = RNG.integers(0, 3, 1000)
N, CHUNK, LAMBDA = 1000, 100, 5.0
PARAMS = dict(
    hidden_layer_sizes=(8,),
    optimizer="sgd",
    learning_rate=0.1,
    epochs=1,
    batch_size=10,
    shuffle=False,
    random_state=0,
)


def partial_fits(estimator, **kwargs):
    for start in range(0, N, CHUNK):
        estimator.partial_fit(X[start : start + CHUNK], Y[start : start + CHUNK], **kwargs)
    return estimator


def test_chunks_with_l2_scaled_by_m_over_n_end_at_fits_weights():
    fitted = DeltapropClassifier(**PARAMS, l2=LAMBDA).fit(X, Y)
    assert fitted.optimizer_.n_train == N
    with pytest.warns(UserWarning):
        chunked = partial_fits(DeltapropClassifier(**PARAMS, l2=LAMBDA * CHUNK / N), classes=[0, 1, 2])
    assert chunked.optimizer_.n_train == CHUNK  # each call's own rows
    for ours, theirs in zip(chunked.coefs_ + chunked.intercepts_, fitted.coefs_ + fitted.intercepts_):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    # With λ itself, each step decays N/m = 10 times as much as fit's: much smaller weights.
    with pytest.warns(UserWarning):
        strong = partial_fits(DeltapropClassifier(**PARAMS, l2=LAMBDA), classes=[0, 1, 2])
    assert np.linalg.norm(strong.coefs_[0]) < np.linalg.norm(fitted.coefs_[0]) / 10


def test_the_first_partial_fit_with_l2_names_the_n_it_uses_and_how_to_get_fits():
    clf = DeltapropClassifier(**PARAMS, l2=LAMBDA)
    with pytest.warns(UserWarning) as caught:
        clf.partial_fit(X[:CHUNK], Y[:CHUNK], classes=[0, 1, 2])
    assert len(caught) == 1 and caught[0].filename == __file__  # points at the caller
    message = str(caught[0].message)
    assert message.startswith("partial_fit decays the weights by l2/n with n = 100, the rows of this call")
    assert "give chunks of m rows l2 = λ·m/N (here 5·100/N)" in message
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not again for the same network
        clf.partial_fit(X[CHUNK : 2 * CHUNK], Y[CHUNK : 2 * CHUNK])
        DeltapropClassifier(**PARAMS).partial_fit(X[:CHUNK], Y[:CHUNK], classes=[0, 1, 2])  # l2 = 0
        DeltapropClassifier(**PARAMS, l2=LAMBDA).fit(X[:CHUNK], Y[:CHUNK])  # fit knows its n


def test_the_regressor_and_an_optimizers_own_l2_say_so_too():
    iris_X, iris_y = load_iris(return_X_y=True)
    with pytest.warns(UserWarning, match="with n = 150, the rows of this call"):
        DeltapropRegressor(**PARAMS, l2=1.0).partial_fit(iris_X, iris_y.astype(float))
    own = {key: value for key, value in PARAMS.items() if key not in ("optimizer", "learning_rate")}
    with pytest.warns(UserWarning, match=r"with n = 30, .*\(here 2·30/N\)"):
        DeltapropClassifier(**own, optimizer=dp.SGD(0.1, l2=2.0)).partial_fit(
            iris_X[:30], iris_y[:30], classes=[0, 1, 2]
        )
