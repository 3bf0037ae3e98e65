#!/usr/bin/env python3
"""Build the `bible` few-shot corpus: Nave's Topical Bible topics x World English Bible verses.

Sources (Debian packages, both public domain): `sword-dict-naves` (SWORD module `Nave`, zLD) and
`sword-text-web` (SWORD module `engWEB2015eb`, zText, NRSVA versification). Both are dumped with `mod2imp`
(package `libsword-utils`), which prints every entry's raw markup under a `$$$key` line.

Writes, under --out (default `corpora`):
  bible.tsv      `topic<TAB>verse text`, one verse per line
  bible.split    `topic<TAB>train|val|test`
  LICENSE.bible  the public-domain statements of the two packages

Rules (see corpora/README.md): verses are plain text (notes, titles, speakers, Strong's tags removed;
nothing after the chapter's end marker, where the module keeps its glossary). A topic's verses are its verse
refs and the first verses of its range refs (whole-chapter refs ignored); catalogue topics (META_TOPICS) are
dropped, and so are verse texts occurring more than once in the Bible. Each verse goes to its most specific
live topic (fewest verses, ties by name); per (topic, book, chapter) only the lowest verse is kept; topics
with < 20 examples are peeled off one at a time, their verses moving on. Standard library only; deterministic
(sorted iteration, SHA-256 orders of fixed strings). `--check` rebuilds in memory and verifies the files.
"""
import argparse
import heapq
import html
import os
import re
import shutil
import subprocess
import statistics
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_files  # noqa: E402

MIN_CLASS, TEST_FRACTION, VAL_FRACTION = 20, 0.20, 0.10
WEB, NAVE = ("engWEB2015eb", "sword-text-web"), ("Nave", "sword-dict-naves")
# Catalogues/indexes of passages rather than subjects (the verse says nothing about the heading).
META_TOPICS = {"QUOTATIONS AND ALLUSIONS", "READINGS, SELECT", "PSALMS", "PARABLES", "MIRACLES", "TYPES",
               "SYMBOLS AND SIMILITUDES", "ANTHROPOMORPHISMS", "COLORS", "SEVEN", "FORTY"}
BOOKS = [  # OSIS id, SWORD English key name; the 66 books Nave indexes, in canonical order
    ("Gen", "Genesis"), ("Exod", "Exodus"), ("Lev", "Leviticus"), ("Num", "Numbers"), ("Deut", "Deuteronomy"),
    ("Josh", "Joshua"), ("Judg", "Judges"), ("Ruth", "Ruth"), ("1Sam", "I Samuel"), ("2Sam", "II Samuel"),
    ("1Kgs", "I Kings"), ("2Kgs", "II Kings"), ("1Chr", "I Chronicles"), ("2Chr", "II Chronicles"),
    ("Ezra", "Ezra"), ("Neh", "Nehemiah"), ("Esth", "Esther"), ("Job", "Job"), ("Ps", "Psalms"),
    ("Prov", "Proverbs"), ("Eccl", "Ecclesiastes"), ("Song", "Song of Solomon"), ("Isa", "Isaiah"),
    ("Jer", "Jeremiah"), ("Lam", "Lamentations"), ("Ezek", "Ezekiel"), ("Dan", "Daniel"), ("Hos", "Hosea"),
    ("Joel", "Joel"), ("Amos", "Amos"), ("Obad", "Obadiah"), ("Jonah", "Jonah"), ("Mic", "Micah"),
    ("Nah", "Nahum"), ("Hab", "Habakkuk"), ("Zeph", "Zephaniah"), ("Hag", "Haggai"), ("Zech", "Zechariah"),
    ("Mal", "Malachi"), ("Matt", "Matthew"), ("Mark", "Mark"), ("Luke", "Luke"), ("John", "John"),
    ("Acts", "Acts"), ("Rom", "Romans"), ("1Cor", "I Corinthians"), ("2Cor", "II Corinthians"),
    ("Gal", "Galatians"), ("Eph", "Ephesians"), ("Phil", "Philippians"), ("Col", "Colossians"),
    ("1Thess", "I Thessalonians"), ("2Thess", "II Thessalonians"), ("1Tim", "I Timothy"), ("2Tim", "II Timothy"),
    ("Titus", "Titus"), ("Phlm", "Philemon"), ("Heb", "Hebrews"), ("Jas", "James"), ("1Pet", "I Peter"),
    ("2Pet", "II Peter"), ("1John", "I John"), ("2John", "II John"), ("3John", "III John"), ("Jude", "Jude"),
    ("Rev", "Revelation of John")]
OSIS_INDEX = {o: i for i, (o, _) in enumerate(BOOKS)}
NAME_INDEX = {n: i for i, (_, n) in enumerate(BOOKS)}
KNOWN = {(0, 1, 1): "In the beginning, God created the heavens and the earth.",  # must come out exactly so
         (65, 22, 21): "The grace of the Lord Jesus Christ be with all the saints. Amen."}
FRONT_MATTER = re.compile(r"World English Bible|Glossary|Preface|strong:[GH]|osisRef|[<>&]")


def clean(s):
    return " ".join(s.split())


def dump(module, package, sword_dir):
    """[(key, raw entry)] of a SWORD module, via `mod2imp` (raw markup, module order)."""
    confs = os.path.join(sword_dir, "mods.d")
    names = sorted(os.listdir(confs)) if os.path.isdir(confs) else []
    texts = [open(os.path.join(confs, f), encoding="utf-8", errors="replace").read()
             for f in names if f.endswith(".conf")]
    if not any("[%s]" % module in t for t in texts):
        sys.exit("SWORD module %s not found under %s: apt-get install %s" % (module, sword_dir, package))
    if not shutil.which("mod2imp"):
        sys.exit("mod2imp not found: apt-get install libsword-utils")
    env = dict(os.environ, SWORD_PATH=sword_dir, LC_ALL="C.UTF-8")
    out = subprocess.run(["mod2imp", module], capture_output=True, check=True, env=env).stdout.decode("utf-8")
    parts = re.split(r"^\$\$\$(.*)\n", out, flags=re.M)[1:]
    if not parts:
        sys.exit("mod2imp %s printed nothing: is %s installed correctly?" % (module, package))
    return list(zip(parts[0::2], parts[1::2]))


def verse_text(raw):
    """Plain verse text of one raw OSIS entry."""
    raw = raw.split("<chapter eID=")[0]  # after the chapter end: book end, glossary (Rev 22:21)
    raw = re.sub(r"<(title|speaker)\b[^>]*>.*?</\1>", " ", raw, flags=re.S)  # psalm titles, Song speakers
    # Footnotes/cross-references swallow the following space ("God<note>..</note>created"): a note becomes
    # a space, except right before punctuation.
    raw = re.sub(r"<note\b[^>]*>.*?</note>(?=\s*[,.;:!?)\]”’])", "", raw, flags=re.S)
    raw = re.sub(r"<note\b[^>]*>.*?</note>", " ", raw, flags=re.S)
    text = clean(html.unescape(re.sub(r"<[^>]*>", "", raw)))  # Strong's <w>, <l>, <q>, milestones...
    text = re.sub(r" (?=[,.;:!?])", "", text)  # "coins</q> <note/>?" (Luke 12:6), "come’</q> ?" (John 8:22)
    return re.sub(r" ?”(?=[\w“])", "” ", text)  # "new.”</q>He" (Rev 21:5), "Omega, <note/>”says" (Rev 1:8)


def read_web(sword_dir):
    """{(book index, chapter, verse): text} for the 66 books; verse 0 entries (intros) are skipped."""
    verses = {}
    for key, raw in dump(*WEB, sword_dir):
        m = re.fullmatch(r"(.+) (\d+):(\d+)", key)
        if m and m.group(1) in NAME_INDEX and int(m.group(2)) > 0 and int(m.group(3)) > 0:
            text = verse_text(raw)
            if text:
                verses[(NAME_INDEX[m.group(1)], int(m.group(2)), int(m.group(3)))] = text
    for ref, want in KNOWN.items():
        if verses.get(ref) != want:
            sys.exit("unexpected text of %s: %r" % (ref, verses.get(ref)))
    return verses


def read_nave(sword_dir, verses):
    """{topic: set of verse ids} from the osisRef links of each Nave entry, plus counters of ignored refs.
    A ref gives one verse: itself, or the first verse of a range (`Ex 6:16-20` -> Exod 6:16; the rest of a
    passage is its continuation, and expanding ranges measurably lowers how often texts are about the topic).
    Ignored: whole-chapter refs (`1Sa 17`; this also drops conversion errors such as `Micah 2` for "Micah,
    2Ch 34:20"), refs outside the 66 books, refs to verses WEB lacks."""
    topics, dropped = {}, defaultdict(int)
    for name, raw in dump(*NAVE, sword_dir):
        refs = set()
        for osis in re.findall(r'<ref osisRef="([^"]+)"', raw):
            m = re.fullmatch(r"(\w+)\.(\d+)\.(\d+)(-\w+\.\d+\.\d+)?", osis)
            if not m:
                dropped["whole-chapter ref"] += 1
                continue
            v = (OSIS_INDEX.get(m.group(1)), int(m.group(2)), int(m.group(3)))
            if v in verses:
                refs.add(v)
            else:
                dropped["ref outside the 66 books or missing in WEB"] += 1
        if name in META_TOPICS:
            dropped["meta topic " + name] = len(refs)
        elif not refs:
            dropped["entry without a verse ref (a `See X` cross-reference)"] += 1
        else:
            topics[name] = refs
    return topics, dropped


def label_of(name):
    return re.sub(r"[^a-z0-9'-]+", "_", name.lower()).strip("_")


def assign(topics, verses):
    """{topic: [verse ids]} after rules 1 (most specific topic), 2 (one verse per chapter) and the >= 20 cut."""
    count = defaultdict(int)
    for text in verses.values():
        count[text] += 1
    eligible = {n: sorted(v for v in refs if count[verses[v]] == 1) for n, refs in topics.items()}
    rank = {n: (len(refs), n) for n, refs in eligible.items() if refs}
    owners = defaultdict(list)
    for n in sorted(rank):
        for v in eligible[n]:
            owners[v].append(n)
    # Peeling: the live topic with the fewest chapters (= examples after rule 2; ties: most specific first)
    # dies while it has < 20, and its verses move to their next most specific live topic.
    alive, held = set(rank), defaultdict(set)  # topic -> verses it holds
    mine = defaultdict(lambda: defaultdict(int))  # topic -> (book, chapter) -> number of verses held

    def give(v):
        live = [n for n in owners[v] if n in alive]
        if live:
            best = min(live, key=rank.get)
            held[best].add(v)
            mine[best][v[:2]] += 1
            return best
    for v in sorted(owners):
        give(v)
    heap = [(len(mine[n]), rank[n]) for n in alive]
    heapq.heapify(heap)
    while heap:
        size, (_, n) = heapq.heappop(heap)
        if n not in alive or size != len(mine[n]):
            continue  # stale entry
        if size >= MIN_CLASS:
            break
        alive.discard(n)
        gainers = set()
        for v in sorted(held.pop(n, ())):
            gainers.add(give(v))
        gainers.discard(None)
        for g in sorted(gainers):
            heapq.heappush(heap, (len(mine[g]), rank[g]))
    kept = {}
    for n in sorted(alive):
        first = {}
        for v in sorted(held[n]):
            first.setdefault(v[:2], v)  # v ascending: the lowest verse of the chapter wins
        kept[n] = sorted(first.values())
    return kept, sum(c > 1 for c in count.values())


def split_labels(labels):
    """test = round(20%) smallest SHA-256 of `bible-test:<label>`, val = round(10%) of the rest by `bible-val:`."""
    return corpus_files.choose_split(labels, "bible", TEST_FRACTION, VAL_FRACTION)


def licence_text():
    """LICENSE.bible: the `License: public-domain` paragraphs of both Debian copyright files, word for word."""
    out = ["bible.tsv quotes verses of the World English Bible (WEB) under topic headings of Nave's Topical Bible,",
           "both as shipped by Debian and both in the public domain. Verses are quoted word for word but excerpted:",
           "footnotes, cross-references, psalm titles and speaker labels are left out, and a space before",
           "punctuation is removed where the markup left one. The statements of the two packages follow.", ""]
    for pkg in (WEB[1], NAVE[1]):
        path = "/usr/share/doc/%s/copyright" % pkg
        if not os.path.exists(path):
            sys.exit("%s missing: apt-get install --reinstall %s" % (path, pkg))
        body = open(path, encoding="utf-8").read().split("\nLicense: public-domain\n", 1)[1].split("\n\n")[0]
        out += ["== %s (%s, Files: *)" % (pkg, path), ""]
        out += [("" if l == " ." else l[1:].rstrip()) for l in body.splitlines()] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def build(sword_dir):
    verses = read_web(sword_dir)
    topics, dropped = read_nave(sword_dir, verses)
    kept, n_dup = assign(topics, verses)
    labels = {n: label_of(n) for n in kept}
    if len(set(labels.values())) != len(labels) or not all(labels.values()):
        sys.exit("label collision or empty label: %r" % labels)
    rows = sorted((labels[n], verses[v]) for n in kept for v in kept[n])
    split = split_labels(sorted(labels.values()))
    files = {"bible.tsv": corpus_files.tsv_bytes(rows),
             "bible.split": corpus_files.split_bytes(split),
             "LICENSE.bible": licence_text().encode("utf-8")}
    notes = ["WEB: %d verses in the 66 books, %d texts occur more than once (dropped)" % (len(verses), n_dup),
             "Nave: %d topics with resolvable refs, %d kept" % (len(topics), len(kept))]
    notes += ["Nave: %s: %d" % kv for kv in sorted(dropped.items())]
    heads = {labels[n]: re.split(r"[,(]", n)[0].strip().lower() for n in kept}
    hits = defaultdict(int)
    for label, text in rows:
        hits[label] += bool(re.search(r"\b" + re.escape(heads[label]), text.lower()))
    n_hit, n_rows = sum(hits.values()), len(rows)
    most = sorted(l for l in labels.values() if 2 * hits[l] > sum(r[0] == l for r in rows))
    notes.append("texts containing their topic's head word (`jesus` for JESUS, THE CHRIST): %d of %d (%.0f%%); "
                 "in more than half the texts of %d labels: %s" % (n_hit, n_rows, 100 * n_hit / n_rows, len(most),
                                                                   " ".join(most)))
    return files, notes


def summary(files):
    return ["bible %-5s %4d labels %6d examples, median %g words" % (s, len(labels), len(words),
                                                                     statistics.median(words))
            for s, labels, words in corpus_files.split_words(files, "bible")]


def check(out, files):
    bad = corpus_files.stale_files(out, files, show_dir=False)
    tsv = files["bible.tsv"].decode("utf-8")
    spl = files["bible.split"].decode("utf-8")
    lines = tsv.splitlines()
    bad += corpus_files.newline_problems(tsv, spl)
    rows = [l.split("\t") for l in lines]
    if any(len(r) != 2 or not re.fullmatch(r"[a-z0-9'_-]+", r[0]) or not r[1] or r[1] != clean(r[1])
           or FRONT_MATTER.search(r[1]) for r in rows):
        bad.append("bible.tsv: a line is not label<TAB>clean text (or contains markup/front matter)")
    if rows != sorted(rows):
        bad.append("bible.tsv: not sorted by (label, text)")
    if len({r[1] for r in rows}) != len(rows):
        bad.append("bible.tsv: a verse text occurs twice")
    count = defaultdict(int)
    for r in rows:
        count[r[0]] += 1
    if min(count.values()) < MIN_CLASS:
        bad.append("bible.tsv: a label has < %d texts" % MIN_CLASS)
    split = [l.split("\t") for l in spl.splitlines()]
    names = [s[0] for s in split]
    if names != sorted(set(names)) or set(names) != set(count) or any(
            len(s) != 2 or s[1] not in ("train", "val", "test") for s in split):
        bad.append("bible.split: not sorted, duplicated, bad split name, or not covering the TSV labels exactly")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sword-dir", default="/usr/share/sword")
    ap.add_argument("--out", default="corpora")
    ap.add_argument("--check", action="store_true", help="verify the files in --out instead of writing them")
    args = ap.parse_args()
    files, notes = build(args.sword_dir)
    corpus_files.check_or_write(args.check, args.out, files, check)
    corpus_files.note(notes + summary(files))


if __name__ == "__main__":
    main()
