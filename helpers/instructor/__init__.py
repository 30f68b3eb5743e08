"""Instructor tools: build the student notebooks, execute notebooks, grade a class.

Nothing here is imported by the notebooks; students never need it.
"""
