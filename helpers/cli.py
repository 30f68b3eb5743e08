"""The one command-line convention of the course's commands (build, handout, grade, nbgrader, selfcheck, fetch).

- Exit status: ``0`` done, all well; ``1`` the command ran and found problems (stale files, exercises
  not finished, a leak, nothing could be fetched); ``2`` misuse or refused (bad arguments, a missing
  file or folder, input the command will not work on). Every ``--help`` ends with this list.
- One error class for misuse: :class:`UsageError` (``helpers.instructor.layout.CourseError`` is one).
- An option name means one thing in every command: ``--cell-timeout`` seconds per notebook cell,
  ``--submission-timeout`` seconds per submission, ``--read-timeout`` seconds per network read. A
  renamed option keeps working under its old spelling, with a note (:func:`add_renamed`).

Student-facing (the self-check and the fetch use it), so it imports nothing from ``helpers.instructor``.

>>> parser = command_parser("demo", "Do a thing.\\n\\nMore about it.", problems="the thing is not done")
>>> parser.epilog.splitlines()[-1]
'  2  misuse or refused: bad arguments, a missing file or folder, input it will not work on'
"""
from __future__ import annotations

import argparse
import sys

OK, PROBLEMS, USAGE = 0, 1, 2


class UsageError(ValueError):
    """Misuse of a command, or input it refuses: exit status :data:`USAGE`, the message names the fix."""


def exit_codes(problems: str) -> str:
    """The exit-status paragraph every ``--help`` ends with; ``problems`` says what status 1 means there."""
    return (f"exit status:\n  0  done, all well\n  1  {problems}\n"
            f"  2  misuse or refused: bad arguments, a missing file or folder, input it will not work on")


def command_parser(prog: str, doc: str, problems: str) -> argparse.ArgumentParser:
    """An argument parser whose description is ``doc``'s first paragraph and whose epilog is the rest + exit codes.

    Each paragraph is printed once (the description is not repeated in the epilog).
    """
    first, _, rest = doc.strip().partition("\n\n")
    epilog = (rest.strip() + "\n\n" if rest.strip() else "") + exit_codes(problems)
    return argparse.ArgumentParser(prog=prog, description=first, epilog=epilog,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)


class _Renamed(argparse.Action):
    def __init__(self, option_strings, dest, new: str = "", **kwargs):
        super().__init__(option_strings, dest, **kwargs)
        self.new = new

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"note: {option_string} is deprecated in {parser.prog}; it is now called {self.new} "
              f"(same meaning)", file=sys.stderr)
        setattr(namespace, self.dest, values)


def add_renamed(parser: argparse.ArgumentParser, old: str, new: str, **kwargs) -> None:
    """Keep the old spelling ``old`` of option ``new`` working (same destination), with a deprecation note."""
    dest = new.lstrip("-").replace("-", "_")
    parser.add_argument(old, dest=dest, action=_Renamed, new=new, default=argparse.SUPPRESS,
                        help=f"old spelling of {new} (deprecated)", **kwargs)
