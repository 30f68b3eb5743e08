"""Helpers for the course notebooks: data loading, plotting, self-checks and instructor tools.

Modules: :mod:`helpers.idx` (IDX format), :mod:`helpers.fetch` (getting MNIST),
:mod:`helpers.data` (loaders), :mod:`helpers.plots` (figures), :mod:`helpers.checks`
(students' self-checks), :mod:`helpers.instructor.build` and :mod:`helpers.instructor.grade` (instructor tools).
"""
__version__ = "0.1.0"
