#!/usr/bin/env python3
"""The top functions of a callgrind profile, for bench/profile.sh.

Reads `callgrind_annotate` output (FILE:FUNCTION lines) on standard input and prints the top N
functions, each once: callgrind_annotate splits a function by the source file of its
instructions, so code inlined from src/analyze.rs into classify_text is a line of its own.
Inclusive cost (--inclusive yes): a function's largest line is all of it, with the parts inlined
from jiyu's own files listed beside it. Self cost: the lines of a function add up. Threads,
rayon's plumbing, generic iterator and Vec code and the program's entry are left out: they
contain everything and say nothing.

Usage: callgrind_annotate --auto=no [--inclusive=yes] FILE | callgrind_top.py N [inclusive|self]
"""

import re
import sys

SKIP = re.compile(
    r"^<?(rayon|rayon_core|std::(sys|rt|thread|panicking)|core::ops::function|core::iter|"
    r"alloc::vec|alloc::raw_vec|alloc::boxed|core::result|core::option|__rust|__rdl|__rustc|"
    r"main$|\(below main\)|__libc_start|0x|start_thread|.*thread_start|&mut I |"
    r"(alloc|core|std)::[a-z_:]*::(Vec|Map|Iterator|FnOnce))")
LINE = re.compile(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S.*)$")


def plain(name):
    """`name` without generic arguments and hash suffixes; `<T as Trait>::f` becomes `T::f`."""
    name = re.sub(r"::h[0-9a-f]{16}$", "", name).replace("{{closure}}", "{closure}")
    while True:
        shorter = re.sub(r"<([^<>]*)>", lambda m: "" if " as " not in m.group(1) else "\x00" + m.group(1) + "\x01", name)
        if shorter == name:
            break
        name = shorter
    return re.sub(r"\x00(.*?) as [^\x01]*\x01", r"\1", name).replace("\x00", "<").replace("\x01", ">")


def own(path):
    """Whether `path` is one of jiyu's files (callgrind_annotate shows them relative to the
    current directory, or absolute when run elsewhere)."""
    return (re.match(r"(src|examples|/.*/src)/", path) is not None
            and not re.search(r"/(\.cargo|rustc|rust/deps)/", path))


def short_path(path):
    """src/analyze.rs for jiyu's files, CRATE/src/… for dependencies, the file name otherwise."""
    parts = path.split("/")
    if "src" not in parts:
        return parts[-1]
    i = len(parts) - 1 - parts[::-1].index("src")
    if own(path):
        return "/".join(parts[i:])
    crate = parts[i - 1] if i > 0 else ""
    return crate + "/" + "/".join(parts[i:])


def main():
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    inclusive = len(sys.argv) < 3 or sys.argv[2] != "self"
    functions = {}  # name → [(instructions, share, file)]
    order = []
    header = False
    for line in sys.stdin:
        if "file:function" in line:
            header = True
            continue
        match = LINE.match(line)
        if not header or not match:
            continue
        ir, share, rest = match.groups()
        rest = re.sub(r" \[[^\]]*\]$", "", rest)
        path, _, function = rest.partition(":")
        if SKIP.match(function):
            continue
        function = plain(function).removesuffix("'2")
        if function not in functions:
            functions[function] = []
            order.append(function)
        functions[function].append((int(ir.replace(",", "")), float(share), path))
    rows = []
    for function in order:
        entries = functions[function]
        if inclusive:
            ir, share, _ = max(entries)
            parts = sorted(
                (e for e in entries if e[0] < 0.98 * ir and e[1] >= 1.0 and own(e[2])),
                reverse=True)
            note = ", ".join(f"{s:.1f}% inlined from {short_path(p)}" for _, s, p in parts[:3])
        else:
            ir = sum(e[0] for e in entries)
            share = sum(e[1] for e in entries)
            note = ""
        rows.append((ir, share, function, note))
    rows.sort(key=lambda row: -row[0])
    for ir, share, function, note in rows[:top]:
        name = function if len(function) <= 80 else function[:77] + "…"
        print(f"{ir:>15,} {share:6.2f}%  {name}" + (f"  ({note})" if note else ""))


if __name__ == "__main__":
    main()
