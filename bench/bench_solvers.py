"""Time course_lib's regression trainers against scikit-learn, at equal accuracy.

What is timed (all imported from ``course_lib.trainers``): ``fit_lasso``, the readable
coordinate-descent loop of lesson 04 (``course_lib.coordinate_descent``); ``lasso_path``, the exact
homotopy (``course_lib._solvers.homotopy``); ``ridge_path``, one SVD for every rate
(``course_lib.ridge_svd``).

Speed targets: ``lasso_path`` as fast as
``sklearn.linear_model.lasso_path`` or faster *at equal accuracy* (coefficients within 1e-8
relative of a tight reference), on scikit-learn's diabetes data (442 x 10) and on a seeded
synthetic 1000 x 100 problem with correlated features.  Also reported: ``ridge_path`` over
100 rates against a loop of ``Ridge``, and one ``fit_lasso`` against one ``Lasso`` at the same
``tol`` (both stop on the same duality-gap criterion).

Accuracy.  The reference lasso solutions do not come from course_lib: scikit-learn's
coordinate descent at ``tol=1e-15`` gives each rate's support and signs, the optimality
equations on that support are then solved with ``np.linalg.lstsq``, and the result is kept
only if it satisfies the KKT conditions to 1e-10 relative.  "max rel diff" is
``max |coef − ref| / max |ref|`` over the whole path.  scikit-learn's ``lasso_path`` is timed
at the loosest ``tol`` of 1e-4, 1e-6, …, 1e-14 that reaches 1e-8 (shown in the notes column).

Timing: median of several runs (``time.perf_counter``), after one warm-up run.  Ratio is
``sklearn_time / ours_time``: above 1 means course_lib is faster.

Threads: BLAS is limited to one thread for both sides by default (``--threads`` to change).
These machines are shared and small (2 cores); multithreaded OpenBLAS under contention swung
single timings by 10-100x in our runs, which measures the neighbours, not the algorithms.
OPENBLAS_CORETYPE may be set in the environment on these machines: leave it as it is (it
selects the CPU kernels OpenBLAS uses; this script never changes it).

Run: ``.venv/bin/python bench/bench_solvers.py`` (or ``make bench``).  Timings only print;
nothing here fails a build.
"""

from __future__ import annotations

import argparse
import contextlib
import time
import warnings

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso, Ridge
from sklearn.linear_model import lasso_path as sklearn_lasso_path

from course_lib.trainers import fit_lasso, lasso_max_rate, lasso_path, ridge_path

ACCURACY = 1e-8
SKLEARN_TOLS = (1e-4, 1e-6, 1e-8, 1e-10, 1e-12, 1e-14)


def synthetic_problem(seed=0, n=1000, p=100, rho=0.8, n_informative=10):
    """Features with corr(x_i, x_j) = rho^|i−j| and nonzero means, a sparse truth, noise 1."""
    rng = np.random.default_rng(seed)
    cov = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.standard_normal((n, p)) @ np.linalg.cholesky(cov).T + rng.standard_normal(p)
    w = np.zeros(p)
    w[rng.choice(p, n_informative, replace=False)] = 3 * rng.standard_normal(n_informative)
    return X, X @ w + 2.0 + rng.standard_normal(n)


def problems():
    return {
        "diabetes 442x10": load_diabetes(return_X_y=True),
        "synthetic 1000x100": synthetic_problem(),
    }


def median_seconds(fn, repeats):
    fn()  # warm-up (imports, caches, thread pools)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def max_rel_diff(coefs, reference):
    return float(np.max(np.abs(coefs - reference)) / np.max(np.abs(reference)))


def reference_lasso(Xc, yc, rates):
    """Tight lasso solutions at ``rates`` for centered data, independent of course_lib."""
    n = len(yc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, start, _ = sklearn_lasso_path(Xc, yc, alphas=rates, tol=1e-15, max_iter=1_000_000)
    G, c = Xc.T @ Xc / n, Xc.T @ yc / n
    scale = np.max(np.abs(c))
    reference = np.zeros((len(rates), Xc.shape[1]))
    for i, (rate, w) in enumerate(zip(rates, start.T)):
        A = np.flatnonzero(w)
        if A.size:
            # Optimality on the support with the signs fixed: G_AA w_A = c_A − rate·sign(w_A).
            reference[i, A] = np.linalg.lstsq(G[np.ix_(A, A)], c[A] - rate * np.sign(w[A]), rcond=None)[0]
        grad = c - G @ reference[i]
        on = reference[i] != 0
        violation = max(
            np.max(np.abs(grad[on] - rate * np.sign(reference[i, on])), initial=0.0),
            np.max(np.abs(grad[~on]) - rate, initial=0.0),
        )
        if violation > 1e-10 * scale:
            raise RuntimeError(f"reference lasso solution at rate={rate:g} fails KKT by {violation:.2e}")
    return reference


def bench_lasso_path(name, X, y, repeats):
    rates, coefs, _ = lasso_path(X, y, n_rates=100)
    Xc, yc = X - X.mean(axis=0), y - y.mean()  # sklearn's lasso_path fits no intercept
    reference = reference_lasso(Xc, yc, rates)
    ours_err = max_rel_diff(coefs, reference)
    ours = median_seconds(lambda: lasso_path(X, y, n_rates=100), repeats)

    def sklearn_at(tol):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sklearn_lasso_path(Xc, yc, alphas=rates, tol=tol, max_iter=100_000)

    for tol in SKLEARN_TOLS:  # the loosest tol that is as accurate as required
        sk_err = max_rel_diff(sklearn_at(tol)[1].T, reference)
        if sk_err <= ACCURACY:
            break
    note = f"sklearn tol={tol:g}" + ("" if sk_err <= ACCURACY else f" (best; misses {ACCURACY:g})")
    theirs = median_seconds(lambda: sklearn_at(tol), repeats)
    return dict(problem=name, task="lasso path, 100 rates", ours=ours, sklearn=theirs,
                ours_err=ours_err, sklearn_err=sk_err, note=note)


def bench_ridge_path(name, X, y, repeats):
    n = X.shape[0]
    rates = np.geomspace(1e2, 1e-6, 100)
    _, coefs, _ = ridge_path(X, y, rates)

    def sklearn_loop():
        return np.array([Ridge(alpha=n * rate).fit(X, y).coef_ for rate in rates])

    reference = np.array([Ridge(alpha=n * rate, solver="svd").fit(X, y).coef_ for rate in rates])
    return dict(
        problem=name, task="ridge path, 100 rates",
        ours=median_seconds(lambda: ridge_path(X, y, rates), repeats),
        sklearn=median_seconds(sklearn_loop, max(3, repeats // 3)),
        ours_err=max_rel_diff(coefs, reference), sklearn_err=max_rel_diff(sklearn_loop(), reference),
        note="vs loop of Ridge(alpha=n*rate)",
    )


def bench_one_lasso(name, X, y, repeats, fraction=0.05, tol=1e-12):
    rate = fraction * lasso_max_rate(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    reference = reference_lasso(Xc, yc, np.array([rate]))[0]
    ours_fit = fit_lasso(X, y, rate, tol=tol)

    def sklearn_fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Lasso(alpha=rate, tol=tol, max_iter=100_000).fit(X, y)

    return dict(
        problem=name, task="one lasso fit",
        ours=median_seconds(lambda: fit_lasso(X, y, rate, tol=tol), repeats),
        sklearn=median_seconds(sklearn_fit, repeats),
        ours_err=max_rel_diff(ours_fit.w, reference),
        sklearn_err=max_rel_diff(sklearn_fit().coef_, reference),
        note=f"rate=0.05*max, tol={tol:g} for both",
    )


def _thread_limit(threads):
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(limits=threads, user_api="blas") if threads else contextlib.nullcontext()


def main(repeats=9, threads=1, verbose=True):
    """Run every benchmark; return one dict per row (times in seconds).

    Keys: problem, task, ours, sklearn, ratio (sklearn/ours), ours_err, sklearn_err, note.
    """
    rows = []
    with _thread_limit(threads):
        for name, (X, y) in problems().items():
            for bench in (bench_lasso_path, bench_ridge_path, bench_one_lasso):
                row = bench(name, X, y, repeats)
                row["ratio"] = row["sklearn"] / row["ours"]
                rows.append(row)
    if verbose:
        print_table(rows, threads)
    return rows


def print_table(rows, threads=1):
    header = (f"{'problem':<20} {'task':<22} {'ours ms':>9} {'sklearn ms':>11} {'ratio':>7} "
              f"{'ours err':>9} {'skl err':>9}  notes")
    print(f"course_lib vs scikit-learn (BLAS threads: {threads or 'default'}; ratio > 1: course_lib faster;"
          f" err = max rel diff vs tight reference)")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['problem']:<20} {r['task']:<22} {1e3 * r['ours']:>9.2f} {1e3 * r['sklearn']:>11.2f} "
              f"{r['ratio']:>7.2f} {r['ours_err']:>9.1e} {r['sklearn_err']:>9.1e}  {r['note']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="timed runs per measurement (median)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (0: library default)")
    args = parser.parse_args()
    main(repeats=args.repeats, threads=args.threads)
