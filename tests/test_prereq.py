"""``needs``: one line while an exercise is unsolved; every error shown once it is solved."""
import pytest

from helpers import exercises
from helpers.prereq import needs

EX = exercises.for_notebook("04")[0]


def _run_cell(namespace: dict, body: str) -> None:
    code = f"from helpers.prereq import needs\nwith needs({EX.number!r}):\n    {body}\n"
    exec(compile(code, "<cell>", "exec"), namespace)


def test_unsolved_then_solved_shows_the_real_error(capsys):
    namespace: dict = {"__name__": "__main__"}

    def stub(*args, **kwargs):
        raise NotImplementedError()

    namespace[EX.target] = stub
    _run_cell(namespace, f"{EX.target}()")
    assert f"finish Exercise {EX.number} first" in capsys.readouterr().out

    namespace[EX.target] = lambda *args, **kwargs: 1  # the student solved it and re-ran its cell
    with pytest.raises(NameError, match="undefined_name"):
        _run_cell(namespace, f"{EX.target}() + undefined_name")
    assert "finish" not in capsys.readouterr().out


def test_solved_exercise_never_hides_a_bug():
    namespace = {"__name__": "__main__", EX.target: lambda *args, **kwargs: 1}
    with pytest.raises(ZeroDivisionError):
        _run_cell(namespace, "1 / 0")
