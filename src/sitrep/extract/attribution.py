"""Attribution: who says what.

:func:`attribute` finds the reporting cues of every sentence ("X said ...", "according to X",
"as confirmed by X", "the report states", a quotation carried over several sentences) and
fills ``ctx.source_cues`` (sentence start -> cues) and ``ctx.sources`` (sentence start -> the
sentence's main source).  Speakers are resolved by :class:`SpeakerResolver`: named actors,
the body an unnamed spokesman speaks for, the outlet an unnamed source told, pronouns and
definite descriptions ("the group", "the report") referring back.

:func:`source_for` credits one claim by its character span: only what is said is the
speaker's.  A claim lying inside the speaker's own phrase (an apposition, a title, a compound
or a modifier that describes the speaker: "X, the group's spokesman, said", "G leader P said",
"the Iran-backed H rebels said") is the article's own voice.  The innermost cue whose scope
holds the claim wins ("A said that B claimed ...": B).  None means the outlet itself speaks.
A report's voice carries over the cue-less sentences of its paragraph
(:mod:`sitrep.extract.attribution_passage`).

Frames of ``data/sources.yaml``: "R quoted T as saying ..." is T (``quoted_as_preps``); a tail
attribution needs no clause of its own ("..., a report by X found.", "..., the institute's director
said." with the speaker parsed onto the claim); "..., claimed T." parsed with the claim as subject is
T; "As X noted in its report, ..." frames the whole sentence (``framing_marks``), while "..., after X
claimed that ..." covers only its own clause (``subordinators``); a headline's ": Name" credits what
comes before the colon.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from sitrep.extract.attribution_cues import source_cues
from sitrep.extract.attribution_passage import carry_report_voice
from sitrep.extract.attribution_speakers import SpeakerResolver, phrase_span
from sitrep.extract.context import ExtractionContext, SentenceSource, SourceCue
from sitrep.extract.registry import extractor

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# verbs that introduce reported speech or a reported finding (data/language.yaml)
REPORTING_VERBS = source_cues().speech_verbs
_OPEN_QUOTES = "“«"
_CLOSE_QUOTES = "”»"
_RESOLVERS: dict[int, tuple[ExtractionContext, SpeakerResolver, list[tuple[int, ...]]]] = {}


def resolver(ctx: ExtractionContext) -> SpeakerResolver:
    """The speaker resolver of a document (one per context, kept for the latest few contexts).

    It is rebuilt when the context's actor mentions changed; they are counted again only when the
    mention list or the entity table changed since the last check (not once per call: a call per
    speaker token would make a long document quadratic)."""
    hit = _RESOLVERS.get(id(ctx))
    seen = (id(ctx.mentions), len(ctx.mentions), id(ctx.entities), len(ctx.entities))
    if hit is not None and hit[0] is ctx and hit[1].mentions is not None:
        if hit[2] and hit[2][0] == seen:
            return hit[1]
        if len(hit[1].mentions) == sum(1 for m in ctx.mentions if hit[1].kind(m.entity_key, m.label)):
            hit[2][:] = [seen]
            return hit[1]
    res = SpeakerResolver(ctx)
    if len(_RESOLVERS) >= 2:  # one document at a time per process: keep no old parse alive
        _RESOLVERS.clear()
    _RESOLVERS[id(ctx)] = (ctx, res, [])
    return res


def speaker_of(ctx: ExtractionContext, tok: Token, verb: Token | None = None) -> SentenceSource | None:
    """The source a speaker token stands for (also for the subject of a denial verb); None: no one."""
    return resolver(ctx).resolve(tok, verb)


# --- cues --------------------------------------------------------------------------------


def _subject_of(verb: Token) -> Token | None:
    """nsubj of a verb, the passive agent ("confirmed by X"), or the subject of the verb it is conjoined to."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            if c.pos_ in ("VERB", "AUX") and c.i < verb.i:
                # "..., claimed Jon Roe." parsed with the claim as the subject: the name after the verb speaks
                return next((d for d in verb.children if d.dep_ in ("dobj", "attr", "npadvmod") and d.i > verb.i), None)
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    if verb.dep_ == "pcomp" and verb.head.lower_ in source_cues().quoted_as_preps and verb.head.head.i != verb.i:
        # "R quoted T as saying ...", "T was quoted by R as saying ...": the one quoted speaks
        gov = verb.head.head
        for dep in ("dobj", "nsubjpass"):
            quoted = next((c for c in gov.children if c.dep_ == dep), None)
            if quoted is not None:
                return quoted
    if _passive(verb):
        return None  # "X is believed to ...": no one is named
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_of(verb.head)  # "X claimed the attack, asserting that ..."
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and verb.head.lemma_.lower() in REPORTING_VERBS:
        return _subject_of(verb.head)  # "X said ... and added ...", not "X continues ... and has indicated"
    return None


def _headline_verb(tok: Token) -> str:
    """The verb a capitalised headline word stands for ("Claims" -> "claim", "Says" -> "say")."""
    low = tok.lower_
    for cut in ("s", "es", "ed", "d", ""):
        if cut and low.endswith(cut) and low[: -len(cut)] in REPORTING_VERBS:
            return low[: -len(cut)]
    return low


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _in_document(verb: Token, res: SpeakerResolver) -> Token | None:
    """The document a verb's words are in: "noted in the report", "said in a statement"."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "in":
            for p in c.children:
                if p.dep_ == "pobj" and {p.lower_, p.lemma_.lower()} & (res.cues.report_nouns | res.cues.utterance_nouns):
                    return p
    return None


def _passage_source(res: SpeakerResolver, sent: Span) -> SentenceSource | None:
    """The source the passage is reporting, unless the sentence turns to another story ("Meanwhile, ...")."""
    first = [t.lower_ for t in sent if not t.is_space][:3]
    if any(" ".join(first[:n]) in res.cues.topic_shifts for n in (1, 2, 3)):
        return None
    return res.recent_speaker(sent.start_char, ("armed_group", "organization", "state", "person", "report"),
                              sentences=res.cues.passage_sentences)


def _estimated_about(verb: Token) -> Token | None:
    """Whom an agentless estimate is about: the passive's subject ("the group is estimated to have"),
    or the subject of the clause an estimated figure sits in ("the group has an estimated 400 ...")."""
    subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if subj:
        return subj[0]
    cur = verb
    for _ in range(4):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return None


def _estimates_itself(res: SpeakerResolver, verb: Token, src: SentenceSource) -> bool:
    """An agentless estimate about the very speaker the passage reports ("X said ... The group is
    estimated to have ...") is not that speaker's: no one estimates themselves; the article speaks."""
    about = _estimated_about(verb)
    if about is None or src.key is None:
        return False
    who = res.resolve(about)
    return who is not None and who.key == src.key


def _unnamed_cue(res: SpeakerResolver, verb: Token, sent: Span) -> SourceCue | None:
    """A reporting verb that names no speaker: the document it is in ("was noted in the report"), or
    for an agentless estimate ("is estimated to have", "an estimated 400") the source the passage
    is already reporting, with the subject as the article's own description."""
    doc_tok = _in_document(verb, res)
    if doc_tok is not None:
        src = res.resolve(doc_tok, verb)
        if src is not None:
            return SourceCue(src, phrase_span(doc_tok, sent), _scope(verb, sent))
    if verb.lemma_.lower() not in res.cues.passage_verbs or not (
            _passive(verb) or (verb.dep_ == "amod" and verb.tag_ == "VBN")):
        return None
    src = _passage_source(res, sent)
    if src is None or _estimates_itself(res, verb, src):
        return None
    subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
    phrase = phrase_span(subj[0], sent) if subj else (verb.idx, verb.idx)
    return SourceCue(src, phrase, None if verb.dep_ == "amod" else _scope(verb, sent))


def _has_clause(verb: Token) -> bool:
    return any(c.dep_ in ("ccomp", "parataxis", "xcomp", "dobj", "prep", "advcl") for c in verb.children)


def _scope(verb: Token, sent: Span) -> tuple[int, int] | None:
    """What a reporting verb covers: the whole sentence for the main verb or a tail attribution
    ("..., the report said", "..., as confirmed by X"), else the verb's own clause."""
    if verb.dep_ == "ROOT":
        return None
    head = verb.head
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in source_cues().framing_marks for c in verb.children) \
            and head.dep_ == "ROOT":
        return None  # "As X noted in its report, ...": the saying frames the whole sentence
    if head.dep_ == "ROOT" and head.lemma_.lower() not in REPORTING_VERBS:
        if verb.dep_ in ("parataxis", "ccomp") or (verb.dep_ in ("advcl", "conj") and verb.i > head.i and not any(
                c.dep_ == "mark" and c.lower_ in source_cues().subordinators for c in verb.children)):
            return None  # (not "..., after X claimed that ...": a clause of its own, not a tail attribution)
    # an embedded reporting verb covers what it reports, not itself and its speaker
    said = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis", "xcomp", "dobj", "prep", "advcl")]
    left = min([c.left_edge.idx for c in said if c.i < verb.i], default=verb.idx + len(verb))
    right = verb.right_edge
    return max(left, sent.start_char), min(right.idx + len(right), sent.end_char)


def _framing(verb: Token, sent: Span) -> tuple[tuple[int, int], ...]:
    """Subordinate clauses on the reporting verb itself ("X said ..., as the group seeks ...",
    "after the attack, X said"): they frame the saying in the article's voice."""
    out = []
    for c in verb.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" for m in c.children):
            left, right = c.left_edge, c.right_edge
            out.append((max(left.idx, sent.start_char), min(right.idx + len(right), sent.end_char)))
    return tuple(out)


def _denied_part(res: SpeakerResolver, verb: Token, sent: Span) -> tuple[tuple[int, int], ...]:
    """The event a denier denies a part in ("denied any involvement in the attack on X that killed 12"):
    the denier does not state it, so it is not the denier's claim (the denial itself is made by
    :mod:`sitrep.extract.attribution_denials`)."""
    if verb.lemma_.lower() not in res.cues.deny_verbs:
        return ()
    out = []
    for o in verb.children:
        if o.dep_ == "dobj" and {o.lower_, o.lemma_.lower()} & (res.cues.involvement_nouns | res.cues.event_nouns):
            left, right = o.left_edge, o.right_edge
            out.append((max(left.idx, sent.start_char), min(right.idx + len(right), sent.end_char)))
    return tuple(out)


def _tail_speaker(verb: Token, sent: Span, res: SpeakerResolver) -> Token | None:
    """The speaker of a tail attribution the parser left without a subject ("..., the Observatory
    reported on Wednesday"): the noun phrase between the last comma and the verb."""
    if verb.i == sent.root.i:
        # "..., the institute's director said." parsed with the speaker hung on the claim: the claim is
        # a clause before the verb and the verb has no subject of its own
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) or not any(
                c.dep_ in ("ccomp", "parataxis") and c.i < verb.i for c in verb.children):
            return None
    elif verb.i < sent.root.i or verb.dep_ not in ("advcl", "parataxis", "ccomp", "conj") or verb.head.i != sent.root.i:
        return None
    if verb.tag_ not in ("VBD", "VBZ", "VBP", "VBN") or _passive(verb):
        return None  # "..., asserting that ...": a participle shares its clause's subject
    i = verb.i - 1
    while i > sent.start and verb.doc[i].is_punct and verb.doc[i].text not in ",;":
        i -= 1
    j = i
    while j > sent.start and verb.doc[j - 1].text not in ",;:\"“”":
        j -= 1
    if j > i or i - j > 12:
        return None
    span = verb.doc[j : i + 1]
    if not any(res.mention_at(t) is not None for t in span) and not res.unnamed_speaker(span.root):
        return None
    return span.root


def _according_to(sent: Span) -> list[tuple[Token, tuple[int, int]]]:
    out = []
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor(1).lower_ == "to":
            objs = [c for c in t.nbor(1).children if c.dep_ == "pobj"]
            objs += [p for c in t.children for p in c.children if p.dep_ == "pobj"]
            if objs:
                right = objs[0].right_edge
                out.append((objs[0], (t.idx, right.idx + len(right))))
    return out


def _colon_source(res: SpeakerResolver, sent: Span) -> SourceCue | None:
    """A headline's source after a colon ("G controls the valley: Monitoring Team"): the words after the
    last colon are one speaker's name and nothing else; what comes before is theirs."""
    toks = [t for t in sent if not t.is_space]
    colon = next((t for t in reversed(toks) if t.text == ":"), None)
    if colon is None or colon.i == toks[0].i or toks[-1].text in (".", "!", "?"):
        return None  # (a headline has no full stop: not "Those held include: Jon Roe.")
    rest = [t for t in toks if t.i > colon.i and not t.is_punct]
    if not rest or len(rest) > 6 or colon.i - sent.start < 3:
        return None
    m = res.mention_at(rest[-1])
    if m is None or res.kind(m.entity_key, m.label) is None or m.start > rest[0].idx + 4:
        return None  # (only a name, perhaps after "the": not "Kabul: ..." nor a clause)
    return SourceCue(res.source(m, rest[0].idx, m.end), (colon.idx, sent.end_char), (sent.start_char, colon.idx))


def _claim_noun_cues(res: SpeakerResolver, sent: Span) -> list[SourceCue]:
    """ "the minister's claim that ...", "a claim by the army that ...": the content clause is its owner's."""
    out = []
    for t in sent:
        if t.pos_ != "NOUN" or {t.lower_, t.lemma_.lower()}.isdisjoint(res.cues.claim_nouns):
            continue
        content = [c for c in t.children if c.dep_ in ("acl", "ccomp", "relcl", "appos")
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        owners = [c for c in t.children if c.dep_ == "poss"]
        owners += [p for c in t.children if c.dep_ == "prep" and c.lower_ in res.cues.author_prepositions
                   for p in c.children if p.dep_ == "pobj"]
        if not content or not owners:
            continue
        src = res.resolve(owners[0])
        if src is None:
            continue
        left, right = content[0].left_edge, content[0].right_edge
        out.append(SourceCue(src, phrase_span(owners[0], sent),
                             (left.idx, min(right.idx + len(right), sent.end_char))))
    return out


def _sentence_cues(res: SpeakerResolver, sent: Span) -> list[SourceCue]:
    cues = res.cues
    out: list[SourceCue] = _claim_noun_cues(res, sent)
    colon = _colon_source(res, sent)
    if colon is not None:
        out.append(colon)
    for obj, phrase in _according_to(sent):
        out.append(SourceCue(res.resolve(obj), phrase, None))
    has_quote = any(ch in sent.text for ch in "\"“”")
    for t in sent:
        lemma = t.lemma_.lower()
        if t.lower_ in cues.passage_adverbs and not out:
            src = _passage_source(res, sent)
            if src is not None:  # "... were reportedly looted" right after the group spoke
                out.append(SourceCue(src, (t.idx, t.idx), _scope(t.head, sent) if t.head.pos_ == "VERB" else None))
            continue
        figure = lemma in cues.figure_verbs and any(
            c.dep_ == "prep" and c.lower_ == "at" for c in t.children)  # "put the toll at 45"
        if t.pos_ == "PROPN" and t.dep_ == "ROOT" and _headline_verb(t) in cues.speech_verbs:
            lemma = _headline_verb(t)  # a title-case headline: "G Claims 200 Killed"
        elif t.pos_ not in ("VERB", "AUX", "ADJ") or (lemma not in cues.speech_verbs and not figure):
            continue
        if t.dep_ == "amod":
            if t.tag_ == "VBN" and (est := _unnamed_cue(res, t, sent)) is not None:
                out.append(est)  # "an estimated 400 fighters"
            continue
        tail = _tail_speaker(t, sent, res) if not _has_clause(t) else None
        if not (_has_clause(t) or has_quote or lemma in cues.bare_speech_verbs or tail is not None):
            continue  # "..., a report by X found.": a tail attribution needs no clause of its own
        if _scope(t, sent) is not None and lemma not in cues.bare_speech_verbs and not figure and not any(
                c.dep_ in ("ccomp", "parataxis", "xcomp") for c in t.children):
            continue  # an embedded "maintain ties", "show strength": not a report of speech
        subj = _subject_of(t) or tail or _tail_speaker(t, sent, res)
        if subj is None:
            unnamed = _unnamed_cue(res, t, sent)
            if unnamed is not None:
                out.append(unnamed)
            continue
        speaker = subj
        if subj.lower_ in res.cues.relative_words and t.dep_ == "relcl" and t.head.pos_ in ("NOUN", "PROPN"):
            # "the group, which has argued that ...": the noun the clause hangs on speaks
            speaker = t.head
            src = res.resolve(t.head, t)
            phrase = (subj.idx, subj.idx + len(subj))
        else:
            src = res.resolve(subj, t)
            phrase = phrase_span(subj, sent)
        if src is None and not res.unnamed_speaker(speaker):
            continue  # "an expansion of networks highlights ...": content, not a speaker
        if subj.i < t.i and subj.head.i != t.i and subj.dep_ != "pobj":
            phrase = (subj.left_edge.idx, subj.idx + len(subj))  # a tail speaker: its own words only
        out.append(SourceCue(src, phrase, _scope(t, sent), _framing(t, sent) + _denied_part(res, t, sent)))
        # what the earlier cues already resolved is history for the later ones
        res.ctx.source_cues[sent.start_char] = out
    return out


def _main_source(cues: list[SourceCue]) -> SentenceSource | None:
    """The sentence's source for callers that ask per sentence: the cue covering the most."""
    whole = [c for c in cues if c.scope is None and c.source is not None]
    if whole:
        return whole[0].source
    named = [c for c in cues if c.source is not None and c.scope is not None]
    if not named:
        return None
    return max(named, key=lambda c: (c.scope[1] - c.scope[0]) if c.scope else 0).source


# --- quotations over several sentences -------------------------------------------------------


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Quotations as char spans; an unclosed quote at a paragraph end runs on into the next paragraph."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in _OPEN_QUOTES or (ch == '"' and open_at is None):
            if open_at is None:
                open_at = i
        elif ch in _CLOSE_QUOTES or ch == '"':
            if open_at is not None:
                spans.append((open_at, i + 1))
                open_at = None
        elif ch == "\n" and open_at is not None and text.startswith("\n", i + 1):
            # paragraph break inside a quote: it continues only if the next paragraph re-opens one
            j = i
            while j < n and text[j] in "\n \t":
                j += 1
            if j < n and text[j] in _OPEN_QUOTES + '"':
                i = j + 1
                continue
            spans.append((open_at, i))
            open_at = None
        i += 1
    if open_at is not None:
        spans.append((open_at, n))
    return spans


def _spread_over_quotes(ctx: ExtractionContext) -> None:
    """Give every sentence of a multi-sentence quotation the source of its attributed sentence."""
    sents = [(s.start_char, s.end_char) for s in ctx.sdoc.sents]
    ends = [e for _, e in sents]
    text = ctx.document.text
    for qs, qe in _quote_spans(text):
        near: list[tuple[int, int]] = []  # the sentences overlapping the quotation (found by bisection)
        i = bisect_right(ends, qs)
        while i < len(sents) and sents[i][0] < qe:
            near.append(sents[i])
            i += 1

        covered = [(s, e) for s, e in near if len(text[max(s, qs) : min(e, qe)].strip(" \n\t\"“”«»")) > 1]

        if len(covered) < 2:
            continue
        src = next((ctx.sources[s] for s, _ in covered if s in ctx.sources), None)
        if src is None:
            continue
        for s, _ in covered:
            if s not in ctx.sources:
                ctx.sources[s] = src
                ctx.source_cues[s] = [SourceCue(src, (max(s, qs), max(s, qs)), (max(s, qs), min(qe, len(text))))]


# --- the API -------------------------------------------------------------------------------------


@extractor("attribution", version="4", requires=("parse", "mentions", "entities"), provides=("sources",))
def attribute(ctx: ExtractionContext) -> None:
    """Fill ``ctx.source_cues`` and ``ctx.sources`` for every sentence with a reporting cue."""
    res = resolver(ctx)
    for sent in res.sents:
        if not sent.text.strip():
            continue
        cues = _sentence_cues(res, sent)
        if not cues:
            ctx.source_cues.pop(sent.start_char, None)
            continue
        ctx.source_cues[sent.start_char] = cues
        main = _main_source(cues)
        if main is not None:
            ctx.sources[sent.start_char] = main
    _spread_over_quotes(ctx)
    carry_report_voice(ctx, res)  # a report's voice over the cue-less sentences of its paragraph


def source_for(ctx: ExtractionContext, start: int, end: int) -> SentenceSource | None:
    """Who a claim at chars [start, end) is credited to; None: the article's own voice.

    Only the content of what is said is the speaker's: a claim inside a speaker's own phrase is
    the article's (or the outer speaker's, when that phrase is itself reported)."""
    sent = ctx.sentence_of(start)
    if sent is None:
        return None
    cues = ctx.source_cues.get(sent.start_char)
    if not cues:
        return None
    end = max(end, start + 1)
    best: SourceCue | None = None
    best_size = 0
    for c in cues:
        ps, pe = c.phrase
        if pe > ps and ps <= start and end <= pe:
            continue  # a description of the speaker
        if any(fs <= start and end <= fe for fs, fe in c.outside):
            continue  # the article framing the saying
        if c.scope is not None:
            ss, se = c.scope
            if end <= ss or start >= se:
                continue
            size = se - ss
        else:
            size = sent.end_char - sent.start_char + 1
        if best is None or size < best_size:
            best, best_size = c, size
    return best.source if best is not None else None


def source_at(ctx: ExtractionContext, char: int) -> SentenceSource | None:
    """The source of the sentence holding character ``char`` (None: the outlet itself)."""
    sent = ctx.sentence_of(char)
    if sent is None:
        return None
    return ctx.sources.get(sent.start_char)
