"""``python -m sphinx_incident``: the ``sphinx-incident`` command line."""

import sys

from .commands.cli import main

sys.exit(main())
