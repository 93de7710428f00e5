#!/usr/bin/env python3
"""Rewrite the output of every ```console block of README.md and docs/language.md from real runs.

`tests/readme.rs` fails when a block shows something other than what its commands
print; this script is the fix when the change is intended. It runs each `$ command`
with the same rules as the test: `sh -c` in the repository root, the release `guardc`
first on PATH (build it first: `cargo build --release`), `/tmp/` replaced by a scratch
directory, `$ echo $?` answered with the previous exit code, stdout then stderr.

    cargo build --release && python3 scripts/refresh_readme.py [FILE ...]

Without arguments it refreshes README.md and docs/language.md.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", ROOT / "docs" / "language.md"]


def run(command: str, tmp: str, previous: int) -> tuple[str, int]:
    if command == "echo $?":
        return f"{previous}\n", 0
    env = dict(os.environ)
    env["PATH"] = f"{ROOT / 'target' / 'release'}:{env.get('PATH', '')}"
    env["NO_COLOR"] = "1"
    env.pop("CLICOLOR_FORCE", None)
    prefix = tmp.rstrip("/") + "/"
    done = subprocess.run(
        ["sh", "-c", command.replace("/tmp/", prefix)],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    text = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    return text.replace(prefix, "/tmp/"), done.returncode


def refresh(markdown: str) -> str:
    out: list[str] = []
    in_block = False
    previous = 0
    tmp = None
    for line in markdown.splitlines(keepends=True):
        stripped = line.rstrip()
        if not in_block:
            out.append(line)
            if stripped == "```console":
                in_block, previous = True, 0
                tmp = tempfile.TemporaryDirectory()
            continue
        if stripped == "```":
            in_block = False
            out.append(line)
            tmp.cleanup()
            continue
        if line.startswith("$ "):
            command = line[2:].rstrip("\n")
            out.append(line)
            text, previous = run(command, tmp.name, previous)
            out.append(text)
        # Old output lines are dropped: the run above replaced them.
    return "".join(out)


def main() -> int:
    if not (ROOT / "target" / "release" / "guardc").exists():
        print("build the release binary first: cargo build --release", file=sys.stderr)
        return 2
    paths = [Path(p).resolve() for p in sys.argv[1:]] or DOCUMENTS
    for path in paths:
        path.write_text(refresh(path.read_text()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
