"""Plausible student answers to every exercise, to prove the self-checks' verdicts right.

One module per notebook, ``nbNN.py``, defines ``VARIANTS``::

    VARIANTS = {
        "04.1-sigmoid": {
            "correct": [SOURCE, ...],              # right, but written differently from the solution
            "wrong": [(SOURCE, "the mistake"), ...],  # plausible mistakes, each must be caught
        },
    }

Each SOURCE is Python code, written the way students write it, that defines the
exercise's target (function or class). It runs in a namespace holding the solution
notebook's own definitions (so a method variant can subclass the solution's class, and
``np`` is there); ``tests/test_variants.py`` runs every variant through ``check()`` (public
inputs) and through the grader's path (hidden inputs, values serialised and read back).
"""
