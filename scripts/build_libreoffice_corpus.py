#!/usr/bin/env python3
"""Build the "libreoffice" few-shot corpus from the LibreOffice help (label = help directory of the page).

Source: the HTML help pages of the Debian 12 package libreoffice-help-en-us (pinned: VERSION),
/usr/share/libreoffice/help/en-US/text/<module>/<section>/<page>.html (generated upstream from the .xhp
sources; the package ships no .xhp). Not read: the menu-access directories `<module>/00` (pages of "Choose
Format - Page - Area tab." lines, the sources of the "To access this command..." blocks). Only the help text
itself is read: the <p> elements inside the page's DisplayArea. Skipped: headings, code (pre,
bascode/pycode/sqlcode blocks, p.code/codeintable/smathcode), the "To access this command..." blocks
(div.howtoget), "Related Topics" (div.relatedtopics, p.related), transcluded copies of other pages'
paragraphs (div.embedded; each is read at the page that owns it) and the variants the help shows only for
one application or operating system (elements with a `hidden` attribute whose id does not start with
`default`: what help2.js shows when no module is chosen).

Writes, under --out (default `corpora`):
  libreoffice.tsv       `label<TAB>paragraph`, label = the page's directory below text/, `/` -> `-`
                        (`scalc-01`, `scalc-guide`, `sbasic-shared-03`, `shared-optionen`; pages directly
                        in a module directory: the module, `swriter`)
  libreoffice.split     `label<TAB>train|val|test`, split by label with SHA-256 orders of fixed strings
  LICENSE.libreoffice   notice, /usr/share/doc/libreoffice-help-en-us/copyright verbatim, the MPL-2.0 and
                        Apache-2.0 texts (/usr/share/common-licenses)

Rules (counts in corpora/README.md): text = the paragraph's character data, entities decoded, soft hyphens
removed, whitespace collapsed. Kept: 6..120 words. Dropped: a text that occurs more than once in the pages
read (boilerplate such as "Click OK to apply the changes."); a text that names an application module
(MODULE_NAME: Writer, Calc, Impress, Draw, Base, Math, Basic, Chart, capitalised or upper-case, also after
"Star" as in StarCalc; this covers "LibreOffice Calc", "LibreOffice BASIC" and the menu paths "Tools -
Options - LibreOffice Writer - ..."); code, i.e. a text starting with the Basic comment mark `'` or with
fewer letters than other non-space characters. Labels need >= 20 texts; at most CAP per label (smallest
SHA-256 of the text). Standard library only; deterministic. `--check` rebuilds in memory and verifies.
"""
import argparse
import html.parser
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_files  # noqa: E402
from corpus_files import sha  # noqa: E402

FAMILY = "libreoffice"
PACKAGE = "libreoffice-help-en-us"
VERSION = "4:7.4.7-1+deb12u14"  # the version the committed files were built from
HELP_DIR = "/usr/share/libreoffice/help/en-US/text"
COPYRIGHT = "/usr/share/doc/%s/copyright" % PACKAGE
MPL = "/usr/share/common-licenses/MPL-2.0"
APACHE = "/usr/share/common-licenses/Apache-2.0"
MIN_WORDS, MAX_WORDS, MIN_CLASS, CAP = 6, 120, 20, 500
TEST_FRACTION, MIN_TEST, VAL_FRACTION, MIN_VAL = 0.2, 5, 0.2, 5  # >= 5 val and test labels: 5-way episodes

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr"}
ACCESS_DIR = "00"  # <module>/00: the menu-access pages ("Choose Format - Page - Area tab."), not read
SKIP_TAGS = {"pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_DIV = {"howtoget", "relatedtopics", "bascode", "pycode", "sqlcode", "embedded"}
SKIP_P = {"code", "codeintable", "smathcode", "related", "howtogetheader", "embedded"}
MODULES = ("Writer", "Calc", "Impress", "Draw", "Base", "Math", "Basic", "Chart")
MODULE_NAME = re.compile(r"\b(?:Star)?(?:%s)\b" % "|".join(MODULES + tuple(m.upper() for m in MODULES)))
LABEL = re.compile(r"[a-z0-9_'-]+")


class HelpPage(html.parser.HTMLParser):
    """The texts of the kept <p> elements of one help page, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.paragraphs, self.cur, self.in_area, self.skip = [], [], None, False, 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag == "br" and self.cur is not None:
                self.cur.append(" ")
            return
        a = dict(attrs)
        cls = set((a.get("class") or "").split())
        area = a.get("id") == "DisplayArea"
        skip = (tag in SKIP_TAGS or tag == "div" and bool(cls & SKIP_DIV)
                or "hidden" in a and not (a.get("id") or "").startswith("default")
                or tag == "p" and bool(cls & SKIP_P))
        if tag == "p":
            if self.cur is not None:  # an unclosed <p> ends at the next one, as in HTML
                self.end_paragraph()
            if not skip and self.in_area and not self.skip:
                self.cur = []
        if area:
            self.in_area = True
        self.stack.append((tag, skip, area))
        self.skip += skip

    def handle_endtag(self, tag):
        if tag in VOID or all(t != tag for t, _, _ in self.stack):
            return
        while True:  # close up to the matching start tag
            t, skip, area = self.stack.pop()
            self.skip -= skip
            if area:
                self.in_area = False
            if t == "p" and self.cur is not None:
                self.end_paragraph()
            if t == tag:
                return

    def handle_data(self, data):
        if self.cur is not None and not self.skip:
            self.cur.append(data)

    def end_paragraph(self):
        self.paragraphs.append(" ".join("".join(self.cur).replace("\u00ad", "").split()))
        self.cur = None


def read_page(path):
    parser = HelpPage()
    with open(path, encoding="utf-8") as f:
        parser.feed(f.read())
    parser.close()
    if parser.cur is not None:
        parser.end_paragraph()
    return [p for p in parser.paragraphs if p]


def label_of(rel_dir):
    return rel_dir.replace(os.sep, "-").lower()


def pages():
    """[(label, path)] of every .html page below HELP_DIR, in sorted path order, and the number of pages
    of the menu-access directories (`*/00`) left out."""
    out, access = [], 0
    for dirpath, dirnames, filenames in os.walk(HELP_DIR):
        dirnames.sort()
        rel = os.path.relpath(dirpath, HELP_DIR)
        for name in sorted(filenames):
            if name.endswith(".html") and rel != ".":
                if os.path.basename(rel) == ACCESS_DIR:
                    access += 1
                else:
                    out.append((label_of(rel), os.path.join(dirpath, name)))
    return out, access


def is_code(text):
    letters = sum(c.isalpha() for c in text)
    return text.startswith("'") or 2 * letters < len(text.replace(" ", ""))


def choose_split(labels):
    """test: the max(MIN_TEST, round(20%)) labels with the smallest SHA-256 of 'libreoffice-test:<label>';
    val: among the rest, the max(MIN_VAL, round(20%)) smallest by 'libreoffice-val:<label>'; the rest train."""
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
    with open(MPL, encoding="utf-8") as f:
        mpl = f.read()
    with open(APACHE, encoding="utf-8") as f:
        apache = f.read()
    head = ("libreoffice.tsv and libreoffice.split are derived from the LibreOffice 7.4 help, English (USA), as\n"
            "distributed by the Debian package %s %s (HTML pages under\n"
            "/usr/share/libreoffice/help/en-US/text). The help text is covered by the Mozilla Public\n"
            "License 2.0 (\"Files: *\" below; some upstream files include Apache-2.0 licensed material).\n\n"
            "Changes: only paragraphs of the help pages are kept (markup, headings, code, menu-access and\n"
            "related-topic blocks removed, whitespace collapsed), repeated paragraphs and paragraphs naming an\n"
            "application module dropped, the rest regrouped by help directory and sorted; see\n"
            "corpora/README.md and scripts/build_libreoffice_corpus.py. The derived files are distributed under\n"
            "the same licence, the Mozilla Public License 2.0. The full texts of the MPL-2.0 and of the Apache\n"
            "License 2.0, to which the copyright file refers, follow it.\n\n"
            "===== %s (%s), verbatim =====\n\n" % (PACKAGE, version, PACKAGE, COPYRIGHT))
    return (head + copyright_text.rstrip("\n") + "\n\n===== Mozilla Public License 2.0 (%s) =====\n\n" % MPL
            + mpl.rstrip("\n") + "\n\n===== Apache License 2.0 (%s) =====\n\n" % APACHE
            + apache.rstrip("\n") + "\n")


def build():
    """All output files as {name: bytes}, plus notes."""
    for path, pkg in ((HELP_DIR, PACKAGE), (COPYRIGHT, PACKAGE), (MPL, "base-files"), (APACHE, "base-files")):
        if not os.path.exists(path):
            sys.exit("missing %s: install the Debian package %s (apt-get install %s)" % (path, pkg, pkg))
    version = installed_version()
    notes = [] if version == VERSION else [
        "note: Debian %s is %s; the committed corpus was built from %s" % (PACKAGE, version, VERSION)]
    page_list, access = pages()
    found = [(label, text) for label, path in page_list for text in read_page(path)]
    occurrences = Counter(text for _, text in found)
    dropped = Counter()
    owners = defaultdict(set)
    for label, text in found:
        if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            dropped["length"] += 1
        elif occurrences[text] > 1:
            dropped["repeated"] += 1
        elif MODULE_NAME.search(text):
            dropped["module name"] += 1
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
    notes.append("libreoffice: %d pages read (%d menu-access pages in */%s not read), %d paragraphs"
                 % (len(page_list), access, ACCESS_DIR, len(found)))
    notes.append("libreoffice: dropped %d outside %d..%d words, %d occurrences of %d repeated texts, "
                 "%d naming a module, %d code; %d texts under two labels"
                 % (dropped["length"], MIN_WORDS, MAX_WORDS, dropped["repeated"], repeated_texts,
                    dropped["module name"], dropped["code"], shared))
    notes.append("libreoffice: labels with < %d texts dropped: %s (%d texts)"
                 % (MIN_CLASS, " ".join("%s:%d" % s for s in small), sum(n for _, n in small)))
    notes.append("libreoffice: capped at %d: %s" % (CAP, " ".join(
        "%s:%d" % (l, len(members[l])) for l in sorted(kept) if len(members[l]) > CAP)))
    split = choose_split(sorted(kept))
    files = {"libreoffice.tsv": corpus_files.tsv_bytes(sorted(set(rows))),
             "libreoffice.split": corpus_files.split_bytes(split),
             "LICENSE.libreoffice": licence_text(VERSION).encode("utf-8")}
    return files, notes


def bad_text(text):
    """A text that names a module, keeps an undecoded entity or has a bad length. (`<...>` is no test: the
    help documents HTML tags and <placeholders> as literal text, 26 kept texts contain one.)"""
    return bool(MODULE_NAME.search(text) or re.search(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);", text)
                or "\u00ad" in text or not MIN_WORDS <= len(text.split()) <= MAX_WORDS)


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
