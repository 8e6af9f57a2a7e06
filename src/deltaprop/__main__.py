"""``python -m deltaprop`` is the same as the ``deltaprop`` command."""

import sys

from .cli import main

sys.exit(main())
