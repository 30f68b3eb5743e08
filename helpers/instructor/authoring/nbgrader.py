"""The nbgrader bridge: export the course into an nbgrader course directory.

    python -m helpers.instructor.nbgrader COURSE_DIR [NN_topic.ipynb ...] [--assignment NAME] [--seed N]

It copies the solutions (whose nbgrader metadata the build writes, see
:mod:`.nbgrader_cells`) into ``COURSE_DIR/source/<assignment>/`` and records, by running
each solution on inputs drawn from a fresh seed, the hidden check data in
``COURSE_DIR/hidden_checkdata/`` — beside ``source/``, so ``nbgrader generate_assignment``
never releases it.
"""
from __future__ import annotations

import json
import secrets
import shutil
import sys
from pathlib import Path

from ... import cli, exercises, questions, serialize
from ...checks import CHECKDATA_DIR
from ..hidden import HIDDEN_DIRNAME
from ..layout import ROOT, CourseError, solutions_in
from .build import BuildError, _dumps, solution_hash, solution_results
from .nbgrader_cells import _GRADE_ID, NbgraderError, nbgrader_notebook

# ---------------------------------------------------------------- the course export
def export(course: Path, pairs: list[tuple[str, Path]], *, assignment: str | None, seed: int,
           checkdata_dir: Path, spec_file: str | None = None, log=print) -> list[Path]:
    """Copy solutions into ``course/source/<assignment>/`` and record their hidden check data.

    Each solution must be up to date (built). Returns the paths of the hidden data written.
    """
    if seed == exercises.PUBLIC_SEED:
        raise NbgraderError("the hidden seed must differ from the public seed of the self-checks")
    if assignment is not None and not _GRADE_ID.match(assignment):
        raise NbgraderError(f"assignment name {assignment!r}: use letters, digits, '_' and '-' only")
    hidden_dir = Path(course) / HIDDEN_DIRNAME
    written = []
    for key, path in pairs:
        text = path.read_text()
        raw = json.loads(text)
        if _dumps(nbgrader_notebook(raw, questions.graded_items(key), path.name)) != text:
            raise NbgraderError(f"{path} has no up-to-date nbgrader metadata; run `python -m helpers.instructor.build`")
        log(f"running {path.name} on hidden inputs (seed {seed}) ...")
        results = solution_results(path, key, seed, checkdata_dir, spec_file)
        hidden_dir.mkdir(parents=True, exist_ok=True)
        target = hidden_dir / f"{key}.npz"
        serialize.save(target, {"seed": seed, "hash": solution_hash(raw, key), "results": results})
        source = Path(course) / "source" / (assignment or path.stem)
        source.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, source / path.name)
        log(f"wrote {source / path.name} and {target}")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("python -m helpers.instructor.nbgrader", __doc__,
                                problems="(not used: the export either completes or is refused)")
    parser.add_argument("course", type=Path, help="the nbgrader course directory (created if missing)")
    parser.add_argument("notebooks", nargs="*", help="solution notebooks to export (default: all)")
    parser.add_argument("--assignment", help="put them all in this assignment (default: one per notebook, "
                                             "named like the notebook)")
    parser.add_argument("--seed", type=int, help="seed of the hidden inputs (default: a new one)")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions",
                        help="folder of the solution notebooks (default: solutions/)")
    parser.add_argument("--checkdata", type=Path, default=CHECKDATA_DIR,
                        help="folder of the public self-check data (default: helpers/checkdata/)")
    parser.add_argument("--specs", default=None, help="extra exercise spec file (notebooks outside the course)")
    args = parser.parse_args(argv)
    try:
        if args.specs:
            exercises.load_spec_file(args.specs)
        pairs = solutions_in(args.solutions)
        wanted = [Path(n).name for n in args.notebooks]
        unknown = sorted(set(wanted) - {p.name for _, p in pairs})
        if unknown or not pairs:
            raise NbgraderError(f"no such solution notebook(s) in {args.solutions}: {', '.join(unknown) or '(none)'}")
        pairs = [(k, p) for k, p in pairs if not wanted or p.name in wanted]
        seed = secrets.randbelow(2**31) if args.seed is None else args.seed
        export(args.course, pairs, assignment=args.assignment, seed=seed, checkdata_dir=args.checkdata,
               spec_file=args.specs)
    except (NbgraderError, CourseError) as e:
        print(f"error: {e}", file=sys.stderr)
        return cli.USAGE
    print(f"next, in {args.course}: nbgrader generate_assignment NAME; release; collect (or copy submissions "
          f"to submitted/<student>/NAME/); nbgrader autograde NAME; nbgrader generate_feedback NAME")
    return 0


if __name__ == "__main__":
    sys.exit(main())
