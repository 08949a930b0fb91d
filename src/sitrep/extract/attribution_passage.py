"""A report's voice over a paragraph: the sentences around "the report said" that carry no cue of their own.

News writing reports a document's findings in runs of sentences and names the document once: "The
Council's monitors reported that the group has grown. They put the number of its camps at 10." The
second sentence is still the report speaking.  So, within one paragraph:

* **forwards**: after a sentence whose source speaks as a report (its speaker is a report noun, "the
  report said", or the body the speaker stands for found it: a finding verb such as "reported",
  "found", "documented"), each following sentence without a cue of its own is that source's, until a
  sentence with a cue (another source, or the article's own attribution) or a turn to another story
  ("Meanwhile, ...");
* **backwards**: a paragraph that opens with a finding and then quotes the report saying it
  ("The group now runs camps in ten provinces. It 'established new camps ...,' the report said") gives
  the opening sentence to the report too: only the sentence just before, only a report noun speaker,
  only where that speaker's sentence quotes it.

A paragraph break always ends the voice.  Only sentences with no cue are touched: every sentence
with a speaker of its own keeps it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.context import ExtractionContext, SentenceSource, SourceCue

if TYPE_CHECKING:
    from spacy.tokens import Span

    from sitrep.extract.attribution_speakers import SpeakerResolver

_QUOTES = "\"“”«»"


def _paragraphs(sents: list[Span], text: str) -> list[list[Span]]:
    """The document's sentences grouped by paragraph: a line break between two sentences starts one."""
    out: list[list[Span]] = []
    last_end = -1
    for s in sents:
        body = s.text.strip()
        if not body:
            continue
        start = s.start_char + (len(s.text) - len(s.text.lstrip()))
        if not out or "\n" in text[last_end:start]:
            out.append([])
        out[-1].append(s)
        last_end = start + len(body)
    return out


def _report_cue(res: SpeakerResolver, sent: Span, cue: SourceCue) -> bool:
    """The cue's speaker speaks as a report: a report noun ("the report", "its latest assessment"), or a
    speaker that found or reported what follows ("the monitors reported that", "investigators found")."""
    if cue.source is None or cue.source.key is None:
        return False
    ps, pe = cue.phrase
    words = {w.strip(".,;:'’s").lower() for w in res.ctx.document.text[ps:pe].split()}
    if words & res.cues.report_nouns:
        return True
    for t in sent:
        lemma = t.lemma_.lower()
        if t.pos_ != "VERB" or lemma not in res.cues.finding_verbs | res.cues.speech_verbs:
            continue
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj or not ps <= subj[0].idx < max(pe, ps + 1):
            continue
        if lemma in res.cues.finding_verbs or any(  # "said in its report that ..."
                p.dep_ == "prep" and p.lower_ == "in" and any(
                    o.dep_ == "pobj" and o.lemma_.lower() in res.cues.report_nouns for o in p.children)
                for p in t.children):
            return True
    return False


def _report_noun_cue(res: SpeakerResolver, cue: SourceCue) -> bool:
    ps, pe = cue.phrase
    words = {w.strip(".,;:'’s").lower() for w in res.ctx.document.text[ps:pe].split()}
    return cue.source is not None and cue.source.key is not None and bool(words & res.cues.report_nouns)


def _shifts(res: SpeakerResolver, sent: Span) -> bool:
    first = [t.lower_ for t in sent if not (t.is_space or t.is_punct)][:3]
    return any(" ".join(first[:n]) in res.cues.topic_shifts for n in (1, 2, 3))


def _give(ctx: ExtractionContext, sent: Span, src: SentenceSource) -> None:
    at = sent.start_char
    ctx.sources[at] = src
    ctx.source_cues[at] = [SourceCue(src, (at, at), None)]  # the whole sentence is the report's


def carry_report_voice(ctx: ExtractionContext, res: SpeakerResolver) -> None:
    """Give the cue-less sentences of a paragraph the voice of the report speaking in it (see above)."""
    text = ctx.document.text
    for para in _paragraphs(list(ctx.sdoc.sents), text):
        had_cues = [bool(ctx.source_cues.get(s.start_char)) for s in para]
        voice: SentenceSource | None = None
        for i, sent in enumerate(para):
            cues = ctx.source_cues.get(sent.start_char) if had_cues[i] else None
            if cues:
                report = [c for c in cues if _report_cue(res, sent, c)]
                voice = report[0].source if report and len(report) == len(cues) else None
                if i == 1 and not had_cues[0] and any(q in sent.text for q in _QUOTES) and \
                        any(_report_noun_cue(res, c) for c in report) and not _shifts(res, para[0]):
                    _give(ctx, para[0], report[0].source)  # type: ignore[arg-type]
                continue
            if voice is not None and _shifts(res, sent):
                voice = None
            if voice is not None:
                _give(ctx, sent, voice)
