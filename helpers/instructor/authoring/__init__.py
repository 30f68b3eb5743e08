"""Authoring: from the solutions to what students get (notebooks, self-check data, hand-out, nbgrader metadata)."""
