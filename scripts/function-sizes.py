#!/usr/bin/env python3
"""Lists the functions in src/ longer than a limit (default 80 lines), longest first, and the source
files of src/ longer than 500 lines (one concern per file pair: split it along its seams).

A function is a brace block opened on a line that ends a declaration: the heuristic matches this
code base's style (one-line signatures or continuation lines ending in "{"), not C++ at large.
Usage: scripts/function-sizes.py [LIMIT] [ROOT]; exits 1 when any function is over the limit,
except those marked "// a parser's state machine" on the line before their signature.
"""
import pathlib
import re
import sys

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
root = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else ".")
opener = re.compile(r"^(\s*)[^\s/#].*\)\s*(const\s*)?(noexcept\s*)?(->\s*[\w:<>, ]+\s*)?(try\s*)?\{\s*(//.*)?$")
found = []
literal = re.compile(r'"(\\.|[^"\\])*"|\'(\\.|[^\'\\])+\'|//.*$')
for path in sorted(root.glob("src/**/*.cpp")):
    raw = path.read_text().split("\n")
    lines = [literal.sub('""', line) for line in raw]
    i = 0
    while i < len(lines):
        m = opener.match(lines[i])
        if not m or re.match(r"^\s*(if|for|while|switch|else|do|catch)\b", lines[i]) or "[" in lines[i].split("(")[0]:
            i += 1
            continue
        depth, j = 0, i
        while j < len(lines):
            depth += lines[j].count("{") - lines[j].count("}")
            if depth <= 0:
                break
            j += 1
        size = j - i + 1
        exempt = i > 0 and "a parser's state machine" in raw[i - 1]
        if size > limit and not exempt:
            found.append((size, f"{path}:{i + 1}", raw[i].strip()[:90]))
        i = j + 1 if size > 1 else i + 1
file_limit = 500
long_files = []
for path in sorted(list(root.glob("src/**/*.cpp")) + list(root.glob("src/**/*.h"))):
    n = len(path.read_text().split("\n")) - 1
    if n > file_limit:
        long_files.append((n, str(path)))
for n, path in sorted(long_files, reverse=True):
    print(f"{n:4d} {path}: a file over {file_limit} lines")
for size, where, head in sorted(found, reverse=True):
    print(f"{size:4d} {where}: {head}")
print(f"function-sizes: {len(found)} functions over {limit} lines, {len(long_files)} files over {file_limit} lines")
sys.exit(1 if found or long_files else 0)
