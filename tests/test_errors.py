"""Each kind of unreadable input raises a named error; the CLI prints one line and exits 1."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from nlp import errors
from nlp.pipeline import read_report


def _pdf(path: Path, text: str | None = "测试文本：政务服务", encrypt: str | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if text is None:
        c.rect(100, 100, 300, 400, fill=1)  # a page with drawing and no text, as a scan has
    else:
        c.setFont("STSong-Light", 12)
        c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return path


def make_empty(tmp: Path) -> Path:
    path = tmp / "empty.pdf"
    path.write_bytes(b"")
    return path


def make_blank_text(tmp: Path) -> Path:
    path = tmp / "blank.txt"
    path.write_text(" \n\n \t\n", encoding="utf-8")
    return path


def make_corrupt_pdf(tmp: Path) -> Path:
    good = _pdf(tmp / "good.pdf").read_bytes()
    path = tmp / "corrupt.pdf"
    path.write_bytes(good[: len(good) // 3])
    return path


def make_encrypted_pdf(tmp: Path) -> Path:
    return _pdf(tmp / "encrypted.pdf", encrypt="secret")


def make_scan_pdf(tmp: Path) -> Path:
    return _pdf(tmp / "scan.pdf", text=None)


def make_binary_txt(tmp: Path) -> Path:
    path = tmp / "noise.txt"
    path.write_bytes(bytes(range(256)) * 8)
    return path


def make_undecodable_txt(tmp: Path) -> Path:
    path = tmp / "latin.txt"
    path.write_bytes(bytes(b for b in range(0xA1, 0xFF) if b not in (0xAD,)) * 20)
    return path


def make_zip_named_docx(tmp: Path) -> Path:
    path = tmp / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return path


def make_image(tmp: Path) -> Path:
    path = tmp / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return path


def make_legacy_doc(tmp: Path) -> Path:
    path = tmp / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    return path


def make_text_named_pdf(tmp: Path) -> Path:
    path = tmp / "renamed.pdf"
    path.write_text("这不是PDF文件。", encoding="utf-8")
    return path


CASES = [
    pytest.param(make_empty, errors.EmptyFileError, ("empty", "为空"), id="empty-file"),
    pytest.param(make_blank_text, errors.EmptyFileError, ("white space", "空白"), id="blank-text"),
    pytest.param(make_corrupt_pdf, errors.CorruptFileError, ("cannot be parsed", "无法解析"), id="corrupt-pdf"),
    pytest.param(make_encrypted_pdf, errors.EncryptedFileError, ("password", "密码"), id="encrypted-pdf"),
    pytest.param(make_scan_pdf, errors.NoTextLayerError, ("run OCR", "OCR"), id="scan-no-text-layer"),
    pytest.param(make_binary_txt, errors.EncodingError, ("binary", "二进制"), id="binary-named-txt"),
    pytest.param(make_undecodable_txt, errors.EncodingError, ("encoding", "编码"), id="unreadable-encoding"),
    pytest.param(make_zip_named_docx, errors.UnsupportedFormatError, ("ZIP archive", "ZIP 压缩包"), id="zip-named-docx"),
    pytest.param(make_image, errors.UnsupportedFormatError, ("not supported", "不支持"), id="unsupported-format"),
    pytest.param(make_legacy_doc, errors.CorruptFileError, ("no Word/WPS or Excel stream", "没有 Word/WPS 或 Excel 文档流"),
                 id="legacy-doc-without-document"),
    pytest.param(make_text_named_pdf, errors.CorruptFileError, ("not a PDF", "不是 PDF"), id="text-named-pdf"),
]


@pytest.mark.parametrize(("make", "error", "words"), CASES)
def test_library_raises_named_error(tmp_path, monkeypatch, make, error, words):
    path = make(tmp_path)
    with pytest.raises(error) as caught:
        read_report(path)
    assert str(path) in str(caught.value)
    assert words[1] in str(caught.value)  # Chinese by default
    monkeypatch.setenv("NLP_LANG", "en")
    assert str(path) in str(caught.value) and words[0] in str(caught.value)


@pytest.mark.parametrize(("make", "error", "words"), CASES)
@pytest.mark.parametrize(("lang", "prefix"), [("zh", "错误："), ("en", "error: ")])
def test_cli_prints_one_line_and_exits_1(tmp_path, make, error, words, lang, prefix):
    path = make(tmp_path)
    result = CliRunner().invoke(cli.app, ["--lang", lang, "tag", str(path), "--no-classify"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    word = words[0] if lang == "en" else words[1]
    assert len(lines) == 1 and lines[0].startswith(prefix) and word in lines[0]
    assert "Traceback" not in result.output


def test_cli_usage_error_exits_2():
    result = CliRunner().invoke(cli.app, ["tag", "--format", "yaml", "x.txt"])
    assert result.exit_code == 2


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("一、部门概况\n\n单位主要职责是统筹全市政务服务。\n", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["tag", str(make_empty(tmp_path)), str(good), "--no-classify"])
    assert result.exit_code == 1
    assert "good.txt" in result.stdout


def test_owner_password_only_pdf_is_read(tmp_path):
    # Restrictions without a user password do not stop reading. (pdfminer cannot
    # map an encrypted CID font's encoding, so this page uses a standard font.)
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "owner.pdf"
    c = canvas.Canvas(str(path), encrypt=StandardEncryption("", ownerPassword="owner", canPrint=1))
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, "Performance self-evaluation report 2024.")
    c.showPage()
    c.save()
    report = read_report(path)
    assert "self-evaluation report" in report.text
