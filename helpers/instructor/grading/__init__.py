"""Grading: discover the submissions, execute each in its sandbox, score it in the grader's own process."""
