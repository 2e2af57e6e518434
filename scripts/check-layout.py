#!/usr/bin/env python3
"""Checks the source tree's shape (README, "Code map"):

1. Folders form a DAG: a file may include project headers only from its own
   layer or the layers below it:
       common/ <- protocol/ <- config/ <- actors/ <- io/ <- app/ <- main.cpp
   (tests/ and bench/ may include anything). io/ is above actors/ only for
   the composition root's sake: it never includes actors/ itself (logic is
   reached through protocol/actors.hpp handles and injected factories).
2. No source file is over MAX_LINES lines, except those listed in
   OVERSIZED below (each with the issue that splits it); a listed file that
   has shrunk below the limit must leave the list, so the list only shrinks.

Prints every violation and exits 1 if there is any. Usage:
    scripts/check-layout.py [ROOT]
"""
import os
import re
import sys

LAYERS = ["common", "protocol", "config", "actors", "io", "app"]
SOURCE_DIRS = LAYERS
MAX_LINES = 400
# Files still over the limit, to be split (architecture issue, next steps).
OVERSIZED: set = set()
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path):
    """The layer index of a repository-relative path, or None."""
    if path == "main.cpp":
        return len(LAYERS)
    top = path.split("/", 1)[0]
    return LAYERS.index(top) if top in LAYERS else None


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    problems = []
    files = ["main.cpp"]
    for d in SOURCE_DIRS:
        for base, _, names in os.walk(os.path.join(root, d)):
            for n in names:
                if n.endswith((".cpp", ".hpp")):
                    files.append(os.path.relpath(os.path.join(base, n), root))
    for rel in sorted(files):
        own = layer_of(rel)
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            lines = f.readlines()
        for no, line in enumerate(lines, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            if not os.path.exists(os.path.join(root, target)):
                problems.append(f"{rel}:{no}: includes \"{target}\", which is "
                                "not a file of the repository (use the "
                                "path from the repository's root)")
                continue
            theirs = layer_of(target)
            if rel.startswith("io/") and target.startswith("actors/"):
                problems.append(f"{rel}:{no}: io/ never includes actors/ "
                                f"({target}): take a handle or a factory")
            if theirs is not None and own is not None and theirs > own:
                problems.append(
                    f"{rel}:{no}: {LAYERS[own] if own < len(LAYERS) else 'main.cpp'}/ "
                    f"must not include {target} ({target.split('/')[0]}/ is "
                    "a layer above it)")
        n = len(lines)
        if n > MAX_LINES and rel not in OVERSIZED:
            problems.append(f"{rel}: {n} lines (at most {MAX_LINES}): split it")
        if n <= MAX_LINES and rel in OVERSIZED:
            problems.append(f"{rel}: {n} lines now: remove it from OVERSIZED "
                            "in scripts/check-layout.py")
    for rel in sorted(OVERSIZED):
        if rel not in files:
            problems.append(f"{rel}: listed in OVERSIZED but gone: remove it")
    for p in problems:
        print("layout: " + p)
    print(f"layout: {len(files)} files checked, {len(problems)} problem(s); "
          f"{len(OVERSIZED)} file(s) still over {MAX_LINES} lines")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
