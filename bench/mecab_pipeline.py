#!/usr/bin/env python3
"""The pipeline users would otherwise write, for `make bench` to compare `jiyu classify` with.

MeCab (through fugashi, with the IPADIC of the `ipadic` package from PyPI) tokenizes every answer;
the answer's base forms are tested against keyword sets per category; one JSON object a line
goes out. A plain, single-process implementation, as someone would write it in an afternoon:

- Keywords: for every category of rules/*.toml, the words of its rule's literals — quoted
  strings ("…") and bare words (教育, 教育:名詞,サ変接続 without the part of speech). Regexes
  (/…/), references (@id), the function names near/seq and their distances are skipped, and so
  is a literal right after `!` (a negation). Each keyword is tokenized once with the same MeCab:
  a one-token keyword is a set lookup on base forms, a longer one a lookup of the answer's
  base-form n-grams of its length (気を付け → (気, を, 付ける)).
- Text: NFKC-normalized before tokenizing (ＩＳＭＳ → ISMS, ｾｷｭﾘﾃｨ → セキュリティ).
- Non-answers (特になし, なし, わからない, -, …): a small set of whole answers, without punctuation.
- Output, in input order: {"id", "question", "text", "attributes", "categories" (highest rule
  priority first), "primary", "evidence": {category: [matched keywords]}}; an answer whose
  question has no scheme gets no category, one that matches nothing gets "unclassified".

It does less than jiyu (no and/not/near/seq, no regexes, no notation-variant groups, no user
dictionary), which can only make it faster: the comparison is conservative for jiyu.

Usage: mecab_pipeline.py --rules rules --input answers.jsonl --output out.jsonl [--limit N]
"""

import argparse
import json
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

import fugashi
import ipadic

NO_ANSWER = "no-answer"
UNCLASSIFIED = "unclassified"
NON_ANSWERS = {
    "", "ー", "-", "なし", "無し", "ナシ", "ない", "無い", "特になし", "特に無し", "とくになし",
    "特にない", "特に無い", "特にありません", "ありません", "なしです", "特になしです",
    "わからない", "分からない", "わかりません", "分かりません", "不明", "未定", "無回答",
    "該当なし", "同上", "上記", "NA", "N/A", "NONE", "無", "別に",
}
PUNCTUATION = re.compile(r"[\s\W_]+")
FUNCTIONS = {"near", "seq"}
OPERATORS = {"&": "&", "＆": "&", "|": "|", "｜": "|", "!": "!", "！": "!", "(": "(", "（": "(",
             ")": ")", "）": ")", ",": ",", "，": ",", ":": ":", "：": ":", "#": "#", "＃": "#",
             "@": "@", "＠": "@", '"': '"', "＂": '"', "“": '"', "”": '"', "/": "/"}


def rule_words(rule):
    """The words of a rule's literals and bare words, in order (see the module docstring)."""
    words = []
    i, n = 0, len(rule)
    negated = False

    def run(at):
        end = at
        while end < n and not rule[end].isspace() and rule[end] not in OPERATORS:
            end += 1
        return rule[at:end], end

    while i < n:
        ch = rule[i]
        op = OPERATORS.get(ch)
        if ch.isspace():
            i += 1
            continue
        if op == "#":
            while i < n and rule[i] != "\n":
                i += 1
            continue
        if op == '"':
            i += 1
            text = []
            while i < n and OPERATORS.get(rule[i]) != '"':
                if rule[i] == "\\" and i + 1 < n:
                    i += 1
                text.append(rule[i])
                i += 1
            i += 1
            if not negated:
                words.append("".join(text))
            negated = False
            continue
        if op == "/":
            i += 1
            while i < n and rule[i] != "/":
                i += 2 if rule[i] == "\\" else 1
            i += 1
            negated = False
            continue
        if op == "@":
            _, i = run(i + 1)
            negated = False
            continue
        if op == ":":
            # A part-of-speech condition: its first level, then `,LEVEL` while LEVEL is not a word.
            _, i = run(i + 1)
            while i < n and OPERATORS.get(rule[i]) == ",":
                level, end = run(i + 1)
                if level in POS_SUBLEVELS:
                    i = end
                else:
                    break
            continue
        if op is not None:
            negated = op == "!"
            i += 1
            continue
        word, i = run(i)
        rest = rule[i:].lstrip()
        if word in FUNCTIONS and rest[:1] in ("(", "（"):
            continue
        if word.isdigit():
            continue
        if not negated:
            words.append(word)
        negated = False
    return words


POS_SUBLEVELS = {
    "*", "一般", "サ変接続", "ナイ形容詞語幹", "代名詞", "縮約", "副詞可能", "動詞非自立的", "固有名詞", "人名",
    "名", "姓", "地域", "国", "組織", "引用文字列", "形容動詞語幹", "接尾", "助動詞語幹", "助数詞", "特殊",
    "接続詞的", "数", "非自立", "自立", "間投", "助詞類接続", "並立助詞", "係助詞", "副助詞",
    "副助詞／並立助詞／終助詞", "副詞化", "接続助詞", "格助詞", "引用", "連語", "終助詞", "連体化", "動詞接続",
    "名詞接続", "形容詞接続", "数接続", "アルファベット", "句点", "括弧閉", "括弧開", "空白", "読点",
}


def base_forms(tagger, text):
    """The base form of every token (the surface when IPADIC has none)."""
    forms = []
    for word in tagger(text):
        feature = word.feature
        lemma = feature[6] if len(feature) > 6 else "*"
        forms.append(lemma if lemma != "*" else word.surface)
    return forms


class Scheme:
    """One scheme's keywords: n → {tuple of base forms → [(category, keyword)]}."""

    def __init__(self, scheme_id, categories, tagger):
        self.id = scheme_id
        self.priority = {}
        self.by_length = {}
        for category in categories:
            self.priority[category["id"]] = category.get("priority", 0)
            for word in rule_words(category.get("rule", "")):
                word = unicodedata.normalize("NFKC", word)
                key = tuple(base_forms(tagger, word))
                if not key:
                    continue
                hits = self.by_length.setdefault(len(key), {}).setdefault(key, [])
                if (category["id"], word) not in hits:
                    hits.append((category["id"], word))
        self.keywords = sum(len(keys) for keys in self.by_length.values())

    def classify(self, forms):
        evidence = {}
        for length, keys in self.by_length.items():
            if length == 1:
                for form in forms:
                    for category, word in keys.get((form,), ()):
                        evidence.setdefault(category, []).append(word)
            else:
                for start in range(len(forms) - length + 1):
                    for category, word in keys.get(tuple(forms[start:start + length]), ()):
                        evidence.setdefault(category, []).append(word)
        categories = sorted(evidence, key=lambda c: (-self.priority[c], -len(evidence[c])))
        return categories, evidence


def load_schemes(rules_dir, tagger):
    schemes = {}
    for path in sorted(Path(rules_dir).glob("*.toml")):
        with open(path, "rb") as file:
            data = tomllib.load(file)
        scheme = Scheme(data["scheme"]["id"], data.get("category", []), tagger)
        for question in data["scheme"].get("questions", []):
            schemes[question] = scheme
    return schemes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", default="rules")
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--limit", type=int, default=0, help="only the first N answers")
    args = parser.parse_args()

    tagger = fugashi.GenericTagger(ipadic.MECAB_ARGS)
    schemes = load_schemes(args.rules, tagger)
    distinct = {id(s): s for s in schemes.values()}
    print(f"mecab_pipeline: {len(distinct)} schemes, "
          f"{sum(s.keywords for s in distinct.values())} keywords", file=sys.stderr)

    count = 0
    with open(args.input, encoding="utf-8") as source, \
            open(args.output, "w", encoding="utf-8") as out:
        for line in source:
            if args.limit and count >= args.limit:
                break
            record = json.loads(line)
            answer_id = record.pop("id")
            question = record.pop("question")
            text = record.pop("text")
            normalized = unicodedata.normalize("NFKC", text)
            scheme = schemes.get(question)
            evidence = {}
            if scheme is None:
                categories = []
            elif PUNCTUATION.sub("", normalized).upper() in NON_ANSWERS:
                categories = [NO_ANSWER]
            else:
                categories, evidence = scheme.classify(base_forms(tagger, normalized))
                if not categories:
                    categories = [UNCLASSIFIED]
            out.write(json.dumps({
                "id": answer_id,
                "question": question,
                "text": text,
                "attributes": record,
                "categories": categories,
                "primary": categories[0] if categories else None,
                "evidence": evidence,
            }, ensure_ascii=False))
            out.write("\n")
            count += 1
    print(f"mecab_pipeline: {count} answers", file=sys.stderr)


if __name__ == "__main__":
    main()
