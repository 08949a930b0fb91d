"""Denials of what others claim, and who a claim is credited to, on invented names through the whole
pipeline: "T rejected claims that G backs H" (denied, credited to T; asserted only for a claimant the
sentence names), "T called claims ... baseless" (a denial, never an asserted relation in the article's
voice), a spokesman's quoted "we" (credited to him and the body he speaks for), and the place of an
incident a group claimed (credited to the claimant)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from test_relations_catalogue import ARCADIA, DARO, ILSA, SABLE, VAREK, catalogue_analyser

VALE = "place:XQ-vale"
Row = tuple[str, str, str, str, str | None]  # subject, type, object, polarity, source


@pytest.fixture(scope="module")
def rows_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], set[Row]]:
    analyse = catalogue_analyser(tmp_path_factory.mktemp("denials_gazetteer"), "denials")

    def run(text: str) -> set[Row]:
        out: set[Row] = set()
        for r in analyse(text).relations:
            s, o = r.subject_key, r.object_key
            if r.type == "ally_of" and o < s:
                s, o = o, s
            out.add((s, r.type, o, r.claim.polarity, r.claim.source_key))
        return out

    return run


def _ally(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


AS, AO = _ally(VAREK, SABLE)

# (text, rows it must yield, rows it must not yield); a source of "*" in an unwanted row matches any source
CASES: list[tuple[str, list[Row], list[Row]]] = [
    ("Daro Venn rejected claims that the Varek Front is allied with the Sable Brigade.",
     [(AS, "ally_of", AO, "denied", DARO)], [(AS, "ally_of", AO, "asserted", "*")]),
    ("Daro Venn dismissed reports that the Varek Front supports the Sable Brigade.",
     [(VAREK, "supports", SABLE, "denied", DARO)], [(VAREK, "supports", SABLE, "asserted", "*")]),
    ("Daro Venn denied that the Varek Front operates in Vale.",
     [(VAREK, "operates_in", VALE, "denied", DARO)], [(VAREK, "operates_in", VALE, "asserted", "*")]),
    ("Daro Venn rejected claims by Ilsa Quarn that the Varek Front is allied with the Sable Brigade.",
     [(AS, "ally_of", AO, "denied", DARO), (AS, "ally_of", AO, "asserted", ILSA)],
     [(AS, "ally_of", AO, "asserted", None), (AS, "ally_of", AO, "asserted", DARO)]),
    ("Daro Venn rejected Ilsa Quarn's claims that the Varek Front supports the Sable Brigade.",
     [(VAREK, "supports", SABLE, "denied", DARO), (VAREK, "supports", SABLE, "asserted", ILSA)],
     [(VAREK, "supports", SABLE, "asserted", None), (VAREK, "supports", SABLE, "asserted", DARO)]),
    ("Daro Venn described reports that the Varek Front supports the Sable Brigade as false.",
     [(VAREK, "supports", SABLE, "denied", DARO)], [(VAREK, "supports", SABLE, "asserted", "*")]),
    ("Daro Venn branded claims that the Varek Front operates in Vale lies.",
     [(VAREK, "operates_in", VALE, "denied", DARO)], [(VAREK, "operates_in", VALE, "asserted", "*")]),
    # a description that is no denial leaves the claim as it is
    ("Daro Venn described reports that the Varek Front supports the Sable Brigade as worrying.",
     [], [(VAREK, "supports", SABLE, "denied", "*")]),
    ('"Our fighters attacked the Sable Brigade in Vale," Daro Venn, a spokesman for the Varek Front, claimed.',
     [(VAREK, "hostile_to", SABLE, "asserted", DARO), (VAREK, "hostile_to", SABLE, "asserted", VAREK)], []),
    ('"We are fighting the Sable Brigade," said Daro Venn, the Varek Front\'s spokesperson.',
     [(VAREK, "hostile_to", SABLE, "asserted", DARO), (VAREK, "hostile_to", SABLE, "asserted", VAREK)],
     [(VAREK, "hostile_to", SABLE, "asserted", None)]),
    # the place of an incident a group claimed is the claimant's word
    ("A suicide bomber killed five soldiers in Vale on Monday, in an attack claimed by the Varek Front.",
     [(VAREK, "operates_in", VALE, "asserted", VAREK)], [(VAREK, "operates_in", VALE, "asserted", None)]),
    ("A bomb exploded at a market in Vale on Monday, killing five people. "
     "The Varek Front claimed responsibility for the blast.",
     [(VAREK, "operates_in", VALE, "asserted", VAREK)], [(VAREK, "operates_in", VALE, "asserted", None)]),
    ("The last bombing in Arcadia claimed by the regional wing of the Varek Front was in Vale in March.",
     [(VAREK, "operates_in", VALE, "asserted", VAREK), (VAREK, "operates_in", ARCADIA, "asserted", None)], []),
    ("The Varek Front claimed the bombing in Vale on Monday, Ilsa Quarn said.",
     [(VAREK, "operates_in", VALE, "asserted", ILSA)], []),
    # a containing place is the article's inference, and an unclaimed attack is the article's word
    ("The Varek Front attacked an army post in Vale on Monday, killing five soldiers.",
     [(VAREK, "operates_in", VALE, "asserted", None)], [(VAREK, "operates_in", VALE, "asserted", VAREK)]),
]


def _has(rows: set[Row], row: Row) -> bool:
    if row[4] == "*":
        return any(r[:4] == row[:4] for r in rows)
    return row in rows


@pytest.mark.parametrize(("text", "wanted", "unwanted"), CASES, ids=[f"case-{i}" for i in range(len(CASES))])
def test_denials_and_credit(rows_of: Callable[[str], set[Row]], text: str, wanted: list[Row], unwanted: list[Row]) -> None:
    rows = rows_of(text)
    missing = [w for w in wanted if not _has(rows, w)]
    extra = [u for u in unwanted if _has(rows, u)]
    assert not missing and not extra, f"{text!r}: missing {missing}, unwanted {extra}; got {sorted(rows, key=str)}"
