#!/usr/bin/env python3
"""How far supervised learning gets on corpora/sentiment.tsv's sentences, with an encoder (issue 24).

benchmarks/sentiment_ceiling.py bounds the task with TF-IDF; this bounds it with the encoders themselves, trained
on every train sentence (4,000 per label) and scored on the 8,000 val sentences, as a 2-way 8-shot classifier is
scored (on val):

- logistic regression on frozen embeddings (`fewshot embed` of each --model), with a learning curve of 8 to 4,000
  labelled sentences per label (20 draws below 1,000, 3 above; seed 0);
- with --finetune, all-MiniLM-L6-v2 fine-tuned end to end with a linear head on its mean-pooled embedding
  (cross-entropy, AdamW 2e-5, batch 32, 64 tokens, 3 epochs, seed 0; scored after each epoch). Needs the peers'
  torch environment (bash ../shared/peers/setup.sh torch).

  ../shared/peers/.venv-torch/bin/python benchmarks/sentiment_dense_ceiling.py --model accurate --model default \
      --model fast --model all-MiniLM-L6-v2=$MINILM [--finetune $MINILM] [--bin .build/release/fewshot]

MINILM is the all-MiniLM-L6-v2 directory of the peer rig (`python -c "import minilm; print(minilm.model_dir())"`
in ../shared/peers); a --model given as NAME=PATH is shown as NAME.
"""
import argparse
import os
import subprocess
import tempfile

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def sentences(split):
    """The (text, 1 for positive) pairs of `split` in corpora/sentiment.tsv, in file order."""
    rows = []
    with open(os.path.join(ROOT, "corpora", "sentiment.tsv"), encoding="utf-8") as corpus:
        for line in corpus:
            label, text = line.rstrip("\n").split("\t", 1)
            if label.endswith("_" + split):
                rows.append((text, int(label.startswith("positive"))))
    return rows


def embedded(binary, model, texts, directory):
    """`fewshot embed --model MODEL` of the texts, one row each."""
    source = os.path.join(directory, "texts.txt")
    with open(source, "w", encoding="utf-8") as out:
        out.write("".join(t + "\n" for t in texts))
    target = os.path.join(directory, "embedded.npy")
    subprocess.run([binary, "embed", "--model", model, "--format", "npy", "-o", target, source], check=True,
                   stderr=subprocess.DEVNULL)
    return np.load(target)


def sizes(train_y):
    """The labelled sentences per label of the learning curve: 8 to all of the smaller label."""
    return (8, 32, 128, 512, 2000, int(min(np.sum(train_y == 0), np.sum(train_y == 1))))


def learning_curve(train_x, train_y, val_x, val_y):
    """Val accuracy % of logistic regression on n labelled sentences per label, n from 8 to all."""
    rng = np.random.default_rng(0)
    by_label = [np.where(train_y == label)[0] for label in (0, 1)]
    curve = []
    for n in sizes(train_y):
        scores = []
        for _ in range(20 if n < 1000 else 3):
            chosen = np.concatenate([rng.choice(i, n, replace=False) for i in by_label])
            fitted = LogisticRegression(C=1, max_iter=5000).fit(train_x[chosen], train_y[chosen])
            scores.append(fitted.score(val_x, val_y))
        curve.append((n, 100 * float(np.mean(scores))))
    return curve


def finetuned(directory, train, val, epochs=3):
    """Val accuracy % after each epoch of fine-tuning the BERT directory with a linear head."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(directory)
    body = AutoModel.from_pretrained(directory)
    head = torch.nn.Linear(body.config.hidden_size, 2)
    parameters = list(body.parameters()) + list(head.parameters())
    optimizer = torch.optim.AdamW(parameters, lr=2e-5)

    def logits(texts):
        batch = tokenizer(texts, padding=True, truncation=True, max_length=64, return_tensors="pt")
        hidden = body(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return head((hidden * mask).sum(1) / mask.sum(1))

    accuracies = []
    order = np.random.default_rng(0)
    for _ in range(epochs):
        train = [train[i] for i in order.permutation(len(train))]
        body.train()
        for start in range(0, len(train), 32):
            chunk = train[start:start + 32]
            loss = torch.nn.functional.cross_entropy(logits([t for t, _ in chunk]), torch.tensor([y for _, y in chunk]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        body.eval()
        correct = 0
        with torch.no_grad():
            for start in range(0, len(val), 128):
                chunk = val[start:start + 128]
                guess = logits([t for t, _ in chunk]).argmax(-1)
                correct += int((guess == torch.tensor([y for _, y in chunk])).sum())
        accuracies.append(100 * correct / len(val))
        print(f"  fine-tuned, epoch {len(accuracies)}: {accuracies[-1]:.2f}", flush=True)
    return accuracies


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", action="append", default=[], help="a model for fewshot embed, or NAME=PATH (repeatable)")
    parser.add_argument("--finetune", help="a BERT directory to fine-tune (all-MiniLM-L6-v2)")
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "fewshot"))
    arguments = parser.parse_args()
    train, val = sentences("train"), sentences("val")
    print(f"{len(train)} train sentences, {len(val)} val sentences (corpora/sentiment.tsv)")
    train_y = np.array([y for _, y in train])
    val_y = np.array([y for _, y in val])
    print("| logistic regression on frozen embeddings, val accuracy % | " + " | ".join(
        f"{n} per label" for n in sizes(train_y)) + " |")
    print("|---|" + "---|" * 6)
    for given in arguments.model:
        name, _, model = given.partition("=") if "=" in given else (given, "", given)
        with tempfile.TemporaryDirectory() as directory:
            train_x = embedded(arguments.bin, model, [t for t, _ in train], directory)
            val_x = embedded(arguments.bin, model, [t for t, _ in val], directory)
        curve = learning_curve(train_x, train_y, val_x, val_y)
        print(f"| {name} | " + " | ".join(f"{a:.2f}" for _, a in curve) + " |", flush=True)
    if arguments.finetune:
        print(f"fine-tuning {arguments.finetune} on all {len(train)} train sentences:")
        finetuned(arguments.finetune, train, val)


if __name__ == "__main__":
    main()
