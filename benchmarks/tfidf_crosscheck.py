#!/usr/bin/env python3
"""Cross-checks `fewshot eval --model tfidf` against scikit-learn on the same corpus and split.

Runs the peer rig's episode generator and nearest-centroid code (../shared/peers/fewshot_eval.py,
imported, not copied) with four TF-IDF variants on the test domains, 1,000 episodes, seed 0:
word terms (the peer's default) or WordPiece terms (ours, via HF tokenizers and vocab/vocab.txt),
IDF fitted on the peer's meta-train (every non-test domain) or on ours (the meta-train split of
both families). Run from the repository root:
    ../shared/peers/.venv/bin/python benchmarks/tfidf_crosscheck.py
"""
import sys, numpy as np
sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__file__), '..', '..', 'shared', 'peers'))
import fewshot_eval as fe
from sklearn.feature_extraction.text import TfidfVectorizer
from tokenizers import BertWordPieceTokenizer
labels, texts = fe.read_tsv('corpora/domains.tsv')
split = dict(l.rstrip('\n').split('\t') for l in open('corpora/domains.split'))
test_l = sorted(l for l, s in split.items() if s == 'test')
cat = [l.rstrip('\n').split('\t',1) for l in open('corpora/categories.tsv')]
csplit = dict(l.rstrip('\n').split('\t') for l in open('corpora/categories.split'))
train_texts_peer = [t for l, t in zip(labels, texts) if split[l] != 'test']
train_texts_ours = [t for l, t in zip(labels, texts) if split[l] == 'train'] + [t for l, t in cat if csplit[l] == 'train']
tok = BertWordPieceTokenizer('vocab/vocab.txt', lowercase=True)
def wp(t): return tok.encode(t, add_special_tokens=False).tokens
def run(name, vec, fit):
    vec.fit(fit)
    for k in (1, 5):
        eps = fe.make_episodes(labels, test_l, 5, k, 15, 1000, 0)
        accs = []
        X = vec.transform(texts).tocsr()
        for s, q in eps:
            names = list(dict.fromkeys(labels[s])); cid = {n: i for i, n in enumerate(names)}
            ys = np.array([cid[l] for l in labels[s]]); yq = np.array([cid[l] for l in labels[q]])
            pred = fe.nearest_centroid_cos(X[s], ys, X[q], 5)
            accs.append((pred == yq).mean())
        m, ci = fe.mean_ci(accs)
        print(f"{name:40s} K={k} {100*m:.2f} ± {100*ci:.2f}")
run('words, fit peer (domains non-test)', TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True, min_df=2), train_texts_peer)
run('words, fit ours (meta-train all)', TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True, min_df=2), train_texts_ours)
run('wordpiece, fit peer', TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True, min_df=2, analyzer=lambda t: (lambda w: w + [a+' '+b for a,b in zip(w,w[1:])])(wp(t))), train_texts_peer)
run('wordpiece, fit ours', TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True, min_df=2, analyzer=lambda t: (lambda w: w + [a+' '+b for a,b in zip(w,w[1:])])(wp(t))), train_texts_ours)
