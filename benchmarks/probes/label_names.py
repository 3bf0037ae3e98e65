#!/usr/bin/env python3
"""What naming the labels adds to their examples ('fewshot train --labels NAMES --examples TSV' makes each
name one more example of its label). On the val topics of the eight genres, 5-way, 1 and 5 shots, 15
queries, 300 episodes per genre (seed 1234): TF-IDF and the hybrid (cosine + W x TF-IDF cosine), each from
the examples alone and from the examples plus the label's name read as words (LabelDescriptions:
'can_computers_fall_in_love' -> "can computers fall in love"), with the name alone beside them.

    python3 benchmarks/probes/label_names.py [--model fast] [--lexical-weight 1.5] [--bin PATH]

TF-IDF as in lexical_background.py (the train-topic lines of the eight genres, 128 tokens). Prints accuracy %
by genre and the mean. Needs numpy and scipy. A probe: what it found is recorded in models/README.md;
nothing of it is in the product.
"""
import collections, re, sys, os, tempfile
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import open_set_scores as shared  # noqa: E402  (the genres, embedding through the binary)
from lexical_background import lines_of, setup, tfidf, token_ids  # noqa: E402


def words_of_name(name):
    """LabelDescriptions.words(ofName:): a trailing _digits dropped, '_' and '-' read as spaces."""
    return re.sub(r"(?<=.)_[0-9]+$", "", name).replace("_", " ").replace("-", " ")


def unit(M):
    """Each row scaled to length 1 (a zero row stays zero)."""
    return M / np.maximum(np.linalg.norm(M, axis=1, keepdims=True), 1e-12)


def main():
    args, root, binary, vocab = setup(__doc__, "fast", 1.5)
    val, fit = lines_of(root, "val"), lines_of(root, "train")
    labels = sorted({(family, label) for family, label, _ in val})
    names = [(family, label, words_of_name(label)) for family, label in labels]
    with tempfile.TemporaryDirectory() as folder:
        E = shared.embed(binary, args.model, val, folder, "val")
        N = shared.embed(binary, args.model, names, folder, "names")
        matrix = tfidf(token_ids(binary, vocab, fit, folder, "fit"))
        X = matrix(token_ids(binary, vocab, val, folder, "val"))
        XN = matrix(token_ids(binary, vocab, names, folder, "names"))
    name_row = {key: i for i, key in enumerate(labels)}
    rng = np.random.default_rng(1234)
    rows = collections.defaultdict(dict)
    for family in shared.FAMILIES:
        by = shared.rows_by_label(val, family)
        usable = [label for label in by if len(by[label]) >= 20]
        for shots in (1, 5):
            accuracy = collections.defaultdict(list)
            for _ in range(300):
                support, queries, _ = shared.sample(by, usable, rng, unknown=0, shots=shots)
                truth = np.repeat(np.arange(len(support)), len(queries) // len(support))  # 15 queries a label, in order
                named = [name_row[(family, val[s[0]][1])] for s in support]
                # Each label's summed support rows; the name is one more row of its label.
                meaning = np.stack([E[s].sum(0) for s in support])
                words_sum = np.stack([np.asarray(X[s].sum(0)).ravel() for s in support])
                dense = {"examples": E[queries] @ unit(meaning).T, "examples + name": E[queries] @ unit(meaning + N[named]).T,
                         "name alone": E[queries] @ unit(N[named]).T}
                words = {"examples": np.asarray(X[queries] @ unit(words_sum).T),
                         "examples + name": np.asarray(X[queries] @ unit(words_sum + XN[named].toarray()).T)}
                for source in ("examples", "examples + name"):
                    accuracy[f"TF-IDF, {source}"].append((words[source].argmax(1) == truth).mean())
                    hybrid = dense[source] + args.lexical_weight * words[source]
                    accuracy[f"hybrid, {source}"].append((hybrid.argmax(1) == truth).mean())
                accuracy["embeddings, name alone"].append((dense["name alone"].argmax(1) == truth).mean())
            for name, values in accuracy.items():
                rows[(name, shots)][family] = 100 * np.mean(values)
    print(f"| {args.model}, val accuracy % (W {args.lexical_weight:g}) | shots | " + " | ".join(shared.FAMILIES) + " | mean |")
    print("|---|---|" + "---|" * (len(shared.FAMILIES) + 1))
    for (name, shots), cells in sorted(rows.items(), key=lambda item: (item[0][1], item[0][0])):
        values = [cells[f] for f in shared.FAMILIES]
        print(f"| {name} | {shots} | " + " | ".join(f"{x:.2f}" for x in values) + f" | {np.mean(values):.2f} |")


if __name__ == "__main__":
    sys.exit(main())
