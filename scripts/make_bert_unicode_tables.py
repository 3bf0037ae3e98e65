#!/usr/bin/env python3
"""Freezes the character classes of the reference BERT tokenizer into Swift range tables.

HuggingFace `tokenizers` decides "control", "non-spacing mark" and "punctuation" with the
`unicode_categories` crate, whose tables predate current Unicode (for example U+1734 is still a
non-spacing mark there, U+0898..U+089F are not yet marks, and unassigned code points are never
"control"). No current Unicode library reproduces those decisions, so we read them off the
reference itself, one code point at a time, and commit the result:

  Sources/Tokenization/BertCharacterClasses.swift   (generated; do not edit)
  Tests/TokenizationTests/Fixtures/codepoints.tsv   (the reference's output for every code point)

NFD decomposition and lowercase mapping still come from libutf8proc at run time; the
per-code-point fixture lets the tests prove the combination matches the reference exactly.

Run through scripts/regenerate_tokenizer_fixtures.sh (it creates the pinned environment).
"""
import os
import sys

import unicodedata

from tokenizers.normalizers import NFD, BertNormalizer
from tokenizers.pre_tokenizers import BertPreTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWIFT_OUT = os.path.join(ROOT, "Sources", "Tokenization", "BertCharacterClasses.swift")
FIXTURE_OUT = os.path.join(ROOT, "Tests", "TokenizationTests", "Fixtures", "codepoints.tsv")


def code_points():
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        yield cp


def hangul_nfd(cp):
    """The canonical decomposition of a precomposed Hangul syllable (Unicode ch. 3.12), or None."""
    s = cp - 0xAC00
    if not 0 <= s < 11172:
        return None
    lead, vowel, trail = 0x1100 + s // 588, 0x1161 + (s % 588) // 28, 0x11A7 + s % 28
    return chr(lead) + chr(vowel) + (chr(trail) if trail != 0x11A7 else "")


def ranges(cps):
    out = []
    for cp in cps:
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def swift_table(name, doc, rs):
    lines = [f"    /// {doc}", f"    static let {name}: [ClosedRange<UInt32>] = ["]
    row = []
    for lo, hi in rs:
        row.append(f"0x{lo:X}...0x{hi:X}")
        if len(row) == 4:
            lines.append("        " + ", ".join(row) + ",")
            row = []
    if row:
        lines.append("        " + ", ".join(row) + ",")
    lines.append("    ]")
    return "\n".join(lines)


def main():
    clean_only = BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    strip_only = BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    full = BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=True, lowercase=True)
    pre = BertPreTokenizer()
    lower_only = BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=True)
    # Rust's char::to_lowercase follows a newer Unicode than libutf8proc (and Python): keep the
    # reference's mappings that Python's str.lower() lacks; utf8proc gives the rest.
    lowercase_additions = []
    # The reference's NFD tables are older still: code points it leaves whole although
    # Unicode (Python's, and libutf8proc's) decomposes them.
    reference_nfd = NFD()
    not_decomposed = []

    removed, marks, punct = [], [], []
    fixture = []
    run = None  # [start, end, kind] for runs of unchanged or deleted code points

    def flush():
        nonlocal run
        if run:
            fixture.append(f"{run[0]:X}\t{run[1]:X}\t{run[2]}")
            run = None

    for cp in code_points():
        c = chr(cp)
        if reference_nfd.normalize_str(c) == c and unicodedata.normalize("NFD", c) != c:
            not_decomposed.append(cp)
        lowered = lower_only.normalize_str(c)
        if lowered != c.lower():
            assert len(lowered) == 1, (hex(cp), lowered)
            lowercase_additions.append((cp, ord(lowered)))
        if cp not in (9, 10, 13) and clean_only.normalize_str(c) == "":
            removed.append(cp)
        if strip_only.normalize_str(c) == "":
            marks.append(cp)
        pieces = pre.pre_tokenize_str("a" + c + "b")
        pclass = "w" if len(pieces) == 2 else ("p" if len(pieces) == 3 else "o")
        if pclass == "p" and cp >= 0x80:
            punct.append(cp)
        out = full.normalize_str(c)
        if out == c:
            kind = "same" + pclass
        elif out == "":
            kind = "deleted" + pclass
        elif out == " " + c + " ":
            kind = "spaced" + pclass
        elif len(out) == 3 and out[0] == " " and out[2] == " ":
            kind = f"spacedto{ord(out[1]) - cp:+d}" + pclass
        elif out == hangul_nfd(cp):
            kind = "hangul" + pclass
        elif len(out) == 1:
            kind = f"to{ord(out) - cp:+d}" + pclass
        else:
            kind = None
        if kind is not None:
            if run and run[1] == cp - 1 and run[2] == kind:
                run[1] = cp
            else:
                flush()
                run = [cp, cp, kind]
        else:
            flush()
            mapped = " ".join(f"{ord(x):X}" for x in out)
            fixture.append(f"{cp:X}\t{cp:X}\tmap{pclass}\t{mapped}")
    flush()

    header = [
        "// Generated by scripts/make_bert_unicode_tables.py from HuggingFace tokenizers 0.23.3.",
        "// Do not edit: regenerate with scripts/regenerate_tokenizer_fixtures.sh.",
        "",
        "/// The character classes the reference BERT tokenizer uses, frozen from the reference.",
        "///",
        "/// They come from an older Unicode than libutf8proc's, so they are data, not lookups:",
        "/// see scripts/make_bert_unicode_tables.py for why and how they were read off.",
        "enum BertCharacterClasses {",
    ]
    body = [
        swift_table("removed", "Code points `clean_text` deletes (besides U+0000 and U+FFFD): Cc, Cf, Co, Cs of the reference, minus tab, LF, CR.", ranges(removed)),
        "",
        swift_table("nonSpacingMarks", "Code points `strip_accents` deletes after NFD (category Mn of the reference).", ranges(marks)),
        "",
        "    /// Code points the reference does not decompose although newer Unicode does.",
        "    static let notDecomposed: Set<UInt32> = [" + ", ".join(f"0x{cp:X}" for cp in not_decomposed) + "]",
        "",
        "    /// Lowercase mappings of the reference newer than Python's Unicode tables (applied where",
        "    /// libutf8proc has none: its Unicode may be older than the reference's).",
        "    static let lowercaseAdditions: [UInt32: UInt32] = [",
        *[f"        0x{a:X}: 0x{b:X}," for a, b in lowercase_additions],
        "    ]",
        "",
        swift_table("nonASCIIPunctuation", "Non-ASCII code points the pre-tokenizer isolates (categories Pc Pd Ps Pe Pi Pf Po of the reference).", ranges(punct)),
        "}",
        "",
    ]
    with open(SWIFT_OUT + ".tmp", "w") as f:
        f.write("\n".join(header + body))
    os.replace(SWIFT_OUT + ".tmp", SWIFT_OUT)

    with open(FIXTURE_OUT + ".tmp", "w") as f:
        f.write("# first\tlast\tkind\tmapped  (HF tokenizers 0.23.3 BertNormalizer on each code point alone;\n")
        f.write("# kind: same (unchanged), deleted, spaced (\" c \"), spacedto+N (\" c+N \"), hangul (NFD jamo),\n")
        f.write("#       to+N (one code point c+N), map (the listed code points); then the pre-tokenizer class of\n")
        f.write("#       the raw code point: w whitespace, p punctuation, o other\n")
        f.write("\n".join(fixture) + "\n")
    os.replace(FIXTURE_OUT + ".tmp", FIXTURE_OUT)
    print(f"removed {len(ranges(removed))} ranges, marks {len(ranges(marks))}, punct {len(ranges(punct))}, "
          f"fixture {len(fixture)} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
