"""Repository-wide checks of the course notebooks (lessons, exercises, solutions).

These run over the real files and fail, never skip, while a lesson or an exercise is missing.
nbval runs the notebooks themselves; here we check what nbval cannot: names, structure, links,
imports, canonical form, and that learner exercises are generated from the solutions without
leaking them.  Solution regions are parsed here independently of course_tools.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from course_tools import learner_version, notebook_text, read_notebook
from course_tools.canonical import file_problems

REPO = Path(__file__).resolve().parents[2]
LESSON_DIR = REPO / "notebooks"
EXERCISE_DIR = REPO / "exercises"
SOLUTION_DIR = EXERCISE_DIR / "solutions"

# The course's lessons, in order (file names are fixed; see the README's index).
LESSONS = [
    "01_welcome",
    "02_bias_variance",
    "03_l2_ridge",
    "04_l1_lasso",
    "05_geometry",
    "06_choosing_the_rate",
    "07_classification",
    "08_neural_networks",
    "09_elastic_net_toolbox",
    "10_case_study_prostate",
    "11_learning_curves_early_stopping",
    "12_dropout_l1_networks",
]
# Lessons 02..10 each have an exercise named after them, "ex" first: exercises/ex02_bias_variance.ipynb
# (a tab or a file list never shows a lesson and an exercise under the same name).
EXERCISES = [f"ex{stem}" for stem in LESSONS[1:]]

LESSON_NAME = re.compile(r"^(\d\d)_[a-z0-9]+(?:_[a-z0-9]+)*\.ipynb$")
HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s+|\*\*)(.+)$")
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|href\s*=\s*[\"']([^\"']+)[\"']")
DEF = re.compile(r"^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(")
IMPORTS_COURSE_LIB = re.compile(r"^\s*(?:from\s+course_lib(?:\.\w+)*\s+import\s|import\s+course_lib\b)", re.MULTILINE)
STUB_LINES = {"# YOUR CODE HERE", "raise NotImplementedError()", "YOUR ANSWER HERE"}


def _stems(folder: Path) -> list[str]:
    return sorted(path.stem for path in folder.glob("*.ipynb"))


def _ids(paths):
    return [str(path.relative_to(REPO)) for path in paths]


LESSON_STEMS = sorted(set(LESSONS) | set(_stems(LESSON_DIR)))
EXERCISE_STEMS = sorted(set(EXERCISES) | set(_stems(SOLUTION_DIR)))
ALL_NOTEBOOKS = sorted(
    {LESSON_DIR / f"{stem}.ipynb" for stem in LESSON_STEMS}
    | {SOLUTION_DIR / f"{stem}.ipynb" for stem in EXERCISE_STEMS}
    | {EXERCISE_DIR / f"{stem}.ipynb" for stem in sorted(set(EXERCISE_STEMS) | set(_stems(EXERCISE_DIR)))}
)
EXECUTED_NOTEBOOKS = [path for path in ALL_NOTEBOOKS if path.parent != EXERCISE_DIR]


def _load(path: Path):
    assert path.exists(), f"{path.relative_to(REPO)} does not exist yet"
    return read_notebook(path)


def _sources(nb, cell_type):
    return [cell.source for cell in nb.cells if cell.cell_type == cell_type]


def _links(nb) -> set[str]:
    """Relative link targets in markdown cells, without './' and '#anchor'."""
    targets = set()
    for source in _sources(nb, "markdown"):
        for match in LINK.finditer(source):
            target = (match.group(1) or match.group(2)).split("#")[0]
            targets.add(target[2:] if target.startswith("./") else target)
    return targets


def _headings(nb) -> list[str]:
    return [m.group(1).strip() for s in _sources(nb, "markdown") for line in s.splitlines() if (m := HEADING.match(line))]


def _public_course_lib_functions() -> set[str]:
    """Public top-level functions of the course library's modules (course_lib/*.py).

    Private modules (``_name.py``) and the infrastructure subpackages (nbtools, checks,
    grading) are not part of what the lessons teach; a module's ``__all__`` wins when present.
    """
    names = set()
    modules = [*(REPO / "course_lib").glob("*.py"), *(REPO / "course_lib" / "mlp").glob("*.py")]
    for module in sorted(modules):
        if module.name.startswith("_"):
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        functions = {
            node.name
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_")
        }
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
                functions &= set(ast.literal_eval(node.value))
        names |= functions
    return names


PUBLIC_FUNCTIONS = _public_course_lib_functions()


def _split_regions(nb, cell_types=("code", "markdown")):
    """(lines inside answer regions, lines outside them) of a solution notebook's cells.

    Answer regions: ``### BEGIN SOLUTION`` .. ``### END SOLUTION`` and ``BEGIN MARK SCHEME`` ..
    ``END MARK SCHEME`` (markers excluded), hidden tests, and the whole source of an nbgrader
    solution cell that has no region.
    """
    inside, outside = [], []
    for cell in nb.cells:
        if cell.cell_type not in cell_types:
            continue
        lines = cell.source.split("\n")
        is_solution = cell.get("metadata", {}).get("nbgrader", {}).get("solution", False)
        if is_solution and not any(line.strip() == "### BEGIN SOLUTION" for line in lines):
            inside.extend(lines)
            continue
        depth = 0
        for line in lines:
            stripped = line.strip()
            if stripped in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS") or "BEGIN MARK SCHEME" in line:
                depth += 1
            elif stripped in ("### END SOLUTION", "### END HIDDEN TESTS") or "END MARK SCHEME" in line:
                depth -= 1
            else:
                (inside if depth > 0 else outside).append(line)
    return inside, outside


def _given_definitions(nb) -> set[str]:
    """Functions an exercise defines for the learner (given code), by name.

    Not counted: anything inside a solution region or a solution cell without regions, and a
    function whose body holds a ``### BEGIN SOLUTION`` region: the learner writes that one
    (its name may be course_lib's, so the checks can compare it with the library).
    """
    names = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = cell.source.split("\n")
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution", False) and not any(
            line.strip() == "### BEGIN SOLUTION" for line in lines
        ):
            continue
        inside = False
        for number, line in enumerate(lines):
            if line.strip() in ("### BEGIN SOLUTION", "### END SOLUTION"):
                inside = line.strip() == "### BEGIN SOLUTION"
                continue
            match = DEF.match(line)
            if inside or not match:
                continue
            indent = len(line) - len(line.lstrip())
            body = []
            for later in lines[number + 1 :]:
                stripped = later.strip()
                if stripped and len(later) - len(later.lstrip()) <= indent and not stripped.startswith(")"):
                    break
                body.append(stripped)
            if "### BEGIN SOLUTION" not in body:
                names.add(match.group(1))
    return names


# ----------------------------------------------------------------------------- names and sequence
def test_lessons_are_numbered_contiguously_from_01():
    names = sorted(path.name for path in LESSON_DIR.glob("*.ipynb"))
    assert names, "notebooks/ holds no lesson yet"
    bad = [name for name in names if not LESSON_NAME.match(name)]
    assert not bad, f"lesson names must look like NN_snake_case.ipynb: {bad}"
    numbers = [int(LESSON_NAME.match(name).group(1)) for name in names]
    assert len(set(numbers)) == len(numbers), f"duplicate lesson numbers: {names}"
    assert numbers == list(range(1, len(numbers) + 1)), f"lesson numbers must run 01, 02, ... without gaps: {names}"


def test_the_course_has_its_lessons():
    assert _stems(LESSON_DIR) == LESSONS


@pytest.mark.parametrize("stem", EXERCISES)
def test_lesson_has_an_exercise(stem):
    assert (SOLUTION_DIR / f"{stem}.ipynb").exists(), f"exercises/solutions/{stem}.ipynb is missing"
    assert (EXERCISE_DIR / f"{stem}.ipynb").exists(), f"exercises/{stem}.ipynb is missing: run make exercises"


def test_every_learner_exercise_has_a_solution():
    orphans = sorted(set(_stems(EXERCISE_DIR)) - set(_stems(SOLUTION_DIR)))
    assert not orphans, f"learner exercises without exercises/solutions/ source: {orphans}"


# ----------------------------------------------------------------------------- canonical form
@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_notebook_is_tidy(path):
    assert path.exists(), f"{path.relative_to(REPO)} does not exist yet"
    problems = file_problems(path)
    assert not problems, f"run make tidy (or make refresh): {path.relative_to(REPO)}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", EXECUTED_NOTEBOOKS, ids=_ids(EXECUTED_NOTEBOOKS))
def test_checked_cells_store_their_output(path):
    """A cell tagged nbval-check-output without stored output checks nothing: run make refresh."""
    raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    assert raw is not None, f"{path.relative_to(REPO)} does not exist yet"
    empty = [
        number
        for number, cell in enumerate(raw["cells"], start=1)
        if cell["cell_type"] == "code"
        and "nbval-check-output" in cell["metadata"].get("tags", [])
        and not cell["outputs"]
    ]
    assert not empty, f"cells {empty} are tagged nbval-check-output but store no output: run make refresh"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_no_nbval_marker_comments(path):
    """Learners read every line of a cell: nbval's markers are cell tags, not '# NBVAL_...' comments."""
    raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    assert raw is not None, f"{path.relative_to(REPO)} does not exist yet"
    marked = [
        number
        for number, cell in enumerate(raw["cells"], start=1)
        if cell["cell_type"] == "code" and re.search(r"^\s*#+\s*NBVAL_", "".join(cell["source"]), re.MULTILINE)
    ]
    assert not marked, f"cells {marked} carry # NBVAL_ comments: run make tidy (it turns them into tags)"


# ----------------------------------------------------------------------------- lesson structure
@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_lesson_states_objectives_and_recap(stem):
    headings = " | ".join(_headings(_load(LESSON_DIR / f"{stem}.ipynb")))
    assert re.search(r"objective|you will learn|you'll learn", headings, re.IGNORECASE), (
        f"no 'Learning objectives' heading in {stem}; headings: {headings}"
    )
    assert re.search(r"recap|summary", headings, re.IGNORECASE), f"no 'Recap' heading in {stem}; headings: {headings}"


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_lesson_links_to_previous_next_and_its_exercise(stem):
    links = _links(_load(LESSON_DIR / f"{stem}.ipynb"))
    position = LESSON_STEMS.index(stem)
    if position > 0:
        previous = f"{LESSON_STEMS[position - 1]}.ipynb"
        assert previous in links, f"{stem} has no link to the previous lesson {previous}; links: {sorted(links)}"
    if position + 1 < len(LESSON_STEMS):
        following = f"{LESSON_STEMS[position + 1]}.ipynb"
        assert following in links, f"{stem} has no link to the next lesson {following}; links: {sorted(links)}"
    if int(stem[:2]) >= 2:
        exercise_links = [link for link in links if re.fullmatch(rf"\.\./exercises/ex{stem[:2]}_\w+\.ipynb", link)]
        assert exercise_links, f"{stem} has no relative link ../exercises/ex{stem[:2]}_*.ipynb; links: {sorted(links)}"
        for link in exercise_links:
            assert (LESSON_DIR / link).resolve().exists(), f"{stem} links to a missing exercise {link}"


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_every_relative_link_of_a_lesson_leads_to_a_file_and_its_navigation_line_to_the_index(stem):
    nb = _load(LESSON_DIR / f"{stem}.ipynb")
    missing = sorted(link for link in _links(nb)
                     if not re.match(r"[a-z]+:", link) and link and not (LESSON_DIR / link).resolve().exists())
    assert not missing, f"{stem} links to files that do not exist: {missing}"
    opening = _sources(nb, "markdown")[0].splitlines()
    assert any(line.startswith("[Lesson index](../README.md#lessons) · ") for line in opening), (
        f"{stem}'s first cell has no navigation line starting with the lesson index link: {opening[:4]!r}")


def _redefined_public_functions(sources) -> list[str]:
    return sorted({m.group(1) for source in sources for line in source.splitlines() if (m := DEF.match(line))}
                  & PUBLIC_FUNCTIONS)


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_lesson_imports_course_lib_and_redefines_none_of_it(stem):
    code = _sources(_load(LESSON_DIR / f"{stem}.ipynb"), "code")
    assert any(IMPORTS_COURSE_LIB.search(source) for source in code), f"{stem} never imports from course_lib"
    redefined = _redefined_public_functions(code)
    assert not redefined, f"{stem} redefines course_lib functions {redefined}: import them instead"


# ----------------------------------------------------------------------------- exercises
@pytest.mark.parametrize("stem", EXERCISE_STEMS)
def test_learner_exercise_is_generated_from_its_solution(stem):
    solution = _load(SOLUTION_DIR / f"{stem}.ipynb")
    learner_path = EXERCISE_DIR / f"{stem}.ipynb"
    assert learner_path.exists(), f"exercises/{stem}.ipynb is missing: run make exercises"
    assert learner_path.read_text(encoding="utf-8") == notebook_text(learner_version(solution)), (
        f"exercises/{stem}.ipynb is out of date with its solution: run make exercises"
    )


@pytest.mark.parametrize("stem", EXERCISE_STEMS)
def test_learner_exercise_contains_no_solution_code(stem):
    solution = _load(SOLUTION_DIR / f"{stem}.ipynb")
    learner = _load(EXERCISE_DIR / f"{stem}.ipynb")
    inside, outside = _split_regions(solution)
    assert inside, f"exercises/solutions/{stem}.ipynb has no ### BEGIN SOLUTION region"
    secret = {line.strip() for line in inside if line.strip()} - {line.strip() for line in outside} - STUB_LINES
    learner_lines = {line.strip() for cell in learner.cells for line in cell.source.split("\n")}
    leaked = sorted(secret & learner_lines)
    assert not leaked, f"exercises/{stem}.ipynb shows solution lines: {leaked}"
    text = "\n".join(cell.source for cell in learner.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "MARK SCHEME", "HIDDEN TESTS"):
        assert marker not in text, f"exercises/{stem}.ipynb still contains {marker!r}"
    assert all(not cell.get("outputs") for cell in learner.cells), f"exercises/{stem}.ipynb stores outputs"


@pytest.mark.parametrize("stem", EXERCISE_STEMS)
def test_exercise_imports_course_lib_and_redefines_none_of_it(stem):
    solution = _load(SOLUTION_DIR / f"{stem}.ipynb")
    code = _sources(solution, "code")
    assert any(IMPORTS_COURSE_LIB.search(source) for source in code), f"{stem} never imports from course_lib"
    redefined = sorted(_given_definitions(solution) & PUBLIC_FUNCTIONS)
    assert not redefined, (
        f"exercise {stem} gives its own version of course_lib functions {redefined}: import them instead "
        "(a function the learner writes, whose body is a solution region, may keep its course_lib name)"
    )


# A number of round-off size written with its digits (5.97e-07, 3e-10): such digits change with the BLAS
# kernel, numpy's SIMD code or the platform, so a checked output holding one fails on other machines.
ROUNDOFF_DIGITS = re.compile(r"(?<![\w.])-?(?:[2-9]|\d\.\d+)e-(?:0?[7-9]|[1-9]\d)\b")


@pytest.mark.parametrize("path", EXECUTED_NOTEBOOKS, ids=_ids(EXECUTED_NOTEBOOKS))
def test_checked_outputs_print_no_roundoff_digits(path):
    """Print a sentence, a bound or a rounded value ("agree to 1e-8: True"); assert the exact thing in code."""
    raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    assert raw is not None, f"{path.relative_to(REPO)} does not exist yet"
    found = []
    for number, cell in enumerate(raw["cells"], start=1):
        if cell["cell_type"] != "code" or "nbval-check-output" not in cell["metadata"].get("tags", []):
            continue
        for output in cell["outputs"]:
            text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
            found += [(number, match) for match in ROUNDOFF_DIGITS.findall(text)]
    assert not found, f"checked cells print round-off digits (cell, number): {found}"


def test_no_exercise_shares_a_file_name_with_a_lesson():
    """JupyterLab's tabs and file lists show file names only: a lesson and its exercise must differ."""
    lessons = {path.name for path in LESSON_DIR.glob("*.ipynb")}
    exercises = {path.name for path in EXERCISE_DIR.glob("*.ipynb")} | {p.name for p in SOLUTION_DIR.glob("*.ipynb")}
    assert exercises and not lessons & exercises


@pytest.mark.parametrize("path", EXECUTED_NOTEBOOKS, ids=_ids(EXECUTED_NOTEBOOKS))
def test_figures_fit_jupyterlab_and_their_text_stays_readable(path):
    """A figure wider than plots.MAX_FIGURE_WIDTH is shrunk to fit JupyterLab's output area, and
    its 9 pt text with it; x-small text is under 9 pt to begin with (issue 14 §5)."""
    from course_lib.plots import MAX_FIGURE_WIDTH

    problems = []
    for number, source in enumerate(_sources(_load(path), "code"), start=1):
        for width in re.findall(r"figsize\s*=\s*\(\s*([\d.]+)", source):
            if float(width) > MAX_FIGURE_WIDTH:
                problems.append(f"code cell {number}: figsize width {width} in > {MAX_FIGURE_WIDTH}")
        if re.search(r"""["']x+-small["']|fontsize\s*=\s*[0-8](?:\.\d+)?\b""", source):
            problems.append(f"code cell {number}: text smaller than 9 pt")
    assert not problems, problems


@pytest.mark.parametrize("path", EXECUTED_NOTEBOOKS, ids=_ids(EXECUTED_NOTEBOOKS))
def test_checked_cells_store_no_figure_reprs(path):
    """'<Figure size 550x380 with 1 Axes>' changes with the display's dpi: draw in an unchecked cell."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    found = [number for number, cell in enumerate(raw["cells"], start=1) if cell["cell_type"] == "code"
             and any("<Figure size" in "".join(o.get("data", {}).get("text/plain", "")) for o in cell["outputs"])]
    assert not found, f"checked cells {found} store a figure's repr"
