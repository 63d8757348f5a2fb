"""``python -m course_grader SUBMISSIONS --out OUT``: see :mod:`course_grader.cli`."""

import sys

from .cli import main

sys.exit(main())
