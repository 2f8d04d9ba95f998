"""No Chinese text outside translation tags in templates, so the English pages are English throughout.

Run as a script to list every finding: ``.venv/bin/python -m tests.core.test_template_literals``.
"""

import re
import sys
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]

# CJK ideographs, CJK symbols and punctuation (、。《》「」【】), full-width forms (：（），；！？).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+")
# Strings already translated inside other tags and filters: _("...") and translate's own context "...".
TRANSLATED_ARGUMENT = re.compile(r"""_\(\s*(?:"[^"]*"|'[^']*')\s*\)|\bcontext\s+(?:"[^"]*"|'[^']*')""")
TRANSLATE_TAGS = {"translate", "trans"}
BLOCK_TRANSLATE_TAGS = {"blocktranslate", "blocktrans"}

# (template path relative to the repository, the literal) pairs that may stay; each says why.
ALLOWED: dict[tuple[str, str], str] = {
    # The portal's emblem: a seal-like mark drawn from the character 信 (credit), hidden from screen readers
    # (aria-hidden). It is the brand's logo, the same in every language, like an image would be.
    ("templates/base.html", "信"): "logo",
    ("templates/500.html", "信"): "logo",  # the stand-alone error page repeats the header
}


def template_files() -> list[Path]:
    """Every template the project ships: templates/ and each app's templates/ folder."""
    folders = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]
    return sorted(path for folder in folders for path in folder.rglob("*") if path.is_file())


def untranslated_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each CJK run outside {% translate %}, {% blocktranslate %} and template comments."""
    found: list[tuple[int, str]] = []
    in_block_translate = in_comment = False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.COMMENT:
            continue
        tag = token.contents.split(None, 1)[0] if token.token_type == TokenType.BLOCK and token.contents else ""
        if in_comment:
            in_comment = tag != "endcomment"
            continue
        if tag == "comment":
            in_comment = True
            continue
        if in_block_translate:
            # The text between the tags is the msgid; {% plural %} and the end tag close it.
            in_block_translate = tag not in {"endblocktranslate", "endblocktrans"}
            continue
        if tag in TRANSLATE_TAGS:
            continue
        text = token.contents
        if token.token_type != TokenType.TEXT:
            text = TRANSLATED_ARGUMENT.sub("", text)
        if tag in BLOCK_TRANSLATE_TAGS:
            in_block_translate = True
        for match in CJK.finditer(text):
            line = (
                token.lineno + text[: match.start()].count("\n")
                if token.token_type == TokenType.TEXT
                else token.lineno
            )
            found.append((line, match.group()))
    return found


def findings() -> list[tuple[str, int, str]]:
    """(path, line, literal) of every untranslated CJK literal not in ALLOWED."""
    result = []
    for path in template_files():
        relative = path.relative_to(ROOT).as_posix()
        for line, literal in untranslated_literals(path.read_text(encoding="utf-8")):
            if (relative, literal) not in ALLOWED:
                result.append((relative, line, literal))
    return result


def test_the_scan_sees_the_templates_of_every_app():
    folders = {path.relative_to(ROOT).parts[0] for path in template_files()}
    assert {"templates", "credit_portal"} <= folders
    assert len(template_files()) > 100


def test_the_scan_finds_chinese_outside_translation_tags_and_nowhere_else():
    source = (
        '{% load i18n %}{# 注释 #}{% comment %}说明{% endcomment %}{% translate "文号：" %}'
        "{% blocktranslate with n=count %}共{{ n }}条。{% endblocktranslate %}"
        '{{ value|default:_("无") }}{% translate "x" context "按钮" %}'
        '（{{ value|default:"无" }}）\n<p>说明</p>{% include "a.html" with label="名称" %}'
    )
    assert untranslated_literals(source) == [(1, "（"), (1, "无"), (1, "）"), (2, "说明"), (2, "名称")]


def test_no_template_has_chinese_outside_translation_tags():
    assert findings() == []


def test_every_allowed_literal_is_still_in_its_template():
    present = {
        (path.relative_to(ROOT).as_posix(), literal)
        for path in template_files()
        for _line, literal in untranslated_literals(path.read_text(encoding="utf-8"))
    }
    assert set(ALLOWED) - present == set()


if __name__ == "__main__":
    for path, line, literal in findings():
        print(f"{path}:{line}: {literal}")
    sys.exit(1 if findings() else 0)
