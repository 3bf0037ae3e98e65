#!/usr/bin/env python3
"""Open-set scores that use a covariance or are learned, against the shipped one (issue 22), on the val
topics of the four genres with at least 8 val topics: 5 known labels of 5 examples, 3 unknown labels, 15
queries each, 300 episodes per genre, seed 1234, embeddings alone (no words). Prints the AUROC % of each
score by genre and its mean.

    python3 benchmarks/probes/open_set_scores.py [--model default] [--bin PATH]

Background: up to 30 lines of every train topic of the eight genres (seed 0), embedded by the model, as
`fewshot convert --background` embeds them. The shipped score is the best cosine less the soft maximum of
the cosines to the background topics (`BackgroundTopics`, s = 20, weight 1). Tried beside it:
  maha A      minus the least Mahalanobis distance to a prototype, with the within-topic covariance of the
              background lines shrunk towards its mean variance by A (Lee et al. 2018);
  rmaha A     the same plus the distance to the background's own Gaussian (relative Mahalanobis, Ren et
              al. 2021);
  wcos A      the best cosine after whitening by that covariance; wcos-bg A less its background term too;
  center, z   the best cosine less the label's mean leave-one-out cosine (z: divided by their spread too);
  learned     logistic regression on nine features of the cosines (best, second, mean, background soft
              maximum, maximum and mean, nearest example, nearest example of the best label, shipped
              score), fitted on episodes of the train topics with their own genre left out of the
              background, judged on the val episodes.
Needs numpy. A probe: what it found is recorded in models/README.md; nothing of it is in the product.
"""
import argparse, collections, os, random, subprocess, sys, tempfile
import numpy as np

FAMILIES = "domains categories bible fortunes trivia libreoffice gnome chitchat".split()
OPEN_SET = ["domains", "categories", "bible", "libreoffice"]


def read_corpora(root):
    """(family, label, text) of the val topics of the open-set genres, and up to 30 lines per train topic."""
    random.seed(0)
    val, train = [], []
    for family in FAMILIES:
        split = dict(line.rstrip("\n").split("\t") for line in open(f"{root}/corpora/{family}.split"))
        by = collections.defaultdict(list)
        for line in open(f"{root}/corpora/{family}.tsv"):
            label, text = line.rstrip("\n").split("\t", 1)
            by[label].append(text)
        for label, texts in by.items():
            if split[label] == "val" and family in OPEN_SET:
                val += [(family, label, t) for t in texts]
            if split[label] == "train":
                train += [(family, label, t) for t in random.sample(texts, min(30, len(texts)))]
    return val, train


def embed(binary, model, rows, folder, name):
    text_path, npy_path = f"{folder}/{name}.txt", f"{folder}/{name}.npy"
    with open(text_path, "w") as f:
        for _, _, text in rows:
            f.write(text.replace("\n", " ") + "\n")
    subprocess.run([binary, "embed", "--model", model, "--format", "npy", "-o", npy_path, text_path], check=True)
    return np.load(npy_path).astype(np.float64)


def rows_by_label(rows, family):
    """The positions of `rows` (family, label, text) of this family, by label, in order."""
    by = collections.defaultdict(list)
    for i, (f, label, _) in enumerate(rows):
        if f == family:
            by[label].append(i)
    return by


def topics_of(rows):
    """The (family, label) topics of `rows`, sorted, and each topic's row positions."""
    topics = collections.defaultdict(list)
    for i, (family, label, _) in enumerate(rows):
        topics[(family, label)].append(i)
    return sorted(topics), topics


def auroc(known, unknown):
    k, u = np.asarray(known)[:, None], np.asarray(unknown)[None, :]
    return (k > u).mean() + 0.5 * (k == u).mean()


def soft_max(cosines, s=20):
    return 1 + np.log(np.exp(s * (cosines - 1)).sum(1)) / s


def sample(by, labels, rng, queries=15, known=5, unknown=3, shots=5):
    chosen = rng.choice(len(labels), known + unknown, replace=False)
    support, known_queries, unknown_queries = [], [], []
    for c in chosen[:known]:
        rows = rng.permutation(by[labels[c]])
        support.append(rows[:shots])
        known_queries += list(rows[shots:shots + queries])
    for c in chosen[known:]:
        unknown_queries += list(rng.permutation(by[labels[c]])[:queries])
    return support, known_queries, unknown_queries


def features(E, support, rows, background):
    """Nine features of each row's cosines (see the module's doc); the last is the shipped score."""
    means = np.stack([E[s].mean(0) for s in support])
    P = means / np.linalg.norm(means, axis=1, keepdims=True)
    flat = np.concatenate(support)
    owner = np.concatenate([[j] * len(s) for j, s in enumerate(support)])
    X = E[rows]
    C = X @ P.T
    ordered = np.sort(C, 1)
    best_label = C.argmax(1)
    Z = X @ background.T
    near = X @ E[flat].T
    own = np.array([near[i, owner == best_label[i]].max() for i in range(len(rows))])
    b = soft_max(Z)
    return np.stack([ordered[:, -1], ordered[:, -2], C.mean(1), b, Z.max(1), Z.mean(1), near.max(1), own,
                     ordered[:, -1] - b], 1)


def embedded(description):
    """The probes' command line (--model, --bin), and the model's embeddings: the arguments, the val
    rows and their embeddings V, the background lines' embeddings T, their topics (sorted keys, and
    each one's rows), the topics' mean embeddings M, and their unit prototypes (the background)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default")
    parser.add_argument("--bin", default=None)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binary = args.bin or subprocess.run(["make", "-s", "-C", root, "print-bin"], capture_output=True, text=True,
                                        check=True).stdout.strip()
    val, train = read_corpora(root)
    with tempfile.TemporaryDirectory() as folder:
        V = embed(binary, args.model, val, folder, "val")
        T = embed(binary, args.model, train, folder, "train")
    keys, topics = topics_of(train)
    M = np.stack([T[topics[k]].mean(0) for k in keys])
    return args, val, V, T, keys, topics, M, M / np.linalg.norm(M, axis=1, keepdims=True)


def open_set_episodes(val, V):
    """The val episodes of every open-set genre (300 each, seed 1234): yields the family, the support
    rows of each known label, the known and unknown query rows, and the known labels' mean and unit
    prototype embeddings."""
    rng = np.random.default_rng(1234)
    for family in OPEN_SET:
        by = rows_by_label(val, family)
        labels = sorted(by)
        for _ in range(300):
            support, kq, uq = sample(by, labels, rng)
            means = np.stack([V[s].mean(0) for s in support])
            yield family, support, kq, uq, means, means / np.linalg.norm(means, axis=1, keepdims=True)


def record(results, family, known, unknown):
    """Adds each score's AUROC (known[name] over unknown[name]) to results[(family, name)]."""
    for name in known:
        results[(family, name)].append(auroc(known[name], unknown[name]))


def print_table(model, results):
    """AUROC % by open-set genre and their mean, one row per score (results[(family, score)])."""
    names = list(dict.fromkeys(name for _, name in results))
    print(f"| score ({model}, val, 5-shot AUROC %) | " + " | ".join(OPEN_SET) + " | mean |")
    print("|---|" + "---|" * (len(OPEN_SET) + 1))
    for name in names:
        row = [100 * np.mean(results[(f, name)]) for f in OPEN_SET]
        print(f"| {name} | " + " | ".join(f"{x:.2f}" for x in row) + f" | {np.mean(row):.2f} |")


def main():
    args, val, V, T, keys, topics, M, background = embedded(__doc__)
    residuals = np.concatenate([T[topics[k]] - M[j] for j, k in enumerate(keys)])
    within = residuals.T @ residuals / len(residuals)
    d = T.shape[1]
    mean0, total = T.mean(0), np.cov(T.T, bias=True)

    def inverse_root(S, a):
        S = (1 - a) * S + a * np.trace(S) / d * np.eye(d)
        w, U = np.linalg.eigh(S)
        return U @ np.diag(w ** -0.5) @ U.T

    shrinkages = [0.1, 0.3, 0.6]
    W = {a: inverse_root(within, a) for a in shrinkages}
    W0 = {a: inverse_root(total, a) for a in shrinkages}

    # The learned score: fitted on episodes of the train topics, their own genre out of the background.
    rng = np.random.default_rng(7)
    X, y = [], []
    for family in FAMILIES:
        by = {k[1]: topics[k] for k in keys if k[0] == family}
        labels = sorted(l for l in by if len(by[l]) >= 20)
        if len(labels) < 8:
            continue
        others = background[np.array([k[0] != family for k in keys])]
        for _ in range(150):
            support, kq, uq = sample(by, labels, rng, queries=10)
            X += [features(T, support, kq, others), features(T, support, uq, others)]
            y += [np.ones(len(kq)), np.zeros(len(uq))]
    X, y = np.concatenate(X), np.concatenate(y)
    mu, sd = X.mean(0), X.std(0)
    Xn = (X - mu) / sd
    weights, bias = np.zeros(X.shape[1]), 0.0
    for _ in range(3000):
        g = 1 / (1 + np.exp(-(Xn @ weights + bias))) - y
        weights -= 0.1 * (Xn.T @ g / len(y) + 1e-3 * weights)
        bias -= 0.1 * g.mean()

    results = collections.defaultdict(list)
    for family, support, kq, uq, means, P in open_set_episodes(val, V):
        spread = []
        for s in support:
            E, total_sum = V[s], V[s].sum(0)
            c = [e @ (total_sum - e) / np.linalg.norm(total_sum - e) for e in E]
            spread.append((np.mean(c), np.std(c) + 1e-3))
        loo_mean = np.array([m for m, _ in spread])
        loo_std = np.array([s for _, s in spread])

        def scores(rows):
            Xq = V[rows]
            C = Xq @ P.T
            best = C.max(1)
            b = soft_max(Xq @ background.T)
            out = {"best cosine (no background)": best, "shipped: best - background": best - b,
                   "center": (C - loo_mean).max(1), "z": ((C - loo_mean) / loo_std).max(1)}
            for a in shrinkages:
                Xw, Pw = Xq @ W[a], means @ W[a]
                distance = ((Xw[:, None, :] - Pw[None]) ** 2).sum(2).min(1)
                out[f"maha {a}"] = -distance
                out[f"rmaha {a}"] = -distance + (((Xq - mean0) @ W0[a]) ** 2).sum(1)
                Xn_ = Xw / np.linalg.norm(Xw, axis=1, keepdims=True)
                Pn = Pw / np.linalg.norm(Pw, axis=1, keepdims=True)
                Bw = M @ W[a]
                Bn = Bw / np.linalg.norm(Bw, axis=1, keepdims=True)
                out[f"wcos {a}"] = (Xn_ @ Pn.T).max(1)
                out[f"wcos-bg {a}"] = out[f"wcos {a}"] - soft_max(Xn_ @ Bn.T)
            out["learned"] = ((features(V, support, rows, background) - mu) / sd) @ weights
            return out

        record(results, family, scores(kq), scores(uq))
    print_table(args.model, results)


if __name__ == "__main__":
    sys.exit(main())
