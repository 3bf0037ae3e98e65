#!/usr/bin/env python3
"""Would the words half of the hybrid score gain from reading more of a long line than the encoder
does (issue 23: chats run to 161 WordPiece tokens, every model reads 128)? On the val topics of the
eight genres, 5-way 5-shot, 15 queries, 300 episodes per genre (seed 1234): the embeddings alone,
TF-IDF alone and the hybrid (cosine + W x TF-IDF cosine), with the TF-IDF vectors of the first 128,
256 or 512 tokens while the embeddings stay as the model makes them (128 tokens).

    python3 benchmarks/probes/lexical_length.py [--model fast] [--lexical-weight 1.5] [--bin PATH]

TF-IDF: WordPiece uni+bigrams of all-MiniLM-L6-v2's vocabulary (the tokenizer fixture), sublinear tf,
IDF ln((1 + n) / (1 + df)) + 1 fitted on every train-topic line of the eight genres at the same
length, df >= 2, as LexicalTable does. Prints accuracy % by genre and the mean. Needs numpy and
scipy. A probe: what it found is recorded in models/README.md; nothing of it is in the product.
"""
import collections, os, sys, tempfile
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import open_set_scores as shared  # noqa: E402  (the genres, embedding through the binary)
from lexical_background import lines_of, setup, tfidf, token_ids  # noqa: E402

LENGTHS = (128, 256, 512)


def episodes(val, E, rng, count=300):
    """5-way 5-shot episodes, 15 queries per class, of each genre's val topics with 20 lines or more:
    yields the family, the support rows of each class, the query rows, their classes, and the queries'
    cosines to the unit prototypes of the embeddings E."""
    for family in shared.FAMILIES:
        by = shared.rows_by_label(val, family)
        labels = [label for label in by if len(by[label]) >= 20]
        for _ in range(count):
            chosen = rng.choice(len(labels), 5, replace=False)
            support, queries, truth = [], [], []
            for j, c in enumerate(chosen):
                lines = rng.permutation(by[labels[c]])
                support.append(lines[:5])
                queries += list(lines[5:20])
                truth += [j] * len(lines[5:20])
            P = np.stack([E[s].mean(0) for s in support])
            P /= np.linalg.norm(P, axis=1, keepdims=True)
            yield family, support, queries, np.array(truth), E[queries] @ P.T


def print_rows(title, rows):
    """A markdown table: one row per name of `rows` (name -> family -> value), the genres and their mean."""
    print(f"| {title} | " + " | ".join(shared.FAMILIES) + " | mean |")
    print("|---|" + "---|" * (len(shared.FAMILIES) + 1))
    for name, cells in rows.items():
        values = [cells[f] for f in shared.FAMILIES]
        print(f"| {name} | " + " | ".join(f"{x:.2f}" for x in values) + f" | {np.mean(values):.2f} |")


def main():
    args, root, binary, vocab = setup(__doc__, "fast", 1.5)
    val, fit = lines_of(root, "val"), lines_of(root, "train")

    def words_of(length, folder):
        matrix = tfidf(token_ids(binary, vocab, fit, folder, f"fit{length}", length))
        return matrix(token_ids(binary, vocab, val, folder, f"val{length}", length))

    with tempfile.TemporaryDirectory() as folder:
        E = shared.embed(binary, args.model, val, folder, "val")
        words = {length: words_of(length, folder) for length in LENGTHS}
    accuracy = collections.defaultdict(lambda: collections.defaultdict(list))
    for family, support, queries, truth, dense in episodes(val, E, np.random.default_rng(1234)):
        accuracy["embeddings alone"][family].append((dense.argmax(1) == truth).mean())
        for length, X in words.items():
            C = np.vstack([np.asarray(X[s].sum(0)) for s in support])
            C /= np.linalg.norm(C, axis=1, keepdims=True)
            lexical = np.asarray(X[queries] @ C.T)
            accuracy[f"TF-IDF of {length} tokens"][family].append((lexical.argmax(1) == truth).mean())
            accuracy[f"hybrid, words of {length} tokens"][family].append(
                ((dense + args.lexical_weight * lexical).argmax(1) == truth).mean())
    rows = {name: {f: 100 * np.mean(v) for f, v in cells.items()} for name, cells in accuracy.items()}
    print_rows(f"{args.model}, val, 5-shot accuracy % (W {args.lexical_weight:g})", rows)


if __name__ == "__main__":
    sys.exit(main())
