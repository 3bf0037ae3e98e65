#!/usr/bin/env python3
"""Build the "gnome" few-shot corpus from the GNOME desktop help (label = page-name prefix of the topic page).

Source: the Mallard pages of the Debian 12 package gnome-user-docs (pinned: VERSION, CC-BY-SA-3.0):
/usr/share/help/C/gnome-help/*.page (GNOME Help) and /usr/share/help/C/system-admin-guide/*.page (GNOME System
Administration Guide). Only the help text itself is read: the Mallard <p> elements of a page. Skipped: the
<info> block (credits, revisions, <desc> summaries), titles and subtitles, editorial <comment>s, video
captions (TTML), media (images) and the conditional variants a standard GNOME session does not show
(`if:when`/`if:if` whose test is false: `platform:gnome-classic`, `action:install`; `!X` is true).

Writes, under --out (default `corpora`):
  gnome.tsv       `label<TAB>paragraph`, label = the page id up to its first `-` (`net-wireless-connect` ->
                  `net`, `printing-setup` -> `printing`); pages of the System Administration Guide get
                  `admin-` in front (`dconf-lockdown` -> `admin-dconf`)
  gnome.split     `label<TAB>train|val|test`, split by label with SHA-256 orders of fixed strings
  LICENSE.gnome   notice, then /usr/share/doc/gnome-user-docs/copyright verbatim (it holds the CC-BY-SA-3.0 text)

Rendering: character data with entities decoded; `<keyseq>` keys joined by `+` (Ctrl+Alt+T), `<guiseq>` items
by ` ▸ ` (as Yelp shows them); an empty `<link xref="page#section">` becomes the title of that section or page
(as Yelp shows it); whitespace collapsed. Kept: 6..120 words; dropped: a text that occurs more than once in the
two guides (boilerplate such as "Open the Activities overview and start typing Settings."), the remaining
one-off navigation steps "Open the Activities overview and start (typing) X" / "Click (on) X in the sidebar to
open the panel" (they name the settings panel, i.e. the topic), and texts with fewer letters than other
non-space characters. Labels need >= 20 texts; at most CAP per label (smallest SHA-256 of the text).
Standard library only; deterministic. `--check` rebuilds in memory and verifies.
"""
import argparse
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_files  # noqa: E402
from corpus_files import sha  # noqa: E402

FAMILY = "gnome"
PACKAGE = "gnome-user-docs"
VERSION = "43.0-2"  # the version the committed files were built from
HELP_DIR = "/usr/share/help/C"
GUIDES = {"gnome-help": "", "system-admin-guide": "admin-"}  # guide directory -> label prefix
COPYRIGHT = "/usr/share/doc/%s/copyright" % PACKAGE
MIN_WORDS, MAX_WORDS, MIN_CLASS, CAP = 6, 120, 20, 500
TEST_FRACTION, MIN_TEST, VAL_FRACTION, MIN_VAL = 0.2, 5, 0.2, 5  # >= 5 val and test labels: 5-way episodes

MAL = "{http://projectmallard.org/1.0/}"
IF = "{http://projectmallard.org/if/1.0/}"
SKIP = {MAL + t for t in ("info", "comment", "title", "subtitle", "desc", "media")}
TTML = "{http://www.w3.org/ns/ttml}"
NAVIGATION = re.compile(r"^(?:Open the Activities overview and start\b.{0,40}|"
                        r"Click (?:on )?.{1,40} in the sidebar to open the panel\.)$")


def test_true(test):
    """Mallard conditional test in a standard GNOME session: true if any comma-separated token is true; no
    `platform:`/`action:` token is set, so exactly the negated (`!...`) tokens are true."""
    return any(t.strip().startswith("!") for t in test.split(","))


def flat(s):
    return " ".join(s.split())


def read_guides():
    """{(guide, page id): root element}, for every .page of the two guides."""
    pages = {}
    for guide in sorted(GUIDES):
        d = os.path.join(HELP_DIR, guide)
        for name in sorted(os.listdir(d)):
            if name.endswith(".page"):
                pages[(guide, name[:-len(".page")])] = ET.parse(os.path.join(d, name)).getroot()
    return pages


def link_titles(pages):
    """{(guide, 'page') or (guide, 'page#section'): title text} for resolving empty <link xref>."""
    titles = {}
    for (guide, pid), root in pages.items():
        t = root.find(MAL + "title")
        titles[(guide, pid)] = flat("".join(t.itertext())) if t is not None else pid
        for sec in root.iter(MAL + "section"):
            st = sec.find(MAL + "title")
            if sec.get("id") and st is not None:
                titles[(guide, pid + "#" + sec.get("id"))] = flat("".join(st.itertext()))
    return titles


class Renderer:
    def __init__(self, titles):
        self.titles, self.unresolved = titles, Counter()

    def inline(self, el, guide, pid, out):
        """Append the displayed text of inline element `el` (without its tail) to `out`."""
        if el.tag in SKIP or el.tag.startswith(TTML):
            return
        if el.tag in (MAL + "keyseq", MAL + "guiseq"):
            parts = []
            for ch in el:
                o = []
                self.inline(ch, guide, pid, o)
                parts.append(flat("".join(o)))
            out.append(("+" if el.tag == MAL + "keyseq" else " \u25b8 ").join(p for p in parts if p))
            return
        if el.tag == MAL + "link" and not flat("".join(el.itertext())):
            xref, href = el.get("xref"), el.get("href")
            if xref:
                xref = pid + xref if xref.startswith("#") else xref
                title = self.titles.get((guide, xref)) or self.titles.get((guide, xref.split("#")[0]))
                if title is None:
                    self.unresolved[xref] += 1
                    title = xref
                out.append(title)
            elif href:
                out.append(href)
            return
        if el.tag == IF + "choose":
            for ch in self.chosen(el):
                self.inline(ch, guide, pid, out)
                out.append(ch.tail or "")
            return
        if el.tag == IF + "if" and not test_true(el.get("test", "")):
            return
        out.append(el.text or "")
        for ch in el:
            self.inline(ch, guide, pid, out)
            out.append(ch.tail or "")

    @staticmethod
    def chosen(choose):
        """The children an if:choose displays: the first true if:when's children, else if:else's, else
        everything that is not an if:when."""
        for ch in choose:
            if ch.tag == IF + "when" and test_true(ch.get("test", "")):
                return list(ch)
        other = [ch for ch in choose if ch.tag == IF + "else"]
        if other:
            return [c for e in other for c in e]
        return [ch for ch in choose if ch.tag != IF + "when"]

    def paragraphs(self, el, guide, pid, out):
        """Append the text of every displayed Mallard <p> below `el` to `out`."""
        if el.tag in SKIP or el.tag.startswith(TTML):
            return
        if el.tag == IF + "if" and not test_true(el.get("test", "")):
            return
        if el.tag == IF + "choose":
            for ch in self.chosen(el):
                self.paragraphs(ch, guide, pid, out)
            return
        if el.tag == MAL + "p":
            o = []
            self.inline(el, guide, pid, o)
            out.append(flat("".join(o)))
            return
        for ch in el:
            self.paragraphs(ch, guide, pid, out)


def label_of(guide, pid):
    return GUIDES[guide] + pid.split("-")[0].lower()


def is_code(text):
    letters = sum(c.isalpha() for c in text)
    return 2 * letters < len(text.replace(" ", ""))


def choose_split(labels):
    """test: the max(MIN_TEST, round(20%)) labels with the smallest SHA-256 of 'gnome-test:<label>'; val:
    among the rest, the max(MIN_VAL, round(20%)) smallest by 'gnome-val:<label>'; the rest train."""
    return corpus_files.choose_split(labels, FAMILY, TEST_FRACTION, VAL_FRACTION, MIN_TEST, MIN_VAL)


def installed_version():
    try:
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", PACKAGE], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else None
    except OSError:
        return None


def licence_text(version):
    with open(COPYRIGHT, encoding="utf-8") as f:
        copyright_text = f.read()
    head = ("gnome.tsv and gnome.split are derived from GNOME Help and the GNOME System Administration Guide\n"
            "(gnome-user-docs 43, https://gitlab.gnome.org/GNOME/gnome-user-docs), as distributed by the Debian\n"
            "package %s %s (Mallard pages under /usr/share/help/C/gnome-help and\n"
            "/usr/share/help/C/system-admin-guide). Copyright (C) 2010 - 2014 Shaun McCance and the GNOME\n"
            "Documentation Project contributors named in the pages; licensed under the Creative Commons\n"
            "Attribution-ShareAlike 3.0 Unported licence (CC BY-SA 3.0).\n\n"
            "Changes: only paragraphs of the pages are kept (markup, titles, summaries, credits, comments and\n"
            "GNOME Classic variants removed, whitespace collapsed), repeated paragraphs and navigation steps\n"
            "dropped, the rest regrouped by page-name prefix and sorted; see corpora/README.md and\n"
            "scripts/build_gnome_corpus.py. The derived files are distributed under the same licence, CC BY-SA\n"
            "3.0 (full text below), without warranty.\n\n"
            "===== %s (%s), verbatim =====\n\n" % (PACKAGE, version, PACKAGE, COPYRIGHT))
    return head + copyright_text.rstrip("\n") + "\n"


def build():
    """All output files as {name: bytes}, plus notes."""
    for path in [os.path.join(HELP_DIR, g) for g in sorted(GUIDES)] + [COPYRIGHT]:
        if not os.path.exists(path):
            sys.exit("missing %s: install the Debian package %s (apt-get install %s)" % (path, PACKAGE, PACKAGE))
    version = installed_version()
    notes = [] if version == VERSION else [
        "note: Debian %s is %s; the committed corpus was built from %s" % (PACKAGE, version, VERSION)]
    pages = read_guides()
    renderer = Renderer(link_titles(pages))
    found = []
    for (guide, pid), root in sorted(pages.items()):
        texts = []
        renderer.paragraphs(root, guide, pid, texts)
        found += [(label_of(guide, pid), t) for t in texts if t]
    if renderer.unresolved:
        notes.append("gnome: unresolved links kept as ids: %s" % " ".join(sorted(renderer.unresolved)))
    occurrences = Counter(text for _, text in found)
    dropped, owners = Counter(), defaultdict(set)
    for label, text in found:
        if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            dropped["length"] += 1
        elif occurrences[text] > 1:
            dropped["repeated"] += 1
        elif NAVIGATION.match(text):
            dropped["navigation"] += 1
        elif is_code(text):
            dropped["code"] += 1
        else:
            owners[text].add(label)
    repeated_texts = sum(1 for t, n in occurrences.items() if n > 1 and MIN_WORDS <= len(t.split()) <= MAX_WORDS)
    members, shared = corpus_files.single_owner(owners)  # shared is 0: every kept text occurs once
    rows, small = [], []
    for label in sorted(members):
        if len(members[label]) >= MIN_CLASS:
            rows += [(label, t) for t in sorted(members[label], key=sha)[:CAP]]
        else:
            small.append((label, len(members[label])))
    kept = Counter(label for label, _ in rows)
    notes.append("gnome: %d pages, %d paragraphs" % (len(pages), len(found)))
    notes.append("gnome: dropped %d outside %d..%d words, %d occurrences of %d repeated texts, %d navigation "
                 "steps, %d code; %d texts under two labels"
                 % (dropped["length"], MIN_WORDS, MAX_WORDS, dropped["repeated"], repeated_texts,
                    dropped["navigation"], dropped["code"], shared))
    notes.append("gnome: labels with < %d texts dropped: %s (%d texts)"
                 % (MIN_CLASS, " ".join("%s:%d" % s for s in small), sum(n for _, n in small)))
    capped = [l for l in sorted(kept) if len(members[l]) > CAP]
    notes.append("gnome: capped at %d: %s" % (CAP, " ".join("%s:%d" % (l, len(members[l])) for l in capped)
                                              if capped else "none"))
    split = choose_split(sorted(kept))
    files = {"gnome.tsv": corpus_files.tsv_bytes(sorted(set(rows))),
             "gnome.split": corpus_files.split_bytes(split),
             "LICENSE.gnome": licence_text(VERSION).encode("utf-8")}
    return files, notes


def bad_text(text):
    """A navigation step, an undecoded entity, markup left over, or a bad length."""
    return bool(NAVIGATION.match(text) or re.search(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);", text)
                or re.search(r"</?(?:p|gui|link|key|keyseq|guiseq|em|code|media|app|cmd|file|sys)\b", text)
                or not MIN_WORDS <= len(text.split()) <= MAX_WORDS)


def check(out, files):
    """Invariants of the written files; returns a list of problems (empty = fine)."""
    bad = corpus_files.check_labelled(out, files, FAMILY, MIN_CLASS, MIN_TEST, MIN_VAL, bad_text)
    counts = Counter(line.split("\t", 1)[0] for line in corpus_files.read_text(out, FAMILY + ".tsv").splitlines())
    if counts and max(counts.values()) > CAP:
        bad.append("a label with more than %d texts" % CAP)
    return bad


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
