"""course_lib: the small, tested numpy library behind the regularization course.

Modules (each small and named for what it holds):

- :mod:`course_lib.penalties` - L2, L1 and elastic-net penalties: value, (sub)gradient, prox.
- :mod:`course_lib.losses` - squared loss and log-loss with their gradients.
- :mod:`course_lib.trainers` - ridge, lasso, elastic net, lasso path, logistic regression,
  gradient descent and proximal gradient.
"""

__version__ = "0.1.0"
