"""Run notebooks with nbclient, and refresh the outputs a notebook stores.

Notebooks run the way nbval runs them in ``make test``: a ``python3`` kernel of the Python that
runs this code (like ``--nbval-current-env``), the notebook's folder as working directory,
cells marked ``# NBVAL_SKIP`` (or tagged ``nbval-skip``) skipped, and an error allowed only in
cells marked ``# NBVAL_RAISES_EXCEPTION`` (or tagged ``raises-exception``).
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from .canonical import checks_output, joined_text, read_notebook, tidy_notebook, write_notebook

__all__ = [
    "DEFAULT_TIMEOUT",
    "execute_notebook",
    "refresh_notebook",
    "stored_output_problems",
    "unexpected_errors",
    "execute_file_for_site",
]

DEFAULT_TIMEOUT = 300
_SKIP_TAG = "nbtools-skip-execution"
_SKIP_MARKERS = {"NBVAL_SKIP"}
_SKIP_TAGS = {"nbval-skip"}
_RAISES_MARKERS = {"NBVAL_RAISES_EXCEPTION"}
_RAISES_TAG = "raises-exception"
# What nbval leaves out when it compares outputs; any other MIME type of a marked cell is compared.
_NBVAL_IGNORED_MIME = {"text/plain", "image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}


def _comment_markers(cell) -> set:
    markers = set()
    for line in joined_text(cell.get("source", "")).splitlines():
        line = line.strip()
        if line.startswith("#"):
            markers.add(line.lstrip("#").strip())
    return markers


def _kernel_manager_class():
    """An nbclient kernel manager whose ``python3`` kernel is this very Python (``sys.executable``)."""
    import ipykernel.kernelspec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class CurrentEnvKernelSpecManager(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_name == "python3":
                return self.kernel_spec_class(
                    resource_dir=ipykernel.kernelspec.RESOURCES, **ipykernel.kernelspec.get_kernel_dict()
                )
            return super().get_kernel_spec(kernel_name)

    class CurrentEnvKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _current_env_spec_manager(self):
            return CurrentEnvKernelSpecManager(data_dir=self.data_dir)

    return CurrentEnvKernelManager


def execute_notebook(
    nb, cwd, *, timeout: float = DEFAULT_TIMEOUT, store_widget_state: bool = False, allow_errors: bool = False
):
    """Execute a copy of ``nb`` and return it with all its outputs.

    Parameters
    ----------
    nb : nbformat.NotebookNode
    cwd : str or Path
        Working directory of the kernel (the notebook's folder, so relative paths work).
    timeout : float
        Seconds allowed per cell.
    store_widget_state : bool
        Keep ipywidgets' state in the metadata (wanted for HTML pages, not for the repository).
    allow_errors : bool
        Go on after a cell raises, keeping the traceback as the cell's output (see
        :func:`unexpected_errors`), instead of raising.

    Returns
    -------
    nbformat.NotebookNode
        The executed copy, cell for cell aligned with ``nb``.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell not marked as raising raises (and ``allow_errors`` is false); the error names
        the cell and shows the traceback.
    """
    from nbclient import NotebookClient

    run = nbformat.from_dict(copy.deepcopy(dict(nb)))
    for cell in run.cells:
        if cell.cell_type != "code":
            continue
        markers = _comment_markers(cell)
        tags = list(cell.get("metadata", {}).get("tags", []))
        if markers & _SKIP_MARKERS or set(tags) & _SKIP_TAGS:
            tags.append(_SKIP_TAG)
        if markers & _RAISES_MARKERS:
            tags.append(_RAISES_TAG)
        cell.setdefault("metadata", {})["tags"] = tags
    run.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(
        run,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class=_kernel_manager_class(),
        resources={"metadata": {"path": str(cwd)}},
        skip_cells_with_tag=_SKIP_TAG,
        record_timing=False,
        # Always True: with False, nbclient (0.10, 0.11) raises KeyError in its Output-widget hook as soon
        # as a widget displays into an ipywidgets.Output.  Unwanted state is dropped below.
        store_widget_state=True,
        allow_errors=allow_errors,
        # ipykernel warns on every start that TCP on localhost is unencrypted: not news here.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    client.execute()
    if not store_widget_state:
        run.metadata.pop("widgets", None)
    for executed, original in zip(run.cells, nb.cells):
        executed["metadata"]["tags"] = list(original.get("metadata", {}).get("tags", []))
        if not executed["metadata"]["tags"]:
            del executed["metadata"]["tags"]
    return run


def stored_output_problems(executed) -> list[str]:
    """Outputs of marked cells that nbval will compare but the stored (text-only) form cannot hold.

    A ``# NBVAL_CHECK_OUTPUT`` cell that also shows e.g. ``text/html`` (an estimator's or a
    DataFrame's rich repr) would fail nbval with "Unexpected output fields", and one that writes
    to stderr (warnings carry file paths that differ between machines) is fragile: print the
    value instead, or drop the marker.
    """
    problems = []
    for number, cell in enumerate(executed.cells, start=1):
        if not checks_output(cell):
            continue
        mimes = set()
        for output in cell.get("outputs", []):
            mimes.update(output.get("data", {}))
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append(f"cell {number}: marked # NBVAL_CHECK_OUTPUT but writes to stderr")
            if output.get("output_type") == "error":
                problems.append(f"cell {number}: marked # NBVAL_CHECK_OUTPUT but raises {output.get('ename')}")
        extra = sorted(mimes - _NBVAL_IGNORED_MIME)
        if extra:
            problems.append(
                f"cell {number}: marked # NBVAL_CHECK_OUTPUT but displays {', '.join(extra)}, which nbval "
                "compares and the repository does not store; print() the value or drop the marker"
            )
    return problems


def refresh_notebook(path, *, timeout: float = DEFAULT_TIMEOUT) -> tuple[bool, list[str]]:
    """Execute the notebook at ``path`` and store the text outputs of its marked cells.

    The notebook runs in its own folder; afterwards only the cells marked
    ``# NBVAL_CHECK_OUTPUT`` keep their (text) outputs and the file is rewritten in canonical
    form.  Deterministic notebooks therefore give identical files on every refresh.

    Parameters
    ----------
    path : str or Path
    timeout : float
        Seconds allowed per cell.

    Returns
    -------
    changed : bool
        Whether the file changed.
    problems : list of str
        Marked cells whose outputs nbval will not be able to match
        (see :func:`stored_output_problems`); the file is written all the same.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell raises; the file is left untouched.
    """
    path = Path(path)
    nb = read_notebook(path)
    executed = execute_notebook(nb, path.resolve().parent, timeout=timeout)
    for cell, ran in zip(nb.cells, executed.cells):
        if cell.cell_type == "code":
            cell["outputs"] = ran.get("outputs", [])
            cell["execution_count"] = ran.get("execution_count")
    changed = write_notebook(tidy_notebook(nb), path)
    return changed, stored_output_problems(executed)


def unexpected_errors(executed) -> list[str]:
    """Errors raised by cells of an executed notebook that are not marked as raising."""
    found = []
    for number, cell in enumerate(executed.cells, start=1):
        if _comment_markers(cell) & _RAISES_MARKERS or _RAISES_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {number} raised {output.get('ename')}: {output.get('evalue')}")
    return found


def execute_file_for_site(path: str, timeout: float) -> tuple[str, list[str]]:
    """Run one notebook for the site, going on after errors.

    Returns the executed notebook as JSON (it crosses process boundaries) and the errors raised
    by cells not marked as raising.
    """
    nb = read_notebook(path)
    try:
        executed = execute_notebook(
            nb, Path(path).resolve().parent, timeout=timeout, store_widget_state=True, allow_errors=True
        )
    except Exception as error:  # a dead kernel or a timeout must not stop the other pages
        return nbformat.writes(nb), [f"{type(error).__name__}: {error}"]
    return nbformat.writes(executed), unexpected_errors(executed)
