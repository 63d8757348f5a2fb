"""``python -m course_lib.nbtools``: see :mod:`course_lib.nbtools.cli`."""

import sys

from .cli import main

sys.exit(main())
