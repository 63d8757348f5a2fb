"""The course site (course_tools.site): a tiny course built once, and each rule on its own.

The built fixture has two lessons (one with a going-further section, one with a widget) and one
exercise; the expectations are written from the conventions (docs/tooling.md, docs/authoring.md),
never copied from a build.  The whole course is built by ``make site`` and checked in a browser by
``python -m course_tools site-check`` (in .ci/run), not here.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import nbformat
import pytest
from nbformat import v4

from course_tools.site.offline import external_resources
from course_tools.site.pages import course_pages
from course_tools.site.stage import (
    MARKER_CORE,
    MARKER_GOING_FURTHER,
    is_navigation_line,
    stage_notebook,
    widget_figure,
)

REPO = Path(__file__).resolve().parents[2]
SOLUTION_LINE = "secret_answer = 42  # the solution"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


# ----------------------------------------------------------------------------- the tiny course
def _tiny_course(root: Path) -> None:
    (root / "README.md").write_text("# A Tiny Course\n\nTwo lessons about shrinking weights.\n", encoding="utf-8")
    for folder in ("notebooks", "exercises/solutions"):
        (root / folder).mkdir(parents=True)
    going_further = {"tags": ["going-further"]}
    first = v4.new_notebook(cells=[
        v4.new_markdown_cell(
            "# 01 · First lesson\n\n"
            "[Course overview](../README.md) · **01 · First lesson** · [02 · Second lesson →](02_second.ipynb)\n\n"
            "The penalty is $\\frac{rate}{2} \\sum_j w_j^2$, and the lasso shrinks."
        ),
        v4.new_code_cell(
            "import matplotlib.pyplot as plt\n"
            "fig, ax = plt.subplots()\n"
            "ax.plot([0, 1], [1, 0], label='ridge')\n"
            "ax.set_title('Shrinking weights'); ax.set_xlabel('rate'); ax.set_ylabel('weight'); ax.legend();"
        ),
        v4.new_markdown_cell("## Going further (optional): the deep dive\n\nThe singular values.\n\n### A detail\n\nMore.",
                             metadata=going_further),
        v4.new_code_cell("print('deep dive output')", metadata=going_further),
        v4.new_markdown_cell("Back on the core path: nothing above was needed."),
        v4.new_markdown_cell("## Recap\n\nSee the [README](../README.md#lessons) and the [notes](../docs/notes.md)."),
        v4.new_code_cell(
            "import ipywidgets as widgets\n"
            "import matplotlib.pyplot as plt\n"
            "from IPython.display import display\n"
            "fig, ax = plt.subplots()\n"
            "ax.plot([0, 1], [0, 1])\n"
            "ax.set_title('Weights at the chosen rate'); ax.set_xlabel('feature'); ax.set_ylabel('weight')\n"
            "plt.close(fig)\n"
            "out = widgets.Output()\n"
            "with out:\n"
            "    display(fig)\n"
            "box = widgets.VBox([widgets.FloatSlider(description='rate'), out])\n"
            "box.figure = fig\n"
            "box"
        ),
    ])
    second = v4.new_notebook(cells=[  # no code: built without a kernel
        v4.new_markdown_cell("# 02 · Second lesson\n\n[← 01 · First lesson](01_first.ipynb) · **02 · Second lesson**"),
        v4.new_markdown_cell("The lasso sets weights to zero."),
    ])
    exercise = v4.new_notebook(cells=[
        v4.new_markdown_cell(
            "# Exercise 02 · Second lesson\n\n"
            "[← Lesson 02 · Second lesson](../notebooks/02_second.ipynb) | [Course README](../README.md)"
        ),
        v4.new_code_cell("# YOUR CODE HERE\nraise NotImplementedError()"),
    ])
    solution = v4.new_notebook(cells=[exercise.cells[0], v4.new_code_cell(SOLUTION_LINE)])
    nbformat.write(first, str(root / "notebooks" / "01_first.ipynb"))
    nbformat.write(second, str(root / "notebooks" / "02_second.ipynb"))
    nbformat.write(exercise, str(root / "exercises" / "ex02_second.ipynb"))
    nbformat.write(solution, str(root / "exercises" / "solutions" / "ex02_second.ipynb"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    pytest.importorskip("sphinx", reason="the site extra is not installed (make site installs it)")
    pytest.importorskip("myst_nb")
    from course_tools.site import build_site

    root = tmp_path_factory.mktemp("course")
    _tiny_course(root)
    index, errors = build_site(root, root / "_site", jobs=1, log=lambda message: None)
    return root / "_site", errors


class _Page(HTMLParser):
    """The parts of a page the tests look at: images, links by region, details elements."""

    def __init__(self):
        super().__init__()
        self.images, self.sidebar_links, self.details, self.prev_next = [], [], [], []
        self._stack = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag not in ("img", "br", "meta", "link", "input", "hr"):
            self._stack.append((tag, classes))
        inside = {c for _, cs in self._stack for c in cs}
        if tag == "img":
            self.images.append(attrs)
        if tag == "a" and "bd-sidebar-primary" in inside and attrs.get("href"):
            self.sidebar_links.append(attrs["href"])
        if tag == "a" and {"left-prev", "right-next"} & set(classes):
            self.prev_next.append((classes[0], attrs.get("href")))
        if tag == "details":
            self.details.append(attrs)

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _resolve(page_rel: str, href: str) -> str:
    target = href.split("#")[0]
    return os.path.normpath(str(PurePosixPath(page_rel).parent / target)) if target else page_rel


PAGES = ["index.html", "notebooks/01_first.html", "notebooks/02_second.html", "exercises/ex02_second.html"]


# ----------------------------------------------------------------------------- the built fixture
@pytest.mark.slow
def test_the_site_builds_without_errors_and_loads_nothing_from_another_host(built):
    site, errors = built
    assert errors == []
    for rel in PAGES:
        assert (site / rel).is_file(), rel
    assert external_resources(site) == []
    assert (site / "_static" / "mathjax" / "MathJax.js").is_file()


@pytest.mark.slow
def test_every_page_has_every_lesson_and_exercise_in_its_sidebar_in_reading_order(built):
    site, _ = built
    expected = ["notebooks/01_first.html", "notebooks/02_second.html", "exercises/ex02_second.html"]
    for rel in PAGES:
        links = [_resolve(rel, href) for href in _parse(site / rel).sidebar_links]
        listed = [link for link in links if link in expected]
        assert listed == expected, (rel, links)


@pytest.mark.slow
def test_previous_and_next_links_follow_the_reading_order(built):
    site, _ = built
    first = dict(_parse(site / "notebooks/01_first.html").prev_next)
    second = dict(_parse(site / "notebooks/02_second.html").prev_next)
    assert _resolve("notebooks/01_first.html", first["right-next"]) == "notebooks/02_second.html"
    assert _resolve("notebooks/02_second.html", second["left-prev"]) == "notebooks/01_first.html"
    assert _resolve("notebooks/02_second.html", second["right-next"]) == "exercises/ex02_second.html"


@pytest.mark.slow
def test_search_has_an_index_of_the_lessons_text(built):
    site, _ = built
    assert (site / "search.html").is_file()
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    assert "shrink" in index and "01_first" in index


@pytest.mark.slow
def test_every_image_says_what_its_figure_shows(built):
    site, _ = built
    alts = []
    for rel in PAGES:
        for image in _parse(site / rel).images:
            alt = (image.get("alt") or "").strip()
            src = image.get("src") or ""
            assert alt and alt != src and Path(src).name not in alt, (rel, image)
            assert not re.search(r"No description|<Figure size|Figure without", alt), (rel, alt)
            alts.append(alt)
    assert any('"Shrinking weights"' in alt and "x axis: rate" in alt and "legend: ridge" in alt for alt in alts)
    assert any('"Weights at the chosen rate"' in alt and "y axis: weight" in alt for alt in alts)


@pytest.mark.slow
def test_a_widget_is_its_initial_figure_with_a_line_saying_where_to_move_it(built):
    site, _ = built
    html = (site / "notebooks/01_first.html").read_text(encoding="utf-8")
    assert "widget-view" not in html and "jupyter-widgets" not in html and "require.js" not in html
    assert len(_parse(site / "notebooks/01_first.html").images) == 2  # the plot and the widget
    text = re.sub(r"<[^>]+>", "", html)
    assert "To move the rate slider, open this notebook in JupyterLab" in text
    assert "make lab" in text


@pytest.mark.slow
def test_no_empty_output_and_no_navigation_line_of_the_notebook(built):
    site, _ = built
    for rel in PAGES[1:]:
        html = (site / rel).read_text(encoding="utf-8")
        assert "Out[" not in html and "README.md" not in html, rel
        assert "Course overview" not in html and "Course README" not in html, rel
        for output in re.findall(r'<div class="cell_output[^"]*">(.*?)</div>\s*</div>', html, re.DOTALL):
            assert re.sub(r"<[^>]+>|\s", "", output) or "<img" in output, (rel, output)


@pytest.mark.slow
def test_going_further_is_folded_and_the_core_path_is_not(built):
    site, _ = built
    html = (site / "notebooks/01_first.html").read_text(encoding="utf-8")
    assert html.count("<details") == 1
    folds = re.findall(r"<details class=\"going-further\"( open)?>(.*?)</details>", html, re.DOTALL)
    assert len(folds) == 1
    is_open, inside = folds[0]
    assert not is_open
    assert "the deep dive" in inside and "singular values" in inside and "deep dive output" in inside
    assert "A detail" in inside
    assert "Back on the core path" not in inside and "Recap" not in inside
    assert "Back on the core path" in html and "course-site:" not in html


@pytest.mark.slow
def test_exercises_are_published_without_solutions_and_notebooks_can_be_downloaded(built):
    site, _ = built
    exercise = (site / "exercises/ex02_second.html").read_text(encoding="utf-8")
    assert "NotImplementedError" in exercise and SOLUTION_LINE not in exercise
    assert not (site / "exercises" / "solutions").exists()
    assert not any(SOLUTION_LINE in p.read_text(errors="replace") for p in site.rglob("*") if p.is_file()
                   and p.suffix in (".html", ".js", ".ipynb", ".txt"))
    for rel in ("notebooks/01_first.ipynb", "notebooks/02_second.ipynb", "exercises/ex02_second.ipynb"):
        assert (site / rel).is_file()
    assert (site / ".nojekyll").is_file()


@pytest.mark.slow
def test_in_headless_chromium_with_the_network_off_math_is_set_and_search_answers(built, request, tmp_path):
    if not request.config.getoption("browser"):
        pytest.skip("opens Chromium: run with --browser (needs Debian's chromium and the [browser] extra)")
    import shutil

    from course_tools.site.browser import check_site_in_browser

    site, _ = built
    seen = check_site_in_browser(site, query="shrink")
    assert (seen.pages, seen.problems, seen.blocked, seen.failed_pages) == (4, [], [], set())
    assert seen.search_hits >= 1
    # the check can fail: no MathJax, and a script from another host
    broken = tmp_path / "broken"
    shutil.copytree(site, broken)
    shutil.rmtree(broken / "_static" / "mathjax")
    page = broken / "notebooks" / "01_first.html"
    page.write_text(page.read_text().replace("</head>", '<script src="https://cdn.example.com/x.js"></script></head>'))
    seen = check_site_in_browser(broken, query="shrink", wait_ms=3000)
    assert "https://cdn.example.com/x.js" in seen.blocked
    assert "notebooks/01_first.html" in seen.failed_pages
    assert any(problem.startswith("notebooks/01_first.html: MathJax did not finish") for problem in seen.problems)


# ----------------------------------------------------------------------------- each rule on its own
@pytest.mark.parametrize("line, expected", [
    ("[Course overview](../README.md) · **01 · Welcome** · [02 · Bias →](02_bias_variance.ipynb)", True),
    ("[← Lesson 02 · Bias](../notebooks/02_bias_variance.ipynb) | [Course README](../README.md)", True),
    ("See [lesson 02](02_bias_variance.ipynb) for the proof →", False),
    ("**Next:** [03 · L2 →](03_l2_ridge.ipynb) — ridge and weight decay", False),
    ("**Predict before you run the next cell**", False),
])
def test_navigation_lines_are_recognized_and_prose_is_kept(line, expected):
    assert is_navigation_line(line) is expected


def test_links_to_the_readme_point_at_the_index_and_other_repository_files_become_text():
    nb = v4.new_notebook(cells=[v4.new_markdown_cell(
        "See the [lesson index](../README.md#lessons), [lesson 02](02_b.ipynb), "
        "[the library](../course_lib/penalties.py) and [scikit-learn](https://scikit-learn.org)."
    )])
    staged = stage_notebook(nb, PurePosixPath("notebooks/01_a.ipynb"),
                            site_files={PurePosixPath("notebooks/01_a.ipynb"), PurePosixPath("notebooks/02_b.ipynb")})
    assert staged.notebook.cells[0].source == (
        "See the [lesson index](../index.md), [lesson 02](02_b.ipynb), "
        "the library and [scikit-learn](https://scikit-learn.org)."
    )
    assert staged.warnings == ["link to ../course_lib/penalties.py (not part of the site): kept as text"]


def _widget_notebook(alt_in_output="Figure: \"w\".", describe=True):
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_menu", "IPY_MODEL_out"]}},
        "slider": {"model_name": "FloatLogSliderModel", "state": {"description": "rate"}},
        "menu": {"model_name": "DropdownModel", "state": {"description": "optimizer"}},
        "out": {"model_name": "OutputModel", "state": {"outputs": [
            {"output_type": "display_data", "data": {"image/png": PNG, "text/plain": alt_in_output}, "metadata": {}}
        ]}},
    }
    outputs = [v4.new_output("execute_result", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "box", "version_major": 2, "version_minor": 0},
        "text/plain": "VBox(...)"}, execution_count=1)]
    if describe:
        outputs.append(v4.new_output("display_data", data={
            "application/vnd.course-site.figure-description+json": {"model_id": "box", "alt": "Figure: \"Lasso path\"."}}))
    nb = v4.new_notebook(cells=[v4.new_code_cell("widget", outputs=outputs)])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state, "version_major": 2}}
    return nb


def test_a_widget_becomes_its_png_with_the_description_and_a_note_naming_its_controls():
    nb = _widget_notebook()
    assert widget_figure(nb, "box") == (PNG, "Figure: \"w\".", ["the *rate* slider", "the *optimizer* menu"])
    staged = stage_notebook(nb, PurePosixPath("notebooks/08_n.ipynb"), site_files=set(),
                            binder_url="https://mybinder.org/v2/gh/me/course/HEAD")
    code, note = staged.notebook.cells
    assert [list(o["data"]) for o in code.outputs] == [["image/png", "text/plain"]]
    assert code.outputs[0]["data"]["image/png"] == PNG
    assert "widgets" not in staged.notebook.metadata
    assert staged.alt == {hashlib.sha256(base64.b64decode(PNG)).hexdigest(): "Figure: \"Lasso path\"."}
    assert "To move the *rate* slider and the *optimizer* menu, open this notebook in JupyterLab" in note.source
    assert "(https://mybinder.org/v2/gh/me/course/HEAD?urlpath=lab/tree/notebooks/08_n.ipynb)" in note.source


def test_a_figure_nobody_described_is_reported_not_given_a_placeholder_silently():
    nb = v4.new_notebook(cells=[v4.new_code_cell("plot", outputs=[
        v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"})])])
    staged = stage_notebook(nb, PurePosixPath("notebooks/01_a.ipynb"), site_files=set())
    assert len(staged.warnings) == 1 and "no title" in staged.warnings[0]


def test_markdown_cells_say_whether_they_are_core_only_when_a_notebook_has_going_further():
    plain = v4.new_notebook(cells=[v4.new_markdown_cell("# Title")])
    assert stage_notebook(plain, PurePosixPath("notebooks/01_a.ipynb"), site_files=set()).notebook.cells[0].source == "# Title"
    mixed = v4.new_notebook(cells=[
        v4.new_markdown_cell("# Title"),
        v4.new_markdown_cell("## Going further (optional): x", metadata={"tags": ["going-further"]}),
    ])
    cells = stage_notebook(mixed, PurePosixPath("notebooks/01_a.ipynb"), site_files=set()).notebook.cells
    assert [c.source.split("\n")[0] for c in cells] == [MARKER_CORE, MARKER_GOING_FURTHER]


def test_figure_descriptions_name_titles_axes_and_legends():
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from course_tools.site.describe import describe_figure

    fig, (left, right) = plt.subplots(1, 2)
    left.plot([0, 1], label="train")
    left.plot([1, 0], label="$\\lambda$ test")
    left.legend()
    left.set(title="Error", xlabel="degree", ylabel="MSE")
    right.set_title("Weights")
    fig.suptitle("Bias and variance")
    assert describe_figure(fig) == (
        'Figure "Bias and variance" in 2 panels. '
        'Left: "Error" (x axis: degree; y axis: MSE; legend: train, lambda test). Right: "Weights".'
    )
    plt.close(fig)
    bare, ax = plt.subplots()
    assert describe_figure(bare).startswith("Figure without a title")
    plt.close(bare)


def test_the_offline_check_finds_fetches_from_other_hosts_and_allows_links(tmp_path):
    (tmp_path / "page.html").write_text(
        '<html><head><script src="https://cdnjs.example.org/require.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.com/a.css"><link rel="canonical" href="https://course.example/">'
        '<style>body { background: url("https://img.example.com/bg.png"); }</style></head>'
        '<body><a href="https://scikit-learn.org">a link</a><img src="data:image/png;base64,AAAA" alt="x">'
        '<img src="_images/a.png" alt="y"><script>const ns = "http://www.w3.org/2000/svg";</script></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "style.css").write_text("@import 'https://fonts.example.com/b.css';\n.a { background: url(local.png); }")
    (tmp_path / "app.js").write_text(
        "// see https://docs.example.com for why\n/* https://license.example.com */\n"
        "fetch('https://unpkg.example.com/widgets.js');\nconst local = './searchindex.js';\n"
    )
    found = external_resources(tmp_path)
    assert found == [
        "app.js: https://unpkg.example.com/widgets.js",
        "page.html: <script src=https://cdnjs.example.org/require.js>",
        "page.html: <link rel=stylesheet href=//fonts.example.com/a.css>",
        "page.html: <style> https://img.example.com/bg.png",
        "style.css: https://fonts.example.com/b.css",
    ]


def test_the_real_course_pages_come_in_reading_order_each_exercise_after_its_lesson():
    pages = course_pages(REPO)
    names = [page.rel.as_posix() for page in pages]
    lessons = sorted(f"notebooks/{p.name}" for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    exercises = sorted(f"exercises/{p.name}" for p in (REPO / "exercises").glob("ex[0-9][0-9]_*.ipynb"))
    assert sorted(names) == sorted(lessons + exercises)
    for exercise in exercises:
        number = Path(exercise).name[2:4]
        lesson = next(name for name in lessons if Path(name).name.startswith(number))
        assert names.index(exercise) == names.index(lesson) + 1


# ----------------------------------------------------------------------------- bad input keeps its contract
def _one_line_failure(result):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_missing_site_dependency_says_what_to_install_in_one_line(tmp_path):
    hide = (
        "import sys, importlib.abc\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('sphinx', 'myst_nb'): raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from course_tools.cli import main\n"
        f"sys.exit(main(['site', '--root', {str(REPO)!r}, '--out', {str(tmp_path / 'out')!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True, timeout=120)
    line = _one_line_failure(result)
    assert "sphinx" in line and "myst-nb" in line and "pip install -e '.[site]'" in line
    assert not (tmp_path / "out").exists()


def test_the_browser_check_without_chromium_says_what_to_install_in_one_line(tmp_path):
    env = dict(os.environ, CHROMIUM=str(tmp_path / "no-such-chromium"))
    result = subprocess.run([sys.executable, "-m", "course_tools", "site-check", str(tmp_path)],
                            capture_output=True, text=True, timeout=120, env=env, cwd=REPO)
    assert "apt-get install chromium" in _one_line_failure(result)


def test_an_unsupported_python_gets_one_line_from_make_and_no_environment(tmp_path):
    if subprocess.run(["make", "--version"], capture_output=True).returncode != 0:
        pytest.skip("make is not installed")
    fake = tmp_path / "python3.10"
    fake.write_text(
        "#!/bin/sh\n"
        f"exec {sys.executable} -c \"import sys; sys.version_info = (3, 10, 12, 'final', 0); "
        "sys.version = '3.10.12 (fake)'; code = sys.argv[2]; sys.argv = sys.argv[1:]; exec(code)\" \"$@\"\n"
    )
    fake.chmod(0o755)
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        (tmp_path / name).write_bytes((REPO / name).read_bytes())
    result = subprocess.run(["make", "-s", "env", f"PYTHON={fake}"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip() and "***" not in line]
    assert len(lines) == 1 and "Python 3.11 or newer" in lines[0] and "3.10.12" in lines[0], lines
    assert not (tmp_path / ".venv").exists()


def test_the_site_package_is_not_ignored_by_git():
    """A .gitignore line ``site/`` once ignored course_tools/site/ itself: a fresh clone had no site code."""
    if subprocess.run(["git", "rev-parse"], cwd=REPO, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    for path in sorted((REPO / "course_tools" / "site").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            ignored = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=REPO)
            assert ignored.returncode == 1, f"{path.relative_to(REPO)} is ignored by git"
