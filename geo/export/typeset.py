"""Typesetting of text pages with matplotlib's own text layout: headings, wrapped paragraphs,
bulleted and numbered lists with hanging indents, and ruled tables, flowed down columns and on
to new pages. Widths are measured with the figure's renderer (the fonts are local: DejaVu Sans
ships with matplotlib), so lines wrap where the type ends; matplotlib shapes Arabic itself.
Each line is one text artist, so the PDF holds real, extractable text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D

Align = Literal["left", "right"]
FONT: Final[str] = "DejaVu Sans"
INK: Final[str] = "#1a1a1a"
RULE: Final[str] = "#8c8c8c"
#: Paragraphs and list items of at most this many lines are not split between columns.
KEEP_LINES: Final[int] = 5


@dataclass(frozen=True)
class Style:
    size: float = 8.5  # points
    weight: str = "normal"
    colour: str = INK
    italic: bool = False
    leading: float = 1.3  # line height as a multiple of the size

    @property
    def line(self) -> float:
        return self.size * self.leading

    def font(self) -> FontProperties:
        return FontProperties(family=FONT, size=self.size, weight=self.weight,
                              style="italic" if self.italic else "normal")


BODY: Final[Style] = Style()
SMALL: Final[Style] = Style(size=7.5, colour="#333333")
HEADING: Final[Style] = Style(size=12, weight="bold", colour="#1f3b63", leading=1.2)
STRONG: Final[Style] = Style(weight="bold")


class Flow:
    """A cursor that fills ``columns`` (left and right edges as page fractions) from ``top``
    to ``bottom`` of each page, and asks ``new_page`` for the next page when they are full."""

    def __init__(self, new_page: Callable[[], Figure], columns: Sequence[tuple[float, float]],
                 top: float, bottom: float) -> None:
        self._new_page = new_page
        self.columns, self.top, self.bottom = tuple(columns), top, bottom
        self.pages: list[Figure] = []
        self._start_page()

    def _start_page(self) -> None:
        self.page = self._new_page()
        self.pages.append(self.page)
        width, height = self.page.get_size_inches() * 72
        self._pt_x, self._pt_y = 1 / width, 1 / height  # one point as page fractions
        self._column = 0
        self.y = self.top

    @property
    def left(self) -> float:
        return self.columns[self._column][0]

    @property
    def width_pt(self) -> float:
        left, right = self.columns[self._column]
        return (right - left) / self._pt_x

    def measure(self, text: str, style: Style) -> float:
        """The width of ``text`` in points, as the renderer sets it."""
        renderer = self.page.canvas.get_renderer()  # type: ignore[attr-defined]
        width, _, _ = renderer.get_text_width_height_descent(text, style.font(), ismath=False)
        return float(width) * 72 / self.page.dpi

    def wrap(self, text: str, style: Style, width_pt: float) -> list[str]:
        """``text`` in lines no wider than ``width_pt`` (words longer than a line are cut)."""
        lines: list[str] = []
        line = ""
        for word in text.split():
            while self.measure(word, style) > width_pt:  # a long URL: cut it where it must
                cut = self._fitting(word, style, width_pt)
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:cut])
                word = word[cut:]
            candidate = f"{line} {word}" if line else word
            if line and self.measure(candidate, style) > width_pt:
                lines.append(line)
                candidate = word
            line = candidate
        return [*lines, line] if line else lines

    def _fitting(self, word: str, style: Style, width_pt: float) -> int:
        """How many of ``word``'s first characters fit in ``width_pt`` (at least one)."""
        low, high = 1, len(word)
        while low < high:
            middle = (low + high + 1) // 2
            if self.measure(word[:middle], style) <= width_pt:
                low = middle
            else:
                high = middle - 1
        return low

    def need(self, height_pt: float) -> None:
        """Move to the next column (or page) unless ``height_pt`` fits below the cursor."""
        if self.y - height_pt * self._pt_y >= self.bottom or self.y == self.top:
            return
        self._column += 1
        if self._column == len(self.columns):
            self._start_page()
        self.y = self.top

    def space(self, points: float) -> None:
        if self.y != self.top:
            self.y -= points * self._pt_y

    def _line(self, x: float, text: str, style: Style, align: Align = "left") -> None:
        self.page.text(x, self.y, text, fontsize=style.size, fontweight=style.weight,
                       fontstyle="italic" if style.italic else "normal", family=FONT,
                       color=style.colour, ha=align, va="top", parse_math=False)

    def heading(self, text: str, style: Style = HEADING) -> None:
        self.space(style.size * 0.8)
        self.need(style.line + BODY.line * 2)  # never alone at the foot of a column
        self._line(self.left, text, style)
        self.y -= style.line * self._pt_y

    def paragraph(self, text: str, style: Style = BODY, indent: float = 0,
                  marker: str = "") -> None:
        """Wrapped text; a ``marker`` ("•", "[3]") hangs in the ``indent`` (points). A short
        paragraph (up to :data:`KEEP_LINES`) is kept in one column."""
        lines = self.wrap(text, style, self.width_pt - indent)
        if len(lines) <= KEEP_LINES:
            self.need(len(lines) * style.line)
        for index, line in enumerate(lines):
            self.need(style.line)
            if index == 0 and marker:
                self._line(self.left, marker, style)
            self._line(self.left + indent * self._pt_x, line, style)
            self.y -= style.line * self._pt_y
        self.y -= style.size * 0.3 * self._pt_y

    def items(self, texts: Sequence[str], markers: Sequence[str] | None = None,
              style: Style = BODY) -> None:
        """A bulleted list, or a numbered one with the given markers."""
        marks = list(markers) if markers is not None else ["•"] * len(texts)
        indent = max((self.measure(m, style) for m in marks), default=0) + style.size * 0.6
        for mark, text in zip(marks, texts, strict=True):
            self.paragraph(text, style, indent, mark)

    def _rule(self, weight: float) -> None:
        left, right = self.columns[self._column]
        self.page.add_artist(Line2D([left, right], [self.y, self.y], linewidth=weight,
                                    color=RULE, transform=self.page.transFigure))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float], aligns: Sequence[Align], style: Style = BODY) -> None:
        """Rows under a bold header between rules; ``widths`` are fractions of the column.
        A table that runs on into the next column repeats its header there."""
        bold = Style(style.size, "bold", style.colour)

        def row_lines(cells: Sequence[str], cell_style: Style) -> list[list[str]]:
            return [self.wrap(c, cell_style, w * self.width_pt - 4) or [""]
                    for c, w in zip(cells, widths, strict=True)]

        def draw(cells: list[list[str]], cell_style: Style) -> None:
            x = self.left
            y = self.y
            for lines, width, align in zip(cells, widths, aligns, strict=True):
                right = x + width * self.width_pt * self._pt_x
                for offset, line in enumerate(lines):
                    self.y = y - offset * cell_style.line * self._pt_y
                    self._line(right if align == "right" else x, line, cell_style, align)
                x = right
            self.y = y - (max(len(c) for c in cells) * cell_style.line + 2) * self._pt_y

        def head() -> None:
            self.space(2)
            self._rule(0.8)
            self.y -= 2 * self._pt_y
            draw(row_lines(header, bold), bold)
            self._rule(0.5)
            self.y -= 2 * self._pt_y

        self.need(bold.line * 2 + style.line * 2)
        head()
        for cells in rows:
            lines = row_lines(cells, style)
            height = max(len(c) for c in lines) * style.line + 2
            page, column = len(self.pages), self._column
            self.need(height)
            if (len(self.pages), self._column) != (page, column):
                head()
            draw(lines, style)
        self._rule(0.8)
        self.y -= style.size * 0.6 * self._pt_y
