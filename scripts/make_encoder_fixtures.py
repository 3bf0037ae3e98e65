#!/usr/bin/env python3
"""Golden fixtures for the Swift BERT encoder, from an independent numpy implementation.

Writes Tests/EmbeddingTests/Fixtures/:
  tiny-bert/            a randomly initialised BERT in HuggingFace's layout (config.json,
                        model.safetensors, vocab.txt = our small fixture vocabulary)
  tiny-bert.expected    for each sentence: the sentence, then its mean-pooled, L2-normalized
                        embedding (numpy forward pass written here; ids from HF tokenizers)
  minilm.expected       the same pipeline for all-MiniLM-L6-v2 (sentence-transformers' recipe:
                        truncation at 256 word pieces, mean pooling, L2 norm), computed by the
                        peer rig's onnxruntime graph (../shared/peers/minilm.py), for the test
                        that runs when the real model's directory is given
Needs numpy, tokenizers and onnxruntime: run with ../shared/peers/.venv/bin/python.
"""
import json
import os
import struct
import sys

import numpy as np
from tokenizers import BertWordPieceTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "FewShotTests", "Fixtures")
TOKENIZER_FIXTURES = os.path.join(ROOT, "Tests", "TokenizationTests", "Fixtures")

SENTENCES = [
    "A man is eating food.",
    "cell: the basic structural and functional unit of all organisms",
    "Few-shot classification from a handful of labelled lines!",
    "Crème brûlée, naïve café — ÅNGSTRÖM.",
    "short",
    "the court heard an appeal against the judgement of the lower court " * 3,
    "北京 and 東京 are capitals; 한국어 is a language.",
    "[MASK] tokens and [SEP] in the text",
]

CONFIG = dict(hidden_size=32, num_attention_heads=4, num_hidden_layers=2, intermediate_size=48,
              max_position_embeddings=64, type_vocab_size=2, layer_norm_eps=1e-12, hidden_act="gelu",
              model_type="bert", architectures=["BertModel"])


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def random_bert(vocab_size, seed=0):
    rng = np.random.default_rng(seed)
    c, f, layers = CONFIG["hidden_size"], CONFIG["intermediate_size"], CONFIG["num_hidden_layers"]
    normal = lambda *shape, s=0.2: rng.normal(0, s, shape).astype(np.float32)
    t = {
        "embeddings.word_embeddings.weight": normal(vocab_size, c, s=0.5),
        "embeddings.position_embeddings.weight": normal(CONFIG["max_position_embeddings"], c, s=0.5),
        "embeddings.token_type_embeddings.weight": normal(2, c, s=0.5),
        "embeddings.LayerNorm.weight": 1 + normal(c, s=0.1), "embeddings.LayerNorm.bias": normal(c, s=0.1),
        "pooler.dense.weight": normal(c, c), "pooler.dense.bias": normal(c),  # ignored by the encoder
    }
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value"):
            t[p + f"attention.self.{name}.weight"] = normal(c, c)
            t[p + f"attention.self.{name}.bias"] = normal(c, s=0.1)
        t[p + "attention.output.dense.weight"], t[p + "attention.output.dense.bias"] = normal(c, c), normal(c, s=0.1)
        t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"] = 1 + normal(c, s=0.1), normal(c, s=0.1)
        t[p + "intermediate.dense.weight"], t[p + "intermediate.dense.bias"] = normal(f, c), normal(f, s=0.1)
        t[p + "output.dense.weight"], t[p + "output.dense.bias"] = normal(c, f), normal(c, s=0.1)
        t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"] = 1 + normal(c, s=0.1), normal(c, s=0.1)
    return t


def layer_norm(x, g, b, eps):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def gelu(x):
    from math import erf, sqrt
    return 0.5 * x * (1 + np.vectorize(erf)(x / sqrt(2)))


def bert_embed(t, ids, layers, heads, eps):
    """Forward pass of one sequence in float64: BERT, then mean pooling and L2 norm."""
    t = {k: v.astype(np.float64) for k, v in t.items()}
    n = len(ids)
    x = t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:n] + \
        t["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"], eps)
    c = x.shape[1]
    d = c // heads
    for i in range(layers):
        p = f"encoder.layer.{i}."
        lin = lambda h, name: h @ t[p + name + ".weight"].T + t[p + name + ".bias"]
        q, k, v = (lin(x, f"attention.self.{w}").reshape(n, heads, d).transpose(1, 0, 2) for w in ("query", "key", "value"))
        s = q @ k.transpose(0, 2, 1) / np.sqrt(d)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(n, c)
        x = layer_norm(lin(ctx, "attention.output.dense") + x, t[p + "attention.output.LayerNorm.weight"],
                       t[p + "attention.output.LayerNorm.bias"], eps)
        h = gelu(lin(x, "intermediate.dense"))
        x = layer_norm(lin(h, "output.dense") + x, t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"], eps)
    e = x.mean(0)
    return e / max(np.linalg.norm(e), 1e-12)


def write_expected(path, sentences, embeddings):
    with open(path, "w") as f:
        for sentence, e in zip(sentences, embeddings):
            f.write(sentence + "\n" + " ".join(f"{v:.9g}" for v in e) + "\n")


def main():
    directory = os.path.join(FIXTURES, "tiny-bert")
    os.makedirs(directory, exist_ok=True)
    vocab_path = os.path.join(directory, "vocab.txt")
    with open(os.path.join(TOKENIZER_FIXTURES, "small_vocab.txt")) as src, open(vocab_path, "w") as dst:
        dst.write(src.read())
    vocab_size = sum(1 for _ in open(vocab_path))
    config = dict(CONFIG, vocab_size=vocab_size)
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
    tensors = random_bert(vocab_size)
    write_safetensors(os.path.join(directory, "model.safetensors"), tensors)
    tokenizer = BertWordPieceTokenizer(vocab_path, lowercase=True)
    tokenizer.enable_truncation(CONFIG["max_position_embeddings"])
    embeddings = [bert_embed(tensors, tokenizer.encode(s).ids, CONFIG["num_hidden_layers"], CONFIG["num_attention_heads"],
                             CONFIG["layer_norm_eps"]) for s in SENTENCES]
    write_expected(os.path.join(FIXTURES, "tiny-bert.expected"), SENTENCES, embeddings)

    sys.path.insert(0, os.path.join(ROOT, "..", "shared", "peers"))
    from minilm import Encoder
    minilm = Encoder("onnx", threads=1).encode(SENTENCES, batch_size=8)
    write_expected(os.path.join(FIXTURES, "minilm.expected"), SENTENCES, minilm)
    print(f"wrote tiny-bert ({vocab_size} tokens) and {len(SENTENCES)} expected embeddings for each model", file=sys.stderr)


if __name__ == "__main__":
    main()
