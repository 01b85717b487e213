"""The `courseware` command. Each subcommand's module declares its arguments and does the work;
this file only wires them up and maps known errors to messages and exit codes."""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand → module providing `add_arguments(parser)` and `run(args) -> int`
COMMANDS = {
    "validate": ("courseware.commands.validate", "check every data file and quotation"),
    "exercises": ("courseware.authoring", "generate the student notebooks from instructor/exercises"),
    "release": ("courseware.release", "write the student edition (no keys, tests or rubrics)"),
    "grade": ("courseware.grading.commands", "grade a folder or LMS zip of answer notebooks"),
    "regrade": ("courseware.grading.commands", "re-judge one student's stored answers"),
    "export": ("courseware.grading.commands", "export the gradebook for Canvas, Moodle or as CSV"),
    "feedback": ("courseware.grading.commands", "write per-student feedback as HTML"),
    "analyse": ("courseware.grading.commands", "item analysis of an exercise: HTML report and CSV"),
    "merge": ("courseware.grading.commands", "merge shard gradebooks into one class gradebook"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="courseware", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if not module.startswith(e.name or "-"):  # a missing dependency is a real error
                raise
            continue
        add = getattr(mod, f"add_{name}_arguments", None) or getattr(mod, "add_arguments", None)
        if add is not None:
            add(p)
        p.set_defaults(_module=mod)
    args = parser.parse_args(argv)
    mod = getattr(args, "_module", None)
    if mod is None:
        print(f"courseware {args.command}: not available in this installation.", file=sys.stderr)
        return 2
    run = getattr(mod, f"run_{args.command}", None) or mod.run
    return int(run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
