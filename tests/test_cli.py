"""One command-line convention: exit codes in every --help, help on every option, one meaning per option name."""
import argparse
import importlib

import pytest

from helpers import cli

COMMANDS = ["helpers.instructor.authoring.build", "helpers.instructor.authoring.handout",
            "helpers.instructor.grading.grade", "helpers.instructor.authoring.nbgrader", "helpers.selfcheck",
            "helpers.fetch"]


class _Parsed(Exception):
    pass


def _parser(name: str, monkeypatch) -> argparse.ArgumentParser:
    """The parser a command's main() builds (caught at parse_args, before the command does anything)."""
    def catch(self, *args, **kwargs):
        raise _Parsed(self)

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", catch)
    with pytest.raises(_Parsed) as caught:
        importlib.import_module(name).main(["x"])
    return caught.value.args[0]


@pytest.mark.parametrize("name", COMMANDS)
def test_help_documents_exit_codes_and_every_option_once(name, monkeypatch):
    parser = _parser(name, monkeypatch)
    text = parser.format_help()
    assert cli.exit_codes("")[: len("exit status:\n  0  done")] in text and "  2  misuse or refused" in text
    assert text.count(parser.description) == 1, "the description is printed once"
    undocumented = [a.option_strings or a.dest for a in parser._actions if not a.help]
    assert not undocumented, f"{name}: options without help text: {undocumented}"


def test_an_option_name_means_one_thing(monkeypatch):
    meanings: dict = {}
    for name in COMMANDS:
        for action in _parser(name, monkeypatch)._actions:
            for option in action.option_strings:
                if "deprecated" not in (action.help or "") and option.endswith("timeout"):
                    meanings.setdefault(option, set()).add(action.dest)
    assert set(meanings) == {"--cell-timeout", "--submission-timeout", "--read-timeout"}
    assert all(len(dests) == 1 for dests in meanings.values()), meanings


def test_old_spelling_still_works_with_a_note(capsys):
    from helpers import selfcheck

    parser = cli.command_parser("demo", "Demo.", problems="none")
    parser.add_argument("--cell-timeout", type=int, default=5, help="seconds per cell")
    cli.add_renamed(parser, "--timeout", "--cell-timeout", type=int)
    assert parser.parse_args([]).cell_timeout == 5
    assert parser.parse_args(["--timeout", "9"]).cell_timeout == 9
    assert "--timeout is deprecated in demo; it is now called --cell-timeout" in capsys.readouterr().err
    assert selfcheck.main(["--timeout", "3", "missing.ipynb"]) == cli.USAGE


def test_one_misuse_error_class():
    from helpers import selfcheck
    from helpers.instructor.grading import discover, grade
    from helpers.instructor.layout import CourseError

    assert selfcheck.UsageError is cli.UsageError and issubclass(CourseError, cli.UsageError)
    assert grade.UsageError is discover.UsageError and issubclass(grade.UsageError, CourseError)


def test_refusals_exit_2_in_every_command(tmp_path, capsys):
    from helpers import selfcheck
    from helpers.instructor.authoring import build, handout, nbgrader
    from helpers.instructor.grading import grade

    nowhere = str(tmp_path / "nowhere")
    (tmp_path / "occupied").mkdir()
    (tmp_path / "occupied" / "mine.txt").write_text("keep")
    assert build.main(["--solutions", nowhere]) == cli.USAGE
    assert handout.main(["--out", str(tmp_path / "occupied")]) == cli.USAGE  # refused folder (was 1)
    assert grade.main([str(tmp_path), "--solutions", nowhere]) == cli.USAGE
    assert nbgrader.main([str(tmp_path / "course"), "--solutions", nowhere]) == cli.USAGE
    assert selfcheck.main([nowhere + ".ipynb"]) == cli.USAGE
    assert (tmp_path / "occupied" / "mine.txt").read_text() == "keep"
