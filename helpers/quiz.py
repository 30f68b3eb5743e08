"""The learner's side of a concept question: ``ask(id, answer)`` says at once whether it is right, then why.

>>> from helpers.quiz import ask
>>> ask("03.q1-residual-pattern", residuals_answer)      # doctest: +SKIP
03.q1-residual-pattern ✔ right — A straight line cannot follow a curve: ...

The self-check data holds only a digest of the right answer and explanations sealed under
the answers they explain (:mod:`helpers.questions`): nothing in it tells which answer is right
until that answer is given.
"""
from __future__ import annotations

from . import questions
from .checks import CheckDataMissing, load_expected
from .verdict import show


def verdict(question_id: str, answer) -> str:
    """The one-line verdict (plus explanation) on ``answer`` to the question ``question_id``."""
    q = questions.get(question_id)
    try:
        entry = questions.unpack(load_expected(q.notebook).get("questions")).get(q.id)
    except (TypeError, ValueError, AttributeError) as err:  # data written by another version
        raise CheckDataMissing(f"the self-check data of {q.notebook} is out of date ({type(err).__name__}); an "
                               f"instructor must run `python -m helpers.instructor.build`") from err
    if entry is None:
        raise CheckDataMissing(f"no recorded answer for {q.id}; an instructor must run "
                               f"`python -m helpers.instructor.build`")
    problem = questions.answer_problem(q, answer)
    if problem:
        return f"{q.id} ✘ {problem}"
    try:
        return _judged(q, answer, entry)
    except (TypeError, ValueError, KeyError, AttributeError) as err:  # data written by another version
        raise CheckDataMissing(f"the self-check data of {q.id} is out of date ({type(err).__name__}); an "
                               f"instructor must run `python -m helpers.instructor.build`") from err


def _judged(q: questions.Question, answer, entry: dict) -> str:
    forms = questions.answer_forms(q, answer)
    right = next((f for f in forms if questions.digest(q.id, f) == entry["right"]), None)
    if right is not None:
        text = questions.unseal(q.id, right, entry["sealed"][entry["right"]])
        return f"{q.id} ✔ right — {text}"
    own = entry["sealed"].get(questions.digest(q.id, forms[0]))
    why = questions.unseal(q.id, forms[0], own) if own is not None else (q.hint or "re-read the section before the question")
    return f"{q.id} ✘ not this one — {why} Think again and change `{q.variable}`."


def ask(question_id: str, answer) -> None:
    """Check your answer to a concept question and print whether it is right, with its explanation.

    Parameters
    ----------
    question_id : str
        The id shown in the question's title, e.g. ``"03.q1-residual-pattern"``.
    answer : str or number
        Your answer: a choice's letter, or a number rounded as the question asks.
    """
    show(verdict(question_id, answer))
