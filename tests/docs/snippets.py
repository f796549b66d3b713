#!/usr/bin/env python3
"""Checks the code blocks of the project's Markdown files.

Every ```cpp and ```qml block of README.md and docs/**/*.md says, on the line right before its fence,
how ctest checks it:

    <!-- snippet: program -->      a complete C++ program: built against QtTaskManager, run, must exit 0
    <!-- snippet: compile -->      a complete C++ translation unit: compiled, not run
    <!-- snippet: qml -->          a QML document: loaded by tests/docs/qmlhost, no warning allowed
    <!-- snippet: skip REASON -->  a block that truly cannot run; the test prints REASON and is skipped

Commands:
    extract  --root DIR --out DIR --cmake FILE FILE.md...   (configure time) writes each marked block to
             a file of its own and FILE, a CMake script registering one test per block
    marked   --root DIR FILE.md...                          (test time) fails on every block without a
             valid marker, naming its file and line
    run      --kind KIND --where FILE:LINE ...              (test time) checks one block
    fails    --expect REGEX [--exit-code N] -- COMMAND...  passes only if COMMAND fails (with code N) and
             prints REGEX: how the checker's own tests prove that it can fail
"""

import argparse
import os
import re
import subprocess
import sys

FENCE = re.compile(r"^```(\S*)\s*$")
MARKER = re.compile(r"^<!--\s*snippet:\s*(\S+)(?:\s+(.*?))?\s*-->\s*$")
KINDS = ("program", "compile", "qml", "skip")
CHECKED_LANGUAGES = ("cpp", "qml")
SKIP_RETURN_CODE = 77

# An #include that decides what a C++ block links: QtTaskManager's components and Qt's modules.
QTM_INCLUDE = re.compile(r"^\s*#\s*include\s*<qtm/(quick/|widgets/|qcoro\.h)", re.M)
QT_INCLUDE = re.compile(r"^\s*#\s*include\s*<Qt(Core|Gui|Widgets|Qml|Quick|Concurrent|Network|Test)/", re.M)
QCORO_INCLUDE = re.compile(r"^\s*#\s*include\s*<QCoro", re.M)


class Block:
    def __init__(self, path, line, language, marker, code):
        self.path = path  # relative to the root, with forward slashes
        self.line = line  # of the opening fence, 1-based
        self.language = language
        self.marker = marker  # the marker's (kind, argument), or None
        self.code = code

    @property
    def where(self):
        return f"{self.path}:{self.line}"

    @property
    def slug(self):
        path = self.path[len("docs/"):] if self.path.startswith("docs/") else self.path
        stem = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")
        return f"{stem}_L{self.line}"

    def problem(self):
        """Why the block cannot be checked, or None."""
        if self.marker is None:
            return (f"{self.where}: a ```{self.language} block without a marker: put "
                    "<!-- snippet: program|compile|qml|skip REASON --> on the line before its fence")
        kind, argument = self.marker
        if kind not in KINDS:
            return f"{self.where}: unknown snippet kind '{kind}' (expected one of {', '.join(KINDS)})"
        if kind == "skip" and not argument:
            return f"{self.where}: 'snippet: skip' needs a reason"
        if kind != "skip" and argument:
            return f"{self.where}: 'snippet: {kind}' takes no argument (got '{argument}')"
        if (kind == "qml") != (self.language == "qml") and kind != "skip":
            return f"{self.where}: a ```{self.language} block cannot be checked as '{kind}'"
        return None


def read_blocks(root, path):
    """Every ```cpp and ```qml block of the Markdown file \a path, with the marker before it."""
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        language = match.group(1)
        start = i
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            i += 1
        if i == len(lines):
            raise SystemExit(f"{relative}:{start + 1}: the code block is never closed")
        if language in CHECKED_LANGUAGES:
            marker = MARKER.match(lines[start - 1]) if start > 0 else None
            blocks.append(Block(relative, start + 1, language,
                                (marker.group(1), marker.group(2) or "") if marker else None,
                                "\n".join(lines[start + 1:i]) + "\n"))
        i += 1
    return blocks


def components(code):
    """What a C++ block needs linked, as CMake target names."""
    needed = ["QtTaskManager::Core", "Qt6::Core"]
    for match in QTM_INCLUDE.finditer(code):
        needed.append({"quick/": "QtTaskManager::Quick", "widgets/": "QtTaskManager::Widgets"}.get(
            match.group(1), "QtTaskManager::QCoro"))
    if QCORO_INCLUDE.search(code):
        needed.append("QtTaskManager::QCoro")
    needed += [f"Qt6::{module}" for module in QT_INCLUDE.findall(code)]
    return list(dict.fromkeys(needed))


def cmake_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def extract(args):
    os.makedirs(args.out, exist_ok=True)
    calls = []
    for path in args.files:
        for block in read_blocks(args.root, path):
            if block.problem():
                continue  # reported by the `marked` test, not registered
            kind, reason = block.marker
            suffix = ".qml" if block.language == "qml" else ".cpp"
            source = os.path.join(args.out, block.slug + suffix)
            code = block.code
            if block.language == "cpp":
                # Compiler messages then name the Markdown file and line.
                code = f'#line {block.line + 1} "{os.path.join(args.root, block.path)}"\n' + code
            old = None
            if os.path.exists(source):
                with open(source, encoding="utf-8") as f:
                    old = f.read()
            if old != code:  # unchanged files keep their time stamps: nothing is rebuilt
                with open(source, "w", encoding="utf-8") as f:
                    f.write(code)
            linked = components(block.code) if block.language == "cpp" else []
            calls.append("{}({} {} {} {} {} {})".format(args.function,
                block.slug, kind, cmake_quote(block.where), cmake_quote(source),
                cmake_quote(";".join(linked)), cmake_quote(reason)))
    content = "# Generated by tests/docs/snippets.py from the Markdown files: one call per marked block.\n"
    content += "\n".join(calls) + "\n"
    old = None
    if os.path.exists(args.cmake):
        with open(args.cmake, encoding="utf-8") as f:
            old = f.read()
    if old != content:
        with open(args.cmake, "w", encoding="utf-8") as f:
            f.write(content)
    return 0


def marked(args):
    problems = []
    count = 0
    for path in args.files:
        for block in read_blocks(args.root, path):
            count += 1
            if block.problem():
                problems.append(block.problem())
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} of {count} code blocks cannot be checked")
        return 1
    print(f"all {count} ```cpp and ```qml blocks of {len(args.files)} files are marked")
    return 0


def run_command(command, timeout, rewrite=lambda text: text):
    """Runs \a command, echoing its output through \a rewrite; returns its exit code, or None on time-out."""
    print("$", " ".join(command), flush=True)
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        sys.stdout.write(rewrite((expired.stdout or b"").decode(errors="replace")))
        return None
    sys.stdout.write(rewrite(result.stdout.decode(errors="replace")))
    sys.stdout.flush()
    return result.returncode


def markdown_lines(extracted, where):
    """Rewrites "<extracted file>:N" in a message as the Markdown file and line it came from."""
    path, _, line = where.rpartition(":")
    pattern = re.compile(r"(?:file://)?" + re.escape(os.path.abspath(extracted)) + r":(\d+)")
    return lambda text: pattern.sub(lambda m: f"{path}:{int(line) + int(m.group(1))}", text)


def run(args):
    if args.kind == "skip":
        print(f"{args.where}: not checked: {args.reason}")
        return SKIP_RETURN_CODE
    if args.missing:
        print(f"{args.where}: not checked: this build has no {args.missing}")
        return SKIP_RETURN_CODE
    if args.kind in ("program", "compile"):
        code = run_command([args.cmake, "--build", args.build_dir, "--target", args.target], args.timeout)
        if code != 0:
            print(f"FAIL {args.where}: the block does not {'build' if code is not None else 'build in time'}")
            return 1
        if args.kind == "compile":
            print(f"{args.where}: compiles")
            return 0
    if args.kind == "program":
        code = run_command([args.executable], args.run_timeout)
    else:
        code = run_command([args.executable, args.qml], args.run_timeout, markdown_lines(args.qml, args.where))
    if code is None:
        print(f"FAIL {args.where}: still running after {args.run_timeout} s")
        return 1
    if code != 0:
        print(f"FAIL {args.where}: exited with code {code}")
        return 1
    print(f"{args.where}: {'runs' if args.kind == 'program' else 'loads'} cleanly")
    return 0


def fails(args):
    command = args.inner[1:] if args.inner[:1] == ["--"] else args.inner
    print("$", " ".join(command), flush=True)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=args.timeout)
    output = result.stdout.decode(errors="replace")
    sys.stdout.write(output)
    if result.returncode == 0:
        print("FAIL: the command succeeded; it should have failed")
        return 1
    if args.exit_code is not None and result.returncode != args.exit_code:
        print(f"FAIL: the command exited with code {result.returncode}, not {args.exit_code}")
        return 1
    if not re.search(args.expect, output, re.S):
        print(f"FAIL: the command failed, but its output does not match '{args.expect}'")
        return 1
    print("the command failed, as expected, saying why")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("extract")
    p.add_argument("--root", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--cmake", required=True)
    p.add_argument("--function", default="qtm_docs_snippet", help="the CMake function the script calls")
    p.add_argument("files", nargs="+")
    p = commands.add_parser("marked")
    p.add_argument("--root", required=True)
    p.add_argument("files", nargs="+")
    p = commands.add_parser("run")
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--where", required=True)
    p.add_argument("--reason", default="")
    p.add_argument("--missing", default="", help="what this build lacks to check the block")
    p.add_argument("--cmake", default="cmake")
    p.add_argument("--build-dir")
    p.add_argument("--target")
    p.add_argument("--executable", help="the program to run, or the QML host")
    p.add_argument("--qml", help="the QML document to load")
    p.add_argument("--timeout", type=int, default=300, help="for the build, in seconds")
    p.add_argument("--run-timeout", type=int, default=120, help="for the program or the QML host, in seconds")
    p = commands.add_parser("fails")
    p.add_argument("--expect", required=True)
    p.add_argument("--exit-code", type=int, help="the exit code the command must fail with")
    p.add_argument("--timeout", type=int, default=600)
    p.add_argument("inner", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    return {"extract": extract, "marked": marked, "run": run, "fails": fails}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
