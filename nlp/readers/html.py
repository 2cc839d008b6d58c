"""Read saved web pages (.html, .htm, .mhtml) into the article's lines and tables.

Portals publish reports as pages wrapped in site chrome: a navigation bar,
a breadcrumb (当前位置：首页 > 政务公开 > …), share buttons, a footer with the
site's address and 备案 number. The page is decoded (BOM, declared charset,
then sniffed; GB2312/GBK are read as GB18030, their superset), parsed with
selectolax (the Lexbor HTML5 parser), stripped of scripts and chrome (by tag,
by class/id words, by the text of breadcrumb and footer lines), and the
element holding most of the remaining text that is not links is read as the
article: headings and paragraphs from the markup, ``<br>`` as a line end, data
tables as tables (colspan/rowspan filled), layout tables as the blocks they
hold.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import Message as EmailMessage
from pathlib import Path
from typing import Any

from nlp.errors import CorruptFileError, EmptyFileError
from nlp.messages import Message
from nlp.normalize import squeeze
from nlp.readers.raw import Line, RawDocument, RawTable
from nlp.readers.text import decode

_DROP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button",
              "select", "input", "textarea", "svg", "template", "object", "embed", "canvas", "map", "head", "title",
              "video", "audio", "img"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
               "center", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "tbody", "thead", "tfoot", "hr",
               "address", "figure", "figcaption", "caption", "body", "html", "font-block"}
# Class and id words of site chrome (English and pinyin as Chinese portals write them).
_CHROME = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumbs?|crumbs?|bread|footer|foot|bottom|header|head|top|topbar|sidebar|"
    r"side|share|bdshare|social|toolbar|copyright|banner|search|login|related|comment|pager|pagination|"
    r"location|position|dqwz|weizhi|daohang|gjl|tools?|print|fenxiang|skip|hidden|qrcode|ewm)([-_\s\d]|$)",
    re.IGNORECASE)
# Lines of site chrome that survive in unmarked elements.
_CHROME_LINE = re.compile(
    r"^(当前位置|您(现在)?的位置|您所在的位置|所在位置|首页\s*[>›»/]|分享到|打印本页|【?打印】?|关闭窗口|【?关闭】?|"
    r"【?字体|字号[：:]|浏览次数|访问量|扫一扫|返回顶部|上一篇|下一篇|相关(链接|文章|阅读)|网站地图|联系我们|"
    r"主办单位|承办单位|主办[：:]|承办[：:]|版权所有|Copyright|ICP|网站标识码|.*ICP备|.*公网安备|技术支持)",
    re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff01-\uff60])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff01-\uff60])")


def read_html(path: Path, data: bytes) -> RawDocument:
    """Return the lines and tables of a saved web page's article."""
    from selectolax.lexbor import LexborHTMLParser

    if path.suffix.lower() in (".mhtml", ".mht") or _is_mhtml(data[:4096]):
        data, charset = _mhtml_html(path, data)
        text = _decode(data, path, charset)
    else:
        text = _decode(data, path, None)
    try:
        tree = LexborHTMLParser(text)
    except Exception as exc:
        raise CorruptFileError(path, Message("error.html_unparseable", detail=f"{type(exc).__name__}: {exc}")) from exc
    root = tree.body or tree.root
    if root is None:
        raise EmptyFileError(path, Message("error.html_no_text"))
    page_title = _page_title(tree)
    _strip(root)
    title = _heading_title(root) or page_title
    article = _article(root)
    doc = RawDocument(format="html", lines=[])
    _page_fields(root, doc)
    walker = _Walker(doc)
    walker.walk(article)
    walker.flush()
    _drop_chrome_lines(doc)
    if title and not any(title in line.text for line in doc.lines[:3]):
        doc.lines.insert(0, Line(title, page=1, hard_break=True))
        for table in doc.tables:
            table.position += 1
    if not doc.lines and not doc.tables:
        raise EmptyFileError(path, Message("error.html_no_text"))
    return doc


_SOURCE = re.compile(r"(?:来源|信息来源|发布机构|发布单位)\s*[：:]\s*([\u4e00-\u9fff（）()]{2,40})")
_PUBLISHED = re.compile(r"(?:发布时间|发布日期|成文日期|日期)\s*[：:]\s*(20\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}日?)")


def _page_fields(root: Any, doc: RawDocument) -> None:
    """The publisher and date a portal prints above the article (来源：…　发布时间：…) become fields."""
    text = root.text(deep=True) or ""
    source = _SOURCE.search(text)
    if source:
        doc.fields["来源"] = source.group(1)
    published = _PUBLISHED.search(text)
    if published:
        doc.fields["发布日期"] = re.sub(r"\s+", "", published.group(1))


def _is_mhtml(head: bytes) -> bool:
    lowered = head.lower()
    return b"mime-version:" in lowered and b"multipart/related" in lowered


def _mhtml_html(path: Path, data: bytes) -> tuple[bytes, str | None]:
    """Return the first HTML part of an MHTML archive and its declared charset."""
    try:
        message: EmailMessage = email.message_from_bytes(data, policy=email.policy.compat32)
    except Exception as exc:
        raise CorruptFileError(path, Message("error.html_unparseable", detail=f"{type(exc).__name__}: {exc}")) from exc
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return payload, part.get_content_charset()
    raise EmptyFileError(path, Message("error.mhtml_no_page"))


def _decode(data: bytes, path: Path, charset: str | None) -> str:
    """Decode a page: a BOM, the charset the page or its archive declares, then detection."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data, path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 with Chinese in it is UTF-8 whatever the page declares (GBK text is almost never
        # valid UTF-8; pages re-saved as UTF-8 often keep their old charset=gb2312).
        if any(b >= 0x80 for b in data):
            return text
    if charset is None:
        match = _META_CHARSET.search(data[:8192])
        charset = match.group(1).decode("ascii", "replace") if match else None
    if charset:
        name = charset.lower().replace("_", "-")
        if name in ("gb2312", "gbk", "gb-2312", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: fall back to what the bytes say
    return decode(data, path)


def _page_title(tree: Any) -> str:
    node = tree.css_first("title")
    if node is None:
        return ""
    title = squeeze(node.text())
    # "报告标题_某某局_某某市人民政府" → the first part names the page.
    return re.split(r"\s*[_|｜—–-]{1,2}\s*", title)[0].strip() if title else ""


_TITLE_SELECTORS = ("h1", "h2", "[class*=title]", "[id*=title]", "[class*=Title]", "[id*=Title]", "[class*=biaoti]",
                    "[align=center]", "[style*=center]")


def _heading_title(root: Any) -> str:
    """The article's title as the page shows it: its first h1/h2, title-named or centred short line."""
    for selector in _TITLE_SELECTORS:
        for node in root.css(selector):
            text = _CJK_SPACE.sub("", re.sub(r"\s+", " ", node.text(deep=True) or "")).strip()
            if 4 <= len(text) <= 80 and not _CHROME_LINE.match(text) and not re.search(r"[。；]$", text) \
                    and len(node.css("a")) <= 1:
                return text
    return ""


def _strip(root: Any) -> None:
    """Remove scripts, embedded objects and site chrome from the tree."""
    for node in list(root.traverse()):
        tag = node.tag
        if tag in _DROP_TAGS:
            node.decompose()
            continue
        if tag in ("-text", "-comment", "html", "body"):
            if tag == "-comment":
                node.decompose()
            continue
        attrs = node.attributes or {}
        words = " ".join(str(attrs.get(k) or "") for k in ("class", "id", "role"))
        style = str(attrs.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style or (words and _CHROME.search(words)
                                                                      and not _holds_article(node)):
            node.decompose()


def _holds_article(node: Any) -> bool:
    """A container named like chrome (a "main-top" wrapper) that holds the article's paragraphs is kept."""
    text = _own_text(node)
    return len(text) > 400 and _link_chars(node) < 0.3 * len(text)


def _own_text(node: Any) -> str:
    return re.sub(r"\s+", "", node.text(deep=True) or "")


def _link_chars(node: Any) -> int:
    return sum(len(re.sub(r"\s+", "", a.text(deep=True) or "")) for a in node.css("a"))


def _article(root: Any) -> Any:
    """Return the smallest element that holds most of the page's non-link text."""
    total = len(_own_text(root)) - _link_chars(root)
    if total <= 0:
        return root
    best = root
    for node in root.traverse():
        if node.tag not in ("div", "article", "section", "main", "td", "table", "tbody", "tr", "center", "font"):
            continue
        text = len(_own_text(node))
        links = _link_chars(node)
        if text - links >= 0.6 * total and links <= 0.3 * max(text, 1):
            best = node  # traverse goes down the tree: later matches are deeper
    return best


class _Walker:
    """Walk the article in document order, writing a line per block and a table per data table."""

    def __init__(self, doc: RawDocument) -> None:
        self.doc = doc
        self.buffer: list[str] = []
        self.heading: int | None = None
        self.titled = False

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        text = _CJK_SPACE.sub("", re.sub(r"[ \t\r\n\u00a0]+", " ", text)).strip().strip("\u3000").strip()
        level, self.heading = self.heading, None
        if not text:
            return
        if level is not None and not self.titled and not self.doc.lines:
            level = None  # the page's first heading is its title
        self.titled = True
        self.doc.lines.append(Line(text, page=1, hard_break=True, heading_level=level))

    def walk(self, node: Any) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.buffer.append(child.text(deep=False) or "")
            elif tag == "br":
                self.flush()
            elif tag == "table":
                self.flush()
                rows = _table_rows(child)
                if rows is None:
                    self.walk(child)  # a layout table: read what it holds
                    self.flush()
                elif rows:
                    self.doc.tables.append(RawTable(rows=rows, page=1, pages=[1], position=len(self.doc.lines),
                                                    origin="html"))
            elif re.fullmatch(r"h[1-6]", tag or ""):
                self.flush()
                self.heading = int(tag[1])
                self.walk(child)
                self.flush()
            elif tag in _BLOCK_TAGS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)


def _table_rows(table: Any) -> list[list[str]] | None:
    """Return a data table's cells (spans filled), or None for a layout table."""
    if len(table.css("table")) > 1:  # the selector matches the table itself
        return None
    grid: dict[tuple[int, int], str] = {}
    rows = list(table.css("tr"))
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.iter():
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = _cell_text(cell)
            if len(text) > 600:
                return None  # a cell holding a whole article: layout
            span_c = _span(cell, "colspan", 50)
            span_r = _span(cell, "rowspan", 500)
            for dr in range(span_r):
                for dc in range(span_c):
                    grid.setdefault((r + dr, c + dc), text)
            c += span_c
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    out = [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
    out = [row for row in out if any(row)]
    if width < 2 or len(out) < 2:
        return None  # a one-column or one-row "table" is a frame around text
    return out


def _span(cell: Any, name: str, limit: int) -> int:
    try:
        return max(1, min(int(str((cell.attributes or {}).get(name) or "1").strip() or 1), limit))
    except ValueError:
        return 1


def _cell_text(cell: Any) -> str:
    parts: list[str] = []
    for node in cell.traverse(include_text=True):
        if node.tag == "-text":
            parts.append(node.text(deep=False) or "")
    return squeeze(_CJK_SPACE.sub("", re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(parts))))


def _drop_chrome_lines(doc: RawDocument) -> None:
    keep: list[Line] = []
    removed: list[int] = []
    for i, line in enumerate(doc.lines):
        if _CHROME_LINE.match(line.text) and len(line.text) <= 120:
            removed.append(i)
        else:
            keep.append(line)
    for table in doc.tables:
        table.position -= sum(1 for i in removed if i < table.position)
    doc.lines = keep
