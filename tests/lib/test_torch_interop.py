"""The course's conventions against PyTorch's own losses and optimizers (skipped without PyTorch).

Oracles: torch.nn.BCELoss / MSELoss, torch.optim.SGD / AdamW and nn.Dropout, in float64, trained
step by step from the course's initialization.  They pin down the conversions the lessons state:
with the mean log-loss SGD's weight_decay is the course's rate; with MSELoss (no ½) it is 2·rate
(and the learning rate is halved for the same steps); AdamW's weight_decay is the course's; a
dropout mask from nn.Dropout gives the course's loss and gradients.
"""

import numpy as np
import pytest

from course_lib.data import make_classification_2d
from course_lib.mlp import init_mlp, mlp_loss_and_gradients, train_mlp

torch = pytest.importorskip("torch")

from course_lib.torch_interop import (  # noqa: E402
    as_tensor,
    mlp_params_from_torch,
    torch_mlp,
    torch_parameter_groups,
)

EPOCHS = 200


@pytest.fixture(scope="module")
def data():
    X, y = make_classification_2d(40, kind="moons", noise=0.3, seed=1)
    return X, y, np.sin(2 * X[:, 0]) + 0.1 * X[:, 1]


def _largest_difference(a, b):
    return max(np.max(np.abs(la[k] - lb[k])) for la, lb in zip(a, b) for k in ("W", "b"))


def _train_torch(model, optimizer, loss_fn, X, y, epochs=EPOCHS):
    Xt, yt = as_tensor(X), as_tensor(y)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss_fn(model(Xt), yt).backward()
        optimizer.step()
    return mlp_params_from_torch(model)


def test_the_module_round_trips_the_parameters(data):
    X, _, _ = data
    params = init_mlp([2, 5, 3, 1], seed=4)
    assert _largest_difference(mlp_params_from_torch(torch_mlp(params)), params) == 0.0
    from course_lib.mlp import mlp_predict_proba

    out = torch_mlp(params)(as_tensor(X)).detach().numpy()[:, 0]
    np.testing.assert_allclose(out, mlp_predict_proba(params, X), rtol=1e-14)


def test_sgd_weight_decay_with_bce_loss_is_the_rate(data):
    X, y, _ = data
    rate, lr = 0.01, 0.5
    ours = train_mlp(X, y, (8,), optimizer="sgd", lr=lr, rate=rate, epochs=EPOCHS, seed=0)
    model = torch_mlp(init_mlp([2, 8, 1], seed=0))
    theirs = _train_torch(model, torch.optim.SGD(torch_parameter_groups(model, rate), lr=lr), torch.nn.BCELoss(), X, y)
    assert _largest_difference(ours.params, theirs) < 1e-12


def test_sgd_weight_decay_with_mse_loss_is_twice_the_rate(data):
    X, _, y = data
    rate, lr = 0.01, 0.2
    ours = train_mlp(X, y, (8,), task="regression", optimizer="sgd", lr=lr, rate=rate, epochs=EPOCHS, seed=0)

    def torch_run(weight_decay, torch_lr):
        model = torch_mlp(init_mlp([2, 8, 1], seed=0), task="regression")
        optimizer = torch.optim.SGD(torch_parameter_groups(model, weight_decay), lr=torch_lr)
        return _train_torch(model, optimizer, torch.nn.MSELoss(), X, y)

    assert _largest_difference(ours.params, torch_run(2 * rate, lr / 2)) < 1e-12
    assert _largest_difference(ours.params, torch_run(rate, lr / 2)) > 1e-4  # the rate itself is not it


def test_adamw_weight_decay_is_the_courses(data):
    X, y, _ = data
    wd, lr = 3.0, 0.01
    ours = train_mlp(X, y, (8,), optimizer="adamw", lr=lr, weight_decay=wd, epochs=EPOCHS, seed=0)
    model = torch_mlp(init_mlp([2, 8, 1], seed=0))
    theirs = _train_torch(model, torch.optim.AdamW(torch_parameter_groups(model, wd), lr=lr), torch.nn.BCELoss(), X, y)
    assert _largest_difference(ours.params, theirs) < 1e-10
    # handing every parameter to AdamW (PyTorch's default) decays the biases too: another network
    model = torch_mlp(init_mlp([2, 8, 1], seed=0))
    everything = _train_torch(model, torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=wd),
                              torch.nn.BCELoss(), X, y)
    assert _largest_difference(ours.params, everything) > 1e-3


def test_a_mask_from_nn_dropout_gives_the_courses_loss_and_gradients(data):
    X, y, _ = data
    params = init_mlp([2, 8, 1], seed=0)
    model = torch_mlp(params, dropout=0.4).train()
    masks = []
    dropout_layer = next(m for m in model.modules() if isinstance(m, torch.nn.Dropout))
    dropout_layer.register_forward_hook(  # which units PyTorch kept (tanh never gives exactly 0 here)
        lambda module, inputs, output: masks.append(np.where(output.detach().numpy() != 0, 1 / 0.6, 0.0)))
    torch.manual_seed(0)
    loss = torch.nn.BCELoss()(model(as_tensor(X)), as_tensor(y))
    loss.backward()
    assert 0.3 < np.mean(masks[0] == 0) < 0.5
    objective, grads = mlp_loss_and_gradients(params, X, y, masks=masks)
    assert objective == pytest.approx(loss.item(), rel=1e-13)
    theirs = [{"W": m.weight.grad.numpy().T, "b": m.bias.grad.numpy()} for m in model.modules()
              if isinstance(m, torch.nn.Linear)]
    assert _largest_difference(grads, theirs) < 1e-14
