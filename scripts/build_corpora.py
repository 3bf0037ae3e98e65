#!/usr/bin/env python3
"""Build the few-shot corpora of `fewshot` from WordNet 3.0 (Debian package wordnet-base).

Writes, under --out (default `corpora`):
  domains.tsv / domains.split        label = WordNet topic domain (`;c` pointer) of a synset
  categories.tsv / categories.split  label = a hypernym subtree holding 20..300 synsets
  LICENSE.wordnet                    the Princeton licence, copied from the Debian copyright file

Every line of a TSV is `label<TAB>lemmas: gloss`. The output is byte-for-byte deterministic: all
iteration is over sorted keys, and the only "randomness" is SHA-256 of fixed strings.
Standard library only. `--check` rebuilds in memory and verifies the written files and their invariants.
See corpora/README.md for the rules in prose.
"""
import argparse
import hashlib
import os
import re
import sys
from collections import defaultdict

MIN_CLASS, MAX_SUBTREE, CAP = 20, 300, 100
VAL_FRACTION = 0.15  # of categories labels
FILES = (("noun", "n"), ("verb", "v"), ("adj", "a"), ("adv", "r"))
# Held-out domains, as base labels: a name also covers its collision variants (music -> music, music_2),
# because two WordNet synsets with the same first lemma are the same topic seen twice.
TEST_DOMAINS = ["sport", "football", "american_football", "baseball", "golf",  # sports
                "psychology", "psychiatry", "psychoanalysis",  # the psy- cluster
                "art", "music", "performing_arts", "photography", "poetry",  # the arts
                "philosophy",
                "ship", "air_travel", "driving", "seafaring"]  # transport
VAL_DOMAINS = ["antiquity", "cooking", "commerce", "economics", "meteorology"]  # + every *mythology
ADJ_MARKER = re.compile(r"\((?:a|p|ip)\)$")
LEADING_PAREN = re.compile(r"^\([^()]*\)\s*")  # "(law) ...", "(Old Testament) ...": names the label


class Synset:
    __slots__ = ("key", "words", "ptrs", "gloss")

    def __init__(self, key, words, ptrs, gloss):
        self.key, self.words, self.ptrs, self.gloss = key, words, ptrs, gloss

    def targets(self, *symbols):
        return sorted({k for s, k in self.ptrs if s in symbols})


def read_wordnet(wn_dir):
    """Parse data.{noun,verb,adj,adv} (format: man 5 wndb). Keys are 'n00001740'-style strings
    (pointer pos is one of n/v/a/r, satellites included under 'a'), so sorting keys is stable."""
    synsets = {}
    for fname, pos in FILES:
        with open(os.path.join(wn_dir, "data." + fname), encoding="utf-8") as f:
            for line in f:
                if line.startswith("  "):  # licence header
                    continue
                head, gloss = line.split("| ", 1)
                t = head.split()
                n_words = int(t[3], 16)
                words = t[4:4 + 2 * n_words:2]
                i = 4 + 2 * n_words
                ptrs = [(t[i + 1 + 4 * j], t[i + 3 + 4 * j] + t[i + 2 + 4 * j]) for j in range(int(t[i]))]
                key = pos + t[0]
                synsets[key] = Synset(key, words, ptrs, gloss.strip())
    return synsets


def clean(s):
    return " ".join(s.split())  # no tabs/newlines/double spaces


def text_of(syn):
    """`lemma, lemma: gloss` with the leading domain marker of the gloss removed (it would give the label away)."""
    lemmas = ", ".join(ADJ_MARKER.sub("", w).replace("_", " ") for w in syn.words)
    return clean(lemmas + ": " + LEADING_PAREN.sub("", syn.gloss))


def assign_labels(keys, synsets, taken=(), suffix=""):
    """First lemma, lowercased; the later synset (by key) of a collision gets _2, _3, ...;
    a name already taken by the other family gets `suffix` (categories use `_cat`)."""
    labels, used, collisions = {}, set(taken), []
    for key in sorted(keys):
        name = ADJ_MARKER.sub("", synsets[key].words[0]).lower()
        base = name + suffix if name in taken else name
        label, n = base, 1
        while label in used:
            n += 1
            label = "%s_%d" % (base, n)
        if label != name:
            collisions.append((label, key))
        used.add(label)
        labels[key] = label
    return labels, collisions


def build_domains(synsets):
    """One example per synset with exactly one distinct topic domain; keep domains with >= 20 members."""
    members, multi = defaultdict(list), 0
    for key in sorted(synsets):
        doms = synsets[key].targets(";c")
        if len(doms) == 1:
            members[doms[0]].append(key)
        elif len(doms) > 1:
            multi += 1
    kept = [d for d in sorted(members) if len(members[d]) >= MIN_CLASS]
    labels, collisions = assign_labels(kept, synsets)
    rows = [(labels[d], text_of(synsets[m])) for d in kept for m in members[d]]
    notes = ["domains: %d synsets with several topic domains dropped" % multi]
    notes += ["domains: label collision -> %s = %s (%s)" % (l, k, synsets[k].gloss[:50]) for l, k in collisions]
    return rows, labels, notes


def split_domains(labels):
    """Map every domain label to train/val/test; report held-out names that WordNet does not have."""
    def base(label):
        return re.sub(r"_\d+$", "", label)
    split, notes = {}, []
    for label in sorted(labels.values()):
        b = base(label)
        split[label] = ("test" if b in TEST_DOMAINS else
                        "val" if b in VAL_DOMAINS or b.endswith("mythology") else "train")
    present = {base(l) for l in split}
    for name in TEST_DOMAINS + VAL_DOMAINS:
        if name not in present:
            notes.append("domains: held-out name %r is not a domain with >= %d members" % (name, MIN_CLASS))
    return split, notes


def descendants(root, children, alive):
    """All synsets under root (itself included) through alive nodes, as a set."""
    seen, stack = {root}, [root]
    while stack:
        for c in children[stack.pop()]:
            if c in alive and c not in seen:
                seen.add(c)
                stack.append(c)
    return seen


def leaked_synsets(synsets, heldout_domain_keys, children):
    """Noun/verb synsets that would leak a val/test domain into categories: the held-out domain synsets and
    their hyponym descendants (H: e.g. basketball under sport), plus every synset whose own or inherited
    (from any hypernym ancestor) topic domain is in H. Downward closed, so pruning never orphans a kept node."""
    nv = {k for k in synsets if k[0] in "nv"}
    heldout = set()
    for d in heldout_domain_keys:
        heldout |= descendants(d, children, nv)
    leaked = set()
    bad = {k for k in sorted(nv) if k in heldout or any(d in heldout for d in synsets[k].targets(";c"))}
    for k in sorted(bad):  # inheritance: everything below a bad synset is bad
        if k not in leaked:
            leaked |= descendants(k, children, nv)
    return leaked, len(heldout)


def build_categories(synsets, domain_labels, heldout_domain_keys):
    """Top-down choice of hypernym subtrees of size [20, 300] on the noun+verb graph pruned of leaked synsets;
    synsets under two chosen classes are dropped; classes below 20 are dropped; cap 100 by SHA-256 order."""
    children = defaultdict(set)
    for k in sorted(synsets):
        if k[0] not in "nv":
            continue
        for p in synsets[k].targets("@", "@i"):
            children[p].add(k)
        for c in synsets[k].targets("~", "~i"):
            children[k].add(c)
    children = {k: sorted(v) for k, v in children.items()}
    children = defaultdict(list, children)
    leaked, n_heldout = leaked_synsets(synsets, heldout_domain_keys, children)
    alive = {k for k in synsets if k[0] in "nv" and k not in leaked}
    roots = [k for k in sorted(alive) if not synsets[k].targets("@", "@i")]
    chosen, visited, stack = {}, set(), list(reversed(roots))
    while stack:
        k = stack.pop()
        if k in visited:
            continue
        visited.add(k)
        sub = descendants(k, children, alive)
        if MIN_CLASS <= len(sub) <= MAX_SUBTREE:
            chosen[k] = sub
        elif len(sub) > MAX_SUBTREE:
            stack.extend(reversed([c for c in children[k] if c in alive]))
    owners = defaultdict(int)
    for sub in chosen.values():
        for s in sub:
            owners[s] += 1
    classes = {}
    for root in sorted(chosen):
        mine = sorted(s for s in chosen[root] if owners[s] == 1)
        if len(mine) >= MIN_CLASS:
            classes[root] = sorted(mine, key=lambda s: hashlib.sha256(s.encode()).hexdigest())[:CAP]
    labels, collisions = assign_labels(classes, synsets, set(domain_labels.values()), "_cat")
    rows = [(labels[r], text_of(synsets[m])) for r in sorted(classes) for m in classes[r]]
    shared = sum(1 for n in owners.values() if n > 1)
    notes = ["categories: %d noun/verb synsets removed for leakage (%d under held-out domain synsets, rest by "
             "own/inherited topic domain)" % (len(leaked), n_heldout),
             "categories: %d subtrees chosen, %d synsets in >1 subtree dropped, %d classes kept, %d label renames"
             % (len(chosen), shared, len(classes), len(collisions))]
    return rows, labels, notes, leaked


def split_categories(labels):
    """train/val only: the 15% of labels with the smallest SHA-256 of 'categories-val:<label>' are val."""
    names = sorted(labels.values())
    ranked = sorted(names, key=lambda l: hashlib.sha256(("categories-val:" + l).encode()).hexdigest())
    val = set(ranked[:round(VAL_FRACTION * len(names))])
    return {l: ("val" if l in val else "train") for l in names}


def licence_text(copyright_path):
    """The Princeton 'License: WordNet3.0' paragraph of the Debian copyright file, decoded from its
    DEP-5 form (one leading space per line, ' .' for a blank line); the words are unchanged."""
    out, inside = [], False
    with open(copyright_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("License: WordNet3.0"):
                inside = True
            elif inside and line.startswith(" "):
                out.append("" if line == " ." else line[1:])
            elif inside:
                break
    if not out:
        sys.exit("no 'License: WordNet3.0' paragraph in " + copyright_path)
    return "\n".join(out).rstrip("\n") + "\n"


def build(wn_dir, copyright_path):
    """All output files as {name: bytes}, plus notes and the leaked texts (for --check)."""
    synsets = read_wordnet(wn_dir)
    d_rows, d_labels, notes = build_domains(synsets)
    d_split, more = split_domains(d_labels)
    notes += more
    heldout_keys = sorted(k for k, l in d_labels.items() if d_split[l] != "train")
    c_rows, c_labels, more, leaked = build_categories(synsets, d_labels, heldout_keys)
    notes += more
    c_split = split_categories(c_labels)

    def tsv(rows):
        return "".join("%s\t%s\n" % r for r in sorted(set(rows))).encode("utf-8")

    def split_file(split):
        return "".join("%s\t%s\n" % (l, split[l]) for l in sorted(split)).encode("utf-8")
    files = {"domains.tsv": tsv(d_rows), "domains.split": split_file(d_split),
             "categories.tsv": tsv(c_rows), "categories.split": split_file(c_split),
             "LICENSE.wordnet": licence_text(copyright_path).encode("utf-8")}
    leaked_texts = {text_of(synsets[k]) for k in leaked}
    leaked_texts |= {t for l, t in d_rows if d_split[l] != "train"}
    return files, notes, leaked_texts


def summary(files):
    """Labels/examples per family and split, from the file bytes themselves."""
    lines = []
    for fam in ("domains", "categories"):
        split = dict(l.split("\t") for l in files[fam + ".split"].decode().splitlines())
        counts = defaultdict(int)
        for line in files[fam + ".tsv"].decode().splitlines():
            counts[line.split("\t")[0]] += 1
        for s in ("train", "val", "test", "all"):
            ls = [l for l in split if s in ("all", split[l])]
            lines.append("%-10s %-5s %4d labels %6d examples" % (fam, s, len(ls), sum(counts[l] for l in ls)))
    return lines


def check(out, files, leaked_texts):
    """Invariants of the written files; returns a list of problems (empty = fine)."""
    bad = []
    for name, data in sorted(files.items()):
        path = os.path.join(out, name)
        if not os.path.exists(path) or open(path, "rb").read() != data:
            bad.append("%s differs from a fresh build" % path)
    for fam in ("domains", "categories"):
        tsv = open(os.path.join(out, fam + ".tsv"), "rb").read().decode("utf-8")
        spl = open(os.path.join(out, fam + ".split"), "rb").read().decode("utf-8")
        if "\r" in tsv + spl or not tsv.endswith("\n"):
            bad.append(fam + ": CR or missing final newline")
        labels = set()
        for i, line in enumerate(tsv.splitlines(), 1):
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0] or not parts[1].strip():
                bad.append("%s.tsv:%d: not label<TAB>text" % (fam, i))
                continue
            labels.add(parts[0])
            if fam == "categories" and parts[1] in leaked_texts:
                bad.append("categories.tsv:%d: text of a val/test-domain synset" % i)
        split_labels = [l.split("\t")[0] for l in spl.splitlines()]
        if split_labels != sorted(set(split_labels)) or set(split_labels) != labels:
            bad.append(fam + ".split: not sorted, duplicated, or not covering the TSV labels exactly")
        allowed = {"train", "val", "test"} if fam == "domains" else {"train", "val"}
        if any(l.count("\t") != 1 or l.split("\t")[1] not in allowed for l in spl.splitlines()):
            bad.append(fam + ".split: bad split name")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wordnet-dir", default="/usr/share/wordnet")
    ap.add_argument("--copyright", default="/usr/share/doc/wordnet-base/copyright")
    ap.add_argument("--out", default="corpora")
    ap.add_argument("--check", action="store_true", help="verify the files in --out instead of writing them")
    args = ap.parse_args()
    files, notes, leaked_texts = build(args.wordnet_dir, args.copyright)
    if args.check:
        bad = check(args.out, files, leaked_texts)
        for b in bad:
            print("FAIL " + b, file=sys.stderr)
        print("check: %s" % ("FAILED" if bad else "ok"), file=sys.stderr)
        sys.exit(1 if bad else 0)
    os.makedirs(args.out, exist_ok=True)
    for name, data in sorted(files.items()):
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
    for line in notes + summary(files):
        print(line, file=sys.stderr)


if __name__ == "__main__":
    main()
