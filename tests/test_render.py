"""Review pages: what the HTML holds (every paragraph, quantity, indicator, finding), escaping, the batch index."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from nlp.render import page_view, render_index, render_report, write_pages
from nlp.render.html import index_row, page_name
from nlp.tagging import Tagging
from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "jiangling-zsj-2024-self-evaluation.txt"

HOSTILE = """一、总体情况
<script>alert("x")</script>全年办件量86.42万件，</p><img src=x onerror=alert(1)>办结率99.5%。
二、存在问题
"><svg onload=alert(2)> 项目 & 资金 ' 使用 {{ 7*7 }} 情况良好，全年办件量86.43万件。
"""


class Elements(HTMLParser):
    """Collect start tags (name, attributes) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(page)
    return parser.tags


@pytest.fixture(scope="module")
def example() -> dict:
    return Tagging().tag_file(EXAMPLE).to_dict()


@pytest.fixture(scope="module")
def hostile() -> dict:
    return Tagging(classify=False).tag_text(HOSTILE, source='<b>evil</b>".txt').to_dict()


def test_every_paragraph_quantity_and_indicator_is_on_the_page(example):
    page = render_report(example)
    tags = elements(page)
    paragraphs = [a["id"] for t, a in tags if t == "article"]
    assert paragraphs == [f"p-{p['id']}" for p in example["paragraphs"]]
    marks = [(int(a["data-s"]), int(a["data-e"])) for t, a in tags if t == "mark" and a.get("data-s")]
    expected = [(p["start"] + q["start"], p["start"] + q["end"]) for p in example["paragraphs"] for q in p["quantities"]]
    assert marks == expected
    rows = [a["id"] for t, a in tags if t == "tr" and "indicator" in (a.get("class") or "")]
    assert rows == [f"ind-{r['id']}" for r in example["indicators"]] and rows
    assert len([1 for t, a in tags if t == "li" and "finding" in (a.get("class") or "")]) == len(example["findings"])


def test_quantity_tooltips_name_value_unit_role_and_metric(example):
    view = page_view(example)
    q = next(p for p in example["paragraphs"] if p["quantities"])["quantities"][0]
    first = next(v for v in (b.get("paragraph") for b in view["blocks"]) if v and v["quantities"])["quantities"][0]
    assert f"数值 {q['value']}" in first["tip"] and f"单位 {q['unit'] or '—'}" in first["tip"]
    assert "角色 " in first["tip"] and "指标 " in first["tip"]


def test_category_chips_carry_scores_and_explanation_terms(example):
    page = render_report(example)
    labelled = next(p for p in example["paragraphs"] if p["labels"] and p["explanation"].get(p["labels"][0]["label"]))
    label = labelled["labels"][0]
    terms = "、".join(labelled["explanation"][label["label"]])
    assert f'title="依据词：{terms}"' in page
    assert f"{label['label']} <b>{label['score']:.2f}</b>" in page


def test_findings_point_at_their_evidence_spans(example):
    view = page_view(example)
    with_evidence = [f for f in view["findings"] if any(e["start"] is not None for e in f["evidence"])]
    assert with_evidence, "the example report has findings with evidence in its text"
    spans = {(s["start"], s["end"]) for b in view["blocks"] if "paragraph" in b
             for s in b["paragraph"]["segments"] if s["kind"] != "plain"}
    for finding in with_evidence:
        for e in (e for e in finding["evidence"] if e["start"] is not None):
            assert any(s < e["end"] and t > e["start"] for s, t in spans), (finding["message"], e)


def test_unmet_indicator_finding_points_at_its_row():
    report = {"paragraphs": [], "indicators": [{"id": "t01.r01", "name": "运维系统数", "status": "not_met"}],
              "findings": [{"kind": "unmet", "measure": "运维系统数", "message": "m", "values": ["13套", "11套"],
                            "evidence": [], "explained": True, "severity": "medium"}]}
    [finding] = page_view(report)["findings"]
    assert finding["rows"] == "ind-t01.r01" and finding["severity_name"] == "中"
    page = render_report(report)
    assert 'class="sev sev-medium">中<' in page and "已说明原因" in page


def test_report_text_is_escaped_never_markup(hostile):
    page = render_report(hostile)
    tags = [t for t, _ in elements(page)]
    assert tags.count("script") == 1, "only the page's own script"
    assert "img" not in tags and "svg" not in tags
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "{{ 7*7 }}" in page and "49" not in re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert "&lt;b&gt;evil&lt;/b&gt;&#34;.txt" in page
    assert not any(k.startswith("on") for _, attrs in elements(page) for k in attrs)


def test_page_needs_no_network_and_allows_only_its_own_script(example):
    page = render_report(example)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    csp = next(a["content"] for t, a in elements(page) if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1]
    import base64
    import hashlib

    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    assert base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() in csp


def test_severity_shown_where_present_and_unrated_where_absent(example):
    rated, unrated = json.loads(json.dumps(example)), json.loads(json.dumps(example))
    for i, finding in enumerate(rated["findings"]):
        finding["severity"] = ["high", "low"][i % 2]
    for finding in unrated["findings"]:
        finding.pop("severity", None)
    row, plain = index_row(rated, "a.html", "a.txt"), index_row(unrated, "b.html", "b.txt")
    assert set(row["findings"]) <= {"high", "low"} and sum(row["findings"].values()) == len(example["findings"])
    assert plain["findings"] == ({"未分级": len(example["findings"])} if example["findings"] else {})
    index = render_index([row, plain])
    assert "问题·高" in index and "问题·未分级" in index


@pytest.mark.parametrize("sources, names", [
    (["a/b.txt", "a b.txt"], ["a_b.txt.html", "a_b.txt-2.html"]),
    (["../../etc/passwd", "index"], ["etc_passwd.html", "index-2.html"]),
    (["<script>.txt", "报告.docx"], ["script_.txt.html", "报告.docx.html"]),
], ids=["collision", "traversal", "markup"])
def test_page_names_stay_in_the_folder_and_never_collide(sources, names):
    taken = {"index.html"}
    assert [page_name(s, taken) for s in sources] == names


def test_write_pages_index_links_every_report_and_lists_errors(tmp_path, example, hostile):
    index = write_pages(tmp_path, [("x/example.txt", example, None), ("bad.pdf", None, {"class": "CorruptFileError",
                                                                                        "message": "<b>damaged</b>"}),
                                   ("evil.txt", hostile, None)])
    page = index.read_text(encoding="utf-8")
    links = [a["href"] for t, a in elements(page) if t == "a"]
    assert sorted(links) == ["evil.txt.html", "x_example.txt.html"]
    assert all((tmp_path / link).is_file() for link in links)
    back = [a["href"] for t, a in elements((tmp_path / links[0]).read_text(encoding="utf-8")) if t == "a" and a.get("class") == "back"]
    assert back == ["index.html"]
    assert "CorruptFileError: &lt;b&gt;damaged&lt;/b&gt;" in page
    assert example["metadata"]["department"] in page


def test_cli_tag_html_and_batch_html(tmp_path):
    runner = CliRunner()
    out = tmp_path / "report.html"
    result = runner.invoke(cli.app, ["tag", str(EXAMPLE), "--format", "html", "--out", str(out), "--no-classify"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = runner.invoke(cli.app, ["tag", str(EXAMPLE), str(EXAMPLE), "--format", "html"])
    assert result.exit_code == 1 and "batch --html" in result.output
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really")
    result = runner.invoke(cli.app, ["batch", str(folder), "--out", str(tmp_path / "out"), "--html", "-j", "1",
                                     "--no-classify"])
    assert (tmp_path / "out" / "html" / "a.txt.html").is_file()
    index = (tmp_path / "out" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="a.txt.html"' in index and "broken.pdf" in index and 'class="failed"' in index


def test_sample_page_shows_all_paragraphs_and_its_14_indicators(sample_path: Path):
    report = Tagging().tag_file(sample_path).to_dict()
    tags = elements(render_report(report))
    assert len([1 for t, _ in tags if t == "article"]) == len(report["paragraphs"])
    assert len([1 for t, a in tags if t == "tr" and "indicator" in (a.get("class") or "")]) == 14
