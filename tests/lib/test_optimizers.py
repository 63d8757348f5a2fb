"""Tests for course_lib.optimizers: SGD, Adam with L2, AdamW.

Oracles: closed forms of the update rules (Adam's first step and constant
gradients, AdamW's geometric decay), algebraic identities (L2 in the loss ==
weight decay for SGD), finite differences (Keras' factor of 2), and, when torch
is importable, torch.optim itself.
"""

import numpy as np
import pytest

from course_lib.optimizers import (
    AdamState,
    adam_step,
    adamw_decay_factor,
    adamw_step,
    equivalent_weight_decay_for_keras_l2,
    sgd_step,
)


def _quadratic_problem(seed=0, p=5):
    """A least-squares data gradient g(θ) = A^T(Aθ − c)/n, with θ0."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(20, p))
    c = rng.normal(size=20)
    theta0 = rng.normal(size=p)

    def grad(theta):
        return A.T @ (A @ theta - c) / A.shape[0]

    return grad, theta0


def _nonlinear_grad(theta):
    """A gradient field that never settles at exactly 0 in a few dozen steps."""
    return np.tanh(3.0 * theta) + 0.3 * np.sin(np.arange(theta.size) + 1.0) + 0.1 * theta**3


# ---------------------------------------------------------------------------
# SGD
# ---------------------------------------------------------------------------


def test_sgd_step_hand_computed():
    # θ = 2, g = 1, lr = 0.1, wd = 0.5: (1 − 0.05)·2 − 0.1·1 = 1.8
    new = sgd_step(np.array([2.0]), np.array([1.0]), 0.1, weight_decay=0.5)
    assert new[0] == pytest.approx(1.8, abs=1e-15)
    # without decay: 2 − 0.1 = 1.9
    assert sgd_step(np.array([2.0]), np.array([1.0]), 0.1)[0] == pytest.approx(1.9, abs=1e-15)


def test_sgd_decay_form_equals_gradient_form():
    rng = np.random.default_rng(1)
    theta, g = rng.normal(size=7), rng.normal(size=7)
    lr, wd = 0.05, 0.3
    expected = (1.0 - lr * wd) * theta - lr * g
    np.testing.assert_allclose(sgd_step(theta, g, lr, weight_decay=wd), expected, rtol=0, atol=1e-15)


def test_sgd_l2_in_loss_equals_weight_decay_over_many_steps():
    grad, theta0 = _quadratic_problem(seed=2)
    lr, rate = 0.05, 0.7
    in_loss = theta0.copy()
    decayed = theta0.copy()
    for _ in range(500):
        in_loss = sgd_step(in_loss, grad(in_loss) + rate * in_loss, lr)  # ∇(loss + rate/2·||θ||²)
        decayed = sgd_step(decayed, grad(decayed), lr, weight_decay=rate)
    np.testing.assert_array_equal(in_loss, decayed)
    # and both reached the ridge solution of the quadratic: ∇loss(θ) + rate·θ = 0
    np.testing.assert_allclose(grad(decayed) + rate * decayed, 0.0, atol=1e-10)


def test_sgd_does_not_modify_inputs():
    theta, g = np.array([1.0, 2.0]), np.array([0.5, -0.5])
    sgd_step(theta, g, 0.1, weight_decay=0.2)
    np.testing.assert_array_equal(theta, [1.0, 2.0])
    np.testing.assert_array_equal(g, [0.5, -0.5])


# ---------------------------------------------------------------------------
# Adam
# ---------------------------------------------------------------------------


def test_first_adam_step_moves_each_coordinate_by_lr_times_sign():
    g = np.array([3.0, -0.02, 1e-3, -250.0])
    theta = np.array([0.5, 0.5, -1.0, 2.0])
    lr, eps = 0.01, 1e-8
    new = adam_step(theta, g, AdamState.zeros_like(theta), lr, eps=eps)
    # t = 1: m̂ = g and v̂ = g² exactly, so the step is lr·g/(|g| + eps)
    np.testing.assert_allclose(theta - new, lr * g / (np.abs(g) + eps), rtol=1e-12)
    np.testing.assert_allclose(theta - new, lr * np.sign(g), rtol=1e-4)


def test_adam_constant_gradient_moves_lr_per_step():
    # with a constant gradient the bias-corrected moments are exactly g and g²
    g = np.array([0.4, -2.0, 7.0])
    theta0 = np.zeros(3)
    lr, eps, steps = 1e-3, 1e-8, 200
    state = AdamState.zeros_like(theta0)
    theta = theta0
    for _ in range(steps):
        theta = adam_step(theta, g, state, lr, eps=eps)
    assert state.t == steps
    np.testing.assert_allclose(theta, theta0 - steps * lr * g / (np.abs(g) + eps), rtol=1e-9)


def test_adam_with_zero_l2_equals_adamw_with_zero_decay():
    theta_a = theta_w = np.array([1.0, -0.5, 0.25])
    sa, sw = AdamState.zeros_like(theta_a), AdamState.zeros_like(theta_w)
    for _ in range(50):
        theta_a = adam_step(theta_a, _nonlinear_grad(theta_a), sa, 0.01)
        theta_w = adamw_step(theta_w, _nonlinear_grad(theta_w), sw, 0.01)
    np.testing.assert_array_equal(theta_a, theta_w)


def test_adam_l2_argument_equals_l2_in_the_gradient():
    theta_arg = theta_grad = np.array([1.0, -0.5, 0.25])
    s1, s2 = AdamState.zeros_like(theta_arg), AdamState.zeros_like(theta_grad)
    l2 = 0.3
    for _ in range(50):
        theta_arg = adam_step(theta_arg, _nonlinear_grad(theta_arg), s1, 0.01, l2=l2)
        theta_grad = adam_step(theta_grad, _nonlinear_grad(theta_grad) + l2 * theta_grad, s2, 0.01)
    np.testing.assert_array_equal(theta_arg, theta_grad)


# ---------------------------------------------------------------------------
# Adam + L2 versus AdamW: the difference is of the expected kind
# ---------------------------------------------------------------------------


def test_adamw_zero_gradient_weight_decays_geometrically():
    lr, wd, steps = 0.01, 0.5, 300
    factor = adamw_decay_factor(lr, wd)
    assert factor == 1.0 - lr * wd
    theta = np.array([3.0, -0.02, 1e-4])
    state = AdamState.zeros_like(theta)
    history = [theta]
    for _ in range(steps):
        theta = adamw_step(theta, np.zeros(3), state, lr, weight_decay=wd)
        history.append(theta)
    history = np.array(history)
    # exactly one factor per step (m = v = 0, so the Adam part is 0/(0 + eps) = 0)
    np.testing.assert_array_equal(history[1:], history[:-1] * factor)
    # and the closed form (1 − lr·wd)^t θ0, up to rounding accumulated over the steps
    t = np.arange(steps + 1)[:, None]
    np.testing.assert_allclose(history, factor**t * history[0], rtol=1e-12)


def test_adam_l2_zero_data_gradient_is_not_geometric_decay():
    lr, l2, steps = 0.01, 0.5, 50
    theta = np.array([3.0, -0.02, 0.5])
    state = AdamState.zeros_like(theta)
    history = [theta]
    for _ in range(steps):
        theta = adam_step(theta, np.zeros(3), state, lr, l2=l2)
        history.append(theta)
    history = np.array(history)
    # first step: the L2 gradient l2·θ is normalized by √v̂ = |l2·θ|, so every
    # coordinate moves by ≈ lr towards 0 whatever its size: big weights barely
    # shrink in relative terms, small ones are crushed
    np.testing.assert_allclose(history[0] - history[1], lr * np.sign(history[0]), rtol=1e-5)
    ratios = history[1:] / history[:-1]
    assert np.ptp(ratios[:, 0]) > 1e-4  # the per-step factor is not constant over time
    assert abs(ratios[0, 0] - ratios[0, 2]) > 1e-3  # nor the same across weights
    # versus AdamW, which shrinks them all by the same factor
    assert not np.allclose(ratios, 1.0 - lr * l2)


def test_adam_l2_and_adamw_differ_on_a_real_problem():
    grad, theta0 = _quadratic_problem(seed=3)
    lr, wd = 0.01, 0.2
    ta, tw = theta0.copy(), theta0.copy()
    sa, sw = AdamState.zeros_like(ta), AdamState.zeros_like(tw)
    for _ in range(400):
        ta = adam_step(ta, grad(ta), sa, lr, l2=wd)
        tw = adamw_step(tw, grad(tw), sw, lr, weight_decay=wd)
    assert np.max(np.abs(ta - tw)) > 1e-3


def test_adam_does_not_modify_inputs_but_updates_state():
    theta, g = np.array([1.0, 2.0]), np.array([0.5, -0.5])
    state = AdamState.zeros_like(theta)
    adamw_step(theta, g, state, 0.1, weight_decay=0.1)
    np.testing.assert_array_equal(theta, [1.0, 2.0])
    np.testing.assert_array_equal(g, [0.5, -0.5])
    assert state.t == 1
    np.testing.assert_allclose(state.m, 0.1 * g)
    np.testing.assert_allclose(state.v, 0.001 * g**2)


def test_adam_works_on_matrices():
    rng = np.random.default_rng(4)
    W, G = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    new = adam_step(W, G, AdamState.zeros_like(W), 0.01)
    assert new.shape == (3, 4)
    np.testing.assert_allclose(W - new, 0.01 * np.sign(G), rtol=1e-6)


# ---------------------------------------------------------------------------
# The factor of 2 (Keras l2)
# ---------------------------------------------------------------------------


def test_keras_l2_factor_of_two_by_finite_differences():
    lam = 0.03
    wd = equivalent_weight_decay_for_keras_l2(lam)
    assert wd == pytest.approx(2 * lam)
    rng = np.random.default_rng(5)
    w = rng.normal(size=6)
    h = 1e-6

    def keras_penalty(v):
        return lam * np.sum(v**2)  # no 1/2

    fd = np.array([(keras_penalty(w + h * e) - keras_penalty(w - h * e)) / (2 * h) for e in np.eye(6)])
    np.testing.assert_allclose(fd, wd * w, rtol=1e-7)
    # so an SGD step on loss + keras_penalty is an SGD step with weight_decay = 2λ
    g = rng.normal(size=6)
    np.testing.assert_allclose(sgd_step(w, g + fd, 0.1), sgd_step(w, g, 0.1, weight_decay=wd), rtol=1e-9)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: sgd_step([1.0, 2.0], [1.0], 0.1), ValueError, "grad"),
        (lambda: sgd_step([1.0, np.nan], [1.0, 1.0], 0.1), ValueError, "param"),
        (lambda: sgd_step([1.0], [1.0], -0.1), ValueError, "lr"),
        (lambda: sgd_step([1.0], [1.0], 0.1, weight_decay=-1.0), ValueError, "weight_decay"),
        (lambda: sgd_step("abc", [1.0], 0.1), TypeError, "param"),
        (lambda: adam_step([1.0], [1.0], None, 0.1), TypeError, "state"),
        (lambda: adam_step([1.0, 2.0], [1.0, 1.0], AdamState.zeros_like([1.0]), 0.1), ValueError, "state"),
        (lambda: adam_step([1.0], [1.0], AdamState.zeros_like([1.0]), 0.1, beta1=1.0), ValueError, "beta1"),
        (lambda: adam_step([1.0], [1.0], AdamState.zeros_like([1.0]), 0.1, beta2=-0.1), ValueError, "beta2"),
        (lambda: adam_step([1.0], [1.0], AdamState.zeros_like([1.0]), 0.1, eps=0.0), ValueError, "eps"),
        (lambda: adam_step([1.0], [1.0], AdamState.zeros_like([1.0]), 0.1, l2=-1.0), ValueError, "l2"),
        (lambda: adamw_step([1.0], [np.inf], AdamState.zeros_like([1.0]), 0.1), ValueError, "grad"),
        (lambda: adamw_step([1.0], [1.0], AdamState.zeros_like([1.0]), 0.1, weight_decay=-2), ValueError,
         "weight_decay"),
        (lambda: equivalent_weight_decay_for_keras_l2(-1.0), ValueError, "l2"),
        (lambda: adamw_decay_factor(0.0, 0.1), ValueError, "lr"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


# ---------------------------------------------------------------------------
# Against torch.optim itself (skipped unless torch is installed)
# ---------------------------------------------------------------------------


def _torch_trajectory(torch, optimizer_cls, theta0, steps, **kwargs):
    p = torch.nn.Parameter(torch.tensor(theta0, dtype=torch.float64))
    opt = optimizer_cls([p], **kwargs)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        p.grad = torch.tensor(_nonlinear_grad(p.detach().numpy().copy()), dtype=torch.float64)
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)


def _our_trajectory(step, theta0, steps, **kwargs):
    theta = np.array(theta0, dtype=float)
    state = AdamState.zeros_like(theta) if step is not sgd_step else None
    out = []
    for _ in range(steps):
        g = _nonlinear_grad(theta)
        theta = step(theta, g, **kwargs) if state is None else step(theta, g, state, **kwargs)
        out.append(theta)
    return np.array(out)


@pytest.mark.parametrize("wd", [0.0, 0.1, 2.0])
def test_matches_torch_optim(wd):
    torch = pytest.importorskip("torch")
    theta0 = np.array([1.5, -0.7, 0.2, 3.0, -2.2])
    steps, lr = 60, 0.02
    betas, eps = (0.85, 0.99), 1e-8
    cases = [
        (torch.optim.SGD, dict(lr=lr, weight_decay=wd), sgd_step, dict(lr=lr, weight_decay=wd)),
        (
            torch.optim.Adam,
            dict(lr=lr, betas=betas, eps=eps, weight_decay=wd),
            adam_step,
            dict(lr=lr, beta1=betas[0], beta2=betas[1], eps=eps, l2=wd),
        ),
        (
            torch.optim.AdamW,
            dict(lr=lr, betas=betas, eps=eps, weight_decay=wd),
            adamw_step,
            dict(lr=lr, beta1=betas[0], beta2=betas[1], eps=eps, weight_decay=wd),
        ),
    ]
    for torch_cls, torch_kwargs, ours, our_kwargs in cases:
        expected = _torch_trajectory(torch, torch_cls, theta0, steps, **torch_kwargs)
        got = _our_trajectory(ours, theta0, steps, **our_kwargs)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12, err_msg=torch_cls.__name__)


def test_torch_weight_decay_also_decays_biases_unless_grouped():
    """Trap (a): torch decays every parameter it is given, biases included."""
    torch = pytest.importorskip("torch")
    weight = torch.nn.Parameter(torch.tensor([1.0, -2.0], dtype=torch.float64))
    bias = torch.nn.Parameter(torch.tensor([0.5], dtype=torch.float64))
    lr, wd = 0.1, 0.3
    for params, bias_factor in (
        ([weight, bias], 1.0 - lr * wd),
        ([{"params": [weight]}, {"params": [bias], "weight_decay": 0.0}], 1.0),
    ):
        with torch.no_grad():
            weight.copy_(torch.tensor([1.0, -2.0]))
            bias.copy_(torch.tensor([0.5]))
        opt = torch.optim.AdamW(params, lr=lr, weight_decay=wd)
        weight.grad = torch.zeros_like(weight)
        bias.grad = torch.zeros_like(bias)
        opt.step()
        assert bias.item() == pytest.approx(0.5 * bias_factor, abs=1e-15)
        np.testing.assert_allclose(weight.detach().numpy(), np.array([1.0, -2.0]) * (1 - lr * wd), atol=1e-15)
        # and our adamw_step, which decays whatever array it is given, agrees
        ours = adamw_step([0.5], [0.0], AdamState.zeros_like([0.5]), lr,
                          weight_decay=wd if bias_factor != 1.0 else 0.0)
        assert ours[0] == pytest.approx(bias.item(), abs=1e-15)


# ---------------------------------------------------------------------------
# AdamW's strength: the weights settle at sizes set by 1/weight_decay, lr sets the speed
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0.1, 0.01, 0.001])
@pytest.mark.parametrize("gradient", [1e-3, 1.0, 1e3])
def test_adamw_settles_at_minus_one_over_wd_whatever_lr_and_gradient_size(lr, gradient):
    # A constant gradient makes Adam's normalized step m̂/(√v̂ + ε) equal to 1 (up to ε): the fixed point of
    # θ = (1 − lr·wd)·θ − lr·1 is θ = −1/wd, with lr cancelling.
    wd = 2.0
    theta, state = np.array([0.7]), AdamState.zeros_like(np.array([0.7]))
    for _ in range(int(25 / (lr * wd))):
        theta = adamw_step(theta, np.array([gradient]), state, lr, weight_decay=wd)
    assert theta[0] == pytest.approx(-1.0 / wd, rel=1e-4)


def test_adamw_weights_stay_within_the_steady_state_bound():
    # |θ_t| <= U/wd + (1 − lr·wd)^t (|θ_0| − U/wd) with U the largest |u_t| of the run, u_t recovered from
    # θ_t = (1 − lr·wd)·θ_{t−1} − lr·u_t; and U never exceeds the Cauchy–Schwarz bound of Adam's averages.
    rng = np.random.default_rng(0)
    lr, wd, steps = 0.01, 3.0, 3000
    scales = np.exp(rng.normal(scale=3.0, size=(steps, 1)))  # gradient sizes over six orders of magnitude
    gradients = scales * rng.standard_t(df=1.5, size=(steps, 50)) + 0.3 * scales
    theta = rng.normal(scale=2.0, size=50)
    state = AdamState.zeros_like(theta)
    start, thetas, us = np.abs(theta), [], []
    for g in gradients:
        new = adamw_step(theta, g, state, lr, weight_decay=wd)
        us.append(((1 - lr * wd) * theta - new) / lr)
        theta = new
        thetas.append(np.abs(theta))
    U = np.max(np.abs(us))
    assert U <= 0.1 / np.sqrt(0.001 * (1 - 0.81 / 0.999)) + 1e-9  # (1 − β₁)/√((1 − β₂)(1 − β₁²/β₂)) ≈ 7.27
    decay = (1 - lr * wd) ** np.arange(1, steps + 1)[:, None]
    bound = U / wd + decay * (start - U / wd)
    assert np.all(np.array(thetas) <= bound + 1e-12)
    assert np.max(thetas[-1]) > 0.3 / wd  # the bound is not trivially loose: weights do reach its scale
