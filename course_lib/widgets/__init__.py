r"""Interactive widgets of the course: plain update functions plus thin ipywidgets wiring.

Every widget comes in four layers, so that the numbers can be tested without a
browser and every notebook shows a meaningful figure even where widgets are dead
(exported HTML, the course website, nbval):

==========================  =============================================================
``xxx_setup(...)``          precompute once: data, features, paths, grids (a frozen dataclass)
``xxx_update(setup, ...)``  pure numpy, no matplotlib: what the figure shows for one
                            setting of the controls (a small frozen dataclass of arrays)
``xxx_figure(setup, ...)``  the static figure for one setting (show it before the widget)
``xxx_widget(setup, ...)``  controls + an ``Output`` holding the figure, updated in place
==========================  =============================================================

A lesson cell therefore reads::

    setup = ridge_setup(degree=9, n_samples=15, seed=0)
    ridge_figure(setup, rate=1e-3);        # static: also visible in exported HTML
    ridge_widget(setup)                    # interactive in Jupyter

How an update is drawn: the figure and its artists are created once; a control
change calls ``xxx_update``, moves the artists (``set_data``, ``set_height``, …)
and re-displays the figure inside the widget's ``Output`` with
``clear_output(wait=True)`` — the practical way with the inline backend.  Every
update function runs in well under the "tens of milliseconds" budget
(``bench/bench_widgets.py`` prints the times); anything slower (paths, grids of
trained networks) is precomputed: paths in the setup, the network grid when its
widget is built (one vectorized run per optimizer), so that no move trains anything.

The returned widget (an ``ipywidgets.VBox``) also carries ``figure``,
``controls`` (dict name -> control), ``output``, ``refresh()``, ``last_update``,
``compute(**control_values)`` (the update function bound to the setup),
``draw(update)`` (moves the artists) and ``render()`` (PNG bytes of the figure,
redrawing only what moved), so tests can change a control and inspect the
artists and the benchmark can time computing and drawing separately.  The
widget displays those PNGs, so it works with any matplotlib backend: drawn at 192 dpi and
shown at 96 CSS px per figure inch, they are crisp on HiDPI screens, and a figure is never
wider than ``course_lib.plots.MAX_FIGURE_WIDTH``, so JupyterLab shows it at full size and
its smallest text (9 pt) at 12 CSS px.

Lessons: 2 :func:`bias_variance_widget`, 3 :func:`ridge_widget`,
4 :func:`lasso_widget`, 5 :func:`geometry_widget`, 6 :func:`rate_choice_widget`,
7 :func:`classification_widget`, 8 :func:`network_widget`,
9 :func:`elastic_net_widget`, 10 :func:`shrinkage_paths_widget`.

One module per lesson's widget (``bias_variance``, ``ridge`` (lessons 3 and 6), ``lasso``,
``geometry``, ``classification``, ``network``, ``elastic_net``, ``shrinkage_paths``), each
holding its setup, update, view, figure and widget; and the machinery they share:

==================  ===================================================================
``rendering``       figures for widgets, PNG rendering (whole, or only what moved)
``wiring``          ipywidgets: controls, CSS classes, ``assemble`` (controls + figure)
``shared``          the reported error, a cache of fits, feature names as figure text
==================  ===================================================================

A new widget is a new module with the same four layers, re-exported here.
"""

from .bias_variance import (BiasVarianceSetup, BiasVarianceUpdate, bias_variance_figure, bias_variance_setup,
                            bias_variance_update, bias_variance_widget)
from .classification import (ClassificationSetup, ClassificationUpdate, classification_figure, classification_setup,
                             classification_update, classification_widget)
from .elastic_net import (ElasticNetSetup, ElasticNetUpdate, elastic_net_figure, elastic_net_setup,
                          elastic_net_update, elastic_net_widget)
from .geometry import DEFAULT_HESSIAN, GeometryUpdate, geometry_figure, geometry_update, geometry_widget
from .lasso import LassoSetup, LassoUpdate, lasso_figure, lasso_setup, lasso_update, lasso_widget
from .network import (OPTIMIZER_LABELS, NetworkSetup, NetworkUpdate, network_figure, network_model, network_setup,
                      network_update, network_widget, precompute_networks)
from .rendering import render_png
from .ridge import (RidgeSetup, RidgeUpdate, rate_choice_figure, rate_choice_setup, rate_choice_widget, ridge_figure,
                    ridge_setup, ridge_update, ridge_widget)
from .shrinkage_paths import (ShrinkagePathsSetup, ShrinkagePathsUpdate, shrinkage_paths_figure,
                              shrinkage_paths_setup, shrinkage_paths_update, shrinkage_paths_widget)
from .wiring import CONTROL_CLASS, FIGURE_CLASS, MAIN_CONTROL_CLASS, WIDGET_CLASS

__all__ = [
    "WIDGET_CLASS", "FIGURE_CLASS", "CONTROL_CLASS", "MAIN_CONTROL_CLASS",
    "render_png",
    # lesson 2
    "BiasVarianceSetup", "BiasVarianceUpdate", "bias_variance_setup", "bias_variance_update",
    "bias_variance_figure", "bias_variance_widget",
    # lessons 3 and 6
    "RidgeSetup", "RidgeUpdate", "ridge_setup", "ridge_update", "ridge_figure", "ridge_widget",
    "rate_choice_setup", "rate_choice_figure", "rate_choice_widget",
    # lesson 4
    "LassoSetup", "LassoUpdate", "lasso_setup", "lasso_update", "lasso_figure", "lasso_widget",
    # lesson 5
    "DEFAULT_HESSIAN", "GeometryUpdate",
    "geometry_update", "geometry_figure", "geometry_widget",
    # lesson 7
    "ClassificationSetup", "ClassificationUpdate", "classification_setup",
    "classification_update", "classification_figure", "classification_widget",
    # lesson 8
    "OPTIMIZER_LABELS", "NetworkSetup", "NetworkUpdate", "network_setup", "network_model",
    "network_update", "precompute_networks", "network_figure", "network_widget",
    # lesson 9
    "ElasticNetSetup", "ElasticNetUpdate", "elastic_net_setup", "elastic_net_update", "elastic_net_figure",
    "elastic_net_widget",
    # lesson 10
    "ShrinkagePathsSetup", "ShrinkagePathsUpdate", "shrinkage_paths_setup", "shrinkage_paths_update",
    "shrinkage_paths_figure", "shrinkage_paths_widget",
]

# Lesson 11: learning curves over the weight decay; lesson 12: dropout, and L1 on a network
from .dropout import (LESSON12_DROPOUTS, DropoutSetup, DropoutUpdate, dropout_figure, dropout_setup,  # noqa: E402
                      dropout_update, dropout_widget)
from .l1_network import (LESSON12_RATES, L1NetworkSetup, L1NetworkUpdate, l1_network_figure,  # noqa: E402
                         l1_network_setup, l1_network_update, l1_network_widget)
from .learning_curves import (LESSON11_WEIGHT_DECAYS, LearningCurvesSetup, LearningCurvesUpdate,  # noqa: E402
                              learning_curves_figure, learning_curves_setup, learning_curves_update,
                              learning_curves_widget)

__all__ += [
    # lesson 11
    "LESSON11_WEIGHT_DECAYS", "LearningCurvesSetup", "LearningCurvesUpdate", "learning_curves_setup",
    "learning_curves_update", "learning_curves_figure", "learning_curves_widget",
    # lesson 12
    "LESSON12_DROPOUTS", "DropoutSetup", "DropoutUpdate", "dropout_setup", "dropout_update", "dropout_figure",
    "dropout_widget",
    "LESSON12_RATES", "L1NetworkSetup", "L1NetworkUpdate", "l1_network_setup", "l1_network_update",
    "l1_network_figure", "l1_network_widget",
]
