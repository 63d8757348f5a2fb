"""The registry every wrong-answer corpus uses: ``CORPUS, wrong, right = new_corpus()``.

``@wrong(task, expect)`` marks an answer a learner might write: ``check`` must reject it and its
summary or hint must contain ``expect``.  ``@right(task)`` marks an answer that is correct in an
unusual way and must pass.  For value tasks the decorated function returns the answer.
"""


def new_corpus():
    """Return ``(entries, wrong, right)``; ``entries`` collects ``(task, expect or None, fn)``."""
    entries = []

    def wrong(task, expect):
        def register(fn):
            entries.append((task, expect, fn))
            return fn

        return register

    def right(task):
        return wrong(task, None)

    return entries, wrong, right
