#!/usr/bin/env python3
"""Build the "chitchat" few-shot corpus from the Chit-Chat Challenge chats (label = the chat's prompt).

Source: the PyPI package chitchat-dataset 0.9.0 (MIT, BYU Perception, Control and Cognition Lab), file
chitchat_dataset/dataset.json: {chat id: {"prompt", "messages": [[{"text", "sender", ...}, ...], ...], ...}},
one list per turn (the consecutive messages of one sender). Give it as --source: the wheel (`pip download
--no-deps chitchat-dataset==0.9.0` -> chitchat_dataset-0.9.0-py3-none-any.whl; PyPI's sdist does not build)
or a directory holding chitchat_dataset/dataset.json (an unpacked wheel); without --source the installed
package is found through importlib.

Writes, under --out (default `corpora`):
  chitchat.tsv      `label<TAB>chat`: the texts of all turns in order joined with spaces, first 120 words
  chitchat.split    `label<TAB>train|val|test`, split by label with SHA-256 orders of fixed strings
  LICENSE.chitchat  the package's MIT licence, verbatim, after a short notice

Label = the prompt slugged: parenthesised asides dropped, lowercased, apostrophes and other characters
outside [a-z0-9-] removed, words joined by `_`, cut to the shortest prefix of at least 5 words that no other
prompt shares. Chats without a prompt, with fewer than 20 words, or with a URL, phone number or e-mail address
in the kept words are dropped;
a text under two prompts is dropped from both; labels need >= 20 chats and keep at most 500 (smallest SHA-256
of the text first). Standard library only; deterministic. `--check` rebuilds in memory and verifies.
`records()` and `split_of()` are imported by scripts/build_modern_corpus.py, which takes the turns of the
train-label chats only. See corpora/README.md for the rules in prose.
"""
import argparse
import hashlib
import importlib.util
import json
import os
import re
import sys
import zipfile
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_files  # noqa: E402
from corpus_files import sha  # noqa: E402

FAMILY = "chitchat"
VERSION = "0.9.0"
WHEEL = "chitchat_dataset-%s-py3-none-any.whl" % VERSION
WHEEL_SHA256 = "7bf89f36645e2d5ec87d53370c8e851b5a688479c7beb7079cb4c87fc5acea3e"
DATASET = "chitchat_dataset/dataset.json"
LICENSE = "chitchat_dataset-%s.dist-info/LICENSE" % VERSION
MIN_WORDS, MAX_WORDS, MIN_CLASS, MAX_CLASS = 20, 120, 20, 500
MIN_LABEL_WORDS = 5
TEST_FRACTION, MIN_TEST, VAL_FRACTION, MIN_VAL = 0.25, 5, 0.15, 5  # 5 val labels: validation is 5-way
URL = re.compile(r"https?://|www\.|\.(?:com|org|net)\b", re.I)
PII = re.compile(r"\(?\b\d{3}\)?[-. ]?\d{3}[-. ]\d{4}\b|\b[\w.+-]+@[\w-]+\.[\w.]+")  # phone number, e-mail


def read_source(source):
    """(dataset.json bytes, LICENSE text, SHA-256 of the wheel or None) from a wheel, a directory or the
    installed package."""
    if source is None:
        spec = importlib.util.find_spec("chitchat_dataset")
        if spec is None or not spec.submodule_search_locations:
            sys.exit("chitchat-dataset not found: `pip download --no-deps chitchat-dataset==%s -d /tmp/chitchat` "
                     "and pass --source /tmp/chitchat/%s (or pip install it)" % (VERSION, WHEEL))
        source = os.path.dirname(list(spec.submodule_search_locations)[0])
    if os.path.isdir(source):
        path = os.path.join(source, DATASET)
        if not os.path.exists(path):
            sys.exit("no %s under %s" % (DATASET, source))
        lic = os.path.join(source, LICENSE)
        if not os.path.exists(lic):
            sys.exit("no %s under %s (the licence file of the wheel)" % (LICENSE, source))
        return corpus_files.read_bytes(path), corpus_files.read_bytes(lic).decode("utf-8"), None
    if source.endswith(".whl"):
        digest = hashlib.sha256(corpus_files.read_bytes(source)).hexdigest()
        with zipfile.ZipFile(source) as z:
            names = set(z.namelist())
            if DATASET not in names or LICENSE not in names:
                sys.exit("%s: not the chitchat-dataset %s wheel (no %s or %s)" % (source, VERSION, DATASET, LICENSE))
            return z.read(DATASET), z.read(LICENSE).decode("utf-8"), digest
    sys.exit("--source must be the chitchat-dataset wheel (.whl) or a directory holding %s: %s" % (DATASET, source))


def prompt_words(prompt):
    """Words of a prompt for its label: asides in parentheses dropped, lowercase, only [a-z0-9-] kept."""
    words = (re.sub(r"[^a-z0-9-]", "", w) for w in re.sub(r"\([^()]*\)", " ", prompt).lower().split())
    return [w for w in words if w.strip("-")]


def prompt_labels(prompts):
    """{prompt: label}: the shortest prefix of at least MIN_LABEL_WORDS words (or all of them) that no other
    prompt shares, joined by `_`."""
    words = {p: prompt_words(p) for p in prompts}
    labels = {}
    for p, w in words.items():
        k = min(MIN_LABEL_WORDS, len(w))
        while k < len(w) and any(o != p and ow[:k] == w[:k] for o, ow in words.items()):
            k += 1
        labels[p] = "_".join(w[:k])
    if len(set(labels.values())) != len(labels) or not all(re.fullmatch(r"[a-z0-9_-]+", l) for l in labels.values()):
        sys.exit("prompts do not give distinct labels: %s" % sorted(labels.items()))
    return labels


def turns(chat):
    """The chat's turns in order, each the texts of its messages joined with spaces, whitespace collapsed."""
    return [t for t in (" ".join(" ".join(u["text"] for u in turn).split()) for turn in chat["messages"]) if t]


def records(source):
    """([(chat id, label or None, [turn texts])] in chat-id order, {prompt: label}, licence text, wheel digest)."""
    data, licence, digest = read_source(source)
    chats = json.loads(data.decode("utf-8"))
    labels = prompt_labels(sorted({c["prompt"] for c in chats.values() if c.get("prompt")}))
    recs = [(cid, labels.get(c.get("prompt") or ""), turns(c)) for cid, c in sorted(chats.items())]
    return recs, labels, licence, digest


def chat_text(turn_texts):
    """The example text of a chat: all turns joined, cut to its first MAX_WORDS words ('' if too short)."""
    words = " ".join(turn_texts).split()
    return " ".join(words[:MAX_WORDS]) if len(words) >= MIN_WORDS else ""


def split_of(labels):
    """test: the max(MIN_TEST, round(25%)) labels with the smallest SHA-256 of 'chitchat-test:<label>';
    val: among the rest, the max(MIN_VAL, round(15%)) smallest by 'chitchat-val:<label>'; the rest train."""
    return corpus_files.choose_split(sorted(labels), FAMILY, TEST_FRACTION, VAL_FRACTION, MIN_TEST, MIN_VAL)


def kept_labels(recs):
    """The labels with >= MIN_CLASS usable chats, their texts (capped), and notes: the split is chosen among
    these labels; scripts/build_modern_corpus.py uses the same function."""
    owners, notes, why = defaultdict(set), [], Counter()
    for _, label, tt in recs:
        if label is None:
            why["no prompt"] += 1
            continue
        text = chat_text(tt)
        if not text:
            why["fewer than %d words" % MIN_WORDS] += 1
        elif URL.search(text):
            why["a URL in the first %d words" % MAX_WORDS] += 1
        elif PII.search(text):
            why["a phone number or e-mail address in the first %d words" % MAX_WORDS] += 1
        else:
            if text in owners and label in owners[text]:
                why["same text twice under one prompt (kept once)"] += 1
            owners[text].add(label)
    members, shared = corpus_files.single_owner(owners)
    why["text under two or more prompts (texts dropped)"] = shared
    kept = {}
    for label in sorted(members):
        texts = members[label]
        if len(texts) < MIN_CLASS:
            why["label with < %d chats (labels dropped)" % MIN_CLASS] += 1
            continue
        capped = sorted(texts, key=lambda t: (sha(t), t))[:MAX_CLASS]
        why["over the cap of %d per label" % MAX_CLASS] += len(texts) - len(capped)
        kept[label] = capped
    notes += ["chitchat: dropped %5d chats: %s" % (n, w) for w, n in sorted(why.items())]
    return kept, notes


def licence_text(licence, labels):
    head = ("chitchat.tsv and chitchat.split are derived from dataset.json of the Python package\n"
            "chitchat-dataset %s (https://pypi.org/project/chitchat-dataset/%s/, \"Open-domain conversational\n"
            "dataset from the BYU Perception, Control & Cognition lab's Chit-Chat Challenge\", author William\n"
            "Myers; paper: Myers, Etchart and Fulda, \"Conversational Scaffolding: An Analogy-Based Approach to\n"
            "Response Prioritization in Open-Domain Dialogs\", 2020), distributed under the MIT licence below.\n\n"
            "Changes: each chat's messages joined into one text and cut to its first %d words; chats regrouped\n"
            "by prompt (the label is a slug of the prompt), filtered and sorted; see corpora/README.md and\n"
            "scripts/build_chitchat_corpus.py.\n\n"
            "Prompts behind the labels:\n" % (VERSION, VERSION, MAX_WORDS))
    head += "".join("  %s: %s\n" % (l, p) for p, l in sorted(labels.items(), key=lambda x: x[1]))
    head += "\nThe licence file of the package (chitchat_dataset-%s.dist-info/LICENSE), verbatim:\n\n" % VERSION
    return head + licence


def build(source):
    """All output files as {name: bytes}, plus notes."""
    recs, labels, licence, digest = records(source)
    notes = []
    if digest is not None and digest != WHEEL_SHA256:
        notes.append("note: %s has SHA-256 %s, not the one the committed files came from (%s)"
                     % (source, digest, WHEEL_SHA256))
    notes.append("chitchat: %d chats, %d prompts" % (len(recs), len(labels)))
    kept, more = kept_labels(recs)
    notes += more
    split = split_of(kept)
    rows = sorted((l, t) for l, texts in kept.items() for t in texts)
    used = {p: l for p, l in labels.items() if l in kept}
    files = {"chitchat.tsv": corpus_files.tsv_bytes(rows),
             "chitchat.split": corpus_files.split_bytes(split),
             "LICENSE.chitchat": licence_text(licence, used).encode("utf-8")}
    return files, notes


def check(out, files):
    """Invariants of the written files (no URL, at most MAX_WORDS words); a list of problems (empty = fine)."""
    def bad_text(t):
        return URL.search(t) or PII.search(t) or not MIN_WORDS <= len(t.split()) <= MAX_WORDS
    return corpus_files.check_labelled(out, files, FAMILY, MIN_CLASS, MIN_TEST, MIN_VAL, bad_text=bad_text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", help="chitchat-dataset wheel (.whl) or a directory with %s; default: the "
                                     "installed package" % DATASET)
    ap.add_argument("--out", default="corpora")
    ap.add_argument("--check", action="store_true", help="verify the files in --out instead of writing them")
    args = ap.parse_args()
    files, notes = build(args.source)
    corpus_files.check_or_write(args.check, args.out, files, check)
    corpus_files.note(notes + corpus_files.split_summary(files, FAMILY))


if __name__ == "__main__":
    main()
