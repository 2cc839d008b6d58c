"""Read OFD documents (GB/T 33190, China's fixed-layout e-document format) into positioned lines.

An OFD file is a ZIP of XML parts: ``OFD.xml`` names each document's root
(``DocBody/DocRoot``), the document (``Document.xml``) lists its pages in order
(``Pages/Page@BaseLoc``), and each page's ``Content.xml`` holds layers of
``TextObject`` elements. A text object has a ``Boundary`` (x y w h, in
millimetres, origin at the top left), a font ``Size``, an optional ``CTM``,
and ``TextCode`` runs whose ``X``/``Y`` (the baseline) are relative to the
boundary, with ``DeltaX`` steps between characters (``g N step`` repeats a
step). Each run becomes a positioned piece, split where a step is wide enough
to be a column gap, and :mod:`nlp.readers.lines` groups the pieces into the
same lines the PDF reader returns. Every part is parsed with defusedxml, and
part sizes are bounded before they are read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

from nlp.errors import (CorruptFileError, EmptyFileError, EncryptedFileError, LimitExceededError,
                        NoTextLayerError)
from nlp.messages import Message
from nlp.readers.lines import Piece, group_lines, mark_layout
from nlp.readers.raw import RawDocument

MM = 72 / 25.4  # millimetres to points, so boxes share the PDF reader's unit
#: One XML part unpacks to at most this many bytes.
MAX_PART = 64 * 1024 * 1024
MAX_TOTAL = 1024 * 1024 * 1024


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child.tag) == name]


def _find(element: Any, *path: str) -> Any:
    node = element
    for name in path:
        found = _children(node, name) if node is not None else []
        node = found[0] if found else None
    return node


def _floats(text: str | None) -> list[float]:
    try:
        return [float(x) for x in (text or "").split()]
    except ValueError:
        return []


def deltas(spec: str | None) -> list[float]:
    """Expand a DeltaX/DeltaY list, where ``g N step`` stands for N equal steps.

    >>> deltas("g 3 4.2 1 2")
    [4.2, 4.2, 4.2, 1.0, 2.0]
    """
    out: list[float] = []
    tokens = (spec or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                out.extend([float(tokens[i + 2])] * min(int(tokens[i + 1]), 100_000))
            except ValueError:
                pass
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return out


class _Package:
    """The OFD's ZIP, with bounded, XML-bomb-safe reads of its parts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise CorruptFileError(path, Message("error.damaged_zip")) from exc
        infos = self.zip.infolist()
        self.names = {info.filename.lstrip("/"): info for info in infos}
        self.lower = {name.lower(): name for name in self.names}
        total = sum(info.file_size for info in infos)
        if total > MAX_TOTAL:
            raise LimitExceededError(path, Message("error.unpacked_too_large", size=total, limit=MAX_TOTAL),
                                     Message("advice.limit"))

    def close(self) -> None:
        self.zip.close()

    def xml(self, name: str) -> Any:
        from defusedxml import ElementTree
        from defusedxml.common import DefusedXmlException

        key = self.lower.get(name.lstrip("/").lower())
        if key is None:
            raise CorruptFileError(self.path, Message("error.ofd_damaged", detail=f"missing part {name}"))
        info = self.names[key]
        if info.file_size > MAX_PART:
            raise LimitExceededError(self.path, Message("error.unpacked_too_large", size=info.file_size,
                                                        limit=MAX_PART), Message("advice.limit"))
        try:
            data = self.zip.read(info)
            return ElementTree.fromstring(data)
        except DefusedXmlException as exc:
            raise CorruptFileError(self.path, Message("error.ofd_damaged", detail=f"{name}: {type(exc).__name__}")) from exc
        except Exception as exc:
            raise CorruptFileError(self.path, Message("error.ofd_damaged", detail=f"{name}: {type(exc).__name__}: {exc}")) from exc


def _resolve(base: str, loc: str) -> str:
    """A BaseLoc is absolute (from the package root) or relative to the part that names it."""
    loc = loc.strip().replace("\\", "/")
    if loc.startswith("/"):
        return posixpath.normpath(loc.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), loc))


def read_ofd(path: Path, max_pages: int | None = None) -> RawDocument:
    """Return the positioned lines of an OFD's pages, in page order."""
    package = _Package(path)
    try:
        if any(re.search(r"encrypt", name, re.IGNORECASE) for name in package.names):
            raise EncryptedFileError(path, Message("error.ofd_encrypted"))
        root = package.xml("OFD.xml")
        if _local(root.tag) != "OFD":
            raise CorruptFileError(path, Message("error.ofd_damaged", detail="OFD.xml has no OFD root"))
        doc = RawDocument(format="ofd", lines=[])
        number = 0
        images = 0
        for body in _children(root, "DocBody"):
            doc_root = _find(body, "DocRoot")
            if doc_root is None or not (doc_root.text or "").strip():
                continue
            document_name = _resolve("OFD.xml", doc_root.text)
            document = package.xml(document_name)
            pages = _children(_find(document, "Pages"), "Page") if _find(document, "Pages") is not None else []
            if max_pages is not None and number + len(pages) > max_pages:
                raise LimitExceededError(path, Message("error.ofd_page_limit", pages=number + len(pages),
                                                       limit=max_pages), Message("advice.max_pages"))
            for page in pages:
                number += 1
                loc = page.get("BaseLoc")
                if not loc:
                    continue
                content = package.xml(_resolve(document_name, loc))
                pieces: list[Piece] = []
                images += _walk(content, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), pieces)
                doc.lines.extend(group_lines(pieces, page=number))
        doc.page_count = max(number, 1)
    finally:
        package.close()
    if not any(line.text.strip() for line in doc.lines):
        if images:
            raise NoTextLayerError(path, Message("error.pdf_no_text_layer", pages=doc.page_count))
        raise EmptyFileError(path, Message("error.ofd_no_text"))
    mark_layout(doc.lines)
    return doc


_Matrix = tuple[float, float, float, float, float, float]


def _walk(element: Any, outer: _Matrix, pieces: list[Piece]) -> int:
    """Collect the text pieces under ``element`` (layers, page blocks, composites); return the images seen."""
    images = 0
    for child in element:
        name = _local(child.tag)
        if name == "TextObject":
            _text_object(child, pieces)
        elif name == "ImageObject":
            images += 1
        elif name in ("Content", "Layer", "PageBlock", "Area"):
            images += _walk(child, outer, pieces)
    return images


def _text_object(obj: Any, pieces: list[Piece]) -> None:
    box = _floats(obj.get("Boundary"))
    if len(box) < 4:
        return
    bx, by = box[0], box[1]
    size = _floats(obj.get("Size"))
    font = size[0] if size else 3.5
    ctm = _floats(obj.get("CTM"))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    scale = abs(d) or abs(a) or 1.0
    x = y = 0.0
    for code in _children(obj, "TextCode"):
        text = code.text or ""
        if not text:
            continue
        x = float(code.get("X", x) or x)
        y = float(code.get("Y", y) or y)
        steps = deltas(code.get("DeltaX"))
        # Character positions along the run, in the object's own space.
        xs = [x]
        for i in range(1, len(text)):
            step = steps[i - 1] if i - 1 < len(steps) else (steps[-1] if steps else font * (1 if ord(text[i - 1]) > 127 else 0.5))
            xs.append(xs[-1] + step)
        start = 0
        for i in range(1, len(text) + 1):
            if i < len(text) and xs[i] - xs[i - 1] <= 2.5 * font:
                continue
            run = text[start:i]
            last = text[i - 1]
            left = xs[start]
            right = xs[i - 1] + font * (1 if ord(last) > 127 else 0.55)
            # The object's CTM, then the boundary's offset; Y is the baseline.
            lx, ly = a * left + c * y + e, b * left + d * y + f
            rx = a * right + c * y + e
            pieces.append(Piece(run, left=(bx + min(lx, rx)) * MM, top=(by + ly - font * scale * 0.88) * MM,
                                right=(bx + max(lx, rx)) * MM, bottom=(by + ly + font * scale * 0.12) * MM,
                                size=font * scale * MM))
            start = i
        x = xs[-1] + (steps[len(text) - 1] if len(steps) >= len(text) else font)
