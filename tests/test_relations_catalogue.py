"""A catalogue of the constructions news English states relations with, per relation type, on invented
names, run through the whole pipeline (entity layer included): appositives, pre-modifiers, possessives,
verb frames, nouns of fighting, coalitions, titles, coordination, passives, relative clauses, denials,
and negative cases that must yield nothing.

The invented groups, people and places are a test gazetteer (a team's own ``actors.yaml`` /
``places.tsv``, ``Settings.gazetteer``), so the entity layer finds them as it finds real ones.
A case lists the facts it must yield and, for negative cases, facts it must not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitrep.models import DocResult

ACTORS = """\
- id: actor:varek
  name: Varek Front
  kind: armed_group
  aliases: [Varek]
- id: actor:sable
  name: Sable Brigade
  kind: armed_group
  aliases: [Sable Brigades]
- id: actor:ostra
  name: Ostra Movement
  kind: armed_group
- id: actor:kesh
  name: Kesh Legion
  kind: armed_group
- id: actor:morrow
  name: Morrow Alliance
  kind: armed_group
- id: org:talon
  name: Talon Council
  kind: organization
- id: person:daro
  name: Daro Venn
  kind: person
- id: person:ilsa
  name: Ilsa Quarn
  kind: person
- id: person:tomas
  name: Tomas Reyk
  kind: person
"""
PLACES = ("place:XQ\tcountry\tArcadia\t\t\t10.0\t10.0\t\n"
          "place:XQ-vale\tprovince\tVale\t\tplace:XQ\t10.5\t10.5\tVale province\n")

VAREK, SABLE, OSTRA, KESH, MORROW = "actor:varek", "actor:sable", "actor:ostra", "actor:kesh", "actor:morrow"
TALON, DARO, ILSA, TOMAS, ARCADIA = "org:talon", "person:daro", "person:ilsa", "person:tomas", "place:XQ"
SYMMETRIC = {"ally_of", "hostile_to"}

Fact = tuple[str, str, str] | tuple[str, str, str, str]

# (text, facts it must yield, facts it must not yield); a fact is (subject, type, object[, polarity])
CASES: dict[str, list[tuple[str, list[Fact], list[Fact]]]] = {
    "supports": [
        ("The Sable Brigade operates under the protection of the Varek Front.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade has grown under the patronage of the Varek Front.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade fights under the umbrella of the Varek Front.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade grew under the Varek Front's protection.", [(VAREK, "supports", SABLE)], []),
        ("The pro-Varek Sable Brigade shelled the town.", [(SABLE, "supports", VAREK)], []),
        ("Varek-backed fighters of the Sable Brigade seized the bridge on Monday.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front supplies weapons to the Sable Brigade, officials said.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade is funded by the Varek Front.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade, which is backed by the Varek Front, shelled the town.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade and the Kesh Legion, both backed by the Varek Front, shelled the town.",
         [(VAREK, "supports", SABLE), (VAREK, "supports", KESH)], []),
        ("The Varek Front has long provided a safe haven to the Sable Brigade.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade has expanded under Varek's patronage.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade took the town with backing from the Varek Front.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front's support for the Sable Brigade has grown.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade receives funding from the Varek Front.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade, a proxy of the Varek Front, shelled the town.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front took the town. The group is sheltered by the Sable Brigade.",
         [(SABLE, "supports", VAREK)], []),
        ("The Varek Front denied arming the Sable Brigade.", [(VAREK, "supports", SABLE, "denied")],
         [(VAREK, "supports", SABLE, "asserted")]),
        ("The Varek Front, not the Sable Brigade, is backed by the Talon Council.", [(TALON, "supports", VAREK)],
         [(TALON, "supports", SABLE)]),
        ("Under the patronage of the Varek Front, the Sable Brigade expanded into Vale.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade, which operates under Varek Front protection, shelled the town.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade enjoys the backing of the Varek Front.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front has been arming and training the Sable Brigade for years.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front is the main backer of the Sable Brigade.", [(VAREK, "supports", SABLE)], []),
        ("Sable Brigade fighters are trained by the Varek Front.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front gave the Sable Brigade weapons and money.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front sponsors the Sable Brigade and the Kesh Legion.", [(VAREK, "supports", SABLE), (VAREK, "supports", KESH)], []),
        ("The Sable Brigade relies on the Varek Front for weapons.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front-backed Sable Brigade shelled the town.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front took the town. The militants are backed by the Sable Brigade.", [(SABLE, "supports", VAREK)], []),
        ("The Varek Front, which has the backing of the Sable Brigade, shelled the town.", [(SABLE, "supports", VAREK)], []),
        ("The Varek Front operates with the support of the Sable Brigade.", [(SABLE, "supports", VAREK)], []),
        ("The Sable Brigade has shielded the Varek Front for years.", [(SABLE, "supports", VAREK)], []),
        ("The Varek Front has denied that it receives weapons from the Sable Brigade.", [(SABLE, "supports", VAREK, "denied")], []),
        ("The Sable Brigade, long protected by the Varek Front, shelled the town.", [(VAREK, "supports", SABLE)], []),
        ("Under Varek Front protection, the Sable Brigade moved into Vale.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front offers protection to the Sable Brigade.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade has taken refuge with the Varek Front.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front is the Sable Brigade's main patron.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade is widely seen as a Varek Front proxy.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front has been accused of backing the Sable Brigade.", [(VAREK, "supports", SABLE)], []),
        ("The Varek Front is believed to finance the Sable Brigade.", [(VAREK, "supports", SABLE)], []),
        ("The Sable Brigade gets weapons and cash from the Varek Front.", [(VAREK, "supports", SABLE)], []),
    ],
    "ally_of": [
        ("The Varek Front, which is allied with the Sable Brigade, shelled the town.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front has formed an alliance with the Sable Brigade.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front and the Sable Brigade signed a pact on Monday.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front, an ally of the Sable Brigade, shelled the town.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front fought alongside the Sable Brigade in Vale.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front took the town. The group is allied with the Sable Brigade.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front seized two villages. The insurgents have formed an alliance with the Sable Brigade.",
         [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front denied any links with the Sable Brigade.", [(VAREK, "ally_of", SABLE, "denied")],
         [(VAREK, "ally_of", SABLE, "asserted")]),
        ("The Varek-linked Sable Brigade shelled the town.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front and the Sable Brigade, both allied with the Kesh Legion, shelled the town.",
         [(VAREK, "ally_of", KESH), (SABLE, "ally_of", KESH)], []),
        ("The Varek Front took the town. The militia has long been allied with the Sable Brigade.",
         [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front and its allies in the Sable Brigade shelled the town.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front has close ties to the Sable Brigade.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front cooperates closely with the Sable Brigade.", [(VAREK, "ally_of", SABLE)], []),
        ("Groups active in Vale include the Varek Front, the Sable Brigade and the Kesh Legion.", [],
         [(VAREK, "ally_of", SABLE), (SABLE, "ally_of", KESH), (VAREK, "ally_of", KESH)]),
        ("The Varek Front joined forces with the Sable Brigade.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front and the Sable Brigade are allies.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front has teamed up with the Sable Brigade.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front, together with its ally the Sable Brigade, shelled the town.", [(VAREK, "ally_of", SABLE)], []),
        ("The Sable Brigade is a close ally of the Varek Front.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front took the town. Last year the group signed a cooperation pact with the Sable Brigade.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front is closely aligned with the Sable Brigade.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front and the Sable Brigade fought side by side in Vale.", [(VAREK, "ally_of", SABLE)], []),
        ("The Sable Brigade took the town. The Varek Front, an ally of the group, shelled it.",
         [(VAREK, "ally_of", SABLE)], [(VAREK, "hostile_to", SABLE)]),
        ("The Varek Front, which is loyal to the Sable Brigade, shelled the town.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front, a group loyal to the Sable Brigade, shelled the town.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front, the Sable Brigade and the Kesh Legion are the main armed groups in Vale.", [], [(VAREK, "ally_of", SABLE)]),
        ("The Varek Front said it had no links to the Sable Brigade.", [(VAREK, "ally_of", SABLE, "denied")], [(VAREK, "ally_of", SABLE, "asserted")]),
        ("The Varek Front seized Vale. The militia, which is allied with the Sable Brigade, holds the road.", [(VAREK, "ally_of", SABLE)], []),
        ("The Varek Front allied itself with the Sable Brigade in 2018.", [(VAREK, "ally_of", SABLE)], []),
    ],
    "part_of": [
        ("The Varek Front, an offshoot of the Sable Brigade, shelled the town.", [(VAREK, "part_of", SABLE)], []),
        ("The Varek Front, the armed wing of the Talon Council, shelled the town.", [(VAREK, "part_of", TALON)], []),
        ("The Talon Council's armed wing, the Varek Front, shelled the town.", [(VAREK, "part_of", TALON)], []),
        # a breakaway group is no longer part of the body it left
        ("The Varek Front broke away from the Sable Brigade in 2019.", [], [(VAREK, "part_of", SABLE)]),
        ("The Varek Front pledged allegiance to the Sable Brigade last year.", [(VAREK, "part_of", SABLE)], []),
        ("The Varek Front is a faction of the Sable Brigade.", [(VAREK, "part_of", SABLE)], []),
        ("The Varek Front, which is affiliated with the Sable Brigade, shelled the town.",
         [(VAREK, "part_of", SABLE)], []),
        ("A coalition of the Varek Front, the Sable Brigade and the Kesh Legion took the town.", [],
         [(VAREK, "part_of", SABLE), (SABLE, "part_of", KESH)]),
        ("The Morrow Alliance, a coalition of the Varek Front, the Sable Brigade and the Kesh Legion, took the town.",
         [(VAREK, "part_of", MORROW), (SABLE, "part_of", MORROW), (KESH, "part_of", MORROW)], []),
        ("The Morrow Alliance, which includes the Varek Front and the Sable Brigade, took the town.",
         [(VAREK, "part_of", MORROW), (SABLE, "part_of", MORROW)], []),
        ("The Varek Front, a member of the Morrow Alliance, took the town.", [(VAREK, "part_of", MORROW)], []),
        ("The Varek Front, part of the Morrow Alliance coalition, took the town.", [(VAREK, "part_of", MORROW)], []),
        ("The Varek Front joined the Morrow Alliance in March.", [(VAREK, "part_of", MORROW)], []),
        ("The Varek Front, the Sable Brigade and the Kesh Legion formed the Morrow Alliance in March.",
         [(VAREK, "part_of", MORROW), (SABLE, "part_of", MORROW), (KESH, "part_of", MORROW)], []),
        ("The Varek Front is an affiliate of the Sable Brigade.", [(VAREK, "part_of", SABLE)], []),
        ("The Varek Front, a splinter group of the Sable Brigade, shelled the town.", [(VAREK, "part_of", SABLE)], []),
        ("The Varek Front swore allegiance to the Sable Brigade.", [(VAREK, "part_of", SABLE)], []),
        ("Members of the Morrow Alliance include the Varek Front and the Sable Brigade.", [(VAREK, "part_of", MORROW), (SABLE, "part_of", MORROW)], []),
        ("The Varek Front is one of the groups in the Morrow Alliance.", [(VAREK, "part_of", MORROW)], []),
        ("The Morrow Alliance is made up of the Varek Front, the Sable Brigade and the Kesh Legion.", [(VAREK, "part_of", MORROW), (KESH, "part_of", MORROW)], []),
        ("The Varek Front and other members of the Morrow Alliance shelled the town.", [(VAREK, "part_of", MORROW)], []),
        ("The Varek Front, one of the Morrow Alliance's main factions, shelled the town.", [(VAREK, "part_of", MORROW)], []),
        ("The Morrow Alliance was formed in 2020. The Varek Front joined the alliance in March.", [(VAREK, "part_of", MORROW)], []),
        ("The Sable Brigade operates under the command of the Varek Front.", [(SABLE, "part_of", VAREK)], []),
        ("The Varek Front and the Sable Brigade merged to form the Morrow Alliance.", [(VAREK, "part_of", MORROW)], []),
        ("The Morrow Alliance groups together the Varek Front and the Sable Brigade.", [(VAREK, "part_of", MORROW), (SABLE, "part_of", MORROW)], []),
        ("The Varek Front, which belongs to the Morrow Alliance, shelled the town.", [(VAREK, "part_of", MORROW)], []),
        ("The Varek Front is among the groups that make up the Morrow Alliance.", [(VAREK, "part_of", MORROW)], []),
        ("The Varek Front, an affiliate of the Morrow Alliance, claimed the attack.", [(VAREK, "part_of", MORROW)], []),
        ("The Varek Front, which is part of the Morrow Alliance, shelled the town.", [(VAREK, "part_of", MORROW)], []),
    ],
    "hostile_to": [
        ("Fighting between the Varek Front and the Sable Brigade killed ten people.", [(VAREK, "hostile_to", SABLE)], []),
        ("Clashes between the Varek Front and the Sable Brigade erupted in Vale.", [(VAREK, "hostile_to", SABLE)], []),
        ("The fighting pitted the Varek Front against the Sable Brigade.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front clashed with the Sable Brigade near the river.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front ambushed Sable Brigade fighters near the river.", [(VAREK, "hostile_to", SABLE)], []),
        ("A Sable Brigade convoy was attacked by the Varek Front on Monday.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front, a rival of the Sable Brigade, shelled the town.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front and the Sable Brigade have fought each other for years.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front took the town. The militants later attacked the Sable Brigade.",
         [(VAREK, "hostile_to", SABLE)], []),
        ("Heavy fighting between Varek Front militants and Sable Brigade fighters broke out in Vale.",
         [(VAREK, "hostile_to", SABLE)], []),
        ("Clashes erupted between the Varek Front and the Sable Brigade on Monday.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front's war with the Sable Brigade has killed hundreds.", [(VAREK, "hostile_to", SABLE)], []),
        ("The conflict between the Varek Front and the Sable Brigade has killed hundreds.",
         [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front took the town. The insurgents are fierce rivals of the Sable Brigade.",
         [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front took the town. The group has clashed repeatedly with the Sable Brigade.",
         [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front launched an offensive against the Sable Brigade.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front denied attacking the Sable Brigade.", [(VAREK, "hostile_to", SABLE, "denied")],
         [(VAREK, "hostile_to", SABLE, "asserted")]),
        ("The Varek Front and the Sable Brigade took part in the talks.", [], [(VAREK, "hostile_to", SABLE)]),
        ("The Varek Front has been at war with the Sable Brigade since 2019.", [(VAREK, "hostile_to", SABLE)], []),
        ("Sable Brigade positions were shelled by the Varek Front.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front said it had killed ten Sable Brigade fighters.", [(VAREK, "hostile_to", SABLE)], []),
        ("Fighting erupted between the Varek Front and the Sable Brigade.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front and the Sable Brigade clashed near the river.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front is fighting the Sable Brigade for control of Vale.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front, which has fought the Sable Brigade for years, shelled the town.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front seized the town from the Sable Brigade.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front took the town. The group's fighters later ambushed a Sable Brigade patrol.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front took the town. Clashes between the group and the Sable Brigade followed.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front seized the town on Monday. The Sable Brigade attacked the group on Tuesday.", [(SABLE, "hostile_to", VAREK)], []),
        ("The Varek Front and the Sable Brigade were once allies. The two groups have since clashed repeatedly.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front took the town. The Sable Brigade, a rival of the group, fled.", [(SABLE, "hostile_to", VAREK)], []),
        ("The Varek Front's clashes with the Sable Brigade have killed hundreds.", [(VAREK, "hostile_to", SABLE)], []),
        ("Clashes pitting the Varek Front against the Sable Brigade killed ten people.", [(VAREK, "hostile_to", SABLE)], []),
        ("Battles between Varek Front fighters and the Sable Brigade raged for days.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front lost ten fighters in clashes with the Sable Brigade.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front has waged a long insurgency against the Sable Brigade.", [(VAREK, "hostile_to", SABLE)], []),
        ("Clashes between the insurgents and the Sable Brigade followed. The Varek Front denied it.", [],
         [(VAREK, "hostile_to", SABLE, "asserted")]),
        ("The Varek Front and the Sable Brigade have been locked in fighting since May.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front and its rival, the Sable Brigade, clashed in Vale.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front took the town. The Sable Brigade has accused the group of attacking its positions.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front is an enemy of the Sable Brigade.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front and the Sable Brigade are fighting for control of Vale.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front drove the Sable Brigade out of Vale.", [(VAREK, "hostile_to", SABLE)], []),
        ("Varek Front fighters overran a Sable Brigade base.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front took the town. Its fighters later ambushed the Sable Brigade.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front and the Sable Brigade met in Vale for talks.", [], [(VAREK, "hostile_to", SABLE), (VAREK, "ally_of", SABLE)]),
        ("The Varek Front seized Vale. The insurgents and the Sable Brigade have been at war since 2019.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front seized Vale. Its fighters clashed with the Sable Brigade.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Sable Brigade shelled the town. The Varek Front said it had repelled the group.", [(VAREK, "hostile_to", SABLE)], []),
        ("A battle between the Varek Front and the Sable Brigade left 20 dead.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front and the Sable Brigade signed a truce in May. Renewed clashes between the two groups broke out in June.", [(VAREK, "hostile_to", SABLE)], [(VAREK, "ally_of", SABLE)]),
        ("The Varek Front is locked in a bitter feud with the Sable Brigade.", [(VAREK, "hostile_to", SABLE)], []),
        ("Fighting between Varek Front and Sable Brigade militants killed six.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front accused the Sable Brigade of shelling the town.", [], [(VAREK, "hostile_to", SABLE, "asserted")]),
        ("Sable Brigade fighters attacked Varek Front positions near Vale.", [(SABLE, "hostile_to", VAREK)], []),
        ("The Varek Front said its fighters had killed a Sable Brigade commander.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front repelled an attack by the Sable Brigade.", [(SABLE, "hostile_to", VAREK)], []),
        ("An attack by the Varek Front on a Sable Brigade camp killed four.", [(VAREK, "hostile_to", SABLE)], []),
        ("The Varek Front, which has been battling the Sable Brigade, took the town.", [(VAREK, "hostile_to", SABLE)], []),
    ],
    "leads": [
        ("Varek Front leader Daro Venn said the group would fight on.", [(DARO, "leads", VAREK)], []),
        ("Daro Venn, the leader of the Varek Front, said the group would fight on.", [(DARO, "leads", VAREK)], []),
        ("The Varek Front's chief, Daro Venn, said the group would fight on.", [(DARO, "leads", VAREK)], []),
        ("Daro Venn, who heads the Varek Front, said the group would fight on.", [(DARO, "leads", VAREK)], []),
        ("The Varek Front is led by Daro Venn.", [(DARO, "leads", VAREK)], []),
        ("Daro Venn, the founder of the Varek Front, spoke on Monday.", [(DARO, "leads", VAREK)], []),
        ("The Varek Front's deputy leader, Daro Venn, was killed.", [(DARO, "leads", VAREK)], []),
        ("Varek Front deputy leader Daro Venn was killed on Monday.", [(DARO, "leads", VAREK)], []),
        ("The Varek Front took the town. Its leader, Daro Venn, said the fight would go on.",
         [(DARO, "leads", VAREK)], []),
        ("Daro Venn, a senior Varek Front leader, was killed on Monday.", [], [(DARO, "leads", VAREK)]),
        ("Daro Venn, the Varek Front's leader, said the town had fallen.", [(DARO, "leads", VAREK)], []),
        ("The Varek Front, headed by Daro Venn, shelled the town.", [(DARO, "leads", VAREK)], []),
        ("Daro Venn leads the Varek Front.", [(DARO, "leads", VAREK)], []),
        ("Varek Front chief Daro Venn said the town had fallen.", [(DARO, "leads", VAREK)], []),
        ("Daro Venn founded the Varek Front in 2010.", [(DARO, "leads", VAREK)], []),
        ("Daro Venn, the Varek Front's deputy leader, was killed.", [(DARO, "leads", VAREK)], []),
        ("The Varek Front named Daro Venn as its new leader.", [(DARO, "leads", VAREK)], []),
        ("Daro Venn was appointed head of the Varek Front.", [(DARO, "leads", VAREK)], []),
        ("Daro Venn, the self-styled leader of the Varek Front, spoke on Monday.", [(DARO, "leads", VAREK)], []),
        ("Daro Venn heads the Varek Front's political wing.", [], [(DARO, "leads", VAREK)]),
    ],
    "member_of": [
        ("Varek Front spokesman Daro Venn said the group would fight on.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, a commander of the Varek Front, was killed on Monday.", [(DARO, "member_of", VAREK)], []),
        ("Varek Front commander Daro Venn was killed on Monday.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, a senior Varek Front leader, was killed on Monday.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, a spokesman for the Varek Front, said the group would fight on.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, a member of the Varek Front, was arrested.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, who joined the Varek Front in 2015, was arrested.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, a Varek Front commander, was arrested.", [(DARO, "member_of", VAREK)], []),
        ("A Talon Council spokesman, Daro Venn, said the talks had failed.", [(DARO, "member_of", TALON)], []),
        ("The Varek Front claimed the raid. \"We will fight on,\" said Daro Venn, a spokesman for the group.",
         [(DARO, "member_of", VAREK)], []),
        ("The Varek Front took the town, according to Daro Venn, the group's commander in Vale.",
         [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, a senior commander in the Varek Front, was killed.", [(DARO, "member_of", VAREK)], []),
        ("Sable Brigade spokesman Daro Venn told reporters that the town had fallen.", [(DARO, "member_of", SABLE)], []),
        ("Daro Venn and Ilsa Quarn, both commanders of the Varek Front, were arrested.",
         [(DARO, "member_of", VAREK), (ILSA, "member_of", VAREK)], []),
        ("Daro Venn denied being a member of the Varek Front.", [(DARO, "member_of", VAREK, "denied")],
         [(DARO, "member_of", VAREK, "asserted")]),
        ("Daro Venn met the Varek Front in Vale on Monday.", [], [(DARO, "member_of", VAREK)]),
        ("Daro Venn, spokesman for the Varek Front, said the town had fallen.", [(DARO, "member_of", VAREK)], []),
        ("Varek Front fighter Daro Venn was captured.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, who is a senior member of the Varek Front, was captured.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, a former Varek Front commander, was captured.", [(DARO, "member_of", VAREK)], []),
        ("\"The town has fallen,\" said Daro Venn, the Varek Front's spokesman.", [(DARO, "member_of", VAREK)], []),
        ("The Varek Front's spokesman Daro Venn said the town had fallen.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, an official with the Talon Council, said the talks had failed.", [(DARO, "member_of", TALON)], []),
        ("According to Daro Venn, a Varek Front spokesman, the town fell.", [(DARO, "member_of", VAREK)], []),
        ("The Varek Front took the town. Its spokesman, Daro Venn, said the fight would go on.", [(DARO, "member_of", VAREK)], []),
        ("The Varek Front took the town. Daro Venn, the group's spokesman, confirmed it.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, the Varek Front's commander in Vale, was killed.", [(DARO, "member_of", VAREK)], []),
        ("The Varek Front took the town. Group spokesman Daro Venn said the fight would go on.",
         [(DARO, "member_of", VAREK)], []),
        ("The Varek Front took the town, army spokesman Daro Venn said.", [], [(DARO, "member_of", VAREK)]),
        ("Daro Venn, the Talon Council's representative, met officials.", [(DARO, "member_of", TALON)], []),
        ("Daro Venn, Varek Front spokesman, said the town had fallen.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, who speaks for the Varek Front, said the town had fallen.", [(DARO, "member_of", VAREK)], []),
        ("Daro Venn, a Varek Front official, said the town had fallen.", [(DARO, "member_of", VAREK)], []),
        ("The Varek Front's spokesman, Daro Venn, denied the report.", [(DARO, "member_of", VAREK)], []),
    ],
    "operates_in": [
        ("The Varek Front is active in Vale.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Varek Front controls much of Vale.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Varek Front, which operates in Vale, shelled the town.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Vale-based Varek Front shelled the town.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Varek Front has a strong presence in Vale.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Varek Front denied operating in Vale.", [(VAREK, "operates_in", "place:XQ-vale", "denied")],
         [(VAREK, "operates_in", "place:XQ-vale", "asserted")]),
        ("The Varek Front has fighters in Vale.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Varek Front carried out an attack in Vale.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Varek Front is present in Vale.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Varek Front claimed responsibility for an attack in Vale.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Varek Front, which controls parts of Vale, shelled the town.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Varek Front has bases in Vale.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("The Varek Front's stronghold of Vale fell on Monday.", [(VAREK, "operates_in", "place:XQ-vale")], []),
        ("Vale is a Varek Front stronghold.", [(VAREK, "operates_in", "place:XQ-vale")], []),
    ],
}

CATALOGUE = [(rtype, i, case) for rtype, cases in CASES.items() for i, case in enumerate(cases)]


def catalogue_analyser(gaz: Path, source: str) -> Callable[[str], DocResult]:
    """text -> the whole pipeline's ``DocResult`` for it, with the catalogue's invented gazetteer written
    into the folder ``gaz``."""
    from sitrep.config import Settings
    from sitrep.models import Document, content_hash
    from sitrep.pipeline import analyse_batch

    (gaz / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (gaz / "places.tsv").write_text(PLACES, encoding="utf-8")
    settings = Settings(gazetteer=str(gaz))

    def run(text: str) -> DocResult:
        doc = Document(id=content_hash(text)[:16], source=source, raw=text, text=text,
                       content_hash=content_hash(text))
        (result,) = analyse_batch([doc], settings)
        return result

    return run


@pytest.fixture(scope="module")
def facts_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], set[tuple[str, str, str, str]]]:
    """text -> the (subject, type, object, polarity) facts the whole pipeline extracts from it."""
    analyse = catalogue_analyser(tmp_path_factory.mktemp("catalogue_gazetteer"), "catalogue")

    def run(text: str) -> set[tuple[str, str, str, str]]:
        return {(r.subject_key, r.type, r.object_key, r.claim.polarity) for r in analyse(text).relations}

    return run


def _holds(facts: set[tuple[str, str, str, str]], fact: Fact) -> bool:
    s, t, o = fact[0], fact[1], fact[2]
    pol = fact[3] if len(fact) == 4 else "asserted"  # type: ignore[misc]
    return (s, t, o, pol) in facts or (t in SYMMETRIC and (o, t, s, pol) in facts)


@pytest.mark.parametrize(("rtype", "i", "case"), CATALOGUE, ids=[f"{t}-{i}" for t, i, _ in CATALOGUE])
def test_catalogue(facts_of: Callable[[str], set[tuple[str, str, str, str]]], rtype: str, i: int,
                   case: tuple[str, list[Fact], list[Fact]]) -> None:
    text, wanted, unwanted = case
    facts = facts_of(text)
    missing = [f for f in wanted if not _holds(facts, f)]
    extra = [f for f in unwanted if _holds(facts, f)]
    assert not missing and not extra, f"{text!r}: missing {missing}, unwanted {extra}; got {sorted(facts)}"


def test_every_type_of_the_schema_has_a_catalogue() -> None:
    from sitrep.data import schema

    assert set(CASES) == set(schema().relation_types)
    assert all(wanted or unwanted for _, _, (_, wanted, unwanted) in CATALOGUE)
