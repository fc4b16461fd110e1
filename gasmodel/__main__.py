"""``python -m gasmodel`` runs the command line."""

import sys

from gasmodel.cli import main

sys.exit(main())
