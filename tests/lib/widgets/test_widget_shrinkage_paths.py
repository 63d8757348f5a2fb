"""course_lib.widgets.shrinkage_paths (lesson 10): ridge at a df and the lasso at an s, checked independently."""

import numpy as np
import pytest

from course_lib import plots, widgets

from widget_cases import lasso_kkt_violation


@pytest.fixture(scope="module")
def paths():
    return widgets.shrinkage_paths_setup(n_grid=21)


@pytest.mark.parametrize("dof", [0.0, 0.5, 2.0, 5.0, 7.9, 8.0])
def test_shrinkage_paths_ridge_has_the_asked_dof_and_solves_the_normal_equations(paths, dof):
    u = widgets.shrinkage_paths_update(paths, dof, 0.5)
    X, y = paths.X_train, paths.y_train
    n, p = X.shape
    Xc, yc = X - X.mean(0), y - y.mean()
    if dof == 0.0:
        assert u.ridge_rate == np.inf and np.all(u.ridge_coef == 0) and u.ridge_intercept == pytest.approx(y.mean())
        return
    H = Xc @ np.linalg.solve(Xc.T @ Xc + n * u.ridge_rate * np.eye(p), Xc.T)
    assert np.trace(H) == pytest.approx(dof, rel=1e-9)
    w = np.linalg.solve(Xc.T @ Xc + n * u.ridge_rate * np.eye(p), Xc.T @ yc)
    np.testing.assert_allclose(u.ridge_coef, w, rtol=1e-8, atol=1e-12)
    b = y.mean() - X.mean(0) @ w
    assert u.ridge_test_error == pytest.approx(np.mean((paths.y_test - paths.X_test @ w - b) ** 2), rel=1e-9)
    assert u.ridge_train_error == pytest.approx(np.mean((y - X @ w - b) ** 2), rel=1e-9)


@pytest.mark.parametrize("s", [0.0, 0.1, 0.36, 0.5, 0.77, 1.0])
def test_shrinkage_paths_lasso_has_the_asked_l1_norm_and_is_optimal(paths, s):
    u = widgets.shrinkage_paths_update(paths, 5.0, s)
    X, y = paths.X_train, paths.y_train
    w_ls = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)[0][:-1]
    assert np.abs(u.lasso_coef).sum() == pytest.approx(s * np.abs(w_ls).sum(), rel=1e-9, abs=1e-12)
    scale = np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / len(y)
    assert lasso_kkt_violation(X, y, u.lasso_coef, u.lasso_rate) < 1e-9 * scale
    assert u.lasso_nonzero == np.count_nonzero(u.lasso_coef)
    if 0 < s < 1:
        sklearn_linear = pytest.importorskip("sklearn.linear_model")
        model = sklearn_linear.Lasso(alpha=u.lasso_rate, tol=1e-12, max_iter=100_000).fit(X, y)
        np.testing.assert_allclose(u.lasso_coef, model.coef_, atol=1e-7)
        assert u.lasso_intercept == pytest.approx(model.intercept_, abs=1e-7)


def test_shrinkage_paths_default_data_are_esl_prostate(paths):
    assert paths.feature_names[0] == "lcavol" and paths.X_train.shape == (67, 8) and paths.rank == 8
    # ESL Table 3.3, least squares on the standardized predictors: test error 0.521
    assert paths.ridge_test_errors[-1] == pytest.approx(0.521, abs=5e-4)
    assert paths.lasso_test_errors[-1] == pytest.approx(paths.ridge_test_errors[-1], rel=1e-9)
    np.testing.assert_allclose(paths.lasso_coefs[-1], paths.ridge_coefs[-1], atol=1e-9)
    assert np.all(paths.lasso_coefs[0] == 0) and np.all(paths.ridge_coefs[0] == 0)
    with pytest.raises(ValueError, match="dof"):
        widgets.shrinkage_paths_update(paths, 8.5, 0.5)
    with pytest.raises(ValueError, match="shrinkage"):
        widgets.shrinkage_paths_update(paths, 5.0, 1.2)
    with pytest.raises(ValueError, match="more rows than columns"):
        widgets.shrinkage_paths_setup(np.ones((3, 4)), np.ones(3), np.ones((2, 4)), np.ones(2))


def test_shrinkage_paths_widget_moves_the_markers(paths):
    w = widgets.shrinkage_paths_widget(paths, dof=5.0, shrinkage=0.36)
    ax_ridge, ax_lasso, ax_ridge_err, ax_lasso_err = w.figure.axes
    w.controls["dof"].value = 3.0
    w.controls["shrinkage"].value = 0.6
    u = widgets.shrinkage_paths_update(paths, 3.0, 0.6)
    np.testing.assert_allclose(plots.find_artist(ax_ridge, "ridge-marker").get_xdata(), [3.0, 3.0])
    np.testing.assert_allclose(plots.find_artist(ax_ridge, "ridge-dots").get_offsets()[:, 1], u.ridge_coef)
    np.testing.assert_allclose(plots.find_artist(ax_lasso, "lasso-dots").get_offsets()[:, 1], u.lasso_coef)
    assert plots.find_artist(ax_ridge_err, "ridge-test-dot").get_ydata()[0] == pytest.approx(u.ridge_test_error)
    assert plots.find_artist(ax_lasso_err, "lasso-test-dot").get_ydata()[0] == pytest.approx(u.lasso_test_error)
    assert "test error" in ax_lasso_err.get_title()
