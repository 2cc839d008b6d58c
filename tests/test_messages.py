"""The message catalogue: every key in both languages, with the same parameters, and every key used exists."""

from __future__ import annotations

import ast
import re
import string
from collections import Counter
from pathlib import Path

import pytest

from nlp import messages
from nlp.messages import CATALOGUE, Message, t

PACKAGE = Path(messages.__file__).resolve().parent


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_no_key_is_written_twice():
    tree = ast.parse((PACKAGE / "messages.py").read_text(encoding="utf-8"))
    catalogue = next(node.value for node in ast.walk(tree) if isinstance(node, ast.AnnAssign)
                     and getattr(node.target, "id", "") == "CATALOGUE")
    keys = Counter(k.value for k in catalogue.keys if isinstance(k, ast.Constant))
    assert [k for k, n in keys.items() if n > 1] == []


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_both_languages_take_the_same_parameters(key):
    zh, en = CATALOGUE[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en)


def test_every_key_the_package_uses_exists():
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"""\b(?:t|Message)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used and sorted(used - set(CATALOGUE)) == []


def test_language_follows_the_environment(monkeypatch):
    assert t("error.missing_file") == "文件不存在"
    monkeypatch.setenv("NLP_LANG", "en")
    assert t("error.missing_file") == "the file does not exist"
    assert str(Message("error.too_large", size=2048, limit=1024)) == "the file is 2,048 bytes, more than the limit of 1,024"


def test_unknown_key_is_a_programming_error():
    with pytest.raises(KeyError):
        Message("no.such.key")


def _click_app():
    import typer.main

    import cli

    return typer.main.get_command(cli.app)


def test_every_help_text_of_the_command_line_has_its_chinese():
    from nlp.messages import HELP_ZH

    group = _click_app()
    missing = []
    for command in [group, *group.commands.values()]:
        for item in [command, *command.params]:
            text = (getattr(item, "help", None) or "").partition("\n")[0].strip()
            if text and text not in HELP_ZH:
                missing.append(f"{command.name}: {text}")
    assert missing == []


@pytest.mark.parametrize(("args", "shown"), [
    (["batch", "--help"], "输出文件夹"),
    (["--lang", "en", "batch", "--help"], "Output folder"),
    (["--help"], "批量标注"),
])
def test_help_follows_the_language(args, shown):
    from typer.testing import CliRunner

    import cli

    result = CliRunner().invoke(cli.app, args, terminal_width=200)
    assert result.exit_code == 0 and shown in result.output
    assert "<bool>" not in result.output
