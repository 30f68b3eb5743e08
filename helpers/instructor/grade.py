"""``python -m helpers.instructor.grade``: grading a class.

The command lives in :mod:`helpers.instructor.grading.grade`; this module only keeps its name short.
"""
import sys

from .grading.grade import main

if __name__ == "__main__":
    sys.exit(main())
