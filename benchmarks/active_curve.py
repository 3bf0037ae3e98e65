#!/usr/bin/env python3
"""Draws the table of `fewshot eval --active` as one SVG: mean accuracy over the genres against the
labels given so far, one line per strategy (random picks dashed). Standard library only."""
import argparse
import re
from collections import defaultdict


def read(path):
    """{strategy: {family: [accuracy after each round]}} and the labels at the start."""
    curves = defaultdict(dict)
    start = None
    for line in open(path, encoding="utf-8"):
        match = re.match(r"\| (\S+) \| \d+ \((\d+) labels\) \| (\w+) \| (.*) \|$", line.strip())
        if not match:
            continue
        family, labels, strategy, rest = match.groups()
        start = int(labels)
        cells = [cell.strip() for cell in rest.split("|")]
        curves[strategy][family] = [float(cell) for cell in cells[:-1]]
    return curves, start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("table")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--title", default="fewshot suggest vs random picks")
    parser.add_argument("--batch", type=int, default=5)
    args = parser.parse_args()
    curves, start = read(args.table)
    if not curves:
        raise SystemExit(f"{args.table}: no rows of 'fewshot eval --active'")
    means = {}
    for strategy, families in curves.items():
        rounds = len(next(iter(families.values())))
        means[strategy] = [sum(f[r] for f in families.values()) / len(families) for r in range(rounds)]
    families = sorted(next(iter(curves.values())))
    width, height, left, right, top, bottom = 560, 360, 60, 150, 48, 50
    xs = [start + r * args.batch for r in range(len(next(iter(means.values()))))]
    low = min(min(m) for m in means.values())
    high = max(max(m) for m in means.values())
    low, high = 5 * int(low // 5), 5 * (int(high // 5) + 1)

    def x(value):
        return left + (value - xs[0]) / (xs[-1] - xs[0]) * (width - left - right)

    def y(value):
        return top + (high - value) / (high - low) * (height - top - bottom)

    colors = {"diverse": "#4a7ab5", "margin": "#f28e2b", "random": "#777777"}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="#fff"/>',
           f'<text x="{left}" y="20" font-size="14">{args.title}</text>']
    for tick in range(low, high + 1, 5):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    for value in xs:
        out.append(f'<text x="{x(value):.1f}" y="{height - bottom + 16}" text-anchor="middle">{value}</text>')
    out.append(f'<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">labelled lines (5 labels)</text>')
    out.append(f'<text x="16" y="{(top + height - bottom) / 2}" transform="rotate(-90 16 {(top + height - bottom) / 2})" '
               f'text-anchor="middle">accuracy %, mean of {len(families)} genres</text>')
    for row, (strategy, values) in enumerate(sorted(means.items())):
        color = colors.get(strategy, "#59a14f")
        dash = ' stroke-dasharray="5,4"' if strategy == "random" else ""
        points = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(xs, values))
        out.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
        for a, b in zip(xs, values):
            out.append(f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="3" fill="{color}"/>')
        legend_y = top + 10 + 18 * row
        out.append(f'<line x1="{width - right + 12}" x2="{width - right + 36}" y1="{legend_y}" y2="{legend_y}" '
                   f'stroke="{color}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{width - right + 42}" y="{legend_y + 4}">{strategy} ({values[-1]:.1f})</text>')
    out.append(f'<text x="{left}" y="34" font-size="10">mean of the test topics of: {", ".join(families)}</text>')
    out.append("</svg>")
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write("\n".join(out) + "\n")
    print(f"active_curve: {len(means)} strategies over {len(families)} genres -> {args.output}")


if __name__ == "__main__":
    main()
