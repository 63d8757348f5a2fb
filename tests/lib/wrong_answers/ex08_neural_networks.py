"""Typical wrong (and some unusual but right) answers to exercise 08_neural_networks.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

from course_lib.checks.ex08_neural_networks import WD_GRID, network_data
from course_lib.mlp import train_mlp
from course_lib.model_selection import mean_log_loss

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


# -- add_l2_to_gradients ------------------------------------------------------


@wrong("add_l2_to_gradients", "weight matrices only")
def l2_biases_too(grads, params, rate):
    return [(gW + rate * W, gb + rate * b) for (gW, gb), (W, b) in zip(grads, params)]


@wrong("add_l2_to_gradients", "cancels the ½")
def l2_half(grads, params, rate):
    return [(gW + rate / 2 * W, gb) for (gW, gb), (W, b) in zip(grads, params)]


@wrong("add_l2_to_gradients", "not 2·rate·W")
def l2_double(grads, params, rate):
    return [(gW + 2 * rate * W, gb) for (gW, gb), (W, b) in zip(grads, params)]


@wrong("add_l2_to_gradients", "rate·sign(W)")
def l2_sign(grads, params, rate):
    return [(gW + rate * np.sign(W), gb) for (gW, gb), (W, b) in zip(grads, params)]


@wrong("add_l2_to_gradients", "Add the penalty's gradient to the data gradient")
def l2_replaces(grads, params, rate):
    return [(rate * W, gb) for (gW, gb), (W, b) in zip(grads, params)]


@wrong("add_l2_to_gradients", "+rate·W")
def l2_minus(grads, params, rate):
    return [(gW - rate * W, gb) for (gW, gb), (W, b) in zip(grads, params)]


@wrong("add_l2_to_gradients", "return the bias gradient too")
def l2_weights_only(grads, params, rate):
    return [gW + rate * W for (gW, gb), (W, b) in zip(grads, params)]


@wrong("add_l2_to_gradients", "Keep the data gradient of the biases")
def l2_zero_biases(grads, params, rate):
    return [(gW + rate * W, np.zeros_like(gb)) for (gW, gb), (W, b) in zip(grads, params)]


@wrong("add_l2_to_gradients", "`return`")
def l2_in_place_without_return(grads, params, rate):
    for (gW, gb), (W, b) in zip(grads, params):
        gW += rate * W


@right("add_l2_to_gradients")
def l2_in_place_and_return(grads, params, rate):
    for (gW, gb), (W, b) in zip(grads, params):
        gW += rate * W  # changes the caller's arrays, but returns the right values
    return grads


@right("add_l2_to_gradients")
def l2_lists_of_lists(grads, params, rate):
    out = []
    for layer in range(len(params)):
        out.append([grads[layer][0] + rate * params[layer][0], grads[layer][1].copy()])
    return out


# -- the Adam steps -----------------------------------------------------------


def _moments(g, m, v, beta1, beta2):
    return beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g


def _direction(m, v, t, beta1, beta2, eps):
    return (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)


def _adam_l2(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    g = grad + l2 * param
    m, v = _moments(g, m, v, beta1, beta2)
    return param - lr * _direction(m, v, t, beta1, beta2, eps), m, v


def _adamw(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = _moments(grad, m, v, beta1, beta2)
    return param * (1 - lr * weight_decay) - lr * _direction(m, v, t, beta1, beta2, eps), m, v


# -- adam_l2_update -----------------------------------------------------------


@wrong("adam_l2_update", "that is AdamW")
def adam_l2_decoupled(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adamw(param, grad, m, v, t, lr, l2, beta1, beta2, eps)


@wrong("adam_l2_update", "cancels the ½")
def adam_l2_half(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_l2(param, grad, m, v, t, lr, l2 / 2, beta1, beta2, eps)


@wrong("adam_l2_update", "same g in both moments")
def adam_l2_m_only(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * (grad + l2 * param)
    v = beta2 * v + (1 - beta2) * grad**2
    return param - lr * _direction(m, v, t, beta1, beta2, eps), m, v


@wrong("adam_l2_update", "bias corrections")
def adam_l2_no_correction(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    g = grad + l2 * param
    m, v = _moments(g, m, v, beta1, beta2)
    return param - lr * m / (np.sqrt(v) + eps), m, v


@wrong("adam_l2_update", "after the square root")
def adam_l2_eps_inside(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    g = grad + l2 * param
    m, v = _moments(g, m, v, beta1, beta2)
    return param - lr * (m / (1 - beta1**t)) / np.sqrt(v / (1 - beta2**t) + eps), m, v


@wrong("adam_l2_update", "updated moments")
def adam_l2_old_moments(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    new, _, _ = _adam_l2(param, grad, m, v, t, lr, l2, beta1, beta2, eps)
    return new, m, v


@wrong("adam_l2_update", "not fixed numbers")
def adam_l2_fixed_betas(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_l2(param, grad, m, v, t, lr, l2)


@wrong("adam_l2_update", "for t = 0")
def adam_l2_step_minus_one(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_l2(param, grad, m, v, t - 1, lr, l2, beta1, beta2, eps)


@wrong("adam_l2_update", "(param, m, v)")
def adam_l2_param_only(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_l2(param, grad, m, v, t, lr, l2, beta1, beta2, eps)[0]


@right("adam_l2_update")
def adam_l2_via_loss_gradient(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    # the gradient of grad-loss + l2/2·||param||², then plain Adam
    penalized = grad + np.multiply(l2, param)
    m = m * beta1 + penalized * (1 - beta1)
    v = v * beta2 + np.square(penalized) * (1 - beta2)
    step = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    return param - step * m / (np.sqrt(v) + eps * np.sqrt(1 - beta2**t)), m, v


# -- adamw_update -------------------------------------------------------------


@wrong("adamw_update", "that is Adam + L2")
def adamw_coupled(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_l2(param, grad, m, v, t, lr, weight_decay, beta1, beta2, eps)


@wrong("adamw_update", "after the Adam step")
def adamw_decay_after(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = _moments(grad, m, v, beta1, beta2)
    return (param - lr * _direction(m, v, t, beta1, beta2, eps)) * (1 - lr * weight_decay), m, v


@wrong("adamw_update", "multiplies weight_decay by lr")
def adamw_decay_without_lr(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = _moments(grad, m, v, beta1, beta2)
    return param * (1 - weight_decay) - lr * _direction(m, v, t, beta1, beta2, eps), m, v


@wrong("adamw_update", "smaller than 1")
def adamw_grows(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = _moments(grad, m, v, beta1, beta2)
    return param * (1 + lr * weight_decay) - lr * _direction(m, v, t, beta1, beta2, eps), m, v


@wrong("adamw_update", "bias corrections")
def adamw_no_correction(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = _moments(grad, m, v, beta1, beta2)
    return param * (1 - lr * weight_decay) - lr * m / (np.sqrt(v) + eps), m, v


@wrong("adamw_update", "beta1 (0.9) averages")
def adamw_swapped_betas(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adamw(param, grad, m, v, t, lr, weight_decay, beta2, beta1, eps)


@wrong("adamw_update", "updated moments")
def adamw_old_moments(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    new, _, _ = _adamw(param, grad, m, v, t, lr, weight_decay, beta1, beta2, eps)
    return new, m, v


@wrong("adamw_update", "changed its input `param` in place")
def adamw_in_place(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = _moments(grad, m, v, beta1, beta2)
    param *= 1 - lr * weight_decay
    param -= lr * _direction(m, v, t, beta1, beta2, eps)
    return param, m, v


@right("adamw_update")
def adamw_in_two_steps(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    decayed = param - lr * weight_decay * param
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return decayed - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# -- adamw_remaining_fraction ---------------------------------------------------


@wrong("adamw_remaining_fraction", "continuous approximation")
def remaining_exponential():
    return float(np.exp(-0.01 * 0.5 * 400))


@wrong("adamw_remaining_fraction", "multiplies weight_decay by lr")
def remaining_without_lr():
    return (1 - 0.5) ** 400


@wrong("adamw_remaining_fraction", "does not subtract")
def remaining_linear():
    return 1 - 0.01 * 0.5 * 400


@wrong("adamw_remaining_fraction", "one step")
def remaining_one_step():
    return 1 - 0.01 * 0.5


@wrong("adamw_remaining_fraction", "fraction lost")
def remaining_lost():
    return 1 - (1 - 0.01 * 0.5) ** 400


@right("adamw_remaining_fraction")
def remaining_by_loop():
    theta = 1.0
    for _ in range(400):
        theta *= 1 - 0.01 * 0.5
    return theta


# -- predict_adamw_steady_state ---------------------------------------------------


@wrong("predict_adamw_steady_state", "The learning rate cancels")
def steady_state_scales_with_lr():
    return "b"


@wrong("predict_adamw_steady_state", "as if the strength were lr·wd")
def steady_state_is_one_over_lr_wd():
    return "c"


@wrong("predict_adamw_steady_state", "stops moving")
def steady_state_never_reached():
    return "d"


@wrong("predict_adamw_steady_state", "not one of the choices")
def steady_state_as_number():
    return -2.0


@wrong("predict_adamw_steady_state", "not one of the choices")
def steady_state_as_other_letter():
    return "e"


@right("predict_adamw_steady_state")
def steady_state_in_capitals():
    return " A "


# -- best_adamw_weight_decay -------------------------------------------------------


def _losses(on_validation):
    X, y, X_val, y_val = network_data()
    losses = []
    for wd in WD_GRID:
        net = train_mlp(X, y, (50,), optimizer="adamw", lr=0.01, weight_decay=wd, epochs=500, seed=0)
        losses.append(mean_log_loss(y_val, net.predict_proba(X_val)) if on_validation
                      else mean_log_loss(y, net.predict_proba(X)))
    return losses


@wrong("best_adamw_weight_decay", "*training* log-loss")
def best_by_training_loss():
    return WD_GRID[int(np.argmin(_losses(on_validation=False)))]


@wrong("best_adamw_weight_decay", "one of the weight decays tried")
def best_is_the_l2_rate():
    return 0.03


@wrong("best_adamw_weight_decay", "Compare the log-loss on the validation points")
def best_is_the_smallest():
    return min(WD_GRID)


@wrong("best_adamw_weight_decay", "Train one network per weight decay")
def best_is_the_largest():
    return max(WD_GRID)


@wrong("best_adamw_weight_decay", "instead of a number")
def best_as_text():
    return "3"


@right("best_adamw_weight_decay")
def best_by_validation_loss():
    return WD_GRID[int(np.argmin(_losses(on_validation=True)))]
