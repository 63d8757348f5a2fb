"""Independent oracles for the answers of exercises 08, 11 and 12 (networks).

Each reference or expected answer is checked against something it does not compute itself: paper
arithmetic, course_lib's own dropout and penalties, a simulation of the optimizer, and margins
that keep an answer the same under any BLAS (a choice wins by a clear gap, a zero is well inside
its optimality condition).
"""

import numpy as np
import pytest

from course_lib.checks import TASKS, Case
from course_lib.dropout import dropout
from course_lib.mlp import mlp_loss_and_gradients, train_mlp, weight_vector
from course_lib.optimizers import AdamState, adamw_step
from course_lib.penalties import L1


# ---------------------------------------------------------------------------
# Exercise 08: where AdamW settles
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0.01, 0.001])
def test_adamw_settles_at_minus_one_over_wd_whatever_the_learning_rate(lr):
    # A constant gradient 0.3 makes Adam's normalized step m̂/(√v̂ + ε) equal to 1 (to ε): the prediction's
    # answer "a" says the weight settles at −1/wd = −2 for both learning rates.
    theta, state = np.array([0.5]), AdamState.zeros_like(np.array([0.5]))
    for _ in range(int(20 / (lr * 0.5))):  # twenty time constants 1/(lr·wd)
        theta = adamw_step(theta, np.array([0.3]), state, lr, weight_decay=0.5)
    assert theta[0] == pytest.approx(-2.0, rel=1e-6)
    assert TASKS["predict_adamw_steady_state"].run("a").passed


def test_the_validation_choice_of_exercise_08_differs_from_the_training_choice():
    from course_lib.checks.ex08_neural_networks import WD_GRID, _grid_losses

    train, val = _grid_losses()
    assert WD_GRID[int(np.argmin(val))] != WD_GRID[int(np.argmin(train))]


# ---------------------------------------------------------------------------
# Exercise 11
# ---------------------------------------------------------------------------


def test_early_stopping_hand_cases_match_paper_arithmetic():
    task = TASKS["early_stopping_epochs"]
    cases = task.cases()
    # [1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9], patience 3: lowest at 2; epochs 3, 4, 5 bring no new low
    assert tuple(task.expected(cases[0])) == (2, 5)
    assert tuple(task.expected(cases[1])) == (4, 4)  # always improving: to the end
    assert tuple(task.expected(cases[2])) == (1, 3)  # the ties at 2 and 3 are no improvement
    assert tuple(task.expected(cases[3])) == (0, 2)
    assert tuple(task.expected(cases[4])) == (3, 5)
    assert tuple(task.expected(cases[5])) == (1, 3)  # the later 0.4 comes after the stop


def test_choose_weight_decay_hand_cases():
    task = TASKS["choose_weight_decay"]
    cases = task.cases()
    assert task.expected(cases[0]) == 0.01
    assert task.expected(cases[1]) == 0.0
    assert task.expected(cases[2]) == 0.1
    assert task.expected(cases[3]) == 0.1  # the tie goes to the larger weight decay
    for case in cases:  # each case tells the validation choice from the test choice or the training choice
        wds, train, val, test = case.args
        if case.label != "the minimum at the first weight decay, 0":
            assert wds[np.argmin(test)] != task.expected(case) or wds[np.argmin(train)] != task.expected(case)


def test_the_exercise_11_choice_is_clear_and_differs_from_test_and_training():
    from course_lib.checks.ex11_learning_curves_early_stopping import WD_GRID, grid_results

    _, train, val, test = grid_results()
    best, second = np.sort(val)[:2]
    assert second > 1.02 * best  # platform rounding cannot change the choice
    chosen = WD_GRID[int(np.argmin(val))]
    assert chosen != WD_GRID[int(np.argmin(test))] and chosen != WD_GRID[int(np.argmin(train))]
    best_t, second_t = np.sort(test)[:2]
    assert second_t > 1.02 * best_t


def test_the_validation_loss_of_the_unregularized_network_rises_after_its_minimum():
    # what predict_validation_curve's answer "b" says, on the exercise's data
    from course_lib.checks.ex11_learning_curves_early_stopping import grid_results

    net = grid_results()[0][0]
    val, train = net.history["val_loss"], net.history["data_loss"]
    low = int(np.argmin(val))
    assert 0 < low < len(val) - 100 and val[-1] > 1.3 * val[low]
    assert train[-1] < train[low] / 2


# ---------------------------------------------------------------------------
# Exercise 12
# ---------------------------------------------------------------------------


def test_dropout_forward_reference_is_course_libs_dropout_with_the_same_draws():
    from course_lib.checks.ex12_dropout_l1_networks import dropout_forward

    a = np.random.default_rng(0).normal(size=(30, 7))
    for p in (0.1, 0.5, 0.9):
        u = np.random.default_rng(1).random(a.shape)  # course_lib keeps an entry when its draw is >= p
        np.testing.assert_allclose(dropout_forward(a, p, u), dropout(a, p, seed=np.random.default_rng(1)),
                                   rtol=1e-15)
        np.testing.assert_array_equal(dropout_forward(a, p, u, training=False), a)


def test_dropout_hand_case_by_paper():
    task = TASKS["dropout_forward"]
    case = task.cases()[0]  # a = [2, −1, 4, 0.5], u = [0.9, 0.2, 0.5, 0.7], p = 0.5: keep 0, 2, 3 and double them
    np.testing.assert_allclose(task.expected(case), [[4.0, 0.0, 8.0, 1.0]], rtol=1e-15)


def test_the_average_of_dropout_is_the_predicted_two():
    out = dropout(np.full(400_000, 2.0), 0.5, seed=3)
    assert abs(out.mean() - 2.0) < 5 * np.sqrt(4.0 / out.size)  # the sd of one entry is 2
    assert TASKS["predict_dropout_mean"].run(2.0).passed


def test_prox_hand_case_by_paper_and_against_the_l1_penalty_object():
    task = TASKS["prox_l1_step"]
    cases = task.cases()
    W_new, b_new = task.expected(cases[0])
    # W − lr·grad_W = [[0.2, −0.1], [1.0, −0.15]], soft-thresholded by lr·rate = 0.1
    np.testing.assert_allclose(W_new, [[0.1, 0.0], [0.9, -0.05]], atol=1e-15)
    np.testing.assert_allclose(b_new, [-0.1, 0.0], atol=1e-15)  # b − lr·grad_b, no threshold
    for case in cases:
        W, b, gW, gb, lr, rate = case.args
        W_new, b_new = task.expected(case)
        np.testing.assert_allclose(W_new, L1(rate).prox((W - lr * gW).ravel(), lr).reshape(W.shape), atol=1e-15)
        np.testing.assert_allclose(b_new, b - lr * gb, atol=1e-15)


def test_the_subgradient_step_leaves_no_exact_zero_where_the_proximal_step_does():
    # what predict_subgradient_zeros's answer "b" says, on the exercise's data
    from course_lib.checks.ex12_dropout_l1_networks import L1_NETWORK, l1_data, l1_network

    X, y = l1_data()
    assert np.mean(weight_vector(l1_network().params) == 0) > 0.5
    kwargs = {k: v for k, v in L1_NETWORK.items() if k not in ("optimizer", "epochs", "lr")}
    subgradient = train_mlp(X, y, optimizer="adam", lr=0.01, epochs=300, **kwargs)
    assert not np.any(weight_vector(subgradient.params) == 0)


def test_the_unused_inputs_are_noise_inputs_with_a_margin():
    from course_lib.checks.ex12_dropout_l1_networks import L1_NETWORK, l1_data, l1_network

    expected = TASKS["unused_inputs"].expected(Case("answer"))
    assert expected and expected.isdisjoint({0, 1, 2})  # only inputs the labels do not depend on
    net = l1_network()
    X, y = l1_data()
    _, grads = mlp_loss_and_gradients(net.params, X, y, rate=0.0)
    W1, g1 = net.params[0]["W"], grads[0]["W"]
    zero_rows = np.all(W1 == 0, axis=1)
    # every zero row is well inside the condition for staying 0 (|data slope| <= rate) ...
    assert np.max(np.abs(g1[zero_rows])) < 0.95 * L1_NETWORK["rate"]
    # ... and every other row holds a clearly nonzero weight
    assert np.min(np.abs(W1[~zero_rows]).sum(axis=1)) > 0.01
