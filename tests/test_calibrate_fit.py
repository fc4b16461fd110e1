"""The calibration fits recover known coefficients from synthetic data (oracle: the coefficients the
data were made from), and keep a parameter the data cannot pin at its prior."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gasmodel.calibrate.chain import integer_refine, solve
from gasmodel.calibrate.timing import fit_times, r_squared


@settings(max_examples=30, deadline=None)
@given(
    per_byte=st.integers(1, 40),
    sig_a=st.integers(500, 30_000),
    sig_b=st.integers(0, 3_000),
    per_send=st.integers(0, 400),
    seed=st.integers(0, 2**31),
)
def test_chain_fit_recovers_whole_gas_coefficients(
    per_byte: int, sig_a: int, sig_b: int, per_send: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    n = 60
    key_a = rng.random(n) < 0.6
    sends = 1 + (rng.random(n) < 0.2)  # the fee, sometimes a MsgSend or funds too
    x = np.column_stack([rng.integers(250, 70_000, n), key_a, ~key_a, sends, np.ones(n)]).astype(float)
    truth = np.array([per_byte, sig_a, sig_b, per_send, 0.0])
    y = x @ truth
    y[:3] += np.array([66.0, -6.0, 240.0])  # three steps the model gets wrong for another reason
    prior = np.array([10.0, 21_000.0, 1_000.0, 100.0, 0.0])
    _real, whole, status = solve(x, y, prior)
    # one ante handler per tx is the sum of the two key-type columns: not identifiable, kept
    assert status == ["fitted", "fitted", "fitted", "fitted", "not identifiable (kept)"]
    assert whole.tolist() == truth.tolist()


def test_integer_refine_prefers_more_exact_steps_then_the_prior() -> None:
    # two columns always equal: any split of 300 fits; the one closest to the prior wins
    x = np.array([[1.0, 1.0]] * 5)
    y = np.full(5, 300.0)
    out = integer_refine(x, y, np.array([150.3, 149.6]), np.array([200.0, 100.0]), [0, 1], reach=60)
    assert out.tolist() == [200.0, 100.0]


def test_time_fit_recovers_synthetic_per_class_times() -> None:
    rng = np.random.default_rng(1)
    counts = rng.integers(0, 2_000_000, size=(40, 4)).astype(float)
    x = np.column_stack([np.ones(40), counts])
    truth = np.array([40e-6, 0.3e-9, 1.1e-9, 0.05e-9, 2.0e-9])
    y = x @ truth * (1 + rng.normal(0, 0.01, 40))  # 1 % noise
    y[0] *= 3  # one run hit by a burst of load
    c_nnls, c_rob = fit_times(x, y)
    assert np.allclose(c_rob[1:], truth[1:], rtol=0.1)
    assert r_squared(np.delete(y, 0), np.delete(x @ c_rob, 0)) > 0.99
    assert (c_nnls >= 0).all()
