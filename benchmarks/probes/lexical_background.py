#!/usr/bin/env python3
"""The background topics in words too (issue 22): does subtracting a line's lexical closeness to the train
topics, beside its dense closeness, tell unknown lines better? Same val episodes as open_set_scores.py (5 known
labels of 5 examples, 3 unknown, 15 queries each, 300 episodes per genre, seed 1234), the hybrid score with
the words at --lexical-weight (the default's 2), the shipped dense background term (s = 20, weight 1).

    python3 benchmarks/probes/lexical_background.py [--model default] [--lexical-weight 2] [--bin PATH]

Words: WordPiece uni+bigrams of the model's vocabulary (all-MiniLM-L6-v2's, the tokenizer fixture), sublinear
tf, IDF ln((1 + n) / (1 + df)) + 1 fitted on every train-topic line of the eight genres, df >= 2, as
LexicalTable does. A topic's lexical vector is the normalized sum of its lines' vectors (the up to 30 lines
the dense background uses). Tried: minus V times the soft maximum (scale s) of the line's TF-IDF cosines to
the 1,157 topics, and their plain maximum or mean. Prints AUROC % by genre and the number of nonzero entries
the topics' vectors would add to a model file. Needs numpy and scipy. A probe: what it found is recorded in
models/README.md; nothing of it is in the product.
"""
import argparse, collections, os, subprocess, sys, tempfile
import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import open_set_scores as shared  # noqa: E402  (the corpora, the episodes, AUROC, the soft maximum)


def token_ids(binary, vocab, rows, folder, name, length=128):
    path = f"{folder}/{name}.txt"
    with open(path, "w") as f:
        f.writelines(text.replace("\n", " ") + "\n" for _, _, text in rows)
    out = subprocess.run([binary, "tokenize", "--ids", "--vocab", vocab, "--max-length", str(length), path],
                         capture_output=True, text=True, check=True).stdout
    return [list(map(int, line.split())) for line in out.splitlines()]


def terms(ids):
    ids = ids[1:-1]
    return ids + [(a + 1) << 32 | b for a, b in zip(ids, ids[1:])]


def unit_rows(M):
    norms = np.sqrt(np.asarray(M.multiply(M).sum(1)).ravel())
    norms[norms == 0] = 1
    return (sp.diags(1 / norms) @ M).tocsr()


def setup(description, model, lexical_weight):
    """The probes' command line (--model, --lexical-weight, --bin) and where things are: the
    arguments, the checkout, the binary and the model vocabulary."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=model)
    parser.add_argument("--lexical-weight", type=float, default=lexical_weight)
    parser.add_argument("--bin", default=None)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binary = args.bin or subprocess.run(["make", "-s", "-C", root, "print-bin"], capture_output=True, text=True,
                                        check=True).stdout.strip()
    return args, root, binary, f"{root}/Tests/TokenizationTests/Fixtures/minilm_vocab.txt"


def lines_of(root, split_name):
    """(family, label, text) of every line of the eight genres under labels of this split."""
    rows = []
    for family in shared.FAMILIES:
        split = dict(line.rstrip("\n").split("\t") for line in open(f"{root}/corpora/{family}.split"))
        for line in open(f"{root}/corpora/{family}.tsv"):
            label, text = line.rstrip("\n").split("\t", 1)
            if split[label] == split_name:
                rows.append((family, label, text))
    return rows


def tfidf(fit_ids):
    """LexicalTable's TF-IDF fitted on these token sequences: a function from sequences to unit rows."""
    frequency = collections.Counter()
    for ids in fit_ids:
        frequency.update(set(terms(ids)))
    column, idf = {}, []
    for term, df in frequency.items():
        if df >= 2:
            column[term] = len(idf)
            idf.append(np.log((1 + len(fit_ids)) / (1 + df)) + 1)

    def matrix(sequences):
        r, c, v = [], [], []
        for i, ids in enumerate(sequences):
            for term, tf in collections.Counter(t for t in terms(ids) if t in column).items():
                r.append(i), c.append(column[term]), v.append((1 + np.log(tf)) * idf[column[term]])
        return unit_rows(sp.csr_matrix((v, (r, c)), shape=(len(sequences), len(idf))))
    return matrix


def main():
    args, root, binary, vocab = setup(__doc__, "default", 2.0)
    val, train = shared.read_corpora(root)
    with tempfile.TemporaryDirectory() as folder:
        matrix = tfidf(token_ids(binary, vocab, lines_of(root, "train"), folder, "fit"))
        val_ids = token_ids(binary, vocab, val, folder, "val")
        train_ids = token_ids(binary, vocab, train, folder, "train")
        V = shared.embed(binary, args.model, val, folder, "val")
        T = shared.embed(binary, args.model, train, folder, "train")
    LV, LT = matrix(val_ids), matrix(train_ids)
    keys, topics = shared.topics_of(train)
    M = np.stack([T[topics[k]].mean(0) for k in keys])
    background = M / np.linalg.norm(M, axis=1, keepdims=True)
    lexical_background = unit_rows(sp.vstack([sp.csr_matrix(LT[topics[k]].sum(0)) for k in keys]))
    print(f"the topics' lexical vectors: {lexical_background.nnz:,} nonzero entries")
    lexical_background = lexical_background.T.tocsc()
    rng = np.random.default_rng(1234)
    results = collections.defaultdict(list)
    for family in shared.OPEN_SET:
        by = shared.rows_by_label(val, family)
        labels = sorted(by)
        for _ in range(300):
            support, kq, uq = shared.sample(by, labels, rng)
            P = np.stack([V[s].mean(0) for s in support])
            P /= np.linalg.norm(P, axis=1, keepdims=True)
            C = np.vstack([np.asarray(LV[s].sum(0)) for s in support])
            C /= np.linalg.norm(C, axis=1, keepdims=True)

            def scores(rows):
                best = (V[rows] @ P.T + args.lexical_weight * np.asarray(LV[rows] @ C.T)).max(1)
                shipped = best - shared.soft_max(V[rows] @ background.T)
                Z = (LV[rows] @ lexical_background).toarray()
                out = {"best score (no background)": best, "shipped: less the dense background": shipped}
                for s in (5, 10, 20):
                    for weight in (0.5, 1, 2, 3):
                        out[f"shipped less {weight} x words' soft maximum, s {s}"] = shipped - weight * shared.soft_max(Z, s)
                out["shipped less words' maximum"] = shipped - Z.max(1)
                out["shipped less 5 x words' mean"] = shipped - 5 * Z.mean(1)
                return out

            known, unknown = scores(kq), scores(uq)
            for name in known:
                results[(family, name)].append(shared.auroc(known[name], unknown[name]))
    names = list(dict.fromkeys(name for _, name in results))
    print(f"| score ({args.model}, words at {args.lexical_weight:g}, val, 5-shot AUROC %) | "
          + " | ".join(shared.OPEN_SET) + " | mean |")
    print("|---|" + "---|" * (len(shared.OPEN_SET) + 1))
    for name in names:
        row = [100 * np.mean(results[(f, name)]) for f in shared.OPEN_SET]
        print(f"| {name} | " + " | ".join(f"{x:.2f}" for x in row) + f" | {np.mean(row):.2f} |")


if __name__ == "__main__":
    sys.exit(main())
