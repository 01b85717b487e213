"""``python -m courseware.jb ARGS``: Jupyter Book's own command line, started through this package
so that the import guard in `courseware/__init__.py` (no URI-grammar compilation when jsonschema is
imported) applies to the build as well. Every place that builds the book calls this."""

from __future__ import annotations

import sys

from jupyter_book.cli.main import main

if __name__ == "__main__":
    sys.argv[0] = "jupyter-book"
    sys.exit(main())
