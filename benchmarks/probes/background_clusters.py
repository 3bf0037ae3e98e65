#!/usr/bin/env python3
"""Background clusters instead of background topics (issue 22), on the episodes of `open_set_scores.py` (the
val topics of the four genres with at least 8 val topics: 5 known labels of 5 examples, 3 unknown labels, 15
queries each, 300 episodes per genre, seed 1234), embeddings alone. Prints the AUROC % of each score by genre
and its mean.

    python3 benchmarks/probes/background_clusters.py [--model default] [--bin PATH]

The shipped score is the best cosine less the soft maximum (s 20) of the line's cosines to the background
topics: the unit prototypes of the 1,157 train topics of the eight genres. A topic is a label someone chose,
and the topics of one genre are as many as its labels, so WordNet's many glosses crowd the background while
help pages or chats are a handful of points. Tried: the same term over the k-means centroids of the same
background lines (k 300, 1,157 or 3,000; unit lines, spherical k-means by scikit-learn's k-means on them, seed
0), alone or beside the topics, at s 20 and 30. Needs numpy and scikit-learn. A probe: what it found is
recorded in models/README.md; nothing of it is in the product.
"""
import collections, os, sys
import numpy as np
from sklearn.cluster import KMeans

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from open_set_scores import embedded, open_set_episodes, print_table, record, soft_max


def unit(rows):
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def main():
    args, val, V, T, _, _, _, topics = embedded(__doc__)
    backgrounds = {"shipped: the 1,157 topics": topics}
    for k in (300, 1157, 3000):
        centroids = unit(KMeans(n_clusters=k, n_init=1, random_state=0).fit(unit(T)).cluster_centers_)
        backgrounds[f"{k} clusters"] = centroids
        backgrounds[f"topics and {k} clusters"] = np.vstack([topics, centroids])
    results = collections.defaultdict(list)
    for family, _, kq, uq, _, P in open_set_episodes(val, V):
        def scores(rows):
            X = V[rows]
            best = (X @ P.T).max(1)
            out = {}
            for name, background in backgrounds.items():
                cosines = X @ background.T
                for s in (20, 30):
                    out[f"{name}, s {s}"] = best - soft_max(cosines, s)
            return out
        record(results, family, scores(kq), scores(uq))
    print_table(args.model, results)


if __name__ == "__main__":
    sys.exit(main())
