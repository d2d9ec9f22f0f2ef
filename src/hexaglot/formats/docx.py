"""Word documents: every story, with the inline formatting of each paragraph.

Read: body paragraphs, tables (nested too, a merged cell once), content controls, headers
and footers, text boxes (after the paragraph that anchors them), footnotes and endnotes, in
that order. A paragraph becomes a block whose plain text carries its inline formatting as
codes (:class:`~hexaglot.document.InlineSpan`, Okapi's model): the run formatting that
covers most of the paragraph is its *main* formatting, every other stretch (bold words, a
link, a coloured phrase) a paired code, and every object in the text an isolated code: an
image, a footnote reference, a bookmark, a comment mark, a field.

Deliberately not translated (and counted by :func:`text_report`): comments (reviewers'
notes, kept as they are), field codes, and field results (page numbers, dates, cross
references, tables of contents: Word regenerates them; hexaglot asks it to update fields on
opening when the document has a table of contents). A field's result stays in the block's
text as an isolated code, so that engines and reviewers read the sentence whole. Word keeps
a text box twice (DrawingML, and a VML copy for old readers): it is read once and both
copies are written alike.

Write: the source is opened again and walked in the same order (:func:`_entries`), so a
block index addresses the same paragraph. Each translated paragraph is rebuilt from its
codes: a run per stretch of target text with the run properties of its code (inside its
hyperlink or content control again), objects moved (never copied) to where their codes
landed, what could not be placed at the end. Styles, numbering, section settings, tables
and everything outside the paragraphs' runs stay as they were.
"""

from __future__ import annotations

import copy
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from hexaglot.atomic import atomic_output
from hexaglot.document import Block, Document, HexaglotError, InlineSpan
from hexaglot.inline import clip, place, tidy
from hexaglot.languages import LANGUAGES

NAME = "docx"

# Word language tags per target; UN English is British English.
WORD_LANG_TAGS = {
    "ar": "ar-SA", "zh": "zh-CN", "en": "en-GB", "fr": "fr-FR", "ru": "ru-RU", "es": "es-ES",
    "vi": "vi-VN", "id": "id-ID",
}
# Fonts that cover each script on Windows, macOS (via substitution) and LibreOffice.
SCRIPT_FONTS = {"ar": ("cs", "Arial"), "zh": ("eastAsia", "SimSun")}

# A document over these is refused before it is unpacked: a part of 50 MB is thousands of
# pages, and a part that inflates hundreds of times is a zip bomb, not a document.
MAX_PART_BYTES = 50 * 1024 * 1024
MAX_PACKAGE_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for parts over 1 MB

_LETTER = re.compile(r"[^\W\d_]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_V = "{urn:schemas-microsoft-com:vml}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(tag: str) -> str:
    return qn(f"w:{tag}")


W_P, W_R, W_T, W_TBL, W_TR, W_TC = (_w(t) for t in ("p", "r", "t", "tbl", "tr", "tc"))
W_PPR, W_RPR, W_SDT, W_SDTCONTENT = _w("pPr"), _w("rPr"), _w("sdt"), _w("sdtContent")
W_TXBX, W_FLDCHAR, W_INSTR = _w("txbxContent"), _w("fldChar"), _w("instrText")

# Elements that hold runs inside a paragraph: a run in one keeps it when rebuilt.
_CONTAINERS = {_w(t) for t in ("hyperlink", "smartTag", "ins", "moveTo", "sdt", "sdtContent",
                               "customXml", "dir", "bdo")}
_CONTAINER_PROPERTIES = {_w(t) for t in ("sdtPr", "sdtEndPr", "smartTagPr", "customXmlPr")}
# Run content that is text; anything else in a run is an object.
_TEXT_IN_RUN = {_w(t) for t in ("t", "tab", "br", "cr", "noBreakHyphen", "softHyphen",
                                "lastRenderedPageBreak")}
_DROPPED = {_w("proofErr")}  # spelling marks: meaningless once the words change
_LABELS = {
    "footnoteReference": "footnote reference", "endnoteReference": "endnote reference",
    "drawing": "image", "pict": "image", "AlternateContent": "text box or drawing",
    "footnoteRef": "footnote number", "endnoteRef": "endnote number",
    "commentReference": "comment mark", "commentRangeStart": "comment mark",
    "commentRangeEnd": "comment mark", "bookmarkStart": "bookmark", "bookmarkEnd": "bookmark",
    "br": "page break", "del": "deleted text", "object": "embedded object",
}
_RPR_FEATURES = [("b", "bold"), ("i", "italic"), ("u", "underline"), ("strike", "strikethrough"),
                 ("color", "colour"), ("highlight", "highlight"), ("shd", "shading"),
                 ("vertAlign", "superscript/subscript"), ("rStyle", "character style"),
                 ("sz", "size"), ("rFonts", "font"), ("caps", "capitals"),
                 ("smallCaps", "small capitals")]


# --- opening -----------------------------------------------------------------------------


def _check_package(path: Path) -> None:
    """Refuse a package too large to translate, before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # python-docx says what is wrong with it
    mb = 1024 * 1024
    for member in members:
        if member.file_size > MAX_PART_BYTES:
            raise HexaglotError(
                f"{path}: too large to translate: its part {member.filename} is "
                f"{member.file_size / mb:.0f} MB uncompressed, over hexaglot's limit of "
                f"{MAX_PART_BYTES // mb} MB per part: split the document into smaller ones")
        if (member.file_size > mb and member.compress_size
                and member.file_size / member.compress_size > MAX_RATIO):
            raise HexaglotError(
                f"{path}: refused: its part {member.filename} inflates "
                f"{member.file_size / member.compress_size:.0f} times (limit {MAX_RATIO}), as a "
                "zip bomb does: open it in Word and save it again, or check where it came from")
    total = sum(member.file_size for member in members)
    if total > MAX_PACKAGE_BYTES:
        raise HexaglotError(
            f"{path}: too large to translate: {total / mb:.0f} MB uncompressed, over "
            f"hexaglot's limit of {MAX_PACKAGE_BYTES // mb} MB: split the document or make "
            "its images smaller")


def _open(path: Path) -> docx.document.Document:
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE_MAGIC:
        raise HexaglotError(
            f"{path}: password-protected or old-format (Word 97-2003) file: remove the "
            "password, or open it in Word and save it as .docx"
        )
    _check_package(path)
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError) as error:
        raise HexaglotError(
            f"{path}: not a readable .docx file ({error}): open it in Word and save it again "
            "as .docx"
        ) from None


# --- the paragraph model --------------------------------------------------------------------


@dataclass
class _Style:
    """Run properties and the containers (hyperlink...) of a stretch of text."""

    chain: tuple  # containers from the paragraph down
    rpr: etree._Element | None
    label: str = ""


@dataclass
class _Object:
    """Something in a paragraph's runs that is not text to translate, moved as a whole."""

    leaves: list  # (chain, element)
    start: int  # where it is in the paragraph's text
    display: str = ""  # a field's result
    label: str = ""


@dataclass
class _Model:
    """A paragraph as plain text with codes, and what rebuilding it needs."""

    p: etree._Element
    text: str = ""
    styles: list[_Style] = field(default_factory=list)
    main: int | None = None  # the style covering most of the text
    stretches: list[tuple[int, int, int]] = field(default_factory=list)  # start, end, style
    objects: list[_Object] = field(default_factory=list)
    read_nodes: list = field(default_factory=list)  # w:t read as text
    field_nodes: list = field(default_factory=list)  # (w:t, field type) in field results

    def spans(self) -> tuple[InlineSpan, ...]:
        out = []
        for start, end, style in self.stretches:
            if style != self.main:
                out.append(InlineSpan(start, end, f"s{style}", label=self.styles[style].label))
        for number, item in enumerate(self.objects):
            out.append(InlineSpan(item.start, item.start + len(item.display), f"o{number}",
                                  isolated=True, label=item.label))
        return tidy(out, self.text)

    def translatable(self) -> bool:
        """Whether there is text outside the fields' results: beside fields, words (not
        only the " — " or "/" between a title field and a date field)."""
        shown = list(self.text)
        for item in self.objects:
            shown[item.start:item.start + len(item.display)] = " " * len(item.display)
        rest = "".join(shown)
        fields = any(item.display for item in self.objects)
        return bool(_LETTER.search(rest) if fields else rest.strip())


class _Fields:
    """Complex fields open at this point of a story (they may span paragraphs)."""

    def __init__(self) -> None:
        self.stack: list[list] = []  # [instruction, past the separator]

    def kind(self) -> str:
        instruction = self.stack[0][0].split() if self.stack else []
        return instruction[0].upper() if instruction else "field"

    def showing(self) -> bool:
        return bool(self.stack) and all(entry[1] for entry in self.stack)

    def step(self, child: etree._Element) -> None:
        if child.tag == W_FLDCHAR:
            kind = child.get(_w("fldCharType"))
            if kind == "begin":
                self.stack.append(["", False])
            elif kind == "separate" and self.stack:
                self.stack[-1][1] = True
            elif kind == "end" and self.stack:
                self.stack.pop()
        elif child.tag == W_INSTR and self.stack:
            self.stack[-1][0] += child.text or ""


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _is_text(child: etree._Element) -> bool:
    if child.tag == _w("br"):
        return child.get(_w("type")) in (None, "textWrapping")
    return child.tag in _TEXT_IN_RUN


def _run_text(run: etree._Element) -> tuple[str, list]:
    pieces, nodes = [], []
    for child in run:
        if child.tag == W_T:
            pieces.append(child.text or "")
            nodes.append(child)
        elif child.tag == _w("tab"):
            pieces.append("\t")
        elif child.tag in (_w("br"), _w("cr")):
            pieces.append("\n")
        elif child.tag == _w("noBreakHyphen"):
            pieces.append("-")
    return "".join(pieces), nodes


def _new_run(template: etree._Element, children: Sequence[etree._Element]) -> etree._Element:
    run = OxmlElement("w:r")
    for name, value in template.attrib.items():
        run.set(name, value)
    rpr = template.find(W_RPR)
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    for child in children:
        run.append(child)
    return run


def _split_runs(runs: Sequence[etree._Element]) -> None:
    """Runs holding text and objects together (a word and an image) become one run per
    piece, each with the run's properties, so that every run is text or one object."""
    for run in runs:
        children = [c for c in run if c.tag != W_RPR]
        groups: list[list] = []
        for child in children:
            if _is_text(child) and groups and _is_text(groups[-1][-1]):
                groups[-1].append(child)
            else:
                groups.append([child])
        if len(groups) <= 1:
            continue
        position = run.getparent().index(run)
        for offset, group in enumerate(groups):
            run.getparent().insert(position + offset, _new_run(run, group))
        run.getparent().remove(run)


def _rpr_key(run: etree._Element) -> bytes:
    rpr = run.find(W_RPR)
    if rpr is None:
        return b""
    rpr = copy.deepcopy(rpr)
    for child in list(rpr):
        if child.tag in (_w("lang"), _w("noProof")):
            rpr.remove(child)
    return etree.tostring(rpr)


def _leaves(parent: etree._Element, chain: tuple = ()) -> Iterator[tuple[tuple, etree._Element]]:
    """The paragraph's runs and markers in order, each with the containers above it."""
    for child in parent:
        if child.tag == W_PPR or child.tag in _CONTAINER_PROPERTIES:
            continue
        if child.tag in _CONTAINERS:
            yield from _leaves(child, (*chain, child))
        else:
            yield chain, child


def _model(p: etree._Element, fields: _Fields) -> _Model:
    _split_runs([leaf for _, leaf in _leaves(p) if leaf.tag == W_R])
    model = _Model(p)
    keys: dict[tuple, int] = {}
    text: list[str] = []
    size = 0
    current: _Object | None = None  # the field being read
    for chain, leaf in _leaves(p):
        content = [c for c in leaf if c.tag != W_RPR] if leaf.tag == W_R else []
        in_field = bool(fields.stack) or any(c.tag == W_FLDCHAR for c in content)
        if leaf.tag == W_R and in_field:
            if current is None:
                current = _Object([], size, label="field")
                model.objects.append(current)
            current.leaves.append((chain, leaf))
            showing = fields.showing()
            for child in content:
                fields.step(child)
            if showing and content and _is_text(content[0]):
                piece, nodes = _run_text(leaf)
                current.display += piece
                text.append(piece)
                size += len(piece)
                model.field_nodes += [(node, fields.kind() if fields.stack else "field")
                                      for node in nodes]
            current.label = f"field {fields.kind()}" if fields.stack else current.label
            if not fields.stack:
                current = None
            continue
        if current is not None and leaf.tag != W_R and leaf.tag not in _DROPPED:
            current.leaves.append((chain, leaf))  # a bookmark inside a field stays in it
            continue
        if leaf.tag in _DROPPED:
            continue
        if leaf.tag == W_R and content and _is_text(content[0]):
            piece, nodes = _run_text(leaf)
            model.read_nodes += nodes
            if not piece:
                continue
            key = (tuple(id(c) for c in chain), _rpr_key(leaf))
            if key not in keys:
                keys[key] = len(model.styles)
                model.styles.append(_Style(chain, leaf.find(W_RPR)))
            style = keys[key]
            if model.stretches and model.stretches[-1][2] == style and \
                    model.stretches[-1][1] == size:
                model.stretches[-1] = (model.stretches[-1][0], size + len(piece), style)
            else:
                model.stretches.append((size, size + len(piece), style))
            text.append(piece)
            size += len(piece)
            continue
        if leaf.tag == W_R and not content:
            continue  # an empty run: nothing to keep
        display = ""
        if leaf.tag == _w("fldSimple"):
            display = "".join(_run_text(r)[0] for r in leaf.iter(W_R))
            model.field_nodes += [(node, _simple_field_kind(leaf)) for node in leaf.iter(W_T)]
        item = _Object([(chain, leaf)], size, display, _object_label(leaf, content))
        model.objects.append(item)
        text.append(display)
        size += len(display)
    model.text = "".join(text)
    _label_styles(model)
    return model


def _simple_field_kind(element: etree._Element) -> str:
    words = (element.get(_w("instr")) or "").split()
    return words[0].upper() if words else "field"


def _object_label(leaf: etree._Element, content: list) -> str:
    if leaf.tag == _w("fldSimple"):
        return f"field {_simple_field_kind(leaf)}"
    element = content[0] if content else leaf
    return _LABELS.get(_local(element), _local(element))


def _label_styles(model: _Model) -> None:
    weight = Counter()
    for start, end, style in model.stretches:
        weight[style] += len(model.text[start:end].strip())
    if not model.styles:
        return
    # Text in a hyperlink or a content control is never the main formatting while some is not.
    model.main = max(range(len(model.styles)),
                     key=lambda s: (not model.styles[s].chain, weight[s], -s))
    main = model.styles[model.main]
    for style in model.styles:
        if style is main:
            continue
        words = []
        if any(_local(c) == "hyperlink" for c in style.chain if c not in main.chain):
            words.append("link")
        mine = {_local(c): etree.tostring(c) for c in style.rpr} if style.rpr is not None \
            else {}
        theirs = {_local(c): etree.tostring(c) for c in main.rpr} if main.rpr is not None \
            else {}
        words += [label if name in mine else f"not {label}" for name, label in _RPR_FEATURES
                  if mine.get(name) != theirs.get(name)]
        style.label = ", ".join(words) or "formatting"


# --- walking the document ----------------------------------------------------------------


@dataclass
class _Entry:
    model: _Model
    where: str
    kind: str
    twins: list[_Model] = field(default_factory=list)  # VML copies of a text box paragraph


def _text_boxes(p: etree._Element) -> list[tuple[etree._Element, etree._Element | None]]:
    """The text boxes a paragraph anchors (not those inside them), each with its VML copy
    when Word wrote one (``mc:AlternateContent``: DrawingML, VML fallback)."""
    found = []
    for box in p.iter(W_TXBX):
        if not _top_box(box, p) or any(True for _ in box.iterancestors(f"{_MC}Fallback")):
            continue
        twin = None
        alternate = next(box.iterancestors(f"{_MC}AlternateContent"), None)
        if alternate is not None and _under(alternate, p):
            choice, fallback = alternate.find(f"{_MC}Choice"), alternate.find(f"{_MC}Fallback")
            originals = [b for b in choice.iter(W_TXBX) if _top_box(b, choice)] \
                if choice is not None else []
            copies = [b for b in fallback.iter(W_TXBX) if _top_box(b, fallback)] \
                if fallback is not None else []
            if len(copies) == len(originals) and box in originals:
                twin = copies[originals.index(box)]
        found.append((box, twin))
    return found


def _top_box(box: etree._Element, top: etree._Element) -> bool:
    node = box.getparent()
    while node is not None and node is not top:
        if node.tag in (W_P, W_TXBX):
            return False
        node = node.getparent()
    return True


def _under(node: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in node.iterancestors())


class _Walk:
    """Paragraphs in reading order, each modelled once (fields run across paragraphs)."""

    def __init__(self, style_names: Mapping[str, str]) -> None:
        self.style_names = style_names  # style id -> name ("Heading1" -> "Heading 1")
        self.entries: list[_Entry] = []
        self.skipped: list[tuple[etree._Element, str]] = []  # (w:t, why) not read
        self.toc = False

    def story(self, root: etree._Element, where: str, kind: str,
              numbered: bool = False) -> None:
        for _ in self._container(root, where, kind, _Fields(), numbered):
            pass

    def _container(self, parent: etree._Element, where: str, kind: str, fields: _Fields,
                   numbered: bool = False, counter: list[int] | None = None,
                   twin: etree._Element | None = None) -> Iterator[None]:
        """``numbered``: the body, where paragraphs and tables are numbered (``counter``:
        paragraphs and tables so far, content controls included)."""
        counter = counter if counter is not None else [0, 0]
        twin_children = list(twin) if twin is not None else None
        for position, child in enumerate(parent):
            mate = twin_children[position] if twin_children is not None and \
                position < len(twin_children) else None
            if child.tag == W_P:
                counter[0] += 1
                here = f"paragraph {counter[0]}" if numbered else where
                yield from self._paragraph(child, here, kind, fields, mate)
            elif child.tag == W_TBL:
                counter[1] += 1
                yield from self._table(child, f"{where}, table {counter[1]}" if not numbered
                                       else f"table {counter[1]}", fields, mate)
            elif child.tag in (W_SDT, _w("customXml")):
                content = child.find(W_SDTCONTENT) if child.tag == W_SDT else child
                mate_content = (mate.find(W_SDTCONTENT) if mate is not None and
                                child.tag == W_SDT else mate)
                if content is not None:
                    if child.tag == W_SDT and _is_toc(child):
                        self.toc = True
                    yield from self._container(content, where, kind, fields, numbered,
                                               counter, mate_content)

    def _table(self, table: etree._Element, where: str, fields: _Fields,
               twin: etree._Element | None) -> Iterator[None]:
        twin_rows = twin.findall(W_TR) if twin is not None else []
        for row_number, row in enumerate(table.findall(W_TR), start=1):
            column = 0
            twin_cells = twin_rows[row_number - 1].findall(W_TC) \
                if row_number <= len(twin_rows) else []
            before = row.find(f"{_w('trPr')}/{_w('gridBefore')}")
            column += int(before.get(_w("val"), "0")) if before is not None else 0
            for cell_index, cell in enumerate(row.findall(W_TC)):
                properties = cell.find(_w("tcPr"))
                span = properties.find(_w("gridSpan")) if properties is not None else None
                merge = properties.find(_w("vMerge")) if properties is not None else None
                number = column + 1
                column += int(span.get(_w("val"), "1")) if span is not None else 1
                if merge is not None and merge.get(_w("val")) != "restart":
                    continue  # the lower part of a vertically merged cell: shown once
                mate = twin_cells[cell_index] if cell_index < len(twin_cells) else None
                yield from self._container(cell, f"{where}, row {row_number}, cell {number}",
                                           "cell", fields, twin=mate)

    def _paragraph(self, p: etree._Element, where: str, kind: str, fields: _Fields,
                   twin: etree._Element | None) -> Iterator[None]:
        if kind in ("paragraph", "heading"):
            style = p.find(f"{W_PPR}/{_w('pStyle')}")
            name = self.style_names.get(style.get(_w("val"), "") if style is not None else "",
                                        "")
            kind = "heading" if name.startswith(("Heading", "Title")) else "paragraph"
        entry = _Entry(_model(p, fields), where, kind)
        if twin is not None:
            entry.twins.append(_model(twin, _Fields()))
        self.entries.append(entry)
        yield None
        for number, (box, copy_) in enumerate(_text_boxes(p), start=1):
            walk_twin = copy_ if copy_ is not None and len(copy_) == len(box) else None
            yield from self._container(box, f"{where}, text box {number}", "text box",
                                       _Fields(), twin=walk_twin)


def _is_toc(sdt: etree._Element) -> bool:
    gallery = sdt.find(f"{_w('sdtPr')}/{_w('docPartObj')}/{_w('docPartGallery')}")
    return gallery is not None and "Contents" in (gallery.get(_w("val")) or "")


@dataclass
class _Story:
    root: etree._Element
    part: object  # the package part, written back when it is not an XML part of python-docx
    name: str


def _note_parts(word: docx.document.Document) -> list[tuple[str, _Story]]:
    found = []
    for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES),
                          ("comment", RT.COMMENTS)):
        for rel in word.part.rels.values():
            if rel.reltype != reltype or rel.is_external:
                continue
            part = rel.target_part
            root = getattr(part, "element", None)
            if root is None:
                root = parse_xml(part.blob)
            found.append((kind, _Story(root, part, str(part.partname))))
    return found


def _header_parts(word: docx.document.Document) -> list[tuple[str, str, _Story]]:
    found, seen = [], set()
    for section_number, section in enumerate(word.sections, start=1):
        for label, part in (
            ("header", section.header), ("first-page header", section.first_page_header),
            ("even-page header", section.even_page_header), ("footer", section.footer),
            ("first-page footer", section.first_page_footer),
            ("even-page footer", section.even_page_footer),
        ):
            if part.is_linked_to_previous:
                continue
            partname = str(part.part.partname)
            if partname in seen:
                continue
            seen.add(partname)
            kind = "footer" if "footer" in label else "header"
            found.append((f"{label} (section {section_number})", kind,
                          _Story(part.part.element, part.part, partname)))
    return found


def _walk(word: docx.document.Document) -> tuple[_Walk, list[_Story]]:
    walk = _Walk({style.style_id: style.name or "" for style in word.styles})
    stories = [_Story(word.element.body, word.part, str(word.part.partname))]
    walk.story(word.element.body, "", "paragraph", numbered=True)
    for where, kind, story in _header_parts(word):
        walk.story(story.root, where, kind)
        stories.append(story)
    for kind, story in _note_parts(word):
        stories.append(story)
        if kind == "comment":
            walk.skipped += [(t, "comment (a reviewer's note)") for t in story.root.iter(W_T)]
            continue
        number = 0
        for note in story.root.findall(_w(kind)):
            if note.get(_w("type")) in ("separator", "continuationSeparator",
                                        "continuationNotice"):
                continue
            number += 1
            walk.story(note, f"{kind} {number}", kind)
    return walk, stories


def _block(index: int, entry: _Entry) -> Block | None:
    model = entry.model
    text = model.text.strip()
    if not text or not model.translatable():
        return None
    lead = len(model.text) - len(model.text.lstrip())
    spans = clip(model.spans(), lead, lead + len(text), owns=(0, len(model.text)),
                 closed=True)
    return Block(index=index, text=text, location=entry.where, kind=entry.kind, spans=spans)


def read(path: Path) -> Document:
    word = _open(path)
    walk, _ = _walk(word)
    blocks = [block for index, entry in enumerate(walk.entries)
              if (block := _block(index, entry)) is not None]
    return Document(path=path, format=NAME, blocks=tuple(blocks))


# --- language and direction ----------------------------------------------------------------


def _lang_element(target_lang: str):
    """``w:lang`` for a target: Latin/Cyrillic tag, East Asian tag and complex-script tag.

    Word picks the attribute by the script of each character, so all three are set: the
    spelling checker and hyphenation then work on Arabic and Chinese text as well.
    """
    lang = OxmlElement("w:lang")
    tag = WORD_LANG_TAGS[target_lang]
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag if target_lang == "zh" else "zh-CN")
    lang.set(qn("w:bidi"), tag if LANGUAGES[target_lang].rtl else "ar-SA")
    return lang


def _replace_lang(rpr, target_lang: str) -> None:
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.insert_element_before(
        _lang_element(target_lang), "w:eastAsianLayout", "w:specVanish", "w:oMath"
    )


def set_run_language(run_element, target_lang: str) -> None:
    rpr = run_element.get_or_add_rPr()
    if LANGUAGES[target_lang].rtl:
        rpr.get_or_add_rtl()
    _replace_lang(rpr, target_lang)


_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)


_AFTER_BIDI_VISUAL = (
    "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing",
    "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
    "w:tblCaption", "w:tblDescription",
)


def _right_to_left(p) -> None:
    ppr = p.get_or_add_pPr()
    bidi = ppr.find(qn("w:bidi"))
    if bidi is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    elif bidi.get(qn("w:val")) in ("0", "false", "off"):
        del bidi.attrib[qn("w:val")]  # LibreOffice writes w:bidi w:val="0" everywhere


def make_right_to_left(paragraph: Paragraph) -> None:
    _right_to_left(paragraph._p)


# --- writing -------------------------------------------------------------------------------


def _shallow(container: etree._Element) -> etree._Element:
    clone = container.makeelement(container.tag, container.attrib)
    for child in container:
        if child.tag in _CONTAINER_PROPERTIES:
            clone.append(copy.deepcopy(child))
    return clone


def _text_run(style: _Style | None, text: str) -> etree._Element:
    run = OxmlElement("w:r")
    if style is not None and style.rpr is not None:
        run.append(copy.deepcopy(style.rpr))
    for piece in re.split(r"([\t\n])", text):
        if piece == "\t":
            run.append(OxmlElement("w:tab"))
        elif piece == "\n":
            run.append(OxmlElement("w:br"))
        elif piece:
            node = OxmlElement("w:t")
            node.text = piece
            node.set(_XML_SPACE, "preserve")
            run.append(node)
    return run


def _rebuild(model: _Model, text: str, spans: Sequence[InlineSpan], target_lang: str) -> None:
    """The paragraph's runs made again for ``text``: a run per stretch of one code, objects
    where their codes are, objects no code placed at the start or end as in the source."""
    size = len(text)
    style_at: list[int | None] = [model.main] * size
    hidden = [False] * size
    placed: dict[int, list[_Object]] = {}
    seen: set[int] = set()
    for span in spans:
        number = _code_number(span.code)
        if span.isolated and span.code.startswith("o") and number is not None \
                and number < len(model.objects) and number not in seen:
            seen.add(number)
            at = min(max(span.start, 0), size)
            placed.setdefault(at, []).append(model.objects[number])
            for position in range(at, min(span.end, size)):
                hidden[position] = True
        elif not span.isolated and span.code.startswith("s") and number is not None \
                and number < len(model.styles):
            for position in range(max(span.start, 0), min(span.end, size)):
                style_at[position] = number
    lead_text = model.text[:len(model.text) - len(model.text.lstrip())]
    for number, item in enumerate(model.objects):
        if number not in seen:  # no code for it: where it was, at the start or the end
            at = 0 if item.start <= len(lead_text) else size
            placed.setdefault(at, []).append(item)

    out: list[tuple[tuple, etree._Element]] = []
    pending: list[str] = []
    pending_style: int | None = None

    def flush() -> None:
        if pending:
            style = model.styles[pending_style] if pending_style is not None else None
            out.append((style.chain if style else (), _text_run(style, "".join(pending))))
            pending.clear()

    for position in range(size + 1):
        if position in placed:
            flush()
            for item in placed[position]:
                out.extend(item.leaves)
        if position == size:
            break
        if hidden[position]:
            continue
        if style_at[position] != pending_style:
            flush()
            pending_style = style_at[position]
        pending.append(text[position])
    flush()
    _bookmarks_in_order(out)

    p = model.p
    for child in list(p):
        if child.tag != W_PPR:
            p.remove(child)
    stack: list[tuple[etree._Element, etree._Element]] = []  # (source container, its copy)
    for chain, element in out:
        depth = 0
        while depth < len(stack) and depth < len(chain) and stack[depth][0] is chain[depth]:
            depth += 1
        del stack[depth:]
        for container in chain[depth:]:
            clone = _shallow(container)
            (stack[-1][1] if stack else p).append(clone)
            stack.append((container, clone))
        (stack[-1][1] if stack else p).append(element)
        if element.tag == W_R:
            set_run_language(element, target_lang)
    if LANGUAGES[target_lang].rtl:
        _right_to_left(p)


def _code_number(code: str) -> int | None:
    return int(code[1:]) if code[1:].isdigit() else None


def _bookmarks_in_order(out: list[tuple[tuple, etree._Element]]) -> None:
    """A bookmark's end after its start, however the words moved."""
    starts = {element.get(_w("id")): element for _, element in out
              if element.tag == _w("bookmarkStart")}
    for item in list(out):
        start = starts.get(item[1].get(_w("id"))) if item[1].tag == _w("bookmarkEnd") else None
        if start is None:
            continue
        elements = [element for _, element in out]
        if elements.index(start) > elements.index(item[1]):
            out.pop(elements.index(item[1]))
            out.insert([element for _, element in out].index(start) + 1, item)


def _set_document_defaults(document: docx.document.Document, target_lang: str) -> None:
    """Language and script fonts in the style defaults, so new text typed in Word agrees."""
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    _replace_lang(rpr, target_lang)
    if target_lang in SCRIPT_FONTS:
        attribute, font = SCRIPT_FONTS[target_lang]
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn(f"w:{attribute}"), font)


def _update_fields_on_open(document: docx.document.Document) -> None:
    """Word regenerates the table of contents (in the target's headings) on opening."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert_element_before(
            update, "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
            "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
            "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
            "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
            "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
            "w:listSeparator")


def write(document: Document, block_texts: Mapping[int, str], target_lang: str, path: Path,
          spans: Mapping[int, Sequence[InlineSpan]] | None = None) -> None:
    """The source with each block's paragraph rebuilt for its translation. ``spans``: the
    inline codes placed over each translation; a block without them gets its source codes
    placed by :func:`hexaglot.inline.place` (words found unchanged keep their formatting)."""
    word = _open(document.path)
    walk, stories = _walk(word)
    blocks = {block.index: block for block in document.blocks}
    for index, entry in enumerate(walk.entries):
        if index not in block_texts:
            continue
        text = block_texts[index]
        codes = spans.get(index) if spans is not None else None
        if codes is None:
            block = blocks.get(index)
            codes = place(block.text, block.spans, text)[0] if block is not None else ()
        _rebuild(entry.model, text, codes, target_lang)
        for twin in entry.twins:
            same = (len(twin.styles), len(twin.objects)) == (len(entry.model.styles),
                                                             len(entry.model.objects))
            _rebuild(twin, text, codes if same else (), target_lang)
    if LANGUAGES[target_lang].rtl:
        for section in word.sections:
            sect_pr = section._sectPr
            if sect_pr.find(qn("w:bidi")) is None:
                sect_pr.insert_element_before(
                    OxmlElement("w:bidi"), "w:rtlGutter", "w:docGrid", "w:printerSettings",
                    "w:sectPrChange",
                )
        for table_properties in word.element.body.iter(qn("w:tblPr")):
            if table_properties.find(qn("w:bidiVisual")) is None:
                table_properties.insert_element_before(
                    OxmlElement("w:bidiVisual"), *_AFTER_BIDI_VISUAL
                )
    _set_document_defaults(word, target_lang)
    if walk.toc or any(kind == "TOC" for entry in walk.entries
                       for _, kind in entry.model.field_nodes):
        _update_fields_on_open(word)
    for story in stories:
        if getattr(story.part, "element", None) is None:
            story.part._blob = serialize_part_xml(story.root)
    with atomic_output(path) as tmp:
        word.save(str(tmp))


# --- what was read, and what a document holds ------------------------------------------------


def _parts(word: docx.document.Document) -> list[_Story]:
    return [_Story(word.element.body, word.part, "document"),
            *(story for _, _, story in _header_parts(word)),
            *(story for _, story in _note_parts(word))]


def text_report(path: Path) -> dict[str, object]:
    """Every text node of a document, by what the reader does with it: ``read`` (in a
    block, to translate), or skipped with the reason (comment, field result by field type,
    text box copy, blank...). ``unread`` lists nodes with text no rule accounts for: there
    should be none."""
    word = _open(path)
    walk, stories = _walk(word)
    why: dict[int, str] = {}
    keep = []  # the elements, so that their ids stay theirs while counting
    for index, entry in enumerate(walk.entries):
        block = _block(index, entry)
        for node in entry.model.read_nodes:
            why[id(node)] = "read" if block is not None else (
                "blank" if not (node.text or "").strip() else
                "no words outside fields (numbers, punctuation)")
            keep.append(node)
        for node, kind in entry.model.field_nodes:
            why[id(node)] = f"field result ({kind})"
            keep.append(node)
        for twin in entry.twins:
            for node in twin.read_nodes:
                why[id(node)] = "text box copy (VML), written like its original"
                keep.append(node)
            for node, kind in twin.field_nodes:
                why[id(node)] = f"field result ({kind})"
                keep.append(node)
    for node, reason in walk.skipped:
        why[id(node)] = reason
        keep.append(node)
    counts: Counter = Counter()
    unread = []
    for story in stories:
        for node in story.root.iter(W_T, _w("delText"), W_INSTR):
            if node.tag == _w("delText"):
                counts["deleted text (tracked change)"] += 1
            elif node.tag == W_INSTR:
                counts["field code"] += 1
            elif id(node) in why:
                counts[why[id(node)]] += 1
            elif not (node.text or "").strip():
                counts["blank"] += 1
            else:
                counts["unread"] += 1
                unread.append(f"{story.name}: {node.text!r}")
    return {"read": counts.pop("read", 0), "skipped": dict(sorted(counts.items())),
            "unread": unread}


def structure(path: Path) -> dict[str, int]:
    """What a document holds, to compare a translation with its source: paragraphs,
    tables, cells, images, text boxes, notes and note references, hyperlinks, fields,
    bookmarks, comments, sections (VML copies of text boxes not counted twice)."""
    word = _open(path)
    counts: Counter = Counter()
    for story in _parts(word):
        root = story.root

        def each(*tags: str, root=root) -> list[etree._Element]:
            return [n for n in root.iter(*tags)
                    if next(n.iterancestors(f"{_MC}Fallback"), None) is None]

        counts["paragraphs"] += len(each(W_P))
        counts["tables"] += len(each(W_TBL))
        counts["cells"] += len(each(W_TC))
        counts["images"] += len([d for d in each(_w("drawing"))
                                 if d.find(".//{*}blip") is not None]) + \
            len(each(f"{_V}imagedata"))
        counts["text boxes"] += len(each(W_TXBX))
        counts["footnotes"] += len([n for n in each(_w("footnote"))
                                    if n.get(_w("type")) is None])
        counts["endnotes"] += len([n for n in each(_w("endnote")) if n.get(_w("type")) is None])
        counts["note references"] += len(each(_w("footnoteReference"), _w("endnoteReference")))
        counts["hyperlinks"] += len({(id(link.getparent()), link.get(qn("r:id")),
                                      link.get(_w("anchor"))) for link in each(_w("hyperlink"))})
        counts["fields"] += len(each(_w("fldSimple"))) + len(
            [f for f in each(W_FLDCHAR) if f.get(_w("fldCharType")) == "begin"])
        counts["bookmarks"] += len(each(_w("bookmarkStart")))
        counts["comments"] += len(each(_w("comment")))
        counts["comment marks"] += len(each(_w("commentReference")))
        counts["sections"] += len(each(_w("sectPr")))
    return dict(counts)


def document_language(path: Path) -> str | None:
    """The language tag in the document's style defaults (``w:lang``), if any."""
    word = _open(path)
    lang = word.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    return lang.get(qn("w:val")) if lang is not None else None
