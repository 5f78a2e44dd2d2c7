"""Step 8, place: where a figure sits in the source (offsets, page, box), and the ``Observation``."""

from __future__ import annotations

import bisect
import re

from ...models import Document, FigureDraft, Observation, Provenance, SourceText
from ...segment.text_map import MappedText
from ..labels import polish_label
from ..vocabulary import Vocabulary


class Placer:
    """Maps a passage's offsets back to the paper's source text and its PDF pages."""

    def __init__(self, document: Document, source: SourceText, vocab: Vocabulary) -> None:
        self.document = document
        self.junk_part = vocab.junk_part
        self.source = source
        self.word_starts = [w.start for w in source.words]

    def span(self, d: FigureDraft, mapped: MappedText | None) -> tuple[int, int]:
        p, f = d.passage, d.figure
        if mapped is not None:
            start, end = mapped.source_span(f.start, f.end)
        else:
            start, end = p.start + f.start, min(p.end, p.start + f.end)
        return start, max(start, end)

    def provenance(self, d: FigureDraft, mapped: MappedText | None) -> Provenance:
        source, p = self.source, d.passage
        start, end = self.span(d, mapped)
        page = source.page_at(start)
        box = source.bbox(start, end) if source.words else None
        if box is not None:
            i = bisect.bisect_right(self.word_starts, start) - 1
            page = source.words[max(0, i)].page_number or page
        return Provenance(
            document_id=self.document.id,
            passage_id=p.id,
            char_start=start,
            char_end=end,
            quote=d.quote,
            page=page,
            paragraph=p.paragraph,
            section=p.section,
            x0=box[0] if box else None,
            top=box[1] if box else None,
            x1=box[2] if box else None,
            bottom=box[3] if box else None,
        )

    def place(self, drafts: list[FigureDraft]) -> list[Observation]:
        if not drafts:
            return []
        passage = drafts[0].passage
        mapped: MappedText | None = MappedText.from_source(self.source.text, passage.start, passage.end)
        if mapped is not None and mapped.text != passage.text:
            mapped = None
        return [observation(d, self.provenance(d, mapped), self.junk_part) for d in drafts]


def observation(d: FigureDraft, provenance: Provenance, junk_part: re.Pattern[str]) -> Observation:
    period = d.period or (None, None)
    c = d.comparison
    return Observation(
        measure=polish_label(d.label, junk_part),
        value=float(d.figure.value),
        unit=d.figure.unit,
        kind=d.kind,
        figure=d.figure.text,
        provenance=provenance,
        measure_id=d.measure_id,
        measure_score=d.measure_score,
        period_start=period[0],
        period_end=period[1],
        period_text=d.period_text,
        change_type=d.change_type,
        comparison_value=c.value if c else None,
        comparison_unit=c.unit if c else None,
        comparison_period_start=c.period_start if c else None,
        comparison_period_end=c.period_end if c else None,
        comparison_text=c.text if c else None,
        basis=d.basis,
        area=d.area,
        breakdown=d.breakdown,
        bound=d.bound,
    )
