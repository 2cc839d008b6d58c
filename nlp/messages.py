"""Say every sentence a person reads in Chinese (or English), from one catalogue.

Errors, warnings, findings, summaries and progress lines are written through
:func:`t` with a stable key; the key's templates live in :data:`CATALOGUE`, one
``(中文, English)`` pair each. Chinese is the default; ``NLP_LANG=en`` (or the
CLI's ``--lang en``, which sets it for worker processes too) gives English.
Machine fields (codes, kinds, statuses) are never translated.

>>> t("error.missing_file", lang="zh")
'文件不存在'
>>> t("error.missing_file", lang="en")
'the file does not exist'
>>> str(Message("error.page_count_limit", pages=12, limit=10))  # doctest: +SKIP
'PDF 有 12 页，超过上限 10 页'
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("zh", "en")
ENV_VAR = "NLP_LANG"

_chosen: ContextVar[str | None] = ContextVar("nlp_language", default=None)


def language() -> str:
    """Return the language in force: the one set with :func:`set_language`, else ``$NLP_LANG``, else zh."""
    chosen = _chosen.get()
    if chosen:
        return chosen
    env = os.environ.get(ENV_VAR, "").strip().lower()
    return "en" if env.startswith("en") else "zh"


def set_language(lang: str) -> None:
    """Use *lang* (zh or en) for this context and for processes started from it."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _chosen.set(lang)
    os.environ[ENV_VAR] = lang


def t(key: str, /, lang: str | None = None, **params: Any) -> str:
    """Return the sentence *key* in *lang* (default: :func:`language`), filled with *params*."""
    try:
        zh, en = CATALOGUE[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in the catalogue") from None
    template = en if (lang or language()) == "en" else zh
    return template.format(**params) if params else template


@dataclass(frozen=True)
class Message:
    """A sentence kept as key and parameters, rendered in the language in force when shown."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, /, **params: Any) -> None:
        if key not in CATALOGUE:
            raise KeyError(f"no message {key!r} in the catalogue")
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", params)

    def __str__(self) -> str:
        return t(self.key, **self.params)

    def render(self, lang: str | None = None) -> str:
        """Return the sentence in *lang*."""
        return t(self.key, lang=lang, **self.params)


def render(text: str | Message, lang: str | None = None) -> str:
    """Return *text* as a sentence: a :class:`Message` rendered, a plain string as it is."""
    return text.render(lang) if isinstance(text, Message) else text


# key: (中文, English). Keys are grouped by the stage that says them; parameters
# are named so the two templates may order them differently.
CATALOGUE: dict[str, tuple[str, str]] = {
    # Framing of an error line: "{where}{problem}；{advice}".
    "error.line": ("{where}{problem}；{advice}", "{where}{problem}; {advice}"),
    "error.where": ("{path}：", "{path}: "),
    "error.prefix": ("错误：", "error: "),
    "warning.prefix": ("提示：", "warning: "),
    # What to do, per kind of input problem.
    "advice.check_file": ("请检查该文件", "check the file"),
    "advice.unsupported": ("请先转换为 PDF、DOCX、TXT 或 Markdown", "convert it to PDF, DOCX, TXT or Markdown first"),
    "advice.empty": ("文件没有内容，请确认复制或下载完整", "the file has no content; check that it was copied or downloaded completely"),
    "advice.corrupt": ("文件已损坏或不完整，请重新获取", "the file is damaged or truncated; obtain a fresh copy"),
    "advice.encrypted": ("请解除密码保护（或导出无保护的副本）后重试",
                         "remove the password protection (or export an unprotected copy) and try again"),
    "advice.scan": ("这是扫描件，请先做文字识别（OCR）", "this PDF is a scan; run OCR on it first"),
    "advice.encoding": ("请另存为 UTF-8（或 GB18030）文本后重试", "save the file as UTF-8 (or GB18030) text and try again"),
    "advice.limit": ("如文件确属正常，请调高相应上限", "raise the limit if the file is genuine"),
    "advice.check_path": ("请检查路径", "check the path"),
    "advice.use_batch": ("文件夹请用 batch 命令处理", "use `batch` for folders"),
    "advice.max_pages": ("如文件确属正常，请调高 --max-pages", "raise --max-pages if the file is genuine"),
    "advice.max_bytes": ("如文件确属正常，请调高 --max-bytes", "raise --max-bytes if the file is genuine"),
    "advice.max_chars": ("如文件确属正常，请调高 --max-chars", "raise --max-chars if the file is genuine"),
    "advice.timeout": ("如文件确属正常，请调高 --timeout", "raise --timeout if the file is genuine"),
    # Reading files.
    "error.missing_file": ("文件不存在", "the file does not exist"),
    "error.is_folder": ("这是文件夹，不是文件", "it is a folder, not a file"),
    "error.zero_bytes": ("文件为空（0 字节）", "the file is empty (0 bytes)"),
    "error.too_large": ("文件有 {size:,} 字节，超过上限 {limit:,}", "the file is {size:,} bytes, more than the limit of {limit:,}"),
    "error.too_many_chars": ("报告有 {chars:,} 个字符，超过上限 {limit:,}",
                             "the report has {chars:,} characters, more than the limit of {limit:,}"),
    "error.damaged_zip": ("ZIP 容器已损坏（DOCX 文件是 ZIP 压缩包）", "it is a damaged ZIP container (DOCX files are ZIP archives)"),
    "error.excel_not_report": ("这是 Excel 工作簿，不是报告", "it is an Excel workbook, not a report"),
    "error.zip_not_docx": ("这是 ZIP 压缩包，不是 DOCX 文档", "it is a ZIP archive, not a DOCX document"),
    "error.legacy_office": ("这是旧版 Word/Excel（.doc/.xls）文件", "it is a legacy Word/Excel (.doc/.xls) file"),
    "advice.legacy_office": ("请另存为 DOCX 或 PDF", "save it as DOCX or PDF"),
    "error.content_mismatch": ("扩展名为 {suffix}，但内容不是 {kind}", "it is named {suffix} but its content is not a {kind}"),
    "error.unsupported_format": ("不支持 {suffix} 格式", "the format {suffix!r} is not supported"),
    "error.whitespace_only": ("文件只有空白字符", "the file contains only white space"),
    "error.bom_mismatch": ("文件以 {encoding} 标记开头，但无法按该编码解码（{reason}）",
                           "it starts with a {encoding} mark but does not decode ({reason})"),
    "error.nul_bytes": ("文件含 NUL 字节：是二进制文件，不是文本", "it contains NUL bytes: it is binary, not text"),
    "error.unknown_encoding": ("无法识别文件编码（不是 UTF-8、GB18030 或其他已知编码）",
                               "its encoding could not be recognised (not UTF-8, GB18030 or any known encoding)"),
    "error.docx_unopenable": ("DOCX 无法打开（{detail}）", "the DOCX cannot be opened ({detail})"),
    "error.docx_damaged": ("DOCX 已损坏（{detail}）", "the DOCX is damaged ({detail})"),
    "error.docx_no_text": ("DOCX 中没有文字", "the DOCX has no text"),
    "error.pdf_encrypted": ("PDF 有密码保护", "the PDF is encrypted with a password"),
    "error.pdf_unparseable": ("PDF 无法解析（{detail}）", "the PDF cannot be parsed ({detail})"),
    "error.pdf_page_unreadable": ("第 {page} 页无法读取（{detail}）", "page {page} cannot be read ({detail})"),
    "error.pdf_no_pages": ("PDF 没有页面", "the PDF has no pages"),
    "error.pdf_no_text_layer": ("全部 {pages} 页都没有文字层", "no text layer on any of its {pages} page(s)"),
    "error.page_count_limit": ("PDF 有 {pages} 页，超过上限 {limit} 页", "the PDF has {pages} pages, more than the limit of {limit}"),
    "warning.pages_without_text": ("第 {pages} 页没有可用文字（扫描页，或字体缺少 Unicode 映射）；需对这些页做 OCR 才能纳入",
                                   "no usable text on page(s) {pages} (scanned, or fonts without a Unicode map); "
                                   "run OCR on those pages to include them"),
    "error.timeout": ("处理时间超过 {seconds:g} 秒", "took longer than {seconds:g} s"),
    "error.worker_crashed": ("处理该文件的进程意外退出（{detail}）", "the process reading it ended unexpectedly ({detail})"),
    "error.unexpected": ("内部错误（{detail}）", "internal error ({detail})"),
    "advice.report_bug": ("请将该文件和此信息反馈给维护者", "please report this file and message to the maintainers"),
    # Category models: train, evaluate, classify.
    "classify.col_label": ("类别", "label"),
    # The last two columns: rows of the label predicted 其他, and 其他 rows predicted as the label.
    "classify.table_head": ("{label}    精确率  召回率      F1   样本数   →其他   其他→",
                            "{label} precision  recall      f1  support  →other  other→"),
    "classify.eval_summary": ("共 {rows} 段：准确率 {accuracy}，宏平均 F1 {macro_f1}，多标签微平均 F1 {micro}（模型 {model}）",
                              "rows={rows} accuracy={accuracy} macro_f1={macro_f1} multilabel_micro_f1={micro}  (model {model})"),
    "classify.by_department": ("按部门类型的准确率（准确率、段数）：", "accuracy per kind of department (accuracy, rows):"),
    "classify.confusion": ("混淆矩阵（行：标注主类，列：预测主类）", "confusion (rows: gold primary, columns: predicted primary)"),
    "classify.cv_summary": ("{folds} 折交叉验证，{rows} 段：准确率 {accuracy}，宏平均 F1 {macro_f1}，多标签微平均 F1 {micro}",
                            "{folds}-fold cross-validation on {rows} paragraphs: accuracy={accuracy} macro_f1={macro_f1} "
                            "multilabel_micro_f1={micro}"),
    "classify.cv_sections": ("带章节标题的 {rows} 段：用标题准确率 {with_section}，仅正文 {text_alone}；全部段落仅正文：准确率 {accuracy}，宏平均 F1 {macro_f1}",
                             "{rows} rows with a heading path: accuracy {with_section} with it, {text_alone} from the text alone; "
                             "every row from its text alone: accuracy={accuracy} macro_f1={macro_f1}"),
    "classify.suspects": ("交叉验证最存疑的 {n} 行标注（差值 = 标注类别得分 − 其他类别最高得分），请对照标注指南复核：",
                          "the {n} rows whose labels cross-validation doubts most (margin = score of the given label "
                          "minus the best other score); read them again against the label guide:"),
    "classify.model_written": ("模型 {version} 已写入 {directory}", "model {version} written to {directory}"),
    # Models, taxonomies and training data.
    "error.model": ("{where}{problem}", "{where}{problem}"),
    "error.rows_input_unreadable": ("无法读取（{detail}）", "cannot read it ({detail})"),
}
