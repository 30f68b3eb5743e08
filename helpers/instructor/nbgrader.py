"""``python -m helpers.instructor.nbgrader``: the nbgrader bridge (export to an nbgrader course directory).

The command lives in :mod:`helpers.instructor.authoring.nbgrader`; this module only keeps its name short.
"""
import sys

from .authoring.nbgrader import main

if __name__ == "__main__":
    sys.exit(main())
