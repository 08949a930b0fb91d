"""Relations between actors (and actor -> place) with polarity, modality and source.

Two complementary engines read each sentence:

* **surface frames** over a rendering of the sentence in which every entity mention is a
  slot (``@A3`` armed group, ``@O`` organisation, ``@C`` country/state, ``@L`` other place,
  ``@P`` person) and every other token its lower-case lemma.  They catch noun-phrase
  relations: appositions ("X, the Afghan affiliate of Y"), possessives ("Y's new leader, P"),
  compounds ("Y leader P"), "alliance between X and Y", "presence of X in P", "X-based".
* **verb frames** over the dependency parse: subject -> verb -> object for fighting,
  protecting/funding/harbouring, cooperating and operating verbs, with the subject
  found through relative clauses, control verbs, conjunctions and possessors.

Cue words are data (``CUES`` below), not any article's wording.  Polarity comes from
negation and denial scope; pledges and other hypotheticals produce nothing; hedges fill
``Claim.modality``; the source is the nearest reporting verb's subject in the sentence,
else the sentence's attributed source (``extract.attribution``), else the denier.
"""

from __future__ import annotations

import bisect
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitrep.extract.attribution import REPORTING_VERBS, source_for, speaker_of
from sitrep.extract.context import ExtractionContext, SentenceSource
from sitrep.extract.registry import extractor
from sitrep.models import SYMMETRIC_RELATIONS, Claim, Mention, Relation

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# --- cue lexicon (data) -------------------------------------------------------

CUES: dict[str, list[str]] = {
    "lead_roles": [
        "leader", "head", "chief", "founder", "co-founder", "emir", "amir", "president", "chairman",
        "chairwoman", "ruler", "deputy", "deputy leader", "second - in - command", "number two",
        "no. 2", "supremo", "commander - in - chief", "supreme leader", "boss", "vice president",
        "prime minister", "king", "head of state", "caliph",
    ],
    "member_roles": [
        "spokesman", "spokesperson", "spokeswoman", "member", "official", "officer", "fighter",
        "militant", "commander", "operative", "representative", "envoy", "ambassador",
        "ambassador - at - large", "minister", "secretary", "researcher", "analyst", "expert",
        "fellow", "assistant", "director", "coordinator", "adviser", "advisor", "negotiator",
        "diplomat", "senator", "general", "colonel", "scholar", "professor", "correspondent",
        "strategist", "ideologue", "cleric", "lawmaker", "mp", "deputy minister", "aide", "agent",
        "emissary", "associate", "economist", "consultant", "specialist", "chief of staff",
    ],
    "part_nouns": [
        "affiliate", "branch", "faction", "wing", "offshoot", "franchise", "arm", "cell", "chapter",
        "subsidiary", "splinter group", "splinter faction", "unit", "division", "province", "sub - group",
        "subgroup", "proxy", "component", "constituent", "extension", "brigade", "battalion",
    ],
    "ally_nouns_strong": [
        "alliance", "partnership", "cooperation", "collaboration", "coordination", "pact", "coalition",
        "symbiosis", "bond", "tie", "nexus", "entente",
    ],
    "ally_nouns_weak": ["relationship", "relation", "link", "contact", "connection", "association"],
    "ally_positive": [
        "strong", "close", "deep", "enduring", "endure", "long - standing", "longstanding", "symbiotic",
        "historical", "historic", "flourish", "intimate", "solid", "robust", "continue", "maintain",
        "tight", "good", "warm", "strengthen", "cemented", "cement", "remain", "unbreakable",
        "increase", "increased", "grow", "growing", "deepen", "expand", "expanding",
    ],
    "ally_persons": ["ally", "partner", "allies", "partners", "patron", "proxy", "client"],
    "hostile_nouns": ["war", "fighting", "clash", "conflict", "battle", "rivalry", "hostility", "feud", "fight"],
    "hostile_verbs": [
        "fight", "battle", "attack", "oppose", "counter", "combat", "target", "ambush", "confront",
        "resist", "raid", "assault", "clash", "besiege", "shell", "bomb", "storm", "war",
        "strike", "hit", "overrun", "ambush", "kill",
    ],
    "support_verbs": [
        "protect", "shelter", "harbor", "harbour", "host", "fund", "finance", "arm", "train", "equip",
        "sponsor", "back", "support", "aid", "assist", "bankroll", "supply", "hide", "safeguard",
    ],
    "give_verbs": ["provide", "give", "offer", "grant", "extend", "supply", "send", "transfer", "deliver"],
    "support_nouns": [
        "haven", "safe haven", "sanctuary", "refuge", "shelter", "protection", "funding", "fund", "money",
        "payment", "weapon", "arm", "training", "support", "assistance", "advice", "aid", "financing",
        "logistics", "ammunition", "cash", "subsidy", "patronage", "backing", "equipment", "guidance",
        "safe house", "hospitality", "supplies", "financial support", "military support",
    ],
    "protection_nouns": ["protection", "patronage", "auspices", "shelter", "umbrella", "wing", "control", "sponsorship"],
    "ally_verbs": ["ally", "cooperate", "collaborate", "partner", "align", "integrate", "coordinate", "team"],
    "operate_verbs": [
        "operate", "base", "station", "headquarter", "entrench", "regroup", "deploy", "hide", "shelter",
        "active", "present", "train", "recruit", "expand", "gain", "thrive", "resurface", "flourish",
    ],
    "violence_verbs": ["attack", "target", "kill", "strike", "bomb", "claim", "carry", "launch", "stage", "ambush", "kidnap"],
    "presence_nouns": ["presence", "foothold", "stronghold", "base", "camp", "training camp", "hideout", "sanctuary", "safe haven", "cell"],
    "place_of_nouns": [
        "base", "stronghold", "home", "headquarters", "hub", "heartland", "bastion", "birthplace",
        "cradle", "power base", "sanctuary", "safe haven", "haven", "hideout",
    ],
    "use_as_nouns": [
        "base", "hub", "haven", "safe haven", "safe zone", "sanctuary", "launchpad", "launch pad",
        "staging ground", "hideout", "refuge", "springboard", "rear base", "training ground", "logistical hub",
    ],
    "group_nouns": [
        "group", "organization", "organisation", "movement", "network", "militia", "outfit", "insurgency",
        "faction", "militant", "insurgent", "jihadist", "terrorist", "rebel", "force", "front", "affiliate",
    ],
    "member_nouns": [
        "official", "member", "leader", "leadership", "fighter", "militant", "element", "force", "commander",
        "operative", "delegation", "spokesman", "spokesperson", "representative", "cadre", "unit",
        "troop", "soldier", "cell", "militiaman", "target", "position", "checkpoint", "convoy", "warplane",
        "aircraft", "jet", "figure", "remnant", "brigade", "patrol", "outpost", "stronghold", "hideout",
        "insurgent", "jihadist", "gunman", "sympathizer", "loyalist", "faction",
    ],
    "deny_verbs": ["deny", "reject", "dismiss", "refute", "disprove", "rebut", "contest", "dispute", "repudiate"],
    "claim_nouns": [
        "claim", "allegation", "accusation", "report", "finding", "charge", "assertion", "suggestion",
        "assessment", "conclusion", "statement", "it", "this", "that", "which",
    ],
    "untrue_adjs": ["untrue", "false", "baseless", "unfounded", "groundless", "fabricated", "wrong", "incorrect", "propaganda", "lie", "lies"],
    "pledge_verbs": ["pledge", "vow", "promise", "commit", "assure", "agree", "swear", "undertake", "demand", "urge", "ask", "want", "seek", "plan", "threaten", "call"],
    "refuse_support_verbs": ["hand", "extradite", "surrender", "expel", "deliver", "turn"],
    "hedges": [
        "believe", "allege", "alleged", "allegedly", "reportedly", "likely", "estimate", "suspect",
        "suspected", "possibly", "apparently", "probably", "may", "might", "could", "thought", "appear",
        "seem", "purportedly", "presumably", "rumour", "rumor", "unconfirmed", "perhaps",
    ],
    "place_descriptors": ["country", "nation", "state", "territory", "soil"],
}

_MEMBER_NOUNS = frozenset(CUES["member_nouns"]) | {"member", "fighter", "militant", "force", "army", "military"}
LEAD_VERBS = frozenset({"lead", "head", "run", "command", "chair", "found", "direct"})
# verbs whose armed-group subject is active where the verb happens ("X stormed a base in P")
ACTIVITY_VERBS = frozenset({
    "operate", "attack", "kill", "strike", "ambush", "storm", "overrun", "raid", "seize", "capture", "control",
    "hold", "retake", "recapture", "expand", "advance", "push", "fight", "clash", "launch", "carry", "stage",
    "hide", "regroup", "move", "retreat", "infiltrate", "recruit", "train", "abduct", "kidnap", "target", "bomb",
    "maintain", "establish", "present", "active", "remain", "deploy", "station", "patrol", "wage", "claim",
    "base", "entrench", "thrive", "resurface", "flourish", "spread", "roam", "dominate", "shell", "besiege",
    "rule", "govern", "occupy", "take", "mount", "conduct", "extort", "tax", "plant", "detonate", "burn",
})
# nouns for what a group does or has somewhere ("attacks in P", "a stronghold in P")
ACTIVITY_NOUNS = frozenset({
    "attack", "ambush", "raid", "offensive", "operation", "insurgency", "presence", "base", "stronghold",
    "camp", "cell", "fighter", "militant", "hideout", "foothold", "activity", "campaign", "assault", "bombing",
    "unit", "position", "checkpoint", "territory", "safe haven", "haven", "sanctuary", "network", "branch",
})
# prepositions that place an activity
_AT_PREPS = ("in", "inside", "across", "throughout", "within", "near", "around", "into", "outside")
# "X-backed Y", "X-aligned Y", "X-controlled P": a name fused with a participle
_HYPHEN_REL = {
    "back": "supports", "support": "supports", "sponsor": "supports", "fund": "supports", "arm": "supports",
    "finance": "supports", "align": "ally_of", "ally": "ally_of", "link": "ally_of", "affiliate": "part_of",
    "control": "operates_in", "hold": "operates_in", "occupy": "operates_in", "run": "operates_in",
}

ACTOR_KINDS = frozenset({"armed_group", "organization", "state", "country", "person"})
_CODE = {
    "armed_group": "A", "organization": "O", "state": "C", "country": "C", "person": "P",
    "province": "L", "city": "L", "district": "L", "region": "L",
}
_QUOTES = {'"', "“", "”", "‘", "’", "'", "«", "»", "`", "``", "''"}
_REL_PRONOUNS = {"which", "that", "who", "whom", "whose"}
_PRONOUNS = {"it", "its", "they", "their", "them", "itself", "themselves"}


def _alt(words: list[str]) -> str:
    """Regex alternation of (multi-word) cue entries, longest first, with plural -s tolerated."""
    return "(?:" + "|".join(re.escape(w) + "s?" for w in sorted(set(words), key=len, reverse=True)) + ")"


# --- sentence rendering --------------------------------------------------------


@dataclass
class _Unit:
    word: str
    tok_start: int  # token index (doc level)
    tok_end: int  # exclusive
    mention: Mention | None = None


@dataclass
class _Rendered:
    sent: Span
    units: list[_Unit]
    text: str
    starts: list[int]
    slots: dict[str, Mention] = field(default_factory=dict)

    def unit_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)


def _render(sent: Span, tok_mention: dict[int, Mention]) -> _Rendered:
    """Render a sentence as lemmas with mention slots (``@A0``...)."""
    units: list[_Unit] = []
    slots: dict[str, Mention] = {}
    seen: dict[int, str] = {}
    i = sent.start
    while i < sent.end:
        tok = sent.doc[i]
        m = tok_mention.get(i)
        if m is not None:
            j = i
            while j < sent.end and tok_mention.get(j) is m:
                j += 1
            slot = seen.get(id(m))
            if slot is None:
                slot = f"@{_CODE.get(m.label, 'O')}{len(slots)}"
                seen[id(m)] = slot
                slots[slot] = m
            units.append(_Unit(slot, i, j, m))
            i = j
            continue
        if tok.is_space or tok.text in _QUOTES:
            i += 1
            continue
        word = tok.lemma_.lower() if tok.lemma_ and tok.lemma_ != "-PRON-" else tok.lower_
        if tok.lower_ in ("'s", "’s", "'", "’"):
            word = "'s"
        word = word.replace(" ", "_") or tok.lower_
        units.append(_Unit(word, i, i + 1))
        i += 1
    starts, pos, parts = [], 0, []
    for u in units:
        starts.append(pos)
        parts.append(u.word)
        pos += len(u.word) + 1
    return _Rendered(sent, units, " ".join(parts), starts, slots)


# --- surface frames ---------------------------------------------------------------

_MACROS = {
    "A": r"@A\d+",
    "G": r"@[AOC]\d+",
    "P": r"@P\d+",
    "L": r"@[CL]\d+",
    "X": r"@[AOCP]\d+",
}
_DESC = (
    r"(?:the |this |that )(?:[a-z-]+ ){0,2}?" + _alt(CUES["group_nouns"]) + r"|its|their|it|they"
)
_STOP = r"(?:be|at|in|of|for|with|to|by|from|on|include|including|and|or|such|that|which|who|have|say|as|but|while|after|before)"
_MODS = r"(?:(?!" + _STOP + r" )[^\s,@()]+ ){0,3}?"
_DET = r"(?:the |a |an )?(?:@[CL]\d+ 's )?"


def _pat(template: str) -> re.Pattern[str]:
    """Expand ``<name:KIND>`` slots, ``<M>`` modifiers and ``<D>`` determiners into a regex."""

    def slot(m: re.Match[str]) -> str:
        name, kind = m.group(1), m.group(2)
        if kind == "desc":
            return f"(?P<{name}>{_DESC})"
        if kind.endswith("|desc"):
            return f"(?P<{name}>{_MACROS[kind[:-5]]}|{_DESC})"
        return f"(?P<{name}>{_MACROS[kind]})"

    out = re.sub(r"<(\w+):([A-Z](?:\|desc)?|desc)>", slot, template)
    out = out.replace("<M>", _MODS).replace("<D>", _DET)
    for key, words in CUES.items():
        out = out.replace("{" + key + "}", _alt(words))
    return re.compile(r"(?<![\w@])" + out + r"(?![\w])")


@dataclass(frozen=True)
class _Frame:
    type: str
    pattern: re.Pattern[str]
    subj: str = "s"
    obj: str = "o"
    obj_list: bool = False
    subj_list: bool = False
    member_if_dept: bool = False  # a lead role with "of <department>" makes a member
    name: str = ""


_LEAD = "{lead_roles}"
_MEMBER = "{member_roles}"
_ROLE = "(?P<role>" + _alt(CUES["lead_roles"] + CUES["member_roles"]) + ")"
_DEPT = r"(?P<dept>of (?!the @|@|a @|an @)[^@,]+? )?"

FRAMES: list[_Frame] = [
    # --- leads / member_of -------------------------------------------------------
    _Frame("role", _pat(r"<o:G> (?:'s )?<M>" + _ROLE + r" (?P<dept>of [^,]+? )?(?:, )?(?:<M>)?<s:P>"), name="G role P"),
    _Frame("role", _pat(_ROLE + r" " + _DEPT + r"(?:of|for) <D>(?:[^,@]+ |@\w+ 's )*?(?:[^,@]+ , <D>)?<o:G> , (?:<M>)?<s:P>"), name="role of G, P"),
    _Frame("role", _pat(r"<o:desc> (?:'s )?<M>" + _ROLE + r" , <M><s:P>"), name="desc's role, P"),
    _Frame("role", _pat(r"<s:P> , <D><o:desc> 's <M>(?:[a-z-]+ and )?" + _ROLE + r"(?= [,.;]| say| tell| add|$)"), name="P, desc's role"),
    _Frame("role", _pat(r"<s:P> , <D><M><o:G> (?:'s )?<M>" + _ROLE + r"(?P<dept> of (?!the @|@|a @|an @)[^@,]+?)?(?! (?:[^@,]+ )?(?:at|with) <D>@)(?= |$)"), name="P, G role"),
    _Frame("role", _pat(r"<s:P> , <D><M>(?:@[CL]\d+ )?<M>" + _ROLE + r" (?P<dept>of [^@,()]+? )?(?:[^@,()]+ )?(?:at|with|of|for|in) <D><o:G>"), name="P, role at G"),
    _Frame("role", _pat(r"<s:P> (?:be|remain|become|serve as|work as) <D><M>" + _ROLE + r" (?P<dept>of [^@,()]+? )?(?:[^@,()]+ )?(?:at|with|of|for|in) <D><o:G>"), name="P is role at G"),
    _Frame("role", _pat(r"(?<!@)(?P<role>president|prime minister|king|emir|supreme leader|chancellor|premier) <s:P>"), obj="", name="title P"),
    _Frame("role", _pat(r"<s:P> (?:be|remain|become) <D><M><o:G> (?:'s )?<M>" + _ROLE + r"(?! (?:[^@,]+ )?(?:at|with|of|for) )"), name="P is G role"),
    # --- part_of ------------------------------------------------------------------
    _Frame("part_of", _pat(r"<s:A> (?:\( @\w+ \) )?(?:, |, as |as |be |remain |become )(?:<M>)?<D><M>(?:@[CL]\d+ )?<M>(?P<pn>{part_nouns}) (?:of|to|within) <D><M><o:A>"), name="A, affiliate of B"),
    _Frame("part_of", _pat(r"<s:A> (?:\( @\w+ \) )?(?:, )?(?:[^@,;]+ )?(?:be |, )?one of <D><o:A> 's <M>(?P<pn>{part_nouns})"), name="A, one of B's branches"),
    _Frame("part_of", _pat(r"<s:A> (?:\( @\w+ \) )?(?:be|remain|become) (?:[a-z]+ )?(?P<pn>part|member) of <D><M><o:A>"), name="A is part of B"),
    _Frame("part_of", _pat(r"<o:A|desc> 's <M>(?P<pn>{part_nouns}) , <D><s:A>"), name="B's faction, A"),
    _Frame("part_of", _pat(r"<s:A> (?:\( @\w+ \) )?, <D><M><o:A> (?:'s )?<M>(?P<pn>{part_nouns})\b"), name="A, a B faction"),
    _Frame("part_of", _pat(r"<o:A> 's (?:so - call |so-called )?<M><s:A>"), name="B's A"),
    _Frame("part_of", _pat(r"<o:A> 's <M>(?P<pn>{part_nouns}) (?:\( |, )<D><s:A>"), name="B's branch (A)"),
    _Frame("part_of", _pat(r"<s:A> (?:\( @\w+ \) )?, (?:[^,]+? )?(?:and )?(?P<pn>integrate|merge|absorb|incorporate|fold) into <D><o:A|desc>"), name="A, integrated into B"),
    _Frame("part_of", _pat(r"(?P<pn>{part_nouns}|element|member) of <D><o:A> , (?:include|including|such as|notably) <D>(?:{part_nouns} of <D>)?<s:A>"), subj_list=True, name="elements of B, including A"),
    # --- ally_of ------------------------------------------------------------------
    _Frame("ally", _pat(r"(?P<cue>{ally_nouns_strong}|{ally_nouns_weak}) between <D><s:G> (?:, )?(?:and )?<D><o:G>"), obj_list=True, name="alliance between"),
    _Frame("ally", _pat(r"<s:G|desc> (?:'s )?<M>(?P<cue>{ally_nouns_strong}|{ally_nouns_weak}) (?:with|to) <D><o:G>"), name="A's ties with B"),
    _Frame("ally", _pat(r"in <M>(?P<cue>cooperation|coordination|collaboration|partnership|alliance|league|concert) (?:[^@,.;]+ )?with <D><o:G>"), subj="", name="in cooperation with B"),
    _Frame("ally", _pat(r"<s:A> (?:\( @\w+ \) )?, <D><M>(?P<cue>ally|partner|allies|partners) of <D><o:G>"), name="A, an ally of B"),
    _Frame("ally", _pat(r"<s:G|desc> (?:have|maintain|keep|build|develop|forge|establish) <M>(?P<cue>{ally_nouns_strong}|{ally_nouns_weak}) (?:with|to) <D><o:G|desc>"), name="A has links with B"),
    _Frame("ally", _pat(r"<o:G> (?:'s )?(?P<cue>ally|allies|partner|partners) (?:, )?<s:A>"), name="B's ally A"),
    _Frame("hostile", _pat(r"(?P<cue>{hostile_nouns}) between <D><s:G> (?:, )?(?:and )?<D><o:G>"), obj_list=True, name="war between"),
    _Frame("hostile", _pat(r"(?:both )?<D><s:G> and <D><o:G> (?:[^@.;]+ )?(?P<cue>{hostile_nouns}|{hostile_verbs}|at war|in war)(?: [^@.;]+)? (?:each other|one another)"), name="at war with each other"),
    # --- supports -------------------------------------------------------------------
    _Frame("supports", _pat(r"under <D>(?P<cue>{protection_nouns}) of <D><s:G>"), obj="", name="under the protection of"),
    _Frame("supports", _pat(r"<s:G> (?:\( @\w+ \) )?, <D><M>(?P<cue>patron|sponsor|backer|benefactor|financier|supporter|protector) of <D><M><o:G>"), name="A, a patron of B"),
    _Frame("supports", _pat(r"under <D><s:G> (?:'s )?(?P<cue>{protection_nouns})"), obj="", name="under G protection"),
    # --- operates_in ----------------------------------------------------------------
    _Frame("operates_in", _pat(r"(?P<cue>presence|foothold) (?:in|inside|within) <D><o:L> of <D><s:A>"), name="presence in L of A"),
    _Frame("operates_in", _pat(r"(?P<cue>presence|foothold) of <D><s:A> (?:[^@,.;]+ )?(?:in|inside|within|across) <D><o:L>"), obj_list=True, name="presence of A in L"),
    _Frame("operates_in", _pat(r"<s:A|desc> 's <M>(?P<cue>presence|foothold) (?:in|inside|within|across) <D><o:L>"), obj_list=True, name="A's presence in L"),
    _Frame("operates_in", _pat(r"<s:A|desc> (?:[^@,.;]+ )?(?P<cue>have|maintain|establish|retain|keep|build) <D><M>(?:presence|foothold|stronghold|base|camp|cell)s? (?:in|inside|within|across) (?:[^@,.;]+ )?<o:L>"), obj_list=True, name="A has presence in L"),
    _Frame("operates_in", _pat(r"<o:L> (?:be|remain) <D><M>(?P<cue>{place_of_nouns}) (?:of|for) <D><s:A>"), name="L is the base of A"),
    _Frame("operates_in", _pat(r"<o:L> - (?P<cue>base|headquarter) (?:[^@,]+ )?<s:A>"), name="L-based A"),
    _Frame("operates_in", _pat(r"<s:A|desc> (?:[^@,.;]+ )?(?P<cue>use) <D><o:L> as <D><M>{use_as_nouns}"), name="A uses L as base"),
    _Frame("operates_in", _pat(r"<s:A|desc> (?:[^@,.;]+ )?(?P<cue>take|seek|find) <M>(?:refuge|shelter|sanctuary|haven) (?:in|inside) <D><o:L>"), name="A takes refuge in L"),
    _Frame("operates_in", _pat(r"(?P<cue>operate|active|base|present|operating) (?:in|inside|across|throughout) <D>(?P<o>@[CL]\d+|(?:[a-z]+ )?(?:country|nation)) ,? (?:include|including|such as|notably) <D><s:A>"), subj_list=True, name="operating in L, including A"),
]


# --- the per-document extractor ----------------------------------------------------------


@dataclass
class _Found:
    subj: Mention
    type: str
    obj: Mention
    cue_tok: Token
    cue: str
    toks: tuple[int, int]  # token span of the evidence
    clausal: bool = True  # False for noun-phrase facts (roles, affiliations) a denial does not target


class _DocReader:
    """State shared by the frames while reading one document."""

    def __init__(self, ctx: ExtractionContext) -> None:
        self.ctx = ctx
        self.doc = ctx.sdoc
        self.mentions = sorted(
            (m for m in ctx.mentions if m.label in _CODE and m.end > m.start), key=lambda m: m.start
        )
        self.tok_mention: dict[int, Mention] = {}
        for m in self.mentions:
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.tok_mention.setdefault(t.i, m)
        self.sents = [s for s in self.doc.sents]
        self._sent_index = {s.start: i for i, s in enumerate(self.sents)}
        self._starts = [m.start for m in self.mentions]
        self.descriptors = self._learn_descriptors()
        self.main_country_key = self._main_country()

    def _main_country(self) -> str | None:
        """The country the article is about: most often the object of "in/inside/across", then most named."""
        loc: Counter[str] = Counter()
        named: Counter[str] = Counter()
        for m in self.mentions:
            if m.label not in ("country", "state"):
                continue
            named[m.entity_key] += 1
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and span.root.dep_ == "pobj" and span.root.head.lower_ in ("in", "inside", "across", "throughout", "within"):
                loc[m.entity_key] += 1
        if not named:
            return None
        return max(named, key=lambda k: (loc[k], named[k]))

    # -- entity access
    def _tokens(self, m: Mention) -> list[Token]:
        """Tokens starting inside a mention (found by char span, not by scanning the document)."""
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        return [t for t in span if m.start <= t.idx < m.end] if span is not None else []

    def _between(self, start: int, end: int) -> list[Mention]:
        """Mentions starting in [start, end), by binary search over the sorted starts."""
        return self.mentions[bisect_left(self._starts, start):bisect_left(self._starts, end)]

    def mention_of(self, tok: Token) -> Mention | None:
        return self.tok_mention.get(tok.i)

    def kind(self, m: Mention) -> str:
        ent = self.ctx.entities.get(m.entity_key)
        return ent.kind if ent is not None else m.label

    def _learn_descriptors(self) -> dict[str, str]:
        """Nominal descriptions used for an entity: "the terrorist organization Al Qaeda" -> org noun -> AQ."""
        out: dict[str, str] = {}
        group_nouns = set(CUES["group_nouns"])
        for m in self.mentions:
            if m.label != "armed_group":
                continue
            toks = self._tokens(m)
            if not toks:
                continue
            first, head = toks[0], toks[-1]
            # descriptor noun right before the name ("the terrorist organization Al Qaeda")
            prev = [t for t in self.doc[max(0, first.i - 3) : first.i] if not t.is_punct]
            if prev and prev[-1].lemma_.lower() in group_nouns and prev[-1].i == first.i - 1:
                mods = " ".join(t.lower_ for t in prev)
                out[prev[-1].lemma_.lower()] = m.entity_key
                out[mods] = m.entity_key
            # apposition ("Al Qaeda, the terrorist group") or "X is a ... group"
            for t in head.children:
                if t.dep_ in ("appos", "attr") and t.lemma_.lower() in group_nouns:
                    mods = " ".join(c.lower_ for c in t.lefts if c.dep_ in ("amod", "compound"))
                    out.setdefault(t.lemma_.lower(), m.entity_key)
                    if mods:
                        out[f"{mods} {t.lower_}"] = m.entity_key
        return out

    def antecedent(self, tok: Token, kinds: tuple[str, ...] = ("armed_group",), before: int | None = None, exclude: str | None = None) -> Mention | None:
        """Resolve a pronoun / definite description to the most salient earlier mention."""
        limit = tok.left_edge.idx if before is None else before
        words = [t for t in tok.subtree if t.dep_ not in ("relcl", "prep", "acl", "punct")] or [tok]
        phrase = " ".join(t.lower_ for t in words if t.lower_ not in ("the", "this", "that", "these", "those"))
        lemma = tok.lemma_.lower()
        for key in (phrase, lemma):
            ekey = self.descriptors.get(key)
            if ekey:
                for m in reversed(self.mentions[: bisect_left(self._starts, limit)]):
                    if m.entity_key == ekey and ekey != exclude:
                        return m
        if lemma in CUES["place_descriptors"]:
            if self.main_country_key is None:
                return None
            return next((m for m in self.mentions if m.entity_key == self.main_country_key), None)
        sent = tok.sent
        same = [m for m in self._between(sent.start_char, limit) if self.kind(m) in kinds and m.entity_key != exclude]
        if tok.lower_ in ("it", "its", "they", "their"):
            # a possessive pronoun in the same clause refers to its clause subject
            same = [m for m in same if tok.idx - m.end < 200]
        if same:
            return same[-1]
        idx = self._sent_index.get(sent.start, -1)
        for back in range(1, 4):
            if idx - back < 0:
                break
            prev = self.sents[idx - back]
            cands = [m for m in self._between(prev.start_char, prev.end_char) if self.kind(m) in kinds and m.entity_key != exclude]
            if not cands:
                continue
            subj = [m for m in cands if self._is_subject(m)]
            return subj[-1] if subj else cands[-1]
        return None

    def _is_subject(self, m: Mention) -> bool:
        for t in self._tokens(m):
            cur = t
            for _ in range(3):
                if cur.dep_ in ("nsubj", "nsubjpass"):
                    return True
                if cur.dep_ not in ("compound", "appos", "conj", "poss") or cur.head.i == cur.i:
                    break
                cur = cur.head
        return False

    def resolve(self, tok: Token, kinds: tuple[str, ...] = ("armed_group",)) -> list[Mention]:
        """Mentions a noun phrase head stands for (with conjuncts and "such as"/"including" lists)."""
        out: list[Mention] = []
        self._resolve_into(tok, kinds, out, depth=0)
        if self.mention_of(tok) is None:
            for t in self._listed(tok):
                self._resolve_into(t, kinds, out, depth=1)
        for c in tok.conjuncts:
            if c.i != tok.i and abs(c.i - tok.i) < 25:
                self._resolve_into(c, kinds, out, depth=1)
        return out

    def _resolve_into(self, tok: Token, kinds: tuple[str, ...], out: list[Mention], depth: int) -> None:
        if depth > 4:
            return
        m = self.mention_of(tok)
        if m is not None:
            if m not in out:
                out.append(m)
            return
        low = tok.lower_
        if low in _REL_PRONOUNS and tok.head.dep_ == "relcl":
            self._resolve_into(tok.head.head, kinds, out, depth + 1)
            return
        lemma = tok.lemma_.lower()
        # "officials of X", "Taliban officials", "elements of X"
        if lemma in CUES["member_nouns"] or tok.lower_ in CUES["member_nouns"]:
            for c in tok.children:
                if c.dep_ in ("compound", "poss", "nmod") and self.mention_of(c) is not None:
                    self._resolve_into(c, kinds, out, depth + 1)
                    return
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            self._resolve_into(p, kinds, out, depth + 1)
                            return
        for c in tok.children:
            cm = self.mention_of(c)
            if c.dep_ == "appos" and cm is not None and self.kind(cm) in kinds:
                self._resolve_into(c, kinds, out, depth + 1)
                return
        listed = self._listed(tok)
        if listed:
            for t in listed:
                self._resolve_into(t, kinds, out, depth + 1)
            return
        if tok.dep_ == "appos" and lemma in CUES["group_nouns"]:
            ante = self.antecedent(tok, kinds)
            if ante is not None and ante not in out:
                out.append(ante)
            return
        is_desc = low in _PRONOUNS or (
            lemma in CUES["group_nouns"] + CUES["place_descriptors"]
            and any(c.lower_ in ("the", "this", "that", "its", "their") for c in tok.children)
        )
        if is_desc:
            place = lemma in CUES["place_descriptors"]
            if place:
                want: tuple[str, ...] = ("country", "state")
            elif lemma in CUES["group_nouns"]:
                want = ("armed_group",)
            else:
                want = tuple(k for k in kinds if k in ("armed_group", "organization")) or kinds
            ante = self.antecedent(tok, want)
            if ante is not None and ante not in out:
                out.append(ante)

    def _listed(self, tok: Token) -> list[Token]:
        """Items of an "X such as A, B and C" / "X, including A" list hanging off tok."""
        items: list[Token] = []
        for c in tok.children:
            if c.dep_ == "prep" and (c.lower_ in ("including", "like") or (c.lower_ == "as" and any(a.lower_ == "such" for a in c.children))):
                for p in c.children:
                    if p.dep_ == "pobj":
                        items.append(p)
                        items.extend(x for x in p.conjuncts if x.i != p.i)
        return items


# --- verb frames -------------------------------------------------------------------------


def _children(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _verb_subject_tokens(v: Token) -> list[Token]:
    """The subject of a verb, climbing through xcomp/conj/advcl/relcl/acl/pcomp structures."""
    cur = v
    for _ in range(6):
        subj = _children(cur, ("nsubj",))
        if subj:
            return subj
        agent = [p for a in _children(cur, ("agent",)) for p in _children(a, ("pobj",))]
        if agent and cur.i != v.i:
            return agent
        if cur.dep_ == "relcl":
            return [cur.head]
        if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN"):
            poss = _children(cur.head, ("poss",))
            if not poss and cur.head.dep_ == "attr":  # "X is the threat operating in P"
                poss = _children(cur.head.head, ("nsubj",))
            return poss or [cur.head]
        if cur.dep_ == "pcomp":
            prep = cur.head
            gov = prep.head
            if gov.pos_ in ("VERB", "AUX"):
                dobj = _children(gov, ("dobj",))
                if dobj and prep.lower_ == "of":
                    return dobj  # "accused X of harbouring Y"
                cur = gov
                continue
            if gov.pos_ in ("NOUN", "PROPN"):
                cur = gov.head
                continue
            return []
        if cur.dep_ in ("xcomp", "conj", "advcl", "ccomp") and cur.head.i != cur.i:
            if cur.dep_ == "ccomp" and cur.head.lemma_.lower() in REPORTING_VERBS:
                return []
            if cur.dep_ == "xcomp":  # raising: "X is estimated/believed to have ..."
                raised = _children(cur.head, ("nsubjpass",))
                if raised:
                    return raised
            cur = cur.head
            continue
        if cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.pos_ in ("VERB", "AUX") and cur.i != v.i:
            dobj = _children(cur.head.head, ("dobj",))
            if dobj:
                return dobj  # "accused X of funding and arming Y"
        if cur.dep_ in ("pobj", "dobj", "prep") and cur.head.i != cur.i:
            cur = cur.head
            continue
        return []
    return []


def _prep_objects(v: Token, preps: tuple[str, ...]) -> list[Token]:
    out: list[Token] = []
    for p in v.children:
        if p.dep_ == "prep" and p.lower_ in preps:
            out.extend(_children(p, ("pobj",)))
    return out


_IN_PREPS = ("in", "inside", "across", "throughout", "within")


def _sets_up_presence(v: Token) -> bool:
    """ "establish/run/open/maintain camps/bases (in P)" """
    if v.lemma_.lower() not in ("establish", "set", "open", "run", "build", "maintain", "operate", "have", "keep", "create"):
        return False
    nouns = {w.split()[-1] for w in CUES["presence_nouns"]}
    return any(c.dep_ == "dobj" and c.lemma_.lower() in nouns for c in v.children)


def _member_is_in(v: Token, subj_toks: list[Token]) -> bool:
    """ "X's leader is in P", "X fighters remain in P": members located in a place."""
    if v.lemma_.lower() not in ("be", "remain", "live", "hide", "reside", "stay", "shelter"):
        return False
    return any(s.lemma_.lower() in ("leader", "fighter", "militant", "member", "commander", "operative", "leadership") for s in subj_toks)


def _verb_frames(r: _DocReader, sent: Span) -> list[_Found]:
    """Subject-verb-object relations read off the dependency parse."""
    found: list[_Found] = []
    actors = ("armed_group", "organization", "state", "country")
    hostile, support = set(CUES["hostile_verbs"]), set(CUES["support_verbs"])
    ally, operate = set(CUES["ally_verbs"]), set(CUES["operate_verbs"])
    violence, give = set(CUES["violence_verbs"]), set(CUES["give_verbs"])
    support_nouns = set(CUES["support_nouns"])
    for t in sent:
        lemma = t.lemma_.lower()
        if t.pos_ not in ("VERB", "ADJ", "AUX") and not (t.pos_ == "NOUN" and lemma in ("war", "fight")):
            continue
        subj_toks = _verb_subject_tokens(t)
        if not subj_toks and lemma in operate | {"affiliate", "link", "tie"}:
            subj_toks = _children(t, ("nsubjpass",))  # "X have been deployed in P", "X is affiliated with Y"
        if not subj_toks:
            continue
        subjects = [m for s in subj_toks for m in r.resolve(s, ("armed_group", "organization", "state", "country"))]
        if not subjects:
            continue
        pairs: list[tuple[str, list[Mention]]] = []
        if lemma in hostile or (lemma == "take" and any(c.lower_ == "on" for c in t.children)):
            objs = _children(t, ("dobj",)) + _prep_objects(t, ("against", "with", "on"))
            if lemma == "kill":  # "killed four members of X", not "killed civilians"
                objs = [o for o in objs if o.lemma_.lower() in _MEMBER_NOUNS and r.mention_of(o) is None]
            hit = [m for o in objs for m in r.resolve(o, actors)]
            pairs.append(("hostile_to", hit))
            if hit and len(subjects) > 1 and any(c.dep_ == "conj" for st in subj_toks for c in st.children):  # "X and Y struck Z"
                pairs.extend(("ally_of", [b]) for b in subjects)
        if lemma in support:
            objs = _children(t, ("dobj",)) or [d for c in t.conjuncts if c.i > t.i for d in _children(c, ("dobj",))][:2]
            pairs.append(("supports", [m for o in objs for m in r.resolve(o, ("armed_group", "person"))]))
        if lemma in give:
            dobj = _children(t, ("dobj", "dative"))
            with_obj = _prep_objects(t, ("with",))
            to_obj = _prep_objects(t, ("to", "for"))
            gifts = [x for x in dobj + with_obj if x.lemma_.lower() in support_nouns or any(c.lemma_.lower() in support_nouns for c in x.children)]
            if gifts:
                receivers = (dobj if with_obj else []) + to_obj + _children(t, ("dative",))
                pairs.append(("supports", [m for o in receivers for m in r.resolve(o, ("armed_group", "person"))]))
        if lemma in set(CUES["refuse_support_verbs"]) and t.head.lemma_.lower() in ("refuse", "decline", "reject"):
            subj_toks = _verb_subject_tokens(t.head) or subj_toks
            subjects = [m for s in subj_toks for m in r.resolve(s, ("armed_group", "organization", "state", "country", "person"))]
            pairs.append(("supports_refused", [m for o in _children(t, ("dobj",)) for m in r.resolve(o, ("armed_group", "person"))]))
        if lemma == "affiliate":
            objs = _prep_objects(t, ("with", "to"))
            pairs.append(("part_of", [m for o in objs for m in r.resolve(o, ("armed_group",))]))
        if lemma in ally:
            objs = _prep_objects(t, ("with", "to"))
            pairs.append(("ally_of", [m for o in objs for m in r.resolve(o, actors)]))
        if lemma in operate | violence or _sets_up_presence(t) or _member_is_in(t, subj_toks):
            places: list[Token] = _prep_objects(t, _IN_PREPS)
            for o in _children(t, ("dobj", "attr")):
                places.extend(x for x in o.subtree if x.dep_ == "pobj" and x.head.lower_ in _IN_PREPS)
            if lemma in violence:
                if not any(s.dep_ == "nsubj" for s in t.children):
                    places = []
                for c in _children(t, ("advcl", "conj")):
                    if c.lemma_.lower() in violence:
                        places.extend(_prep_objects(c, _IN_PREPS))
            locs = [m for p in places for m in _places_under(r, p) if "\n" not in r.doc.text[min(t.idx, m.start) : max(t.idx, m.start)]]
            pairs.append(("operates_in", locs))
        for rtype, objs in pairs:
            for s in subjects:
                for o in objs:
                    found.append(_Found(s, rtype, o, t, lemma, (min(t.i, sent.start), t.i + 1)))
    return found


_PLACE_NOUNS = frozenset({
    "town", "village", "city", "area", "region", "province", "district", "state", "country", "desert", "mountain",
    "outskirt", "part", "north", "south", "east", "west", "border", "borderland", "countryside", "valley", "commune",
    "county", "governorate", "capital", "zone", "locality", "hill", "island",
})
_ARMED = ("armed_group",)
_ACTORS4 = ("armed_group", "organization", "state", "country")


def _mention_root(r: _DocReader, m: Mention) -> Token | None:
    span = r.doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None else None


def _group_subjects(r: _DocReader, verb: Token) -> list[Mention]:
    if any(c.dep_ == "nsubjpass" for c in verb.children) and not any(c.dep_ == "agent" for c in verb.children):
        return []  # "X was attacked in P": X is not the actor
    out: list[Mention] = []
    for st in _verb_subject_tokens(verb):
        if r.mention_of(st) is None and st.tag_ in ("NNS", "NNPS") and st.lemma_.lower() in CUES["group_nouns"]:
            continue  # "the two groups": no single antecedent
        out.extend(m for m in r.resolve(st, _ACTORS4) if r.kind(m) == "armed_group")
    return out


def _place_frames(r: _DocReader, sent: Span) -> list[_Found]:
    """operates_in read from the place: "X stormed a base in P", "X fighters in P", "attacks by X in P"."""
    found: list[_Found] = []
    places = [m for m in r._between(sent.start_char, sent.end_char) if m.label in _PLACE_LABELS]
    for pm in places:
        tok = _mention_root(r, pm)
        if tok is None:
            continue
        # climb "the town of P", "Borno's Marte", "the P region" to the noun the preposition takes
        for _ in range(3):
            h = tok.head
            if tok.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() in _PLACE_NOUNS:
                tok = h.head
            elif tok.dep_ in ("poss", "compound", "appos") and h.lemma_.lower() in _PLACE_NOUNS | {"territory"}:
                tok = h
            else:
                break
        subjects: list[Mention] = []
        cue = tok
        if tok.dep_ == "pobj" and tok.head.lower_ in _AT_PREPS:
            gov = tok.head.head
            cue = gov
            glemma = gov.lemma_.lower()
            if gov.pos_ in ("NOUN", "PROPN"):
                if glemma in _MEMBER_NOUNS | ACTIVITY_NOUNS:
                    subjects = r.resolve(gov, _ARMED) if glemma in _MEMBER_NOUNS | {"cell", "network", "branch"} else []
                    if not subjects:
                        owner = [c for c in gov.children if c.dep_ == "poss"]
                        owner += [p for c in gov.children if c.dep_ == "prep" and c.lower_ == "by" for p in _children(c, ("pobj",))]
                        subjects = [m for o in owner for m in r.resolve(o, _ARMED)]
                    if not subjects and glemma in ACTIVITY_NOUNS and gov.dep_ in ("dobj", "pobj") and gov.head.pos_ in ("VERB", "AUX"):
                        v = gov.head
                        if v.lemma_.lower() in ACTIVITY_VERBS | {"step", "intensify", "have", "escalate", "increase"}:
                            subjects = _group_subjects(r, v)
            elif gov.pos_ in ("VERB", "AUX", "ADJ") and glemma in ACTIVITY_VERBS:
                subjects = _group_subjects(r, gov)
        elif tok.dep_ in ("dobj",) and tok.head.lemma_.lower() in ("control", "seize", "capture", "hold", "retake", "recapture", "overrun", "occupy", "besiege", "rule"):
            cue = tok.head
            subjects = _group_subjects(r, tok.head)
        for sm in subjects:
            found.append(_Found(sm, "operates_in", pm, cue, "in:" + cue.lemma_.lower(), (min(cue.i, tok.i), max(cue.i, tok.i) + 1)))
    return found


def _agent_of(v: Token) -> list[Token]:
    """The by-phrase of a passive verb, shared along a coordination ("funded and armed by X")."""
    for w in [v, *v.conjuncts]:
        ag = [p for a in _children(w, ("agent",)) for p in _children(a, ("pobj",))]
        if ag:
            return ag + [c for x in ag for c in x.conjuncts if c.i != x.i]
    return []


def _patient_of(v: Token) -> list[Token]:
    """What a passive verb is about: its passive subject, or the noun a participle/relative clause modifies."""
    cur = v
    for _ in range(3):
        pas = _children(cur, ("nsubjpass",))
        if pas:
            return pas
        if cur.dep_ in ("acl", "relcl") and cur.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return [cur.head]
        if cur.dep_ == "conj" and cur.head.i != cur.i:
            cur = cur.head
            continue
        break
    return []


def _passive_and_lead_frames(r: _DocReader, sent: Span) -> list[_Found]:
    """ "X is funded by Y", "X, led by P", "P heads X", "X joined Y", "X and Y formed Z"."""
    found: list[_Found] = []
    support, hostile = set(CUES["support_verbs"]), set(CUES["hostile_verbs"]) - {"kill"}
    for t in sent:
        if t.pos_ not in ("VERB", "AUX"):
            continue
        lemma = t.lemma_.lower()
        if lemma in support | hostile | LEAD_VERBS:
            agent = _agent_of(t)
            if agent and (t.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in t.children)):
                patients = [m for p in _patient_of(t) for m in r.resolve(p, _ARMED if p.lower_ in _PRONOUNS else _ACTORS4)]
                if lemma in LEAD_VERBS:
                    agents = [m for a in agent for m in r.resolve(a, ("person",))]
                    rtype = "leads"
                else:
                    agents = [m for a in agent for m in r.resolve(a, _ACTORS4)]
                    rtype = "supports" if lemma in support else "hostile_to"
                for a in agents:
                    for p in patients:
                        found.append(_Found(a, rtype, p, t, "by:" + lemma, (t.i, t.i + 1)))
                continue
        if lemma in LEAD_VERBS and lemma != "found":
            subj = [m for st in _verb_subject_tokens(t) for m in r.resolve(st, ("person",))]
            objs = [m for o in _children(t, ("dobj",)) for m in r.resolve(o, _ACTORS4)]
            for a in subj:
                for o in objs:
                    found.append(_Found(a, "leads", o, t, lemma, (t.i, t.i + 1)))
        if lemma in ("pledge", "swear", "declare", "renew") and any(
            c.dep_ == "dobj" and c.lemma_.lower() in ("allegiance", "loyalty", "bay'ah", "baya", "oath") for c in t.children
        ):  # "X pledged allegiance to Y"
            subj = [m for st in _verb_subject_tokens(t) for m in r.resolve(st, _ARMED)]
            to = _prep_objects(t, ("to",)) + [p for d in _children(t, ("dobj",)) for p in _prep_objects(d, ("to",))]
            objs = [m for o in to for m in r.resolve(o, _ARMED)]
            found.extend(_Found(a, "part_of", o, t, lemma, (t.i, t.i + 1), clausal=False) for a in subj for o in objs)
        if lemma in ("join", "form", "found", "create", "establish"):
            subj = [m for st in _verb_subject_tokens(t) for m in r.resolve(st, _ACTORS4)]
            objs = [m for o in _children(t, ("dobj",)) for m in ([r.mention_of(o)] if r.mention_of(o) else [])]
            objs = [o for o in objs if r.kind(o) in ("armed_group", "organization")]
            if lemma == "join" or len({m.entity_key for m in subj}) > 1:
                for a in subj:
                    for o in objs:
                        found.append(_Found(a, "part_of", o, t, lemma, (t.i, t.i + 1)))
                if lemma != "join" and objs:
                    for i, a in enumerate(subj):
                        for b in subj[i + 1:]:
                            found.append(_Found(a, "ally_of", b, t, lemma, (t.i, t.i + 1)))
    return found


def _hyphen_frames(r: _DocReader, rend: _Rendered) -> list[_Found]:
    """ "X-backed Y" (supports), "X-aligned/-linked Y" (ally_of), "X-affiliated Y" (part_of), "X-controlled P"."""
    found: list[_Found] = []
    units = rend.units
    for i in range(len(units) - 2):
        u = units[i]
        if u.mention is None or units[i + 1].word != "-" or units[i + 2].word not in _HYPHEN_REL:
            continue
        if r.kind(u.mention) not in _ACTORS4:
            continue
        rtype = _HYPHEN_REL[units[i + 2].word]
        part = r.doc[units[i + 2].tok_start]
        if units[i + 2].tok_start != u.tok_end + 1 or r.doc[u.tok_end].whitespace_:
            continue  # "X - backed" with spaces is not one word
        noun = part.head if part.dep_ in ("amod", "compound", "nmod") else None
        if noun is None and i + 3 < len(units):
            noun = r.doc[units[i + 3].tok_end - 1]
        if noun is None or noun.i <= part.i:
            continue
        if rtype == "operates_in":
            targets = [m for m in _places_under(r, noun)] or ([r.mention_of(noun)] if r.mention_of(noun) and r.mention_of(noun).label in _PLACE_LABELS else [])
        else:
            m = r.mention_of(noun)
            definite = any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its", "their") for c in noun.children)
            if m is not None:
                targets = [m] if r.kind(m) in _ACTORS4 else []
            elif not definite:
                targets = []
            else:
                ante = r.antecedent(noun, _ARMED, before=u.mention.start, exclude=u.mention.entity_key) if noun.lemma_.lower() in CUES["group_nouns"] or noun.lower_ in _PRONOUNS else None
                targets = [ante] if ante is not None else []
        for tm in targets:
            subj, obj = (tm, u.mention) if rtype in ("ally_of", "part_of") else (u.mention, tm)
            found.append(_Found(subj, rtype, obj, part, "-" + units[i + 2].word, (u.tok_start, noun.i + 1), clausal=False))
    return found


def _state_names(r: _DocReader) -> dict[str, Mention]:
    """Names (and aliases) of the states the document names -> one mention of each (cached)."""
    cached = getattr(r, "_state_name_cache", None)
    if cached is not None:
        return cached
    out: dict[str, Mention] = {}
    for m in r.mentions:
        if m.label in ("country", "state") and m.entity_key not in {x.entity_key for x in out.values()}:
            ent = r.ctx.entities.get(m.entity_key)
            for name in [m.text, *((ent.name, *ent.aliases) if ent is not None else ())]:
                if name and len(name) > 1:
                    out.setdefault(name.lower(), m)
    r._state_name_cache = out  # type: ignore[attr-defined]
    return out


def _prefix_frames(r: _DocReader, rend: _Rendered) -> list[_Found]:
    """ "US Central Command", "Iran's Revolutionary Guard": a body named after its state is part of it."""
    found: list[_Found] = []
    names = _state_names(r)
    if not names:
        return found
    for u in rend.units:
        m = u.mention
        if m is None or r.kind(m) not in ("organization", "armed_group") or " " not in m.text:
            continue
        first = m.text.split(" ", 1)[0]
        if re.search(r"(?i)\b(?:government|ministry|administration|authorities|regime|parliament)\b", m.text):
            continue  # the state's own government is the state, not a part of it
        st = names.get(first.lower())
        if st is not None and st.entity_key != m.entity_key:
            found.append(_Found(m, "part_of", st, r.doc[u.tok_start], "state-prefix", (u.tok_start, u.tok_end), clausal=False))
    return found


def _places_under(r: _DocReader, tok: Token) -> list[Mention]:
    """Place mentions a prepositional object stands for ("ten out of 34 Afghanistan provinces", lists)."""
    out: list[Mention] = []
    for m in r.resolve(tok, ("country", "state", "province", "city", "district", "region")):
        if m.label in ("country", "state", "province", "city", "district", "region") and m not in out:
            out.append(m)
    if not out:  # "34 Afghanistan provinces": a place naming the object's own modifier
        for t in tok.children:
            m = r.mention_of(t)
            if t.dep_ in ("compound", "nmod", "poss") and m is not None and m.label in _PLACE_LABELS and m not in out:
                out.append(m)
        for p in tok.children:  # "ten out of 34 Afghanistan provinces"
            if p.dep_ == "prep" and p.lower_ in ("out", "of"):
                for t in p.subtree:
                    m = r.mention_of(t)
                    if t.dep_ in ("compound", "nmod") and m is not None and m.label in _PLACE_LABELS and m not in out:
                        out.append(m)
    return out


_PLACE_LABELS = ("country", "state", "province", "city", "district", "region")


# --- surface frames ------------------------------------------------------------------------


def _slot_mentions(r: _DocReader, rend: _Rendered, match: re.Match[str], group: str, kinds: tuple[str, ...]) -> list[Mention]:
    text = match.group(group)
    if text is None:
        return []
    if text.startswith("@"):
        return [rend.slots[text]]
    unit = rend.units[rend.unit_at(match.end(group) - 1)]
    tok = r.doc[unit.tok_end - 1]
    return r.resolve(tok, kinds)


def _extend_list(rend: _Rendered, unit_idx: int, codes: str, forward: bool = True) -> list[Mention]:
    """Coordinated mentions after a slot: "A, B, and C", "such as A and B".

    A run of items is only a list when a conjunction ("and", "or", "including", "such as")
    introduces its last item; "X and Y, Z is ..." does not extend to Z.
    """
    joiners = {",", "and", "or", "the", "as", "well", "such", "include", "including", "province", "provinces", "(", ")"}
    conj = {"and", "or", "include", "including", "such", "well", "("}
    step = 1 if forward else -1
    items: list[tuple[Mention, bool]] = []
    seen_conj = False
    i = unit_idx + step
    while 0 <= i < len(rend.units):
        u = rend.units[i]
        if u.mention is not None:
            if _CODE.get(u.mention.label, "O") not in codes:
                break
            items.append((u.mention, seen_conj))
        elif u.word not in joiners:
            break
        elif u.word in conj:
            seen_conj = True
        i += step
    last = max((k for k, (_, c) in enumerate(items) if c), default=-1)
    return [m for m, _ in items[: last + 1]]


def _surface_frames(r: _DocReader, rend: _Rendered) -> list[_Found]:
    found: list[_Found] = []
    lead_roles = {w.replace(" ", "") for w in CUES["lead_roles"]}
    role_done: set[str] = set()  # persons already given a role by a higher-priority frame
    for fr in FRAMES:
        role_now: set[str] = set()
        for m in fr.pattern.finditer(rend.text):
            if fr.type == "role" and m.group("s") in role_done:
                continue
            if fr.type == "role":
                role_now.add(m.group("s"))
            first = rend.unit_at(m.start())
            last = rend.unit_at(max(m.start(), m.end() - 1))
            tok_span = (rend.units[first].tok_start, rend.units[last].tok_end)
            cue_group = next((g for g in ("cue", "role", "pn") if g in fr.pattern.groupindex and m.group(g)), None)
            cue_unit = rend.units[rend.unit_at(m.start(cue_group))] if cue_group else rend.units[first]
            cue_tok = r.doc[cue_unit.tok_start]
            rtype = fr.type
            if rtype == "role":
                if fr.name == "G role P" and cue_tok.tag_ in ("NNS", "NNPS"):
                    continue  # "US officials believe P": not a title
                if fr.obj and fr.name in ("P, role at G", "P is role at G", "role of G, P"):
                    after = rend.unit_at(m.end(fr.obj) - 1) + 1
                    nxt = rend.units[after] if after < len(rend.units) else None
                    if nxt is not None and nxt.word == "'s":
                        if r.kind(rend.slots[m.group(fr.obj)]) in ("country", "state"):
                            continue  # "a researcher at France's X"
                        m_dept = True
                    elif nxt is not None and nxt.mention is None and r.doc[nxt.tok_start].pos_ in ("NOUN", "PROPN"):
                        continue  # "director of the Syria programme": the name is a modifier
                    else:
                        m_dept = False
                else:
                    m_dept = False
                role = re.sub(r"s$", "", m.group("role").replace(" ", ""))
                is_lead = role in lead_roles or m.group("role").replace(" ", "") in lead_roles
                rtype = "leads" if is_lead and not m.groupdict().get("dept") and not m_dept else "member_of"
            elif rtype == "ally":
                rtype = "ally_of"
                if m.group("cue").rstrip("s") in CUES["ally_nouns_weak"] and not _positive(rend):
                    continue
            elif rtype == "hostile":
                rtype = "hostile_to"
            subj_kinds = ("person",) if rtype in ("leads", "member_of") else ("armed_group", "organization", "state", "country")
            obj_kinds = ("country", "state", "province", "city", "district", "region") if rtype == "operates_in" else ("armed_group", "organization", "state", "country")
            subs = _slot_mentions(r, rend, m, fr.subj, subj_kinds) if fr.subj else _clause_subjects(r, cue_tok)
            if fr.subj_list and m.group(fr.subj).startswith("@"):
                subs += _extend_list(rend, rend.unit_at(m.start(fr.subj)), "A")
            if not fr.obj and fr.type == "role":
                objs = _sole_state(r, rend)
                if any(c.dep_ in ("amod", "compound") and c.text[:1].isupper() and r.mention_of(c) is None for c in cue_tok.lefts):
                    objs = []  # "British Prime Minister P": the state is an adjective we do not link
            elif not fr.obj:
                objs = _protected(r, rend, m, subs)
            else:
                objs = _slot_mentions(r, rend, m, fr.obj, obj_kinds)
                if fr.obj_list and m.group(fr.obj).startswith("@"):
                    codes = "CL" if rtype == "operates_in" else "AOC"
                    objs += _extend_list(rend, rend.unit_at(m.start(fr.obj)), codes)
            for s in subs:
                for o in objs:
                    found.append(_Found(s, rtype, o, cue_tok, fr.name, tok_span, clausal=fr.type not in ("role", "part_of")))
        role_done |= role_now
    return found


def _clause_subjects(r: _DocReader, tok: Token) -> list[Mention]:
    """The subject of the clause a cue noun sits in ("X discussed ... in cooperation with Y" -> X)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX"):
            return [m for st in _verb_subject_tokens(cur) for m in r.resolve(st, ("armed_group", "organization", "state", "country"))]
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return []


def _sole_state(r: _DocReader, rend: _Rendered) -> list[Mention]:
    """The one state/country named in a sentence (the state a bare "President X" heads)."""
    states = {u.mention.entity_key: u.mention for u in rend.units if u.mention is not None and r.kind(u.mention) in ("state", "country")}
    if len(states) != 1:
        return []
    st = next(iter(states.values()))
    root = _mention_root(r, st)
    if root is not None and root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ == "NOUN":
        return []  # "the US strikes": the state only modifies another noun
    return [st]


def _protected(r: _DocReader, rend: _Rendered, m: re.Match[str], protectors: list[Mention]) -> list[Mention]:
    """Who is "under the protection of X": the subject of the clause, else the nearest group before."""
    cue_unit = rend.units[rend.unit_at(m.start())]
    tok = r.doc[cue_unit.tok_start]
    cands: list[Mention] = []
    head = tok.head
    for _ in range(4):
        if head.pos_ in ("VERB", "AUX"):
            for st in _verb_subject_tokens(head):
                cands.extend(r.resolve(st, ("armed_group",)))
            break
        if head.head.i == head.i:
            break
        head = head.head
    if not cands:
        # a noun phrase "X's holding pattern under Y patronage": the nearest preceding group
        before = [u.mention for u in rend.units if u.mention is not None and u.tok_end <= cue_unit.tok_start]
        cands = [x for x in reversed(before) if x.label == "armed_group" and all(x.entity_key != p.entity_key for p in protectors)][:1]
    return [c for c in cands if all(c.entity_key != p.entity_key for p in protectors)]


def _positive(rend: _Rendered) -> bool:
    words = set(rend.text.split())
    return any(w in words for w in CUES["ally_positive"]) or "long - standing" in rend.text


# --- polarity, modality, source ------------------------------------------------------------


def _ancestors(tok: Token) -> list[Token]:
    out = [tok]
    cur = tok
    while cur.head.i != cur.i and len(out) < 30:
        cur = cur.head
        out.append(cur)
    return out


def _polarity(r: _DocReader, f: _Found) -> tuple[str | None, Token | None]:
    """("asserted"|"denied"|None, denier verb) for a finding; None means: do not emit (a pledge).

    A pledge, denial or refusal only scopes over its complement (the branch of the tree the
    cue sits in must hang off it as xcomp/ccomp/dobj/pcomp/prep), not over adverbial clauses.
    """
    neg = False
    path = _ancestors(f.cue_tok)
    if not f.clausal:  # a noun-phrase fact (role, affiliation) is negated only on its own cue
        return ("denied" if any(c.dep_ == "neg" for c in f.cue_tok.children) else "asserted"), None
    if any(c.dep_ in ("dobj", "attr") and any(d.lower_ == "no" and d.dep_ == "det" for d in c.children) for c in f.cue_tok.children):
        neg = True  # "has no presence"
    for k, a in enumerate(path):
        lemma = a.lemma_.lower()
        via = path[k - 1] if k > 0 else None  # the child of ``a`` on the path up from the cue
        in_scope = via is not None and via.dep_ in ("xcomp", "ccomp", "dobj", "pcomp", "prep", "conj", "acl")
        if k > 0 and lemma in REPORTING_VERBS and lemma not in CUES["deny_verbs"] and via is not None and via.dep_ in ("ccomp", "parataxis"):
            break
        if k > 0 and via is not None and via.dep_ in ("xcomp", "ccomp") and lemma in CUES["pledge_verbs"]:
            return None, None
        if k > 0 and in_scope and lemma in CUES["deny_verbs"]:
            return "denied", a
        if k > 0 and in_scope and lemma in ("refuse", "decline", "fail") and f.type != "supports_refused":
            if via is not None and via.lemma_.lower() in ("confirm", "acknowledge", "admit", "accept"):
                return "denied", a
            return None, None
        if any(c.dep_ == "neg" for c in a.children) or any(c.lower_ == "no" and c.dep_ == "det" for c in a.children):
            if k == 0 or in_scope or (via is not None and via.dep_ in ("nsubj", "dobj", "attr", "acomp")):
                neg = True
        if k > 0 and a.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ in ("would", "will") for c in a.children) and neg:
            return None, None
        if a.dep_ == "ccomp" and a.head.lemma_.lower() in REPORTING_VERBS:
            if a.head.lemma_.lower() in CUES["deny_verbs"]:
                return "denied", a.head
            break
    return ("denied" if neg else "asserted"), None


def _modality(f: _Found) -> str | None:
    hedges = set(CUES["hedges"])
    for a in _ancestors(f.cue_tok)[:6]:
        if a.lemma_.lower() in hedges or a.lower_ in hedges:
            return a.lower_
        for c in a.children:
            if c.dep_ in ("advmod", "aux", "amod") and (c.lower_ in hedges or c.lemma_.lower() in hedges):
                return c.lower_
    return None


def _speaker_in_sentence(r: _DocReader, tok: Token) -> SentenceSource | None:
    """The subject of the nearest reporting verb above ``tok`` within its sentence."""
    path = _ancestors(tok)
    for k, a in enumerate(path[1:], start=1):
        if path[k - 1].dep_ not in ("ccomp", "parataxis"):
            continue  # "maintain ties" is not "maintain that ..."
        if a.lemma_.lower() in REPORTING_VERBS and a.pos_ in ("VERB",):
            subj = _children(a, ("nsubj",)) or [p for ag in _children(a, ("agent",)) for p in _children(ag, ("pobj",))]
            if not subj:
                return None
            if subj[0].lower_ in ("he", "she", "they", "it", "we"):
                return None
            ms = r.resolve(subj[0], ("armed_group", "organization", "state", "country", "person"))
            if not ms:
                return None  # an unnamed speaker or "the report": the sentence's attribution knows better
            return SentenceSource(ms[0].entity_key, ms[0].text)
    return None


def _denier(r: _DocReader, verb: Token) -> SentenceSource | None:
    subj = _verb_subject_tokens(verb) or [p for ag in _children(verb, ("agent",)) for p in _children(ag, ("pobj",))]
    if not subj:
        return None
    said = speaker_of(r.ctx, subj[0], verb)
    if said is not None:
        return said
    ms = r.resolve(subj[0], ("armed_group", "organization", "state", "country", "person"))
    return SentenceSource(ms[0].entity_key, ms[0].text) if ms else None


# --- sentence-level denial ("a claim that X denies", "X rejected the report's findings") ----


def _sentence_denial(r: _DocReader, sent: Span) -> tuple[SentenceSource, Token] | None:
    """A denial in the sentence that targets a claim rather than a clause: (denier, deny verb)."""
    claim_nouns = set(CUES["claim_nouns"])
    for t in sent:
        lemma = t.lemma_.lower()
        if lemma in CUES["deny_verbs"] and t.pos_ == "VERB":
            targets = _children(t, ("dobj", "nsubjpass"))
            if t.dep_ == "relcl":  # "..., a claim that X denies"
                targets.append(t.head)
            if any(x.lemma_.lower() in claim_nouns or x.lower_ in claim_nouns for x in targets):
                agent = [p for ag in _children(t, ("agent",)) for p in _children(ag, ("pobj",))]
                subj = agent or _children(t, ("nsubj",))
                if subj:
                    said = speaker_of(r.ctx, subj[0], t)
                    ms = r.resolve(subj[0], ("armed_group", "organization", "state", "country", "person"))
                    if said is None and ms:
                        said = SentenceSource(ms[0].entity_key, ms[0].text)
                    return (said or SentenceSource(None, "")), t
        if lemma in CUES["untrue_adjs"] and t.dep_ in ("acomp", "attr"):
            subj = _children(t.head, ("nsubj",))
            if subj and subj[0].lemma_.lower() in claim_nouns:
                sp = t.head.head if t.head.dep_ == "ccomp" else None
                if sp is not None:
                    d = _denier(r, sp)
                    if d is not None:
                        return d, t.head
    return None


# --- assembly ------------------------------------------------------------------------------


def _claim(r: _DocReader, sent: Span, f: _Found, polarity: str, source: SentenceSource | None) -> Claim:
    toks = [f.cue_tok.i, *f.toks]
    ments = [f.subj, f.obj]
    start = min([r.doc[min(toks)].idx] + [m.start for m in ments if sent.start_char <= m.start < sent.end_char])
    end_tok = r.doc[max(f.toks[1] - 1, f.cue_tok.i)]
    end = max([end_tok.idx + len(end_tok)] + [m.end for m in ments if sent.start_char <= m.start < sent.end_char])
    return Claim(
        doc_id=r.ctx.document.id,
        start=max(start, sent.start_char),
        end=min(end, sent.end_char),
        sent_start=sent.start_char,
        sent_end=sent.end_char,
        snippet=sent.text.strip(),
        polarity=polarity,
        modality=_modality(f),
        source_key=source.key if source else None,
        source_text=source.text if source else None,
    )


def _valid(r: _DocReader, f: _Found) -> bool:
    if f.subj.entity_key == f.obj.entity_key:
        return False
    sk, ok = r.kind(f.subj), r.kind(f.obj)
    places = ("country", "province", "city", "district", "region")
    if f.type in ("leads", "member_of"):
        return sk == "person" and ok in ("armed_group", "organization", "state", "country")
    if f.type == "operates_in":
        return sk == "armed_group" and ok in places + ("state",)
    if f.type == "supports":
        return sk != "person" or ok == "person"
    return sk in ("armed_group", "organization", "state", "country", "person") and ok in ACTOR_KINDS


@extractor("relations", version="1", requires=("parse", "mentions", "entities", "sources"), provides=("relations",))
def extract_relations(ctx: ExtractionContext) -> list[Relation]:
    """All relations stated in the document, one Relation per (subject, type, object, polarity, source)."""
    r = _DocReader(ctx)
    out: list[Relation] = []
    by_sent: list[tuple[Span, list[Relation]]] = []
    for sent in r.sents:
        if not sent.text.strip():
            continue
        rend = _render(sent, r.tok_mention)
        found = (_surface_frames(r, rend) + _verb_frames(r, sent) + _place_frames(r, sent)
                 + _passive_and_lead_frames(r, sent) + _hyphen_frames(r, rend) + _prefix_frames(r, rend))
        rels: list[Relation] = []
        clausal_flags: list[bool] = []
        for f in found:
            if f.type == "supports_refused":
                f.type = "supports"
                pol, denier_verb = "asserted", None
            else:
                pol, denier_verb = _polarity(r, f)
            if pol is None or not _valid(r, f):
                continue
            claim = _claim(r, sent, f, pol, None)
            source = (_denier(r, denier_verb) if denier_verb is not None else None) or source_for(ctx, f.cue_tok.idx, f.cue_tok.idx + len(f.cue_tok))
            claim.source_key, claim.source_text = (source.key, source.text) if source else (None, None)
            rels.append(Relation(f.subj.entity_key, f.type, f.obj.entity_key, claim, cue=f.cue))
            clausal_flags.append(f.clausal and pol == "asserted")
        denial = _sentence_denial(r, sent)
        if denial is not None:
            denier, verb = denial
            own = [x for x, cl in zip(rels, clausal_flags, strict=True) if cl]
            targets = own if own else _referenced(by_sent, sent, denier, ctx)
            for x in targets:
                if x.claim.polarity != "asserted":
                    continue
                c = Claim(**{**_claim_dict(x.claim), "polarity": "denied", "source_key": denier.key, "source_text": denier.text,
                              "sent_start": sent.start_char, "sent_end": sent.end_char, "snippet": sent.text.strip(),
                              "start": verb.idx, "end": verb.idx + len(verb)})
                rels.append(Relation(x.subject_key, x.type, x.object_key, c, cue=f"denial:{verb.lemma_}"))
        by_sent.append((sent, rels))
        out.extend(rels)
    return _dedupe(out)


def _claim_dict(c: Claim) -> dict[str, object]:
    return {s: getattr(c, s) for s in Claim.__slots__}


def _referenced(by_sent: list[tuple[Span, list[Relation]]], sent: Span, denier: SentenceSource, ctx: ExtractionContext) -> list[Relation]:
    """Relations a back-referring denial ("rejected the report's findings") answers.

    The asserted relations of the preceding sentences of the same paragraph, plus those the
    referenced source asserted earlier about the denier.
    """
    text = ctx.document.text
    para_start = text.rfind("\n\n", 0, sent.start_char)
    out: list[Relation] = []
    mentions_report = bool(re.search(r"\b(report|finding|assessment|claim|allegation|accusation)s?\b", sent.text, re.I))
    report_keys = {x.claim.source_key for _, rels in by_sent[-12:] for x in rels if x.claim.source_key}
    for s, rels in by_sent:
        if s.start_char >= para_start:
            out.extend(x for x in rels if x.claim.polarity == "asserted" and x.claim.source_key != denier.key and not x.cue.startswith("in:"))
        elif mentions_report and denier.key:
            out.extend(
                x for x in rels
                if x.claim.polarity == "asserted" and x.claim.source_key in report_keys
                and x.claim.source_key != denier.key and denier.key in (x.subject_key, x.object_key)
                and x.type in ("ally_of", "operates_in")
            )
    return out


def _dedupe(rels: list[Relation]) -> list[Relation]:
    seen: set[tuple[str, str, str, str, str | None]] = set()
    out: list[Relation] = []
    for x in rels:
        s, o = x.subject_key, x.object_key
        if x.type in SYMMETRIC_RELATIONS and o < s:
            s, o = o, s
        key = (s, x.type, o, x.claim.polarity, x.claim.source_key)
        if key in seen:
            continue
        seen.add(key)
        out.append(x)
    return out
