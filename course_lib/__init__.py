"""course_lib: the small, tested numpy library behind the regularization course.

Modules, each small and named for what it holds:

========================  =====================================================================
``penalties``             L2, L1 and elastic-net penalties: value, (sub)gradient, prox; the
                          ``Penalty`` objects every trainer takes; soft-thresholding
``losses``                squared loss ``1/(2n)·||y − Xw − b||²`` and mean log-loss, with gradients
``trainers``              ridge (normal equations), lasso and elastic net (coordinate descent);
                          every trainer below can also be imported from here
``coordinate_descent``    lesson 04's coordinate-descent loop, shared by lasso and logistic
``descent``               gradient descent and proximal gradient (ISTA/FISTA)
``ridge_svd``             ridge through the SVD: ridge_path, shrinkage factors, degrees of freedom
``paths``                 lasso_path and the knots of the lasso path
``logistic``              L2/L1/elastic-net logistic regression
``fit_result``            ``Fit``: the ``(w, b)`` every trainer returns
``data``                  seeded data generators and splits (re-exports features and real data)
``features``              polynomial features, standardization
``real_data``             the prostate and diabetes data
``model_selection``       rate grids, k-fold cross-validation, the one-standard-error rule
``geometry``              projections onto the L1/L2 balls, norm-constrained least squares
``bias_variance``         bias² / variance / noise estimated by simulation
``_solvers``              speed machinery (the exact lasso path, batched ridge), each module
                          naming the readable version above that it must agree with
``mlp``, ``optimizers``   a numpy MLP; SGD, Adam with L2, AdamW
``dropout``               inverted dropout and its mask
``early_stopping``        the patience rule; early stopping compared with ridge
``torch_interop``         the networks as PyTorch modules and back, for optional comparisons
``plots``, ``widgets``    figures in one style; interactive controls over plain update functions
``checks``                the learners' ``check("task", answer)``
========================  =====================================================================

The instructors' grader (``course_grader``, ``python -m course_grader``) and the authors' notebook
tools (``course_tools``, ``python -m course_tools``) are packages of their own beside this one;
``course_lib`` never imports them.

Conventions: ``rate`` is the λ (or α) of textbooks, any number ≥ 0; the intercept ``b`` is never
penalized; every random thing takes a ``seed``.
"""

__version__ = "0.1.0"
