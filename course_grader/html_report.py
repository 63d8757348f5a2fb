"""``report.html``: what the class got wrong, in one self-contained page (no script, no link, no font
from elsewhere: it opens offline, from a mail attachment or a USB stick).

Per exercise: the pass rate of each task, for each task the mistakes that were made most often
(what went wrong, the hint the learner saw, how many learners saw it), the distribution of totals; then the flagged rows,
and the written answers waiting to be graded by hand.  Everything a submission controls (ids,
flags, answers) is HTML-escaped.
"""

from __future__ import annotations

import html
from collections import Counter

from .grades import atomic_write
from .names import shown

__all__ = ["report_html", "write_report", "TOP_MISTAKES"]

TOP_MISTAKES = 5  # per task
_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}h3{margin-bottom:.3em}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:.8em;background:#4a7;vertical-align:middle}
.muted{color:#666}pre{white-space:pre-wrap;background:#f7f7f7;padding:.5em;border:1px solid #ddd}
svg text{font:11px sans-serif;fill:#333}
"""


def _e(text) -> str:
    return html.escape(shown(str(text)), quote=True)


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _histogram(totals: list, maximum: int, label: str) -> str:
    """An inline SVG bar chart of ``totals`` over 0 ... ``maximum`` (one bar per point, at most 20 bins)."""
    if not totals:
        return "<p class='muted'>no submission</p>"
    maximum = max(1, int(maximum))
    bins = min(maximum + 1, 21)
    width = maximum / (bins - 1) if bins > 1 else 1
    counts = [0] * bins
    for total in totals:
        counts[min(bins - 1, int(round(total / width)))] += 1
    tallest = max(counts)
    bar, gap, height, left, bottom = 26, 4, 120, 30, 20
    svg_width = left + bins * (bar + gap)
    parts = [f"<svg role='img' aria-label='{_e(label)}' width='{svg_width}' height='{height + bottom + 10}' "
             f"xmlns='http://www.w3.org/2000/svg'>"]
    for i, count in enumerate(counts):
        h = 0 if tallest == 0 else round(height * count / tallest)
        x = left + i * (bar + gap)
        parts.append(f"<rect x='{x}' y='{height - h + 5}' width='{bar}' height='{h}' fill='#4a7'>"
                     f"<title>{count} with about {_number(round(i * width, 1))} points</title></rect>")
        if count:
            parts.append(f"<text x='{x + bar / 2}' y='{height - h}' text-anchor='middle'>{count}</text>")
        parts.append(f"<text x='{x + bar / 2}' y='{height + bottom}' text-anchor='middle'>"
                     f"{_number(round(i * width, 1))}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _exercise_section(exercise: str, tasks, results) -> list[str]:
    graded = [r for r in results if r.exercise == exercise]
    out = [f"<h2>{_e(exercise)}</h2>",
           f"<p>{len(graded)} notebook{'s' * (len(graded) != 1)} from "
           f"{len({r.student for r in graded})} student{'s' * (len({r.student for r in graded}) != 1)}.</p>",
           "<table><tr><th>task</th><th>points</th><th>passed</th><th>not attempted</th><th>pass rate</th></tr>"]
    for task in tasks:
        outcomes = [t for r in graded for t in r.tasks if t.name == task.name]
        if task.kind == "written":
            answered = sum(bool(r.written.get(task.name, "").strip()) for r in graded)
            out.append(f"<tr><td>{_e(task.name)}</td><td class='n'>{task.points}</td>"
                       f"<td colspan='3' class='muted'>graded by hand: {answered} answer{'s' * (answered != 1)} "
                       f"below</td></tr>")
            continue
        passed = sum(t.points == t.max_points and t.status == "pass" for t in outcomes)
        blank = sum(t.status == "not attempted" for t in outcomes)
        rate = passed / len(outcomes) if outcomes else 0.0
        out.append(f"<tr><td>{_e(task.name)}</td><td class='n'>{task.points}</td><td class='n'>{passed}</td>"
                   f"<td class='n'>{blank}</td><td><span class='bar' style='width:{round(rate * 120)}px'></span> "
                   f"{rate:.0%}</td></tr>")
    out.append("</table>")
    mistakes = Counter()
    for result in graded:
        if not result.ran:
            continue  # a file that could not be graded says nothing about the task
        for task in result.tasks:
            if task.status in ("fail", "error") and task.reason and not task.reason.startswith("not graded"):
                mistakes[(task.name, task.reason, task.hint or "")] += 1
    out.append("<h3>Most frequent mistakes</h3>")
    if mistakes:
        out.append("<table><tr><th>task</th><th>what went wrong</th><th>the hint learners saw</th>"
                   "<th>how many</th></tr>")
        for task in tasks:
            mine = sorted(((key, n) for key, n in mistakes.items() if key[0] == task.name),
                          key=lambda kv: (-kv[1], kv[0]))[:TOP_MISTAKES]
            for (name, reason, hint), count in mine:
                out.append(f"<tr><td>{_e(name)}</td><td>{_e(reason)}</td><td>{_e(hint)}</td>"
                           f"<td class='n'>{count}</td></tr>")
        out.append("</table>")
    else:
        out.append("<p class='muted'>none</p>")
    maximum = sum(t.points for t in tasks if t.kind != "written")
    out.append("<h3>Distribution of totals</h3>")
    out.append(_histogram([r.total for r in graded if r.ran], maximum, f"totals of {exercise}"))
    return out


def report_html(results, registry: dict, rows: list[dict], exercises: list[str], *, summary: str = "",
                warnings=()) -> str:
    """The page, as text."""
    out = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
           "<meta name='viewport' content='width=device-width, initial-scale=1'>",
           "<title>Grading report</title><style>", _STYLE, "</style></head><body>",
           "<h1>Grading report</h1>"]
    if summary:
        out.append(f"<pre>{html.escape(summary)}</pre>")
    for warning in warnings:
        out.append(f"<p><strong>Note:</strong> {_e(warning)}</p>")
    if rows:
        maximum = rows[0]["max"]
        out.append("<h2>All exercises</h2>")
        out.append(f"<p>{len(rows)} student{'s' * (len(rows) != 1)}; totals out of {_number(maximum)} "
                   "(written answers count once graded by hand).</p>")
        out.append(_histogram([row["total"] for row in rows], maximum, "totals of all exercises"))
    for exercise in exercises:
        out += _exercise_section(exercise, registry[exercise], results)
    flagged = [r for r in results if r.flags]
    out.append(f"<h2>Flagged rows ({len(flagged)})</h2>")
    if flagged:
        out.append("<table><tr><th>student</th><th>exercise</th><th>total</th><th>flags</th></tr>")
        for r in flagged:
            items = "".join(f"<li>{_e(flag)}</li>" for flag in r.flags)
            out.append(f"<tr><td>{_e(r.student)}</td><td>{_e(r.exercise)}</td>"
                       f"<td class='n'>{_number(r.total)}/{_number(r.max)}</td><td><ul>{items}</ul></td></tr>")
        out.append("</table>")
    else:
        out.append("<p class='muted'>none</p>")
    missing = [row for row in rows if any(f.startswith("missing: ") for f in row["flags"])]
    if missing:
        out.append(f"<h2>Missing notebooks ({len(missing)} students)</h2><ul>")
        for row in missing:
            gone = ", ".join(f[len("missing: "):] for f in row["flags"] if f.startswith("missing: "))
            out.append(f"<li>{_e(row['student'])}: {_e(gone)}</li>")
        out.append("</ul>")
    written = [(exercise, task) for exercise in exercises for task in registry[exercise] if task.kind == "written"]
    if written:
        out.append("<h2>Written answers to grade by hand</h2>")
        for exercise, task in written:
            out.append(f"<h3>{_e(exercise)} · {_e(task.name)} ({task.points} points)</h3>")
            if task.description:
                out.append(f"<p class='muted'>{_e(task.description)}</p>")
            for r in results:
                if r.exercise == exercise:
                    text = r.written.get(task.name, "").strip()
                    shown_text = _e(text) if text else "<span class='muted'>(no answer cell found)</span>"
                    out.append(f"<p><strong>{_e(r.student)}</strong></p><pre>{shown_text}</pre>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_report(path: str, *args, **kwargs) -> str:
    atomic_write(path, report_html(*args, **kwargs))
    return path
