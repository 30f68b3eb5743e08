"""``python -m helpers.instructor.handout``: the student hand-out.

The command lives in :mod:`helpers.instructor.authoring.handout`; this module only keeps its name short.
"""
import sys

from .authoring.handout import main

if __name__ == "__main__":
    sys.exit(main())
