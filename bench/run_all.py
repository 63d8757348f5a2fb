"""Run every benchmark in bench/ and print its table (``make bench``).

Each benchmark measures course_lib against a baseline in the same run and prints ratios,
because these machines are noisy: absolute milliseconds mean little, ratios a lot more.
Nothing here fails a build.
"""

from __future__ import annotations

import importlib.util
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
BENCHMARKS = ["bench_solvers", "bench_widgets", "bench_grade"]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(names: list[str] | None = None) -> None:
    for name in names or BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        _load(name).main()


if __name__ == "__main__":
    main(sys.argv[1:] or None)
