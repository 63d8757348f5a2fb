"""``python -m course_tools``: see :mod:`course_tools.cli`."""

import sys

from .cli import main

sys.exit(main())
