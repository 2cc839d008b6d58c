"""Every command over the hostile inputs: a result or one named error line and exit 1, never a traceback.

Also: classify and extract take what a user has — a report file (a row per paragraph, with
the report and paragraph ids), JSONL, plain lines, standard input in any encoding the
readers know.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from tests.conftest import EXAMPLES
from tests.test_hostile import build_corpus

EXAMPLE = EXAMPLES / "jiangling-zsj-2024-self-evaluation"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, str | None]]:
    root = tmp_path_factory.mktemp("hostile") / "坏 文件"
    expected = build_corpus(root)
    (root / "not-a-report.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    expected["not-a-report.png"] = "UnsupportedFormatError"
    return root, expected


def check(result, what: str) -> None:
    """A finished command: exit 0, or exit 1 with each stderr line an error or warning line; no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{what}: {type(result.exception).__name__}: {result.exception}"
    assert "Traceback" not in result.output, what
    assert result.exit_code in (0, 1), f"{what}: exit {result.exit_code}: {result.output[-300:]}"
    if result.exit_code == 1:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines and all(line.startswith(("错误：", "提示：")) for line in lines), f"{what}: {result.stderr!r}"


def test_every_command_on_every_hostile_input(corpus, tmp_path):
    root, expected = corpus
    runner = CliRunner()
    outcomes: dict[str, dict[str, int]] = {}
    for name in sorted(expected):
        if name == "huge-text.txt":
            # 40,000 numbers in one paragraph: only batch has a --max-chars to refuse it (below), and
            # tag's conflict check is quadratic in the quantities of a report (minutes here).
            continue
        path = root / name
        data = path.read_bytes() if path.is_file() else b""
        as_rows = tmp_path / "rows.jsonl"
        as_rows.write_bytes(data)
        commands = {
            "tag": ["tag", "--no-classify", str(path)],
            "classify": ["classify", str(path)],
            "extract": ["extract", str(path)],
            "classify-jsonl": ["classify", str(as_rows)],
            "extract-stdin": ["extract", "-"],
            "train": ["train", str(path), "--model-out", str(tmp_path / "model"), "--folds", "2"],
            "evaluate": ["evaluate", str(path)],
        }
        for command, args in commands.items():
            stdin = data if command.endswith("stdin") else None
            result = runner.invoke(cli.app, args, input=stdin)
            check(result, f"{command} {name}")
            outcomes.setdefault(command, {}).setdefault(str(result.exit_code), 0)
            outcomes[command][str(result.exit_code)] += 1
            if expected[name] not in (None, "LimitExceededError") and command in ("tag", "classify", "extract"):
                assert result.exit_code == 1, f"{command} {name} should fail ({expected[name]})"
            if expected[name] is None and command in ("tag", "classify", "extract") and "loop" not in name:
                assert result.exit_code == 0, f"{command} {name}: {result.stderr}"
    batch = runner.invoke(cli.app, ["batch", str(root), "--out", str(tmp_path / "out"), "-j", "1", "--no-classify",
                                    "--max-pages", "50", "--max-chars", "200000", "--quiet"])
    check(batch, "batch")
    assert batch.exit_code == 1  # some files fail; the others are in the tables
    print(outcomes)


def test_classify_and_extract_read_report_files_a_row_per_paragraph():
    runner = CliRunner()
    for suffix in (".pdf", ".docx", ".txt"):
        path = EXAMPLE.with_suffix(suffix)
        result = runner.invoke(cli.app, ["extract", str(path)])
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(rows) > 10
        assert all(row["report"] == str(path) and row["id"] == f"{path.name}#{row['paragraph']}" for row in rows)
        assert sum(len(row["quantities"]) for row in rows) > 20
    result = runner.invoke(cli.app, ["classify", str(EXAMPLE.with_suffix(".pdf"))])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["paragraph"] == "p0001" and rows[0]["page"] == 1 and rows[0]["primary"]


def test_rows_from_stdin_and_jsonl_in_any_encoding(tmp_path):
    runner = CliRunner()
    lines = '{"id": "a", "text": "全年受理诉求12.6万件。"}\n\n新建中小学校3所。\n'
    result = runner.invoke(cli.app, ["extract"], input=lines.encode("gb18030"))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "3"] and rows[0]["quantities"][0]["surface"] == "12.6万件"
    # A .jsonl file is rows even when its lines look like a report.
    data = tmp_path / "paragraphs.jsonl"
    data.write_bytes(EXAMPLE.with_suffix(".txt").read_text(encoding="utf-8").encode("utf-16"))
    result = runner.invoke(cli.app, ["classify", str(data)])
    assert result.exit_code == 0 and all("report" not in json.loads(line) for line in result.stdout.splitlines())
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "好"}\n{"id": 2}\n', encoding="utf-8")
    result = runner.invoke(cli.app, ["--lang", "en", "extract", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (f'error: {bad}:2: not a JSON object with a "text" string (missing \'text\'); '
                                     'give one JSON object with "id" and "text", or one paragraph of plain text, per line')
    assert runner.invoke(cli.app, ["extract"], input=b"").stdout == ""


@pytest.mark.parametrize("command", [[], ["tag"], ["classify"], ["extract"], ["train"], ["evaluate"], ["batch"]])
def test_help_shows_flags_without_a_type(command):
    result = CliRunner().invoke(cli.app, [*command, "--help"], terminal_width=120)
    assert result.exit_code == 0 and "--help" in result.stdout
    assert "<bool>" not in result.stdout
    if command == ["batch"]:
        assert "--force " in result.stdout and "--include" in result.stdout and "GLOB" in result.stdout
