"""Find the submitted notebooks and read them without trusting the folder they sit in.

Layout (nbgrader's): ``SUBMISSIONS/<student id>/<exercise>.ipynb``, or one level deeper,
``SUBMISSIONS/<student id>/<assignment>/<exercise>.ipynb``.  The exercise is the notebook's file
name.  Hidden files and folders (``.ipynb_checkpoints``) are ignored.

The grader runs as root, so it must not read what a student points it at: it reads only regular
files inside the submissions folder, opening every folder on the way with ``O_NOFOLLOW`` relative
to the one above it, so a symbolic link -- to the solutions, to another student's file, to a
root-only file -- is never followed, even one swapped in after the folder was listed.  What it
refuses becomes a row with 0 points and the reason as a flag.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .names import shown

__all__ = ["Submission", "find_submissions", "read_submission", "exercise_of", "Refused", "MAX_NOTEBOOK_BYTES"]

MAX_NOTEBOOK_BYTES = 50 * 1024**2


@dataclass(frozen=True)
class Submission:
    """One notebook: ``student`` and ``parts`` (its path below the submissions folder) as found.

    ``refused`` says why it is not read (a symbolic link, not a regular file), else None.
    """

    student: str
    exercise: str
    root: Path
    parts: tuple
    refused: str | None = None

    @property
    def label(self) -> str:
        """The path below the submissions folder, printable."""
        return shown(os.path.join(*self.parts))

    @property
    def path(self) -> Path:
        return self.root.joinpath(*self.parts)


class Refused(Exception):
    """The file was not read; the message says why (for the flags column)."""


def exercise_of(file_name: str) -> str:
    """The exercise a submitted file is: its stem, ``ex03_l2_ridge`` for ``ex03_l2_ridge.ipynb``.

    A learner copy made before the exercises took their ``ex`` prefix is named like its lesson
    (``03_l2_ridge.ipynb``); it is the same exercise.
    """
    stem = file_name[: -len(".ipynb")] if file_name.endswith(".ipynb") else file_name
    return "ex" + stem if stem[:2].isdigit() and stem[2:3] == "_" else stem


def _visible_entries(folder: Path):
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    return [e for e in entries if not e.name.startswith(".")]


def _why_not(entry: os.DirEntry) -> str | None:
    try:
        if entry.is_symlink():
            return "refused: a symbolic link (the grader never follows links)"
        if not entry.is_file(follow_symlinks=False):
            return "refused: not a regular file"
    except OSError as exc:
        return f"refused: cannot inspect the file ({exc.strerror or type(exc).__name__})"
    return None


def find_submissions(submissions_dir) -> tuple[list[Submission], list[str]]:
    """All notebooks under ``submissions_dir`` (refused ones included), and warnings about the rest."""
    root = Path(submissions_dir)
    found, warnings = [], []
    for student in _visible_entries(root):
        name = shown(student.name)
        if student.is_symlink():
            warnings.append(f"ignored {name!r}: a symbolic link (the grader never follows links)")
            continue
        if not student.is_dir(follow_symlinks=False):
            warnings.append(f"ignored {name!r}: not a student folder")
            continue
        notebooks = []
        for entry in _visible_entries(Path(student.path)):
            if entry.name.endswith(".ipynb") and not entry.is_dir(follow_symlinks=False):
                notebooks.append(((student.name, entry.name), _why_not(entry)))
            elif entry.is_symlink():
                warnings.append(f"student {name!r}: ignored {shown(entry.name)!r}, a symbolic link")
            elif entry.is_dir(follow_symlinks=False):
                for inner in _visible_entries(Path(entry.path)):
                    if inner.name.endswith(".ipynb") and not inner.is_dir(follow_symlinks=False):
                        notebooks.append(((student.name, entry.name, inner.name), _why_not(inner)))
        if not notebooks:
            warnings.append(f"student {name!r}: no notebooks")
        for parts, refused in notebooks:
            found.append(Submission(student.name, exercise_of(parts[-1]), root, parts, refused))
    return found, warnings


def read_submission(sub: Submission, limit: int = MAX_NOTEBOOK_BYTES) -> tuple[bytes, list[str]]:
    """The file's bytes and notes about it; raises :class:`Refused` instead of following a link.

    Every component below the submissions folder is opened with ``O_NOFOLLOW`` relative to its
    parent's descriptor; the file must be a regular file of at most ``limit`` bytes.
    """
    if sub.refused:
        raise Refused(sub.refused)
    notes = []
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        fd = os.open(sub.root, flags | os.O_DIRECTORY)
    except OSError as exc:
        raise Refused(f"cannot open the submissions folder ({exc.strerror or type(exc).__name__})") from None
    try:
        for part in sub.parts[:-1]:
            try:
                inner = os.open(part, flags | os.O_DIRECTORY, dir_fd=fd)
            except OSError as exc:
                raise Refused(f"refused: {shown(part)!r} is not a plain folder ({exc.strerror})") from None
            os.close(fd)
            fd = inner
        try:
            file_fd = os.open(sub.parts[-1], flags | os.O_NONBLOCK, dir_fd=fd)
        except OSError as exc:
            if exc.errno in (getattr(os, "ELOOP", 40), 40):
                raise Refused("refused: a symbolic link (the grader never follows links)") from None
            raise Refused(f"cannot read the file ({exc.strerror or type(exc).__name__})") from None
    finally:
        os.close(fd)
    try:
        info = os.fstat(file_fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("refused: not a regular file")
        if info.st_nlink > 1:
            notes.append("a hard link: the file has other names on this machine")
        if info.st_size == 0:
            return b"", notes
        if info.st_size > limit:
            raise Refused(f"file too large for a notebook ({info.st_size / 1024**2:.0f} MB)")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(file_fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise Refused(f"file too large for a notebook (more than {limit / 1024**2:.0f} MB)")
        return data, notes
    finally:
        os.close(file_fd)
