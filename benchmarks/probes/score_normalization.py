#!/usr/bin/env python3
"""Open-set scores normalized on both sides against the background topics (issue 22), against the shipped
one, on the episodes of `open_set_scores.py` (the val topics of the four genres with at least 8 val topics:
5 known labels of 5 examples, 3 unknown labels, 15 queries each, 300 episodes per genre, seed 1234),
embeddings alone. Prints the AUROC % of each score by genre and its mean.

    python3 benchmarks/probes/score_normalization.py [--model default] [--bin PATH]

The shipped score normalizes the query side only: the best cosine less the query's soft maximum over the
background topics (T-norm in speaker verification's terms). A label whose prototype sits in a crowded part
of the space draws unknown lines with high cosines all the same; the label side (Z-norm) measures that from
the prototype's own cosines to the background topics, once per label when the classifier is trained.
Tried:
  label-soft G      the shipped score less G times the soft maximum of the label's prototype against the
                    background topics, per label, then the best label;
  label-top K G     the same with the mean of the prototype's K highest background cosines;
  s-norm K          adaptive s-norm (Matejka et al. 2017): the mean of (s - mean_q) / sd_q and
                    (s - mean_l) / sd_l over the K highest background cosines of the query and of the label;
  z-norm K          its label half alone;
  top-means K       the best cosine less the mean of the K highest background cosines on each side;
  without ...       the shipped score with the background topics nearest the labels left out of the query's
                    term (each label's k nearest, or those at a cosine of t or more to a label): a known line's
                    own kind should not count against it.
Needs numpy. A probe: what it found is recorded in models/README.md; nothing of it is in the product.
"""
import collections, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from open_set_scores import embedded, open_set_episodes, print_table, record, soft_max


def top_mean_sd(cosines, k):
    top = -np.sort(-cosines, axis=1)[:, :k]
    return top.mean(1), top.std(1) + 1e-6


def main():
    args, val, V, _, _, _, _, background = embedded(__doc__)

    results = collections.defaultdict(list)
    for family, _, kq, uq, _, P in open_set_episodes(val, V):
        label_cosines = P @ background.T
        label_soft = soft_max(label_cosines)

        def scores(rows):
            Xq = V[rows]
            C = Xq @ P.T
            query_cosines = Xq @ background.T
            b = soft_max(query_cosines)
            out = {"best cosine (no background)": C.max(1), "shipped: best - background": C.max(1) - b}
            for k in (1, 3, 10):
                # The query's background without each label's k nearest topics (the labels' own kind).
                mask = np.ones(background.shape[0], bool)
                mask[np.argsort(-label_cosines, axis=1)[:, :k].ravel()] = False
                out[f"without labels' {k} nearest"] = C.max(1) - soft_max(query_cosines[:, mask])
            for t in (0.5, 0.6, 0.7):
                mask = label_cosines.max(0) < t
                out[f"without topics >= {t} to a label"] = C.max(1) - soft_max(query_cosines[:, mask])
            for g in (0.25, 0.5, 1.0):
                out[f"label-soft {g}"] = (C - g * label_soft[None, :]).max(1) - b
            for k in (5, 20, 100):
                ml, sl = top_mean_sd(label_cosines, k)
                mq, sq = top_mean_sd(query_cosines, k)
                for g in (0.5, 1.0):
                    out[f"label-top {k} {g}"] = (C - g * ml[None, :]).max(1) - b
                out[f"s-norm {k}"] = (0.5 * ((C - mq[:, None]) / sq[:, None] + (C - ml[None, :]) / sl[None, :])).max(1)
                out[f"z-norm {k}"] = ((C - ml[None, :]) / sl[None, :]).max(1)
                out[f"top-means {k}"] = (C - ml[None, :]).max(1) - mq
            return out

        record(results, family, scores(kq), scores(uq))
    print_table(args.model, results)


if __name__ == "__main__":
    main()
