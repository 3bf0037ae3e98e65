#!/usr/bin/env python3
"""Prototypes refined by the unlabelled lines themselves (issue 24: a per-task update that pays on topics).
A classifier sees its examples and then a stream of lines; soft k-means (Ren et al. 2018, "Meta-learning
for semi-supervised few-shot classification") adds each unlabelled line to every prototype in proportion
to its probability for that label, and scores again. Does that gain on the val topics, and does it still
gain when the stream is what a user's stream is: labels in unequal numbers, and lines of none of them?

    python3 benchmarks/probes/transductive.py [--model default] [--lexical-weight 1.5] [--bin PATH]

Episodes: the val topics of the eight genres, 5-way 5-shot, 300 per genre, seed 1234, hybrid scores (the
cosine plus W times the TF-IDF cosine, lexical_background.py's TF-IDF fitted on the train-topic lines).
Three settings: "balanced", a stream of 15 lines of each label, refined on and scored; "skewed", each label's
count drawn from 1 to 15, and as many lines again from up to 3 other val labels of the genre ("none of these",
not scored); "pool", refined on such a skewed stream (up to 15, or up to 60 lines a label) and scored on 5
other lines of each label (what refining on a sample of a user's stream gives the lines that come after it).
Refinement:
p = softmax(T x score) over the labels; a label's new dense and TF-IDF prototypes are the sums of its
examples plus lam x p of every stream line; `iterations` rounds. Accuracy is of the scored lines of the
episode's labels, before and after. Needs numpy and scipy. A probe: what it found is recorded in
models/README.md; nothing of it is in the product.
"""
import collections, os, sys, tempfile
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import open_set_scores as shared  # noqa: E402
import lexical_background as lexical  # noqa: E402


def unit(M):
    return M / np.maximum(np.linalg.norm(M, axis=1, keepdims=True), 1e-12)


def episodes(by, labels, rng, skewed, count=300, ways=5, shots=5, most=15):
    usable = [k for k in labels if len(by[k]) > shots + 1]
    for _ in range(count):
        # Up to 3 other labels for "none of these" (a genre with fewer val topics gives fewer).
        others = min(3, len(usable) - ways) if skewed else 0
        chosen = rng.choice(len(usable), ways + others, replace=False)
        support, stream, truth = [], [], []
        for j, c in enumerate(chosen[:ways]):
            order = rng.permutation(by[usable[c]])
            support.append(order[:shots])
            n = int(rng.integers(1, most + 1)) if skewed else most
            take = order[shots:shots + n]
            stream += list(take)
            truth += [j] * len(take)
        if others:
            pool = np.concatenate([by[usable[c]] for c in chosen[ways:]])
            extra = rng.permutation(pool)[:len(stream)]
            stream += list(extra)
            truth += [-1] * len(extra)
        yield support, np.array(stream), np.array(truth)


def pool_episodes(by, labels, rng, count=300, ways=5, shots=5, queries=5, most=15):
    """Support, an unlabelled pool (each label 1 to `most` lines, as many again from up to 3 other labels)
    and separate queries of the episode's labels: what refining on a sample of the stream gives new lines."""
    usable = [k for k in labels if len(by[k]) > shots + queries + 1]
    for _ in range(count):
        others = min(3, len(usable) - ways)
        chosen = rng.choice(len(usable), ways + others, replace=False)
        support, pool, query, truth = [], [], [], []
        for j, c in enumerate(chosen[:ways]):
            order = rng.permutation(by[usable[c]])
            support.append(order[:shots])
            query += list(order[shots:shots + queries])
            truth += [j] * len(order[shots:shots + queries])
            pool += list(order[shots + queries:shots + queries + int(rng.integers(1, most + 1))])
        if others:
            extra = rng.permutation(np.concatenate([by[usable[c]] for c in chosen[ways:]]))[:len(pool)]
            pool += list(extra)
        yield support, np.array(pool), np.array(query), np.array(truth)


def refine(E, L, support, stream, w, temperature, lam, iterations, scored=None):
    """Scores of the `scored` lines (default: the stream's) after `iterations` rounds of soft k-means on the
    stream (0: the plain prototypes)."""
    scored = stream if scored is None else scored
    dense_sum = np.stack([E[s].sum(0) for s in support])
    words_sum = np.vstack([np.asarray(L[s].sum(0)) for s in support])
    Eq, Lq = E[stream], L[stream]
    dense, words = unit(dense_sum), unit(words_sum)
    for _ in range(iterations):
        score = Eq @ dense.T + w * np.asarray(Lq @ words.T)
        p = np.exp(temperature * (score - score.max(1, keepdims=True)))
        p /= p.sum(1, keepdims=True)
        dense = unit(dense_sum + lam * p.T @ Eq)
        words = unit(words_sum + lam * np.asarray((Lq.T @ p).T))
    return E[scored] @ dense.T + w * np.asarray(L[scored] @ words.T)


def main():
    args, root, binary, vocab = lexical.setup(__doc__, "default", 1.5)
    val = lexical.lines_of(root, "val")
    with tempfile.TemporaryDirectory() as folder:
        matrix = lexical.tfidf(lexical.token_ids(binary, vocab, lexical.lines_of(root, "train"), folder, "fit"))
        L = matrix(lexical.token_ids(binary, vocab, val, folder, "val"))
        E = shared.embed(binary, args.model, val, folder, "val")
    settings = [(0, 1.0, 0)] + [(t, lam, it) for t in (10, 20) for lam in (0.5, 1.0) for it in (1, 2)]
    results = collections.defaultdict(list)
    for stream_kind in ("balanced", "skewed"):
        rng = np.random.default_rng(1234)
        for family in shared.FAMILIES:
            by = shared.rows_by_label(val, family)
            for support, stream, truth in episodes(by, sorted(by), rng, stream_kind == "skewed"):
                known = truth >= 0
                for t, lam, it in settings:
                    score = refine(E, L, support, stream, args.lexical_weight, t, lam, it)
                    results[(stream_kind, family, t, lam, it)].append((score[known].argmax(1) == truth[known]).mean())
    for most in (15, 60):
        rng = np.random.default_rng(1234)
        for family in shared.FAMILIES:
            by = shared.rows_by_label(val, family)
            for support, pool, query, truth in pool_episodes(by, sorted(by), rng, most=most):
                for t, lam, it in settings:
                    score = refine(E, L, support, pool, args.lexical_weight, t, lam, it, scored=query)
                    results[(f"pool of up to {most} lines a label", family, t, lam, it)].append((score.argmax(1) == truth).mean())
    for stream_kind in ("balanced", "skewed", "pool of up to 15 lines a label", "pool of up to 60 lines a label"):
        print(f"\n{stream_kind}, {args.model}, W {args.lexical_weight:g}, val, 5-shot accuracy %\n")
        print("| T, lam, rounds | " + " | ".join(shared.FAMILIES) + " | mean |")
        print("|---|" + "---|" * (len(shared.FAMILIES) + 1))
        for t, lam, it in settings:
            row = [100 * np.mean(results[(stream_kind, f, t, lam, it)]) for f in shared.FAMILIES]
            name = "plain prototypes" if it == 0 else f"T {t}, lam {lam:g}, {it} round{'s' if it > 1 else ''}"
            print(f"| {name} | " + " | ".join(f"{x:.2f}" for x in row) + f" | {np.mean(row):.2f} |")


if __name__ == "__main__":
    sys.exit(main())
