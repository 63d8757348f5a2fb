"""Speed machinery, one hop away from the readable algorithms the lessons teach.

Each module here opens by naming the readable version it must agree with; the tests run both on
the same problems and compare them (``tests/lib/test_solvers.py``).

=====================  ===================================================  ==============================================
module                 what it computes                                     must agree with
=====================  ===================================================  ==============================================
``homotopy``           the exact lasso path: its knots (LARS with the        ``course_lib.trainers.fit_lasso`` (coordinate
                       lasso modification), interpolation between them,     descent) at every rate, and the KKT conditions
                       and the KKT check of any row of coefficients
``batched_ridge``      ridge fits of many training sets at once (one         ``course_lib.trainers.fit_ridge`` (normal
                       batched SVD), for the bias-variance simulations       equations) on each training set
``mlp_grid``           K networks trained at once, stacked on a leading      ``course_lib.mlp.train_mlp`` run by run
                       axis (``train_mlps``, the widgets' grids)             (``tests/lib/test_mlp_grid.py``)
=====================  ===================================================  ==============================================

Learners never need to open these files: ``lasso_path``, ``polynomial_ridge_predictions`` and
``train_mlps`` are what the lessons call, and their docstrings say what happens here.
"""
