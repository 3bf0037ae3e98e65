#!/usr/bin/env python3
"""Build the "fortunes" few-shot corpus from the Debian fortune cookie files (label = topic file name).

Source: /usr/share/games/fortunes from the Debian packages fortunes, fortunes-min, fortune-anarchism and
fortunes-bofh-excuses (`%`-separated records; `X.u8` is the UTF-8 variant of `X` and is read when present).
The offensive `off/` directory (package fortunes-off) is never read.

Writes, under --out (default `corpora`):
  fortunes.tsv       `label<TAB>quote`, label = fortune file name (only the files in KEEP: real topics)
  fortunes.split     `label<TAB>train|val|test`, split by label with SHA-256 orders of fixed strings
  LICENSE.fortunes   the Debian copyright files of the four packages, verbatim

Cleaning: mojibake repaired, overstrike/bell control characters removed; a numbered series heading on the first line
("BOFH excuse #12:", "Fortune's Real-Life Courtroom Quote #18:") removed; attribution lines ("-- Author",
tab-indented "- Author", and their indented continuation lines) and a trailing inline " -Author" removed;
whitespace collapsed. Kept: 3..120 words, at least half of the non-space characters letters (no ASCII art).
A text under two kept labels is dropped from both. Labels need >= 20 texts; at most CAP per label (smallest
SHA-256 of the text). Standard library only; deterministic. `--check` rebuilds in memory and verifies.
See corpora/README.md for the per-file keep/drop table.
"""
import argparse
import os
import re
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_files  # noqa: E402
from corpus_files import sha  # noqa: E402

FAMILY = "fortunes"
FORTUNE_DIR = "/usr/share/games/fortunes"
COPYRIGHTS = ["/usr/share/doc/fortunes/copyright", "/usr/share/doc/fortunes-min/copyright",
              "/usr/share/doc/fortune-anarchism/copyright", "/usr/share/doc/fortunes-bofh-excuses/copyright"]
MIN_WORDS, MAX_WORDS, MIN_CLASS, CAP = 3, 120, 20, 500
TEST_FRACTION, MIN_TEST, VAL_FRACTION, MIN_VAL = 0.25, 7, 0.15, 5  # 5 val labels: validation is 5-way
PACKAGE = {"anarchism": "fortune-anarchism", "bofh-excuses": "fortunes-bofh-excuses",
           "fortunes": "fortunes-min", "literature": "fortunes-min", "riddles": "fortunes-min"}  # else: fortunes
KEEP = ["anarchism", "art", "bofh-excuses", "computers", "debian", "disclaimer", "drugs", "education", "ethnic",
        "food", "goedel", "kids", "law", "linux", "love", "magic", "medicine", "men-women", "paradoxum",
        "perl", "pets", "politics", "science", "sports", "startrek", "tao", "work"]
DROP = {  # file -> why it is not a topic label (every file of FORTUNE_DIR must be in KEEP or DROP)
    "ascii-art": "pictures, 10 records", "cookie": "grab-bag (Karl Lehenbauer's alt.sources postings)",
    "definitions": "a format (first line 'Word, n.:' / 'X's Law:'), any topic",
    "fortunes": "a genre (fortune-cookie predictions), any topic", "humorists": "grouped by author, any topic",
    "knghtbrd": "one person's grab-bag (IRC, Debian, computers)",
    "linuxcookie": "same topic as linux (duplicate label)", "literature": "grouped by author (Twain, Shakespeare)",
    "miscellaneous": "grab-bag", "people": "grab-bag of aphorisms on human nature",
    "platitudes": "grab-bag of sayings, overlaps wisdom", "pratchett": "2 records",
    "riddles": "a format (Q: / A:), any topic", "songs-poems": "a format (verse), any topic",
    "translate-me": "non-English, 12 records", "wisdom": "grab-bag of sayings, overlaps platitudes",
    "zippy": "one comic character's voice, not a topic",
    "news": "jokes about journalism; dropped so nothing news-like is trained or evaluated on (project data rule)"}
HEADING = re.compile(r"^\s*[A-Za-z][A-Za-z' ,*-]{2,60}?[\s,:]*\(?#\s?\d+(?:\)?:|\.|\s*--|\)?\s*$)\s*")
ATTRIBUTION = re.compile(r"^(?:\s*--(?![-=])|\t+-\s?[A-Z]|\s*[\u2014\u2015]\s*\S)")
INLINE_ATTRIBUTION = re.compile(r"(?<=[.!?\"')])\s+(?:-{1,2}|\u2014)\s?[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}$")


def indent(line):
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


def fortune_path(name):
    """`name.u8` when the package ships it (in Debian it is a symlink to the same UTF-8 text), else `name`."""
    base = os.path.join(FORTUNE_DIR, name)
    return base + ".u8" if os.path.exists(base + ".u8") else base


def read_records(path):
    """Records of a strfile source: separated by lines consisting of `%`."""
    records, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() == "%":
                records.append(cur)
                cur = []
            else:
                cur.append(line.rstrip("\n"))
    return [r for r in records + [cur] if any(l.strip() for l in r)]


def demojibake(s):
    """Undo UTF-8 read as Latin-1 (3 records: 'Â£5', 'donâ\x80\x99t', twice in 'HereÃ¢Â\x80Â\x99s'): re-decode
    while the line is pure Latin-1 and its bytes are valid UTF-8; genuine Latin-1 text ('café') never is."""
    for _ in range(3):
        if s.isascii():
            break
        try:
            s = s.encode("latin-1").decode("utf-8")
        except UnicodeError:
            break
    return s


def overstrike(s):
    """Apply backspaces as a terminal would ('___\\b\\b\\band' -> 'and'), then drop other control characters."""
    out = []
    for ch in s:
        if ch == "\b":
            if out:
                out.pop()
        elif ch == "\t" or ord(ch) >= 32 and ord(ch) != 127:
            out.append(ch)
    return "".join(out)


def clean(lines):
    """One record -> one line of text without series heading or attributions ('' if nothing is left)."""
    lines = [overstrike(demojibake(l)) for l in lines]
    while lines and not lines[0].strip():
        lines.pop(0)
    lines[0] = HEADING.sub("", lines[0], count=1)
    kept, attr_indent = [], None
    for line in lines:
        if attr_indent is not None and line.strip() and indent(line) >= max(attr_indent, 1):
            continue  # continuation of an attribution ("\t\t   counsel for the ...")
        attr_indent = None
        if ATTRIBUTION.match(line):
            attr_indent = indent(line)
            continue
        kept.append(line)
    text = " ".join(" ".join(kept).split())
    return INLINE_ATTRIBUTION.sub("", text).strip()


def usable(text):
    letters = sum(c.isalpha() for c in text)
    return MIN_WORDS <= len(text.split()) <= MAX_WORDS and 2 * letters >= len(text.replace(" ", ""))


def choose_split(labels):
    """test: the max(MIN_TEST, round(25%)) labels with the smallest SHA-256 of 'fortunes-test:<label>';
    val: among the rest, the max(MIN_VAL, round(15%)) smallest by 'fortunes-val:<label>'; the rest train."""
    return corpus_files.choose_split(labels, FAMILY, TEST_FRACTION, VAL_FRACTION, MIN_TEST, MIN_VAL)


def licence_text():
    parts = ["Licence and copyright notices of the Debian packages the fortunes corpus is built from,\n"
             "copied verbatim from /usr/share/doc/<package>/copyright (fortunes and fortunes-min share one file).\n"]
    seen = {}
    for path in COPYRIGHTS:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        pkg = path.split("/")[-2]
        if text in seen:
            parts.append("\n===== %s: identical to %s =====\n" % (pkg, seen[text]))
            continue
        seen[text] = pkg
        parts.append("\n===== %s (%s) =====\n\n%s" % (pkg, path, text.rstrip("\n") + "\n"))
    return "".join(parts)


def build():
    """All output files as {name: bytes}, plus notes."""
    for path in [fortune_path(n) for n in KEEP] + COPYRIGHTS:
        if not os.path.exists(path):
            name = os.path.basename(path).replace(".u8", "")
            pkg = path.split("/")[-2] if path in COPYRIGHTS else PACKAGE.get(name, "fortunes")
            sys.exit("missing %s: install the Debian package %s (apt-get install %s)" % (path, pkg, pkg))
    present = {f[:-3] if f.endswith(".u8") else f for f in os.listdir(FORTUNE_DIR)
               if not f.endswith(".dat") and os.path.isfile(os.path.join(FORTUNE_DIR, f))}
    unknown = sorted(present - set(KEEP) - set(DROP))
    notes = ["fortunes: files not classified in KEEP/DROP, ignored: %s" % ", ".join(unknown)] if unknown else []
    owners, stats = defaultdict(set), []
    for label in KEEP:
        records = read_records(fortune_path(label))
        texts = {clean(r) for r in records}
        good = {t for t in texts if t and usable(t)}
        stats.append((label, len(records), len(good)))
        for t in good:
            owners[t].add(label)
    members, shared = corpus_files.single_owner(owners)
    rows = []
    for label in sorted(members):
        if len(members[label]) >= MIN_CLASS:
            rows += [(label, t) for t in sorted(members[label], key=sha)[:CAP]]
        else:
            notes.append("fortunes: %s dropped, %d texts < %d" % (label, len(members[label]), MIN_CLASS))
    notes += ["fortunes: %-13s %5d records -> %4d usable distinct -> %4d kept" %
              (l, n, g, sum(1 for r in rows if r[0] == l)) for l, n, g in stats]
    notes.append("fortunes: %d texts under two or more kept labels dropped" % shared)
    split = choose_split(sorted({l for l, _ in rows}))
    files = {"fortunes.tsv": corpus_files.tsv_bytes(sorted(set(rows))),
             "fortunes.split": corpus_files.split_bytes(split),
             "LICENSE.fortunes": licence_text().encode("utf-8")}
    return files, notes


def check(out, files):
    """Invariants of the written files; returns a list of problems (empty = fine)."""
    return corpus_files.check_labelled(out, files, FAMILY, MIN_CLASS, MIN_TEST, MIN_VAL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="corpora")
    ap.add_argument("--check", action="store_true", help="verify the files in --out instead of writing them")
    args = ap.parse_args()
    files, notes = build()
    corpus_files.check_or_write(args.check, args.out, files, check)
    corpus_files.note(notes + corpus_files.split_summary(files, FAMILY))


if __name__ == "__main__":
    main()
