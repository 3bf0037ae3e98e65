#!/usr/bin/env python3
"""Two encoders' scores added (issues 22 and 23): does `default` gain from `fast`'s static vectors beside its own,
in accuracy and in telling unknown lines? On the val topics of the eight genres: 5-way 5-shot, 15 queries, 300
episodes per genre, seed 1234; the open-set episodes of open_set_scores.py (5 known labels, 3 unknown) on its
four genres.

    python3 benchmarks/probes/ensemble.py [--model default --model fast ...] [--bin PATH]

A pair's score is a times the first model's cosine to a label's prototype plus (1 - a) times the second's, plus
W times the words' TF-IDF cosine (lexical_background.py's TF-IDF, fitted on the train-topic lines). Its open-set
score is the best such score less B times the soft maximum (s 20) of the line's cosines to the background
topics, a times the first model's plus (1 - a) times the second's. Needs numpy and scipy. A probe: what it
found is recorded in models/README.md; nothing of it is in the product.
"""
import argparse, collections, itertools, os, subprocess, sys, tempfile
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import open_set_scores as shared  # noqa: E402
import lexical_background as lexical  # noqa: E402

WEIGHTS = {"default": 2.0, "fast": 1.5, "accurate": 0.75}
BACKGROUND = {"default": 1.0, "fast": 0.5, "accurate": 0.5}


def unit(M):
    return M / np.maximum(np.linalg.norm(M, axis=1, keepdims=True), 1e-12)


def closed_episodes(rows, family, rng, episodes=300, ways=5, shots=5, queries=15):
    by = shared.rows_by_label(rows, family)
    labels = sorted(k for k, v in by.items() if len(v) > shots)
    for _ in range(episodes):
        chosen = rng.choice(len(labels), ways, replace=False)
        support, query, truth = [], [], []
        for j, c in enumerate(chosen):
            order = rng.permutation(by[labels[c]])
            support.append(order[:shots])
            query += list(order[shots:shots + queries])
            truth += [j] * len(order[shots:shots + queries])
        yield support, np.array(query), np.array(truth)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", default=None)
    parser.add_argument("--bin", default=None)
    args = parser.parse_args()
    models = args.model or ["default", "fast"]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binary = args.bin or subprocess.run(["make", "-s", "-C", root, "print-bin"], capture_output=True, text=True,
                                        check=True).stdout.strip()
    vocab = f"{root}/Tests/TokenizationTests/Fixtures/minilm_vocab.txt"
    val = lexical.lines_of(root, "val")
    _, train = shared.read_corpora(root)
    with tempfile.TemporaryDirectory() as folder:
        matrix = lexical.tfidf(lexical.token_ids(binary, vocab, lexical.lines_of(root, "train"), folder, "fit"))
        L = matrix(lexical.token_ids(binary, vocab, val, folder, "val"))
        E, B = {}, {}
        keys, topics = shared.topics_of(train)
        for m in models:
            E[m] = shared.embed(binary, m, val, folder, f"val-{len(E)}")
            T = shared.embed(binary, m, train, folder, f"train-{len(B)}")
            B[m] = unit(np.stack([T[topics[k]].mean(0) for k in keys]))
            print(f"embedded with {m}", file=sys.stderr)
    name = {m: os.path.basename(m).replace(".safetensors", "") for m in models}
    settings = [((m,), (1.0,), WEIGHTS.get(name[m], 2.0), BACKGROUND.get(name[m], 1.0)) for m in models]
    for first, second in itertools.combinations(models, 2):
        for a in (0.4, 0.5, 0.6, 0.7):
            for w in (1.0, 1.5, 2.0):
                for b in (0.5, 1.0):
                    settings.append(((first, second), (a, 1 - a), w, b))

    def label(setting):
        ms, mix, w, b = setting
        return " + ".join(f"{x:g} {name[m]}" for m, x in zip(ms, mix)) + f", W {w:g}, B {b:g}"

    closed = collections.defaultdict(list)
    rng = np.random.default_rng(1234)
    for family in shared.FAMILIES:
        for support, query, truth in closed_episodes(val, family, rng):
            C = unit(np.vstack([np.asarray(L[s].sum(0)) for s in support]))
            words = np.asarray(L[query] @ C.T)
            dense = {m: E[m][query] @ unit(np.stack([E[m][s].mean(0) for s in support])).T for m in models}
            for setting in settings:
                ms, mix, w, _ = setting
                score = sum(x * dense[m] for m, x in zip(ms, mix)) + w * words
                closed[(family, label(setting))].append((score.argmax(1) == truth).mean())
    opened = collections.defaultdict(list)
    rng = np.random.default_rng(1234)
    for family in shared.OPEN_SET:
        by = shared.rows_by_label(val, family)
        labels = sorted(by)
        for _ in range(300):
            support, kq, uq = shared.sample(by, labels, rng)
            C = unit(np.vstack([np.asarray(L[s].sum(0)) for s in support]))
            P = {m: unit(np.stack([E[m][s].mean(0) for s in support])) for m in models}

            def score(rows, setting):
                ms, mix, w, b = setting
                best = (sum(x * (E[m][rows] @ P[m].T) for m, x in zip(ms, mix)) + w * np.asarray(L[rows] @ C.T)).max(1)
                return best - b * shared.soft_max(sum(x * (E[m][rows] @ B[m].T) for m, x in zip(ms, mix)))

            for setting in settings:
                opened[(family, label(setting))].append(shared.auroc(score(kq, setting), score(uq, setting)))
    names = list(dict.fromkeys(n for _, n in closed))
    print("| val, 5-shot accuracy % | " + " | ".join(shared.FAMILIES) + " | mean | AUROC " +
          " | ".join(shared.OPEN_SET) + " | AUROC mean |")
    print("|---|" + "---|" * (len(shared.FAMILIES) + len(shared.OPEN_SET) + 2))
    for n in names:
        row = [100 * np.mean(closed[(f, n)]) for f in shared.FAMILIES]
        auc = [100 * np.mean(opened[(f, n)]) for f in shared.OPEN_SET]
        print(f"| {n} | " + " | ".join(f"{x:.2f}" for x in row) + f" | {np.mean(row):.2f} | "
              + " | ".join(f"{x:.2f}" for x in auc) + f" | {np.mean(auc):.2f} |")


if __name__ == "__main__":
    sys.exit(main())
