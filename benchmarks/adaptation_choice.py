#!/usr/bin/env python3
"""Judges rules for keeping the adapted encoder on recorded episodes.

Reads the JSON lines of `fewshot eval --finetune-steps N --finetune-record FILE` (one per
episode: the check's held-out counts and margins for the plain and the adapted encoder, and
both encoders' query accuracy) and prints, per family, the mean query accuracy of the plain
encoder, of the adapted one in every episode, and of each rule's choice, with the mean over
families and the worst loss against plain. Every rule sees only what `train` sees (the check on
the support set), never the queries. Run it on validation episodes: the rule is chosen there.

    python3 benchmarks/adaptation_choice.py records.jsonl [more.jsonl ...]
"""
import json
import sys
from collections import defaultdict

RULES = {
    "count >": lambda r: r["adaptedCorrect"] > r["plainCorrect"],
    "count >= +2": lambda r: r["adaptedCorrect"] >= r["plainCorrect"] + 2,
    "margin >": lambda r: r["adaptedMargin"] > r["plainMargin"],
    "margin > +0.01": lambda r: r["adaptedMargin"] > r["plainMargin"] + 0.01,
    "margin > +0.02": lambda r: r["adaptedMargin"] > r["plainMargin"] + 0.02,
    "count > and margin >": lambda r: r["adaptedCorrect"] > r["plainCorrect"] and r["adaptedMargin"] > r["plainMargin"],
    "count >= and margin >": lambda r: r["adaptedCorrect"] >= r["plainCorrect"] and r["adaptedMargin"] > r["plainMargin"],
}


def main(paths):
    records = [json.loads(line) for path in paths for line in open(path, encoding="utf-8") if line.strip()]
    if not records:
        sys.exit("no records")
    by_family = defaultdict(list)
    for record in records:
        by_family[record["family"]].append(record)
    families = list(dict.fromkeys(r["family"] for r in records))
    columns = ["plain", "always"] + list(RULES)
    table = {}
    for family in families:
        rows = by_family[family]
        mean = lambda values: 100 * sum(values) / len(values)
        table[family] = {
            "plain": mean([r["plainAccuracy"] for r in rows]),
            "always": mean([r["adaptedAccuracy"] for r in rows]),
            **{name: mean([r["adaptedAccuracy"] if rule(r) else r["plainAccuracy"] for r in rows]) for name, rule in RULES.items()},
        }
        table[family]["episodes"] = len(rows)
    print("| family | episodes | " + " | ".join(columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    for family in families:
        cells = [f"{table[family][c]:.2f}" for c in columns]
        print(f"| {family} | {table[family]['episodes']} | " + " | ".join(cells) + " |")
    means = [sum(table[f][c] for f in families) / len(families) for c in columns]
    worst = [min(table[f][c] - table[f]["plain"] for f in families) for c in columns]
    kept = [100.0, 100.0] + [100 * sum(rule(r) for r in records) / len(records) for rule in RULES.values()]
    kept[0] = 0.0
    print("| **mean** | | " + " | ".join(f"**{m:.2f}**" for m in means) + " |")
    print("| worst family against plain | | " + " | ".join(f"{w:+.2f}" for w in worst) + " |")
    print("| episodes adapted, % | | " + " | ".join(f"{k:.0f}" for k in kept) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) > 1 else 2)
    main(sys.argv[1:])
