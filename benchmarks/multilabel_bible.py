#!/usr/bin/env python3
"""Multi-label few-shot evaluation on verses filed under several Bible topics (Nave's), unseen topics only.

Nave's Topical Bible files many verses under several topics. `corpora/bible.tsv` keeps one topic per verse;
this benchmark goes back to the sources (the same `sword-dict-naves` and `sword-text-web` dumps that
scripts/build_bible_corpus.py reads) and keeps every topic of a verse, among the topics of one split of
`corpora/bible.split` (default: test, topics no shipped encoder was meta-trained on).

An episode: N topics that share verses (an anchor topic and N-1 drawn from the 2(N-1) topics whose verse sets
overlap most with it, by Jaccard), K random support verses per topic (a verse brings all its labels among the N,
so each topic has K or more), and Q other verses of these topics as queries, each with its full label set. Few
verses have two of the N topics (Nave's files most verses once), so the queries take up to Q/2 of those and fill
up with single-topic verses: a test of deciding how many labels apply, not only which. Systems, on the same
episodes:

  fewshot MODEL  `fewshot train --multi-label` on the support lines (label,label<TAB>text), then `fewshot
                 classify` of the queries: a label applies when its own probability is 0.5 or more.
  tfidf          per-label TF-IDF prototypes (IDF from the train-split texts of corpora/bible.tsv), each label's
                 cosine threshold chosen on the support set by the same leave-one-out rule fewshot uses
                 (balanced accuracy; MultiLabelFit): the per-label TF-IDF baseline.
  all labels     every label on every query (what micro-F1 gives without any model).

Prints micro-F1 (pooled over all episodes), its per-episode mean with a 95% interval, the per-episode
difference to tfidf on the same episodes (paired, with its 95% interval), macro-F1, subset accuracy and
Hamming loss. Standard library only; deterministic for a seed.

  usage: benchmarks/multilabel_bible.py [--model default --model accurate] [--episodes 200] [--seed 0]
"""
import argparse
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import build_bible_corpus as bible  # noqa: E402

WORD = re.compile(r"\w+")


def read_split():
    """{label: train|val|test} of corpora/bible.split."""
    return dict(line.rstrip("\n").split("\t") for line in open(os.path.join(ROOT, "corpora/bible.split"), encoding="utf-8"))


def episodes_source(sword_dir, split, split_name):
    """({label: set of verse ids}, {verse id: text}) for the topics of `split_name`, unique verse texts only."""
    verses = bible.read_web(sword_dir)
    topics, _ = bible.read_nave(sword_dir, verses)
    count = Counter(verses.values())
    chosen = {}
    for name, refs in sorted(topics.items()):
        label = bible.label_of(name)
        if split.get(label) == split_name:
            chosen[label] = {v for v in refs if count[verses[v]] == 1}
    return chosen, verses


def sample_episodes(topics, ways, shots, queries, episodes, seed):
    """Deterministic episodes: (labels, support [(labels, verse)], query [(labels, verse)])."""
    rng = random.Random(seed)
    usable = sorted(t for t, v in topics.items() if len(v) >= shots + 2)
    out = []
    while len(out) < episodes:
        anchor = rng.choice(usable)
        overlap = sorted((-len(topics[anchor] & topics[t]) / len(topics[anchor] | topics[t]), t)
                         for t in usable if t != anchor and topics[anchor] & topics[t])
        if len(overlap) < ways - 1:
            continue
        labels = [anchor] + rng.sample([t for _, t in overlap[:2 * (ways - 1)]], ways - 1)
        rng.shuffle(labels)
        members = lambda v: [l for l in labels if v in topics[l]]  # noqa: E731
        support, have = [], Counter()
        for label in labels:
            candidates = sorted(topics[label] - {v for _, v in support})
            rng.shuffle(candidates)
            for v in candidates:
                if have[label] >= shots:
                    break
                support.append((members(v), v))
                have.update(members(v))
        pool = sorted(set().union(*(topics[l] for l in labels)) - {v for _, v in support})
        rng.shuffle(pool)
        several = [v for v in pool if len(members(v)) > 1][:queries // 2]
        single = [v for v in pool if len(members(v)) == 1][:queries - len(several)]
        chosen = several + single
        rng.shuffle(chosen)
        out.append((labels, support, [(members(v), v) for v in chosen]))
    return out


class Tfidf:
    def __init__(self, texts):
        df = Counter()
        for text in texts:
            df.update(set(WORD.findall(text.lower())))
        n = len(texts)
        self.idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
        self.unseen = math.log(1 + n) + 1

    def vector(self, text):
        tf = Counter(WORD.findall(text.lower()))
        v = {w: c * self.idf.get(w, self.unseen) for w, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1
        return {w: x / norm for w, x in v.items()}


def dot(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0) for w, x in a.items())


def add(total, v, sign=1):
    out = dict(total)
    for w, x in v.items():
        out[w] = out.get(w, 0) + sign * x
    return out


def cosine(v, total):
    norm = math.sqrt(sum(x * x for x in total.values()))
    return dot(v, total) / norm if norm > 0 else 0.0


def separating(known, unknown):
    """The threshold maximizing balanced accuracy of `score >= t` (OpenSetThreshold.separating)."""
    values = sorted(known + unknown)
    candidates = [values[0] - 1e-3] + [(a + b) / 2 for a, b in zip(values, values[1:]) if a < b] + [values[-1] + 1e-3]
    best, best_score = candidates[0], -1.0
    for t in candidates:
        score = (sum(s >= t for s in known) / max(len(known), 1) + sum(s < t for s in unknown) / max(len(unknown), 1)) / 2
        if score > best_score:
            best, best_score = t, score
    return best


def tfidf_predict(tfidf, labels, support, query, verses):
    vectors = [tfidf.vector(verses[v]) for _, v in support]
    sums = {l: {} for l in labels}
    for (members, _), vec in zip(support, vectors):
        for l in members:
            sums[l] = add(sums[l], vec)
    thresholds = {}
    for l in labels:
        known, unknown = [], []
        for (members, _), vec in zip(support, vectors):
            if l in members:
                known.append(cosine(vec, add(sums[l], vec, -1)))  # leave-one-out
            else:
                unknown.append(cosine(vec, sums[l]))
        thresholds[l] = separating(known, unknown) if known and unknown else 0.5
    return [{l for l in labels if cosine(tfidf.vector(verses[v]), sums[l]) >= thresholds[l]} for _, v in query]


def fewshot_predict(binary, model, support, query, verses, folder):
    support_path, fsc = os.path.join(folder, "support.tsv"), os.path.join(folder, "episode.fsc")
    with open(support_path, "w", encoding="utf-8") as f:
        for members, v in support:
            f.write("%s\t%s\n" % (",".join(members), verses[v]))
    subprocess.run([binary, "train", "--multi-label", "--model", model, "--examples", support_path, "-o", fsc],
                   check=True, capture_output=True)
    lines = "".join(verses[v] + "\n" for _, v in query)
    out = subprocess.run([binary, "classify", fsc, "--format", "json"], input=lines.encode(), check=True,
                         capture_output=True).stdout.decode().splitlines()
    if len(out) != len(query):
        sys.exit("fewshot classify printed %d lines for %d queries" % (len(out), len(query)))
    return [{entry["label"] for entry in json.loads(line)["labels"]} for line in out]


class Scores:
    def __init__(self):
        self.tp, self.fp, self.fn = Counter(), Counter(), Counter()
        self.episode_micro, self.subset, self.hamming, self.macro = [], [], [], []

    def add(self, labels, truth, predicted):
        tp = fp = fn = 0
        per = defaultdict(lambda: [0, 0, 0])
        for t, p in zip(truth, predicted):
            for l in labels:
                key = (l in t, l in p)
                if key == (True, True):
                    per[l][0] += 1
                elif key == (False, True):
                    per[l][1] += 1
                elif key == (True, False):
                    per[l][2] += 1
        for l, (a, b, c) in per.items():
            tp, fp, fn = tp + a, fp + b, fn + c
        self.tp["all"] += tp
        self.fp["all"] += fp
        self.fn["all"] += fn
        self.episode_micro.append(2 * tp / max(2 * tp + fp + fn, 1))
        f1s = [2 * a / max(2 * a + b + c, 1) for l, (a, b, c) in per.items() if a + c > 0]
        self.macro.append(statistics.mean(f1s) if f1s else 0.0)
        self.subset.append(statistics.mean(set(t) == set(p) for t, p in zip(truth, predicted)))
        self.hamming.append(statistics.mean(len(set(t) ^ set(p)) / len(labels) for t, p in zip(truth, predicted)))

    def row(self, name, baseline):
        tp, fp, fn = self.tp["all"], self.fp["all"], self.fn["all"]
        micro = 2 * tp / max(2 * tp + fp + fn, 1)
        mean, half = interval(self.episode_micro)
        # Paired over the same episodes: what the episode-to-episode spread hides.
        gain, gain_half = interval([a - b for a, b in zip(self.episode_micro, baseline.episode_micro)])
        return "| %s | %.1f | %.1f ± %.1f | %+.1f ± %.1f | %.1f | %.1f | %.3f |" % (
            name, 100 * micro, 100 * mean, 100 * half, 100 * gain, 100 * gain_half, 100 * statistics.mean(self.macro),
            100 * statistics.mean(self.subset), statistics.mean(self.hamming))


def interval(values):
    """Mean and the half-width of its 95% interval."""
    return statistics.mean(values), 1.96 * statistics.stdev(values) / math.sqrt(len(values))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", action="append", help="fewshot models (repeatable; default: default)")
    ap.add_argument("--bin", default=None, help="the fewshot binary (default: make -s print-bin)")
    ap.add_argument("--split", default="test", choices=["train", "val", "test"])
    ap.add_argument("--ways", type=int, default=5)
    ap.add_argument("--shots", type=int, default=5)
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--episodes", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sword-dir", default="/usr/share/sword")
    args = ap.parse_args()
    binary = args.bin or subprocess.run(["make", "-s", "print-bin"], cwd=ROOT, check=True, capture_output=True,
                                        text=True).stdout.strip()
    split = read_split()
    topics, verses = episodes_source(args.sword_dir, split, args.split)
    episodes = sample_episodes(topics, args.ways, args.shots, args.queries, args.episodes, args.seed)
    queries = [q for _, _, query in episodes for q in query]
    several = sum(len(m) > 1 for m, _ in queries)
    print("%d %s topics; %d episodes of %d-way %d-shot, %d queries, %.0f%% of them with 2+ labels (mean %.2f labels)"
          % (len(topics), args.split, len(episodes), args.ways, args.shots, len(queries), 100 * several / len(queries),
             statistics.mean(len(m) for m, _ in queries)), flush=True)
    train_texts = [line.rstrip("\n").split("\t", 1)[1] for line in open(os.path.join(ROOT, "corpora/bible.tsv"), encoding="utf-8")
                   if split.get(line.split("\t", 1)[0]) == "train"]
    tfidf = Tfidf(train_texts)
    systems = {"all labels": Scores(), "tfidf": Scores()}
    for model in args.model or ["default"]:
        systems["fewshot " + model] = Scores()
    with tempfile.TemporaryDirectory() as folder:
        for index, (labels, support, query) in enumerate(episodes):
            truth = [set(m) for m, _ in query]
            systems["all labels"].add(labels, truth, [set(labels)] * len(query))
            systems["tfidf"].add(labels, truth, tfidf_predict(tfidf, labels, support, query, verses))
            for model in args.model or ["default"]:
                systems["fewshot " + model].add(labels, truth, fewshot_predict(binary, model, support, query, verses, folder))
            if (index + 1) % 20 == 0:
                print("... %d/%d episodes" % (index + 1, len(episodes)), file=sys.stderr, flush=True)
    print("| system | micro-F1 (pooled) | micro-F1 per episode | vs tfidf, paired | macro-F1 | subset accuracy | Hamming loss |")
    print("|---|---|---|---|---|---|---|")
    for name, scores in systems.items():
        print(scores.row(name, systems["tfidf"]))


if __name__ == "__main__":
    main()
