"""Instructor tools. The folders read as the pipeline an instructor runs:

- :mod:`.layout` — where the course's parts live (roots, solution discovery) and :class:`CourseError`;
- :mod:`.authoring` — solutions → student notebooks, self-check data, nbgrader metadata, the hand-out,
  the leak rule;
- :mod:`.grading` — discover submissions → execute each in its sandbox (through a backend) → score in
  the grader's own process;
- :mod:`.export` — what is written from the scores: grades.csv, feedback;
- :mod:`.hidden` — the scorer nbgrader's autograde runs (hidden-test blocks import it).

Commands: ``python -m helpers.instructor.build | handout | grade | nbgrader`` (each ``--help``).
Nothing here is imported by the notebooks or by any student-facing module of ``helpers``.
"""
