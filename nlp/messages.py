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
    "advice.unsupported": ("请先转换为 PDF、DOCX、XLSX、OFD、HTML、TXT 或 Markdown",
                           "convert it to PDF, DOCX, XLSX, OFD, HTML, TXT or Markdown first"),
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
    # PDF reading (PDFium text path, damaged files).
    "warning.pdf_pages_unreadable": ("第 {pages} 页无法读取（{detail}），其余页已读取",
                                     "page(s) {pages} could not be read ({detail}); the other pages were read"),
    "warning.pdf_pages_fallback": ("第 {pages} 页改用 pdfplumber 读取（{detail}）",
                                   "page(s) {pages} were read with pdfplumber instead ({detail})"),
    "warning.pdf_opened_by_fallback": ("PDFium 无法打开该 PDF（{detail}），已改用 pdfplumber 读取",
                                       "PDFium could not open the PDF ({detail}); it was read with pdfplumber"),
    "warning.pdf_repaired": ("PDF 已损坏（缺少文件尾），已重建目录后读取", "the PDF is damaged (its trailer is missing); it was read after rebuilding its index"),
    "detail.pdf_glyphs_missing": ("本机缺少该页未嵌入字体的字形", "this machine lacks the glyphs of the page's unembedded fonts"),
    "detail.pdf_page_lost": ("页面内容已随文件损坏丢失", "the page's content was lost with the damaged part of the file"),
    "error.pdf_nothing_readable": ("PDF 的 {pages} 页都无法读取（{detail}）",
                                   "none of the PDF's {pages} page(s) can be read ({detail})"),
    "error.timeout": ("处理时间超过 {seconds:g} 秒", "took longer than {seconds:g} s"),
    "error.worker_crashed": ("处理该文件的进程意外退出（{detail}）", "the process reading it ended unexpectedly ({detail})"),
    "error.unexpected": ("内部错误（{detail}）", "internal error ({detail})"),
    "advice.report_bug": ("请将该文件和此信息反馈给维护者", "please report this file and message to the maintainers"),
    # The summary of one report (tag's default output).
    "summary.head": ("{source}  [{format}，{pages} 页]", "{source}  [{format}, {pages} page(s)]"),
    "summary.metadata": ("  部门：{department}   年度：{year}   自评得分：{score}", "  部门: {department}   年度: {year}   自评得分: {score}"),
    "summary.counts": ("  章节：{sections}   段落：{paragraphs}   表格：{tables}",
                       "  sections: {sections}   paragraphs: {paragraphs}   tables: {tables}"),
    "summary.table": ("{id} {kind}（{rows} 行）", "{id} {kind} ({rows} rows)"),
    "summary.none": ("无", "none"),
    "summary.outline": ("  章节结构：", "  outline:"),
    "summary.categories": ("  类别：{list}", "  categories: {list}"),
    "summary.quantities": ("  数值：{quantities}   指标行：{indicators}   关联：{links}",
                           "  quantities: {quantities}   indicator rows: {indicators}   links: {links}"),
    "summary.indicators": ("  指标：{list}", "  indicators: {list}"),
    # Reading spreadsheets, web pages, OFD, legacy Word/WPS and scans (OCR).
    "error.sheet_count_limit": ("工作簿有 {sheets} 个工作表，超过上限 {limit}", "the workbook has {sheets} sheets, more than the limit of {limit}"),
    "error.excel_damaged": ("Excel 工作簿无法打开（{detail}）", "the Excel workbook cannot be opened ({detail})"),
    "error.excel_encrypted": ("Excel 工作簿有密码保护", "the Excel workbook is encrypted with a password"),
    "error.excel_too_many_cells": ("工作簿的非空单元格超过上限 {limit:,} 个", "the workbook has more than {limit:,} non-empty cells"),
    "error.excel_no_cells": ("工作簿的可见工作表中没有内容", "the workbook's visible sheets have no content"),
    "error.unpacked_too_large": ("压缩包解压后有 {size:,} 字节，超过上限 {limit:,}",
                                 "the archive unpacks to {size:,} bytes, more than the limit of {limit:,}"),
    "error.zip_bomb": ("压缩包中的部件解压后异常膨胀（疑似压缩炸弹）", "a part of the archive unpacks to an implausible size (a zip bomb)"),
    "error.ole_no_document": ("扩展名为 {suffix}，但这个 OLE 复合文件中没有 Word/WPS 或 Excel 文档流（文件已损坏或不是 Office 文档）",
                              "it is named {suffix} but the OLE container holds no Word/WPS or Excel stream (damaged, or not an Office document)"),
    "error.office_encrypted": ("Office 文档有密码保护", "the Office document is encrypted with a password"),
    "error.html_unparseable": ("网页无法解析（{detail}）", "the web page cannot be parsed ({detail})"),
    "error.html_no_text": ("网页中没有正文", "the web page has no article text"),
    "error.mhtml_no_page": ("MHTML 归档中没有 HTML 页面", "the MHTML archive holds no HTML page"),
    "error.ofd_damaged": ("OFD 文件已损坏（{detail}）", "the OFD file is damaged ({detail})"),
    "error.ofd_encrypted": ("OFD 文件已加密", "the OFD file is encrypted"),
    "error.ofd_no_text": ("OFD 中没有文字", "the OFD has no text"),
    "error.ofd_page_limit": ("OFD 有 {pages} 页，超过上限 {limit} 页", "the OFD has {pages} pages, more than the limit of {limit}"),
    "error.legacy_no_converter": ("这是旧版 Word/WPS 文档（{suffix}），读取需要 LibreOffice，但未找到 soffice 命令",
                                  "it is a legacy Word/WPS document ({suffix}); reading it needs LibreOffice and no soffice command was found"),
    "advice.legacy_converter": ("请安装 LibreOffice（使 soffice 在 PATH 上），或将其另存为 DOCX 后重试",
                                "install LibreOffice (with soffice on the PATH), or save it as DOCX and try again"),
    "error.legacy_convert_failed": ("LibreOffice 未能转换该文档（{detail}）", "LibreOffice could not convert it ({detail})"),
    "error.legacy_timeout": ("LibreOffice 转换超过 {seconds:g} 秒", "LibreOffice took longer than {seconds:g} s to convert it"),
    "error.legacy_encrypted": ("Word/WPS 文档有密码保护", "the Word/WPS document is encrypted with a password"),
    "advice.install_ocr": ("这是扫描件：请安装文字识别组件（pip install \"govreport-nlp[ocr]\"）后重试，或先做 OCR",
                           "this PDF is a scan: install the OCR extra (pip install \"govreport-nlp[ocr]\") and try again, or run OCR on it first"),
    "error.ocr_failed": ("第 {page} 页文字识别失败（{detail}）", "OCR failed on page {page} ({detail})"),
    "warning.ocr_pages": ("第 {pages} 页经文字识别（OCR）读取（平均置信度 {confidence:.2f}）",
                          "page(s) {pages} were read by OCR (mean confidence {confidence:.2f})"),
    "warning.ocr_low_confidence": ("第 {page} 页文字识别置信度低（{confidence:.2f}），请核对该页",
                                   "OCR confidence on page {page} is low ({confidence:.2f}); check that page"),
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
    "warning.no_model": ("{path} 中没有模型：已跳过类别标注（可用 govreport train 训练）",
                         "no model in {path}: categories skipped (train one with `govreport train`)"),
    "cli.interrupted": ("已中断", "interrupted"),
    "error.model": ("{where}{problem}", "{where}{problem}"),
    "error.rows_input_unreadable": ("无法读取（{detail}）", "cannot read it ({detail})"),
    # Findings of the number checks (nlp/checks/) and their summary lines (nlp/export.py).
    "finding.conflict.same_measure": ("{measure}：同一口径的数值前后不一致：{a} 与 {b}",
                                      "{measure}: the same measure with the same scope is stated as {a} and as {b}"),
    "finding.conflict.narrative_vs_table": ("{measure}：正文写作 {a}，绩效指标表的实际完成值为 {b}",
                                            "{measure}: the narrative states {a}, the indicator table's actual value is {b}"),
    "finding.conflict.rounding": ("{measure}：{a} 与 {b} 只差在舍入范围内",
                                  "{measure}: {a} and {b} differ only within the rounding of the less precise one"),
    "finding.conflict.shifted_digit": ("{measure}：{a} 与 {b} 相差约十倍，是否错位或漏写？",
                                       "{measure}: {a} and {b} are about a power of ten apart; a shifted digit?"),
    "finding.conflict.bound": ("{measure}：{a} 与 {b} 一处为下限表述，数量级不同，请核实",
                               "{measure}: {a} and {b} (one a lower bound) are of different size; please check"),
    "finding.conflict.approximate": ("{measure}：{a} 与 {b} 一处为约数，数值不同，请核实",
                                     "{measure}: {a} and {b} (one approximate) differ; please check"),
    "finding.conflict.change_values": ("{measure}：同为 {current}，比上年的变动一处写作 {a}，一处写作 {b}",
                                       "{measure}: the same {current} is said to have changed by {a} and by {b}"),
    "finding.conflict.table_cell": ("{measure}：正文写作 {a}，表 {table}（{column}）中为 {b}",
                                    "{measure}: the narrative states {a}, table {table} ({column}) states {b}"),
    "finding.change.direction": ("{measure}：写作{verb}，但 {current} 与上期 {base} 相比变动方向相反",
                                 "{measure}: stated as {verb}, but {current} against the prior {base} moves the other way"),
    "finding.change.amount_mismatch": ("{measure}：{current} 与上期 {base} 相差 {computed}，而非所写的 {change}",
                                       "{measure}: {current} against the prior {base} is a change of {computed}, not {change}"),
    "finding.change.percent_base": ("{measure}：{current} 较上期 {base} 变动 {computed}，而非所写的 {stated}",
                                    "{measure}: {current} against the prior {base} is a change of {computed}, not {stated}"),
    "finding.change.percent_mismatch": ("{measure}：变动 {change}，上期应为 {base}（{current} 倒推），变动率为 {computed}，而非所写的 {stated}",
                                        "{measure}: a change of {change} on a prior {base} (from {current}) is {computed}, "
                                        "not {stated}"),
    "finding.change.percent_on_base": ("{measure}：上期 {base} 变动 {change}，变动率为 {computed}，而非所写的 {stated}",
                                       "{measure}: a change of {change} on the prior {base} is {computed}, not {stated}"),
    "finding.change.negative_base": ("{measure}：{current} 比上期变动 {change}，倒推上期为负数",
                                     "{measure}: {current} after a change of {change} leaves a negative prior value"),
    "finding.total.parts_sum": ("{measure}：合计写作 {total}，但所列分项 {parts} 之和为 {computed}",
                                "{measure}: the total is stated as {total}, but its parts {parts} add up to {computed}"),
    "finding.share.mismatch": ("{measure}：{part} 占 {whole} 的 {computed}，而非所写的 {stated}",
                               "{measure}: {part} of {whole} is {computed}, not {stated}"),
    "finding.target.unmet": ("{measure}：目标 {target}，实际 {actual}；报告未说明原因",
                             "{measure}: target {target}, actual {actual}; the report gives no reason"),
    "finding.target.unmet_explained": ("{measure}：目标 {target}，实际 {actual}；报告的说明：“{reason}”",
                                       "{measure}: target {target}, actual {actual}; the report says: \"{reason}\""),
    "word.up": ("增加", "an increase"),
    "word.down": ("减少", "a decrease"),
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    "severity.info": ("提示", "info"),
    "summary.findings": ("错误 {error} 个，警告 {warning} 个，提示 {info} 个（舍入级差异，不算错误）",
                         "{error} error(s), {warning} warning(s), {info} info (rounding-level, not errors)"),
    "summary.findings_heading": ("发现的问题", "Findings"),
    "summary.findings_label": ("  发现的问题：", "  findings: "),
    "status.met": ("已达成", "met"),
    "status.not_met": ("未达成", "not met"),
    "status.not_comparable": ("无法比较", "not comparable"),
    "summary.indicator_evidence": ("指标在正文中的依据", "What the narrative says per indicator"),
    # Review pages, Label Studio tasks and imported labels.
    "render.one_page": ("HTML 格式一次只能生成一个报告的页面；多个报告请用 batch --html",
                        "the html format makes the page of one report at a time; use `batch --html` for several"),
    "render.index_written": ("审阅页已写入 {path}", "review pages written; index at {path}"),
    "labels.unreadable": ("{path}：无法读取（{detail}）", "{path}: cannot read it ({detail})"),
    "labels.not_export": ("{path}：不是 Label Studio 的 JSON 导出或 doccano 的 JSONL 导出（{detail}）",
                          "{path}: not a Label Studio JSON export or a doccano JSONL export ({detail})"),
    "labels.outside_taxonomy": ("{path}：任务 {task} 的标签“{labels}”不在分类体系 {taxonomy} 中；可用标签：{known}。"
                                "请在标注工具中改正，或用 --taxonomy 指定相应的分类体系",
                                "{path}: task {task} has label(s) {labels} that are not in the taxonomy {taxonomy} "
                                "(its labels: {known}); correct them in the annotation tool, or pass the matching --taxonomy"),
    "labels.imported": ("已导入 {rows} 条标注，写入 {path}", "{rows} labelled rows imported into {path}"),
    "labels.skipped": ("跳过：{detail}", "skipped: {detail}"),
    "labels.skip_reason.cancelled": ("已取消 {n} 条", "{n} cancelled"),
    "labels.skip_reason.unlabelled": ("未标注 {n} 条", "{n} unlabelled"),
    "suggest.no_reports": ("{path}：没有找到报告（需要 batch 输出文件夹，或每行一个报告的 JSONL）",
                           "{path}: no reports found (give a batch output folder, or a JSONL file of one report a line)"),
    "suggest.written": ("已选出 {n} 段（共 {pool} 段候选），任务写入 {tasks}，标注界面配置写入 {config}",
                        "{n} paragraphs chosen from {pool}; tasks in {tasks}, labelling configuration in {config}"),
    # Rows given to classify and extract (JSONL or plain lines).
    "error.rows_bad_json": ('不是带 "text" 字符串字段的 JSON 对象（{detail}）',
                            'not a JSON object with a "text" string ({detail})'),
    "advice.rows_format": ('每行应为一个含 "id" 和 "text" 的 JSON 对象，或一行一段纯文本',
                           'give one JSON object with "id" and "text", or one paragraph of plain text, per line'),
    # Batch runs: progress, the summary, files that are not reports, output problems.
    "batch.progress": ("处理中", "tagging"),
    "batch.progress_pages": ("{pages} 页", "{pages} pages"),
    # Batch runs: OCR of scanned pages, page by page.
    "batch.ocr.progress": ("文字识别 {done}/{total} 页：{file}", "OCR {done}/{total} pages: {file}"),
    "batch.ocr.bar": ("文字识别", "OCR"),
    "batch.ocr.bar_file": ("页：{file}", "pages: {file}"),
    "batch.state.done": ("完成", "done"),
    "batch.state.reused": ("未变，沿用上次结果", "unchanged, earlier result kept"),
    "batch.state.failed": ("失败：{message}", "failed: {message}"),
    "batch.summary.run": ("本次 {files} 个报告文件：{tagged} 个新处理，{reused} 个未变沿用上次结果，{failed} 个失败",
                          "{files} report files: {tagged} tagged, {reused} unchanged (earlier result kept), "
                          "{failed} failed"),
    "batch.summary.skipped": ("另有 {skipped} 个文件不是报告，已跳过（见 {path}）",
                              "{skipped} other files are not reports and were skipped (see {path})"),
    "batch.summary.tables": ("表格现有 {reports} 份报告、{failed} 份失败，共 {pages} 页、{paragraphs} 段；用时 {seconds} 秒",
                             "the tables now hold {reports} reports and {failed} failures, {pages} pages, "
                             "{paragraphs} paragraphs; {seconds} s"),
    "batch.summary.categories": ("类别：{items}", "categories: {items}"),
    "batch.summary.findings": ("发现的问题：{items}", "findings: {items}"),
    "batch.summary.errors": ("错误：{items}（见 {path}）", "errors: {items} (see {path})"),
    "batch.summary.outputs": ("输出目录：{path}", "outputs in {path}"),
    "batch.cannot_write": ("无法写入输出目录 {path}（{detail}）；请腾出空间或换一个 --out。已完成的文件都已保留，再次运行即可补完其余文件",
                           "cannot write the outputs to {path} ({detail}); free space or choose another --out. "
                           "Files finished so far are kept; run again to complete the rest"),
    "batch.no_pyarrow": ("--parquet 需要 pyarrow：请执行 pip install \"govreport-nlp[parquet]\"",
                         "--parquet needs pyarrow: pip install \"govreport-nlp[parquet]\""),
    "list.separator": ("，", ", "),
    "error.missing_folder": ("文件夹不存在", "the folder does not exist"),
    "error.not_a_folder": ("这是文件，不是文件夹（单个报告请用 tag 命令）", "it is a file, not a folder (use `tag` for one report)"),
    "batch.failed_files": ("{failed} 个文件未能处理，原因见 {path}", "{failed} files could not be tagged; see {path} for why"),
    "batch.bad_backend": ("请用 loky 或 dask", "use loky or dask"),
    "batch.interrupted": ("已中断", "interrupted"),
    "batch.skip.image": ("图片，不是报告（扫描件请先做文字识别后另存为 PDF 或 DOCX）",
                         "an image, not a report (run OCR on scans and save them as PDF or DOCX)"),
    "batch.skip.archive": ("压缩包：请先解压", "an archive: unpack it first"),
    "batch.skip.spreadsheet": ("表格文件，不是报告", "a spreadsheet, not a report"),
    "batch.skip.presentation": ("演示文稿，不是报告", "a presentation, not a report"),
    "batch.skip.other": ("不是可读取的报告格式（PDF、DOCX、DOC/WPS、XLSX/XLS、HTML、OFD、TXT、Markdown）",
                         "not a report format that can be read (PDF, DOCX, DOC/WPS, XLSX/XLS, HTML, OFD, TXT, Markdown)"),
    # Column headers of the batch workbook (reports.xlsx); English keeps the CSV/Parquet identifiers.
    "column.file": ("文件", "file"),
    "column.status": ("状态", "status"),
    "column.department": ("部门", "department"),
    "column.year": ("年度", "year"),
    "column.filled_date": ("填报日期", "filled_date"),
    "column.score": ("自评得分", "score"),
    "column.title": ("标题", "title"),
    "column.format": ("格式", "format"),
    "column.pages": ("页数", "pages"),
    "column.paragraphs": ("段落数", "paragraphs"),
    "column.top_categories": ("主要类别", "top_categories"),
    "column.indicators": ("指标数", "indicators"),
    "column.indicators_met": ("已完成指标", "indicators_met"),
    "column.indicators_not_met": ("未完成指标", "indicators_not_met"),
    "column.indicators_not_comparable": ("无法比较的指标", "indicators_not_comparable"),
    "column.findings": ("问题数", "findings"),
    "column.findings_error": ("问题：错误", "findings_error"),
    "column.findings_warning": ("问题：警告", "findings_warning"),
    "column.findings_info": ("问题：提示", "findings_info"),
    "column.findings_no_severity": ("问题：未分级", "findings_no_severity"),
    "column.error": ("错误信息", "error"),
    "column.paragraph": ("段落", "paragraph"),
    "column.page": ("页码", "page"),
    "column.start": ("起始位置", "start"),
    "column.end": ("结束位置", "end"),
    "column.section_path": ("所在章节", "section_path"),
    "column.numbering": ("编号", "numbering"),
    "column.primary": ("主类别", "primary"),
    "column.labels": ("类别及得分", "labels"),
    "column.text": ("正文", "text"),
    "column.surface": ("原文", "surface"),
    "column.value": ("数值", "value"),
    "column.multiplier": ("倍数", "multiplier"),
    "column.normalized": ("换算值", "normalized"),
    "column.unit": ("单位", "unit"),
    "column.kind": ("类型", "kind"),
    "column.comparator": ("比较符", "comparator"),
    "column.role": ("作用", "role"),
    "column.metric": ("度量对象", "metric"),
    "column.dimension": ("指标维度", "dimension"),
    "column.dimension_level1": ("一级维度", "dimension_level1"),
    "column.direction": ("变化方向", "direction"),
    "column.indicator": ("指标", "indicator"),
    "column.level1": ("一级指标", "level1"),
    "column.level2": ("二级指标", "level2"),
    "column.name": ("指标名称", "name"),
    "column.target": ("年度指标值", "target"),
    "column.actual": ("实际完成值", "actual"),
    "column.rule": ("判定依据", "rule"),
    "column.analysis": ("偏差原因分析", "analysis"),
    "column.quantity": ("数量", "quantity"),
    "column.severity": ("严重程度", "severity"),
    "column.measure": ("度量项", "measure"),
    "column.message": ("说明", "message"),
    "column.values": ("涉及数值", "values"),
    "column.explained": ("已说明原因", "explained"),
    "column.evidence": ("依据原文", "evidence"),
    "column.class": ("错误类别", "class"),
    "column.reason": ("原因", "reason"),
    "column.links.score": ("匹配得分", "score"),
}


def help_text(english: str) -> str:
    """Return a command-line help text in the language in force (the English text is its key).

    >>> HELP_ZH["Output folder."]
    '输出文件夹。'
    """
    return english if language() == "en" else HELP_ZH.get(english, english)


# Help of the command line, keyed by its English text (commands by their docstring's first line).
HELP_ZH: dict[str, str] = {
    # Commands.
    "Read Chinese government performance reports (绩效自评报告): structure, categories, numbers, checks.":
        "读取政府绩效自评报告：结构、类别、数值与核查。用 --lang en 或 NLP_LANG=en 显示英文。",
    "Read reports and tag them: structure, categories, quantities, indicators, findings.":
        "读取并标注报告：结构、类别、数值、指标与发现的问题。",
    "Classify paragraphs: JSONL out with id, primary, labels (label, score) and explanation.":
        "段落分类：输出 JSONL，含 id、主类别、各类别得分与依据词；行中可带 section（标题路径）。",
    "Extract quantities: JSONL out with surface, span, value, multiplier, unit, comparator, role, metric, dimension.":
        "抽取数值：输出 JSONL，含原文、位置、数值、倍数、单位、比较符、角色、指标名与维度。",
    "Train a category model: k-fold cross-validation per label is printed first, then the model is written.":
        "训练类别模型：先输出各类别的 k 折交叉验证结果，再写出模型；已有模型的文件夹（含 models/default）须加 --force 才会替换。",
    "Evaluate a model on labelled paragraphs: per-label report with the confusion with 其他, accuracy per kind of":
        "用已标注段落评估模型：各类别指标、与“其他”的混淆、按部门类型的准确率和混淆矩阵。",
    "Tag every report under a folder: reports.jsonl.gz, reports.csv and the other tables, summary; parallel and resumable.":
        "批量标注文件夹下的全部报告：reports.jsonl.gz、reports.csv 等表格和汇总；并行处理，可中断续跑。",
    "Choose the paragraphs most worth reviewing (uncertain, varied) as Label Studio tasks with the model's labels.":
        "挑选最值得人工复核的段落（模型最不确定且彼此不同），生成带模型预标注的 Label Studio 任务。",
    "Read reviewers' labels into training rows with provenance; cancelled and unlabelled tasks are skipped.":
        "把复核人员的标注读成训练数据（带标注人、任务号和时间）；跳过已取消和未标注的任务。",
    # Arguments and options.
    "Show this message and exit.": "显示本帮助并退出。",
    "Language of messages: zh (default) or en; also NLP_LANG.": "提示语言：zh（默认）或 en；也可设 NLP_LANG。",
    "Report files (PDF, DOCX, DOC/WPS, XLSX/XLS, HTML, OFD, TXT, Markdown).":
        "报告文件（PDF、DOCX、DOC/WPS、XLSX/XLS、HTML、OFD、TXT、Markdown）。",
    "summary (terminal), json, jsonl, md or html (a review page).":
        "summary（终端摘要）、json、jsonl、md 或 html（复核页面）。",
    "Write to this file instead of the terminal.": "写入该文件，而不是输出到终端。",
    "Model directory (default: the shipped model).": "模型文件夹（默认：随包提供的模型）。",
    "Skip paragraph categories.": "不做段落分类。",
    ("A report (PDF, DOCX, TXT …: a row per paragraph), or .jsonl of {\"id\", \"text\", optional \"section\"} / one "
     "paragraph per line; - or nothing for stdin (always rows)."):
        "一份报告（PDF、DOCX、TXT 等：每段一行），或 .jsonl（{\"id\", \"text\", 可选 \"section\"}）/ 每行一段的文本；"
        "- 或不写表示标准输入（总按行读取）。",
    ("A report (PDF, DOCX, TXT …: a row per paragraph), or .jsonl of {\"id\", \"text\"} / one paragraph per line; "
     "- or nothing for stdin (always rows)."):
        "一份报告（PDF、DOCX、TXT 等：每段一行），或 .jsonl（{\"id\", \"text\"}）/ 每行一段的文本；- 或不写表示标准输入（总按行读取）。",
    "Write JSONL here (default: stdout).": "JSONL 写入此处（默认：标准输出）。",
    "Labelled JSONL files or folders of them (default: training_data/).": "已标注的 JSONL 文件或其所在文件夹（默认：training_data/）。",
    "Taxonomy TOML (default: the shipped taxonomy).": "类别体系 TOML（默认：随包提供的类别体系）。",
    "Where to write the model (default: models/<taxonomy>-<date>).": "模型写到哪里（默认：models/<类别体系>-<日期>）。",
    "Replace the model folder if it already holds one (needed for models/default).": "文件夹中已有模型时替换它（替换 models/default 时必需）。",
    "Cross-validation folds.": "交叉验证折数。",
    "Random seed.": "随机种子。",
    "Also list the N rows whose labels cross-validation doubts most.": "另列出交叉验证最怀疑其标注的 N 行。",
    "Labelled JSONL ({id, text, primary, secondary, skip}).": "已标注的 JSONL（{id, text, primary, secondary, skip}）。",
    "Print the result as JSON.": "以 JSON 输出结果。",
    "Ignore the rows' section field (paragraphs alone).": "忽略各行的 section 字段（只看段落本身）。",
    "Folder of reports (searched recursively).": "报告所在文件夹（含子文件夹）。",
    "Output folder.": "输出文件夹。",
    "Worker processes (default: all cores).": "工作进程数（默认：全部 CPU 核）。",
    "Glob of files to take (repeatable).": "要处理的文件通配符（可重复）。",
    "Glob of files to leave out (repeatable).": "要排除的文件通配符（可重复）。",
    "Redo every file, finished or not.": "全部重新处理，包括已完成的文件。",
    "Also write reports.xlsx with a sheet per table.": "另写出 reports.xlsx，每张表一个工作表。",
    "Also write review pages: html/index.html and a page per report.": "另写出复核页面：html/index.html 及每份报告一页。",
    "Also write each table as TABLE.parquet (needs pyarrow).": "另把每张表写成 TABLE.parquet（需要 pyarrow）。",
    "Write reports.jsonl, paragraphs.csv and quantities.csv uncompressed, not gzip.":
        "reports.jsonl、paragraphs.csv 和 quantities.csv 不压缩写出（默认为 gzip）。",
    "loky (processes on this machine) or dask.": "loky（本机多进程）或 dask。",
    "Dask scheduler address, e.g. tcp://10.0.0.5:8786.": "Dask 调度器地址，例如 tcp://10.0.0.5:8786。",
    "Refuse PDFs with more pages.": "页数超过此值的 PDF 不处理。",
    "Refuse files larger than this many MB.": "大于此 MB 数的文件不处理。",
    "Refuse reports with more characters of text.": "文字超过此字符数的报告不处理。",
    "Seconds one file may take (0: no limit).": "单个文件最多处理的秒数（0：不限）。",
    "No progress output.": "不显示进度。",
    "A batch output folder (its reports.jsonl) or a JSONL file of tagged reports.": "批量输出文件夹（读其中的 reports.jsonl），或已标注报告的 JSONL 文件。",
    "Label Studio tasks (JSON); label_config.xml is written beside it.": "Label Studio 任务（JSON）；label_config.xml 写在同一文件夹。",
    "How many paragraphs to choose.": "挑选多少段。",
    "Label Studio JSON export, or doccano JSONL export.": "Label Studio 的 JSON 导出，或 doccano 的 JSONL 导出。",
    "Training rows (JSONL) for `train`.": "供 train 使用的训练数据（JSONL）。",
    ("OCR of scanned PDF pages (needs the ocr extra): auto (pages without a text layer), always, never; "
     "default from NLP_OCR."): "扫描页的文字识别（需安装 ocr 组件）：auto（只识别没有文字层的页）、always、never；默认取 NLP_OCR。",
}
