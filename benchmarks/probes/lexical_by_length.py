#!/usr/bin/env python3
"""Should the words weigh more in the hybrid score for long lines (issue 23: `fast` misses TF-IDF + 5 on chats,
the longest lines; trivia, the shortest, loses from more weight)? A mean of 128 token vectors blurs where a
TF-IDF vector of 128 tokens sharpens. On the val topics of the eight genres, 5-way 5-shot, 15 queries, 300
episodes per genre (seed 1234): the hybrid cosine + W(n) x TF-IDF cosine, with
  per query      W(n) = W (n / 32) ** a, n the query's WordPiece tokens ([CLS] and [SEP] not counted);
  per classifier the same with n the mean length of the episode's support lines (a classifier's own
                 examples, so a weight `train` could fix).
a = 0 is the shipped score. Prints accuracy % by genre and the mean.

    python3 benchmarks/probes/lexical_by_length.py [--model fast] [--lexical-weight 1.5] [--bin PATH]

TF-IDF as `lexical_length.py` (LexicalTable's, fitted on every train-topic line of the eight genres). Needs
numpy and scipy. A probe: what it found is recorded in models/README.md; nothing of it is in the product.
"""
import collections, os, sys, tempfile
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import open_set_scores as shared  # noqa: E402  (the genres, embedding through the binary)
from lexical_background import lines_of, setup, tfidf, token_ids  # noqa: E402
from lexical_length import episodes, print_rows  # noqa: E402

EXPONENTS = (0, 0.25, 0.5, 0.75, 1, 1.5)


def main():
    args, root, binary, vocab = setup(__doc__, "fast", 1.5)
    val, fit = lines_of(root, "val"), lines_of(root, "train")
    with tempfile.TemporaryDirectory() as folder:
        E = shared.embed(binary, args.model, val, folder, "val")
        val_ids = token_ids(binary, vocab, val, folder, "val")
        X = tfidf(token_ids(binary, vocab, fit, folder, "fit"))(val_ids)
    lengths = np.array([len(ids) - 2 for ids in val_ids], dtype=float)
    accuracy = collections.defaultdict(lambda: collections.defaultdict(list))
    for family, support, queries, truth, dense in episodes(val, E, np.random.default_rng(1234)):
        C = np.vstack([np.asarray(X[s].sum(0)) for s in support])
        C /= np.linalg.norm(C, axis=1, keepdims=True)
        lexical = np.asarray(X[queries] @ C.T)
        support_length = lengths[np.concatenate(support)].mean()
        for a in EXPONENTS:
            per_query = args.lexical_weight * (lengths[queries] / 32) ** a
            accuracy[f"per query, a {a:g}"][family].append(((dense + per_query[:, None] * lexical).argmax(1) == truth).mean())
            if a:
                w = args.lexical_weight * (support_length / 32) ** a
                accuracy[f"per classifier, a {a:g}"][family].append(((dense + w * lexical).argmax(1) == truth).mean())
    rows = {name: {f: 100 * np.mean(v) for f, v in cells.items()} for name, cells in accuracy.items()}
    rows["median tokens"] = {}
    for family in shared.FAMILIES:
        by = shared.rows_by_label(val, family)
        rows["median tokens"][family] = np.median(lengths[np.concatenate([by[l] for l in by if len(by[l]) >= 20])])
    print_rows(f"{args.model}, val, 5-shot accuracy % (W {args.lexical_weight:g})", rows)


if __name__ == "__main__":
    sys.exit(main())
