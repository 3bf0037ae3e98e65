#!/usr/bin/env python3
"""Other ways to add the words to the meaning (issue 23: `fast` misses TF-IDF + 5 on chats). The shipped hybrid
adds W times the TF-IDF cosine to the dense cosine, one scale for every query. A query whose words match no
label well has small TF-IDF cosines for all of them, and one whose words match one label has a large gap; the
dense cosines have their own spread. This probe tries fusions that set the two scales per query or bend the
TF-IDF cosine, on the val topics of the eight genres, 5-way 5-shot, 15 queries, 300 episodes per genre (seed
1234):
  shipped          dense + W lex
  power p          dense + W lex ** p               (p < 1 lifts small word matches)
  z-scores l       z(dense) + l z(lex)              (each standardized over the query's 5 labels)
  probabilities t  softmax(20 dense) + softmax(t lex)
Prints accuracy % by genre and the mean.

    python3 benchmarks/probes/score_fusion.py [--model fast] [--lexical-weight 1.5] [--bin PATH]

TF-IDF as `lexical_length.py` (LexicalTable's, fitted on every train-topic line of the eight genres). Needs
numpy and scipy. A probe: what it found is recorded in models/README.md; nothing of it is in the product.
"""
import collections, os, sys, tempfile
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import open_set_scores as shared  # noqa: E402  (the genres, embedding through the binary)
from lexical_background import lines_of, setup, tfidf, token_ids  # noqa: E402
from lexical_length import episodes, print_rows  # noqa: E402


def standardized(scores):
    """Each row less its mean, over its spread (a row of equal scores stays 0)."""
    spread = scores.std(1, keepdims=True)
    return (scores - scores.mean(1, keepdims=True)) / np.where(spread > 0, spread, 1)


def softmax(scores):
    e = np.exp(scores - scores.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def fusions(dense, lexical, weight):
    """name -> the fused scores of every fusion tried."""
    yield "shipped: dense + W lex", dense + weight * lexical
    for p in (0.5, 0.75):
        for w in (0.5, 1, 1.5):
            yield f"power {p:g}, {w:g} W", dense + w * weight * lexical ** p
    for ratio in (0.25, 0.5, 0.75, 1):
        yield f"z-scores {ratio:g}", standardized(dense) + ratio * standardized(lexical)
    for t in (10, 20, 40):
        yield f"probabilities {t:g}", softmax(20 * dense) + softmax(t * lexical)


def main():
    args, root, binary, vocab = setup(__doc__, "fast", 1.5)
    val, fit = lines_of(root, "val"), lines_of(root, "train")
    with tempfile.TemporaryDirectory() as folder:
        E = shared.embed(binary, args.model, val, folder, "val")
        X = tfidf(token_ids(binary, vocab, fit, folder, "fit"))(token_ids(binary, vocab, val, folder, "val"))
    accuracy = collections.defaultdict(lambda: collections.defaultdict(list))
    for family, support, queries, truth, dense in episodes(val, E, np.random.default_rng(1234)):
        C = np.vstack([np.asarray(X[s].sum(0)) for s in support])
        C /= np.linalg.norm(C, axis=1, keepdims=True)
        lexical = np.asarray(X[queries] @ C.T)
        for name, scores in fusions(dense, lexical, args.lexical_weight):
            accuracy[name][family].append((scores.argmax(1) == truth).mean())
    rows = {name: {f: 100 * np.mean(v) for f, v in cells.items()} for name, cells in accuracy.items()}
    print_rows(f"{args.model}, val, 5-shot accuracy % (W {args.lexical_weight:g})", rows)


if __name__ == "__main__":
    sys.exit(main())
