"""``python -m helpers.instructor.site``: the course as a static website.

The command lives in :mod:`helpers.instructor.authoring.site`; this module only keeps its name short.
"""
import sys

from .authoring.site import main

if __name__ == "__main__":
    sys.exit(main())
