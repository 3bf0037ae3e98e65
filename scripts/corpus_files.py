"""The output files of the corpus builders (scripts/build_{bible,fortunes,trivia,chitchat,prose,modern}_corpus.py).

A corpus family F is written under --out as F.tsv (`label<TAB>text` lines, sorted by (label, text)), F.split
(`label<TAB>train|val|test`, sorted by label) and LICENSE.F. A builder makes them in memory as
{file name: bytes}; this module serializes the two tables, chooses a label split from SHA-256 orders of fixed
strings, writes the files, counts labels/examples/words per split, and runs `--check`: compare the fresh
bytes with the files on disk plus invariants, print `FAIL <problem>` lines and `check: ok|FAILED` to stderr,
exit 0 or 1. For the unlabelled families (label = source: prose, modern) it also caps the share of a source
and checks and summarises such a file. Imported by the builders from their own directory; standard library only.
"""
import hashlib
import os
import re
import statistics
import sys
from collections import defaultdict

SPLITS = ("train", "val", "test")


def sha(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def tsv_bytes(rows):
    """`label<TAB>text` lines of (label, text) pairs, in the order given, as UTF-8."""
    return "".join("%s\t%s\n" % (label, text) for label, text in rows).encode("utf-8")


def split_bytes(split):
    """`label<TAB>split` lines of {label: split}, sorted by label, as UTF-8."""
    return "".join("%s\t%s\n" % (label, split[label]) for label in sorted(split)).encode("utf-8")


def choose_split(labels, family, test_fraction, val_fraction, min_test=0, min_val=0):
    """{label: split}. test: the max(min_test, round(test_fraction * n)) labels with the smallest SHA-256 of
    '<family>-test:<label>'; val: among the rest, the max(min_val, round(val_fraction * n)) smallest by
    '<family>-val:<label>'; the rest train."""
    n = len(labels)
    test = set(sorted(labels, key=lambda l: sha(family + "-test:" + l))[:max(min_test, round(test_fraction * n))])
    rest = [l for l in labels if l not in test]
    val = set(sorted(rest, key=lambda l: sha(family + "-val:" + l))[:max(min_val, round(val_fraction * n))])
    return {l: "test" if l in test else "val" if l in val else "train" for l in sorted(labels)}


def single_owner(owners):
    """Texts by label, keeping only texts that exactly one label owns (owners: text -> set of
    labels); also returns how many texts were shared and so dropped."""
    members = defaultdict(list)
    shared = 0
    for text, labels in sorted(owners.items()):
        if len(labels) == 1:
            members[next(iter(labels))].append(text)
        else:
            shared += 1
    return members, shared


def write_files(out, files):
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(files.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


def stale_files(out, files, show_dir=True):
    """`<out>/<name> differs from a fresh build` (just `<name>` without show_dir) for every file of `files`
    that is missing under `out` or holds other bytes."""
    bad = []
    for name, data in sorted(files.items()):
        path = os.path.join(out, name)
        if not os.path.exists(path) or read_bytes(path) != data:
            bad.append("%s differs from a fresh build" % (path if show_dir else name))
    return bad


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_text(out, name):
    return read_bytes(os.path.join(out, name)).decode("utf-8")


def newline_problems(tsv, spl):
    if "\r" in tsv + spl or not tsv.endswith("\n") or not spl.endswith("\n"):
        return ["CR or missing final newline"]
    return []


def check_labelled(out, files, family, min_class, min_test, min_val, bad_text=None):
    """Problems of <out>/<family>.tsv and .split (empty = fine): bytes differ from `files`; CR or no final
    newline; TSV not sorted by (label, text), a line not `label<TAB>text` with collapsed whitespace (or
    bad_text(text) true), a text twice; the split not covering the TSV labels exactly once in order, a bad
    split name, fewer than min_test test or min_val val labels, a label with fewer than min_class texts."""
    bad = stale_files(out, files)
    tsv, spl = read_text(out, family + ".tsv"), read_text(out, family + ".split")
    bad += newline_problems(tsv, spl)
    lines, texts, counts = tsv.splitlines(), set(), defaultdict(int)
    if lines != sorted(lines, key=lambda l: tuple(l.split("\t", 1))):
        bad.append("tsv not sorted by (label, text)")
    for i, line in enumerate(lines, 1):
        parts = line.split("\t")
        if len(parts) != 2 or not re.fullmatch(r"[a-z0-9_-]+", parts[0]) or not parts[1] \
                or parts[1] != " ".join(parts[1].split()) or (bad_text is not None and bad_text(parts[1])):
            bad.append("%s.tsv:%d: not label<TAB>clean text" % (family, i))
            continue
        if parts[1] in texts:
            bad.append("%s.tsv:%d: duplicate text" % (family, i))
        texts.add(parts[1])
        counts[parts[0]] += 1
    split = [l.split("\t") for l in spl.splitlines()]
    if [s[0] for s in split] != sorted(counts) or any(len(s) != 2 or s[1] not in SPLITS for s in split):
        bad.append("split: not sorted, not covering the TSV labels exactly once, or bad split name")
    n_test, n_val = sum(s[-1] == "test" for s in split), sum(s[-1] == "val" for s in split)
    if n_test < min_test or n_val < min_val or min(counts.values(), default=0) < min_class:
        bad.append("too few test/val labels or a label with < %d texts" % min_class)
    return bad


def cap_share(per, max_share):
    """Shrink the largest list of {source: [texts]} (keeping its first texts) until it is at most max_share of
    the total of all lists; in place."""
    while True:
        total = sum(len(v) for v in per.values())
        big = max(sorted(per), key=lambda l: len(per[l]))
        allowed = int(max_share * (total - len(per[big])) / (1 - max_share))
        if len(per[big]) <= allowed:
            break
        per[big] = per[big][:allowed]


def check_unlabelled(out, files, family, min_words, max_words, max_share):
    """Problems of an unlabelled family's <out>/<family>.tsv and .split (empty = fine): bytes differ from
    `files`; CR or no final newline; a line not `source<TAB>text` with collapsed whitespace, a text twice or
    outside min_words..max_words words; not sorted by (label, text); a source above max_share of the lines;
    the split not every label with split train."""
    bad = stale_files(out, files)
    tsv, spl = read_text(out, family + ".tsv"), read_text(out, family + ".split")
    bad += newline_problems(tsv, spl)
    rows, texts, counts = [], set(), defaultdict(int)
    for i, line in enumerate(tsv.split("\n")[:-1], 1):
        parts = line.split("\t")
        if len(parts) != 2 or not re.fullmatch(r"[a-z_]+", parts[0]) or parts[1] != " ".join(parts[1].split()):
            bad.append("%s.tsv:%d: not label<TAB>text with collapsed whitespace" % (family, i))
            continue
        if parts[1] in texts:
            bad.append("%s.tsv:%d: duplicate text" % (family, i))
        n = len(parts[1].split())
        if not min_words <= n <= max_words:
            bad.append("%s.tsv:%d: %d words" % (family, i, n))
        texts.add(parts[1])
        counts[parts[0]] += 1
        rows.append((parts[0], parts[1]))
    if rows != sorted(rows):
        bad.append("%s.tsv: not sorted by (label, text)" % family)
    total = sum(counts.values())
    for l, n in sorted(counts.items()):
        if n > max_share * total + 1:
            bad.append("%s.tsv: %s has %d of %d sentences (> %d%%)" % (family, l, n, total, 100 * max_share))
    if spl != split_bytes({l: "train" for l in counts}).decode("utf-8"):
        bad.append("%s.split: not exactly every label with split train, sorted" % family)
    return bad


def source_summary(files, family):
    """Sentences, share and median words per source of an unlabelled family, and the total."""
    words = defaultdict(list)
    for line in files[family + ".tsv"].decode("utf-8").splitlines():
        label, text = line.split("\t")
        words[label].append(len(text.split()))
    total = sum(len(v) for v in words.values())
    lines = []
    for l in sorted(words):
        w = sorted(words[l])
        lines.append("%-17s %7d sentences (%4.1f%%), median %d words" % (l, len(w), 100 * len(w) / total,
                                                                         w[len(w) // 2]))
    lines.append("%-17s %7d sentences" % ("total", total))
    return lines


def split_words(files, family, splits=SPLITS):
    """[(split, [its labels], [word count of each of its texts])] for each of `splits` ('all': every label),
    from the bytes of <family>.split and <family>.tsv in `files`."""
    split = dict(l.split("\t") for l in files[family + ".split"].decode().splitlines())
    rows = [l.split("\t") for l in files[family + ".tsv"].decode().splitlines()]
    return [(s, [l for l in split if s in ("all", split[l])],
             [len(t.split()) for l, t in rows if s in ("all", split[l])]) for s in splits]


def split_summary(files, family):
    """Labels, examples and median words per split and overall, with the labels of each split."""
    return ["%-8s %-5s %3d labels %6d examples, median %g words: %s" % (
        family, s, len(labels), len(words), statistics.median(words) if words else 0,
        " ".join(labels) if s != "all" else "") for s, labels, words in split_words(files, family, SPLITS + ("all",))]


def note(lines):
    for line in lines:
        print(line, file=sys.stderr)


def check_or_write(check, out, files, verify):
    """With --check: print the problems verify(out, files) finds and `check: ok|FAILED` to stderr, then exit
    0 if there are none, else 1. Without: write `files` under `out`."""
    if check:
        bad = verify(out, files)
        note("FAIL " + b for b in bad)
        note(["check: %s" % ("FAILED" if bad else "ok")])
        sys.exit(1 if bad else 0)
    write_files(out, files)
