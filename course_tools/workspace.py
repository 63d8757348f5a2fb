"""A learner's own copy of the course, so their work never collides with the course's files.

``make lab`` opens JupyterLab in ``my-work/``, a copy of ``README.md``, the lessons and the learner
exercises laid out as in the repository (so every relative link still works). Copying never
overwrites: what a learner changed stays theirs, ``git pull`` updates the course without a merge
conflict in a notebook, and ``make test`` keeps checking the course as shipped. To get a lesson's
new version after an update, delete (or rename) its copy and run ``make lab`` again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["COURSE_FILES", "make_workspace"]

#: What a learner needs, as glob patterns relative to the repository root (solutions excluded).
COURSE_FILES = ("README.md", "notebooks/*.ipynb", "exercises/*.ipynb")


def make_workspace(root, target) -> list[Path]:
    """Copy the course's learner files from ``root`` into ``target``, never overwriting.

    Parameters
    ----------
    root : str or Path
        The repository (holding ``README.md``, ``notebooks/``, ``exercises/``).
    target : str or Path
        The learner's folder; created if missing.

    Returns
    -------
    list of Path
        The files copied this time (already present files are left untouched and not listed).
    """
    root, target = Path(root), Path(target)
    if not (root / "notebooks").is_dir():
        raise FileNotFoundError(f"root must be the course repository (with notebooks/); got {root}")
    if target.resolve() == root.resolve():
        raise ValueError("target must differ from the repository root: the workspace is a copy")
    copied = []
    for pattern in COURSE_FILES:
        for source in sorted(root.glob(pattern)):
            destination = target / source.relative_to(root)
            if destination.exists():
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
            copied.append(destination)
    return copied
