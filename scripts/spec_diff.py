#!/usr/bin/env python3
"""What changed in the API between two versions of the spec, for the changelog.

    python3 scripts/spec_diff.py OLD [NEW]            # NEW defaults to the working tree's spec/
    python3 scripts/spec_diff.py v0.1.0 HEAD
    python3 scripts/spec_diff.py old/spec new/spec     # folders, a root iyzico.yaml, or one bundled file
    python3 scripts/spec_diff.py --breaking-only HEAD~3

OLD and NEW are git refs of this repository or paths. Operations and fields added and removed, required
flags, enum values, signed fields (x-iyzico-signature), retry classes and echoes; changes that break code
written against OLD are marked BREAKING. `scripts/check.py` fails when the spec changed in a breaking way
since the last release tag (v*) and CHANGELOG.md's unreleased section does not name each operation.
"""

from __future__ import annotations

import _bootstrap

_bootstrap.ensure_venv()

import argparse
import sys

import _spec_diff
from _spec import SPEC_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", help="git ref, spec folder or spec file")
    parser.add_argument("new", nargs="?", default=str(SPEC_DIR), help="git ref, spec folder or spec file")
    parser.add_argument("--breaking-only", action="store_true", help="list only the breaking changes")
    args = parser.parse_args(argv)
    try:
        old, new = _spec_diff.load(args.old), _spec_diff.load(args.new)
    except ValueError as error:
        print(f"spec_diff: {error}", file=sys.stderr)
        return 2
    changes = _spec_diff.diff(old, new)
    if args.breaking_only:
        changes = [change for change in changes if change.breaking]
    new_label = "the working tree" if args.new == str(SPEC_DIR) else args.new
    sys.stdout.write(_spec_diff.report(changes, args.old, new_label))
    return 0


if __name__ == "__main__":
    sys.exit(main())
