"""``python -m helpers.instructor.build``: the build (solutions → student notebooks, nbgrader metadata, self-check data).

The command lives in :mod:`helpers.instructor.authoring.build`; this module only keeps its name short.
"""
import sys

from .authoring.build import main

if __name__ == "__main__":
    sys.exit(main())
