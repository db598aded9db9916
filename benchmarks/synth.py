"""Synthetic news articles with known answers, for throughput benchmarks and fault injection.

Every article is assembled from templates whose answer is fixed by docs/ANNOTATION.md, so
the gold comes out of the generator with the text, with exact character offsets into the
decoded text:

- figures: digits with separators ("1,250 people"), decimals with scale words ("1.5 million
  people"), number words ("two hundred", "a dozen", "Eighteen soldiers" at a sentence start),
  ranges ("1,000-1,500", "between 300 and 500", "300 to 400"), every qualifier of the
  convention, the vague quantities of its table, implied entities ("Around 1,000 are still
  holding out" after a sentence about fighters; "Eighteen more surrendered"), lists ("men,
  women and children", "fighters and their families"), partitives ("Twenty-one of the
  schoolgirls"), nouns that carry the event ("Seventy bodies", "Scores of wounded
  civilians") and counts of things other than people and vehicles (`required: false`);
- non-figures that must never be extracted: ages, durations, years, dates, times,
  percentages, money, distances, temperatures, magnitudes, identifiers, model codes, and
  numbers in page chrome (READ:/Related: link lines, captions, comment counters, read times);
- document metadata: title, publication date (17 formats of config/dates.yml, or none, or
  only a wire dateline's day and month with the year of a section label), outlet (masthead,
  tagline or "Source:" line), wire agencies, dateline;
- relative dates ("on Sunday", "late Tuesday", "since Monday") resolved against the
  publication date.

Most of the text is filler without numbers, as in real news. Sentences are put together from
independent parts (pre-rendered once per process from a fixed seed: sentence frames, count
phrases, filler halves), so long sentences rarely repeat across a corpus: the pipeline's
syndicated-copy check compares them between documents. About 2% of the articles have CRLF
line endings and 1% are encoded in cp1252 (with curly quotes); gold offsets are into the
decoded text, which is the generated text itself.

Deterministic: article i depends only on (seed, i), so any part of a corpus can be
regenerated on its own (`article(i, seed)`), e.g. by parallel workers.

    python benchmarks/synth.py N OUT_DIR [--seed S] [--no-gold] [--shard-size K] [--writers W]
                               [--score M]

writes OUT_DIR/00000/000000.txt ... and OUT_DIR/gold.jsonl, one JSON object per article:
{"file", "encoding", "crlf", "doc", "figures", "dates", "non_figures"}. "doc" and "figures"
have the shape of the gold files in tests/annotations/corpus/gold, each figure with "start"/"end" added;
"dates" maps relative-date phrases to ISO dates, like the gold files' "dates".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

__all__ = ["GeneratedCorpus", "article", "generate", "iter_articles", "relative_path"]

# A count phrase without its noun: text, low, high, qualifier, what joins it to the noun.
Count = tuple[str, int, int, str, str]
# A counted noun: as written, the entity the gold records.
Noun = tuple[str, str]
# A figure slot of a sentence frame: the count phrases to draw from, the nouns (None: no noun,
# the entity is implied by the figure of slot `ref`), category, event, ref, and whether the
# count is part of the previous slot's ("..., including 40 children").
Slot = tuple[Sequence[Count], Sequence[Noun] | None, str, str | None, int, bool]
# A sentence frame: the texts around its slots, the slots, its relative days (phrase, weekday).
Frame = tuple[tuple[str, ...], tuple[Slot, ...], tuple[tuple[str, int], ...]]
# Gold of one figure before its offset is known: span, low, high, qualifier, entity,
# category, event, required.
FigureGold = tuple[str, int, int, str, str, str, str | None, bool]

_CATEGORIES = ("combatants", "civilians", "people", "troops", "vehicles", "other")

# -- words ----------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    """A word list written as one string."""
    return tuple(text.split())


_UNITS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty"}
_TENS[9] = "ninety"
_MONTHS = _words(
    "January February March April May June July August September October November December"
)
_MONTHS_SHORT = _words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")
# AP style: abbreviated with a full stop, March to July spelled out.
_MONTHS_AP = _words("Jan. Feb. March April May June July Aug. Sept. Oct. Nov. Dec.")
_WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_WEEKDAYS_SHORT = _words("Mon Tue Wed Thu Fri Sat Sun")

# Qualifiers of the convention (docs/ANNOTATION.md), by the qualifier they give.
_QUALIFIERS: tuple[tuple[str, str], ...] = tuple(
    (word, kind)
    for kind, words in (
        (
            "approx",
            [
                *("about", "around", "some", "nearly", "almost", "roughly", "an estimated"),
                *("possibly", "close to"),
            ],
        ),
        ("at_least", ["at least", "more than", "over", "no fewer than", "upwards of"]),
        ("at_most", ["up to", "as many as", "fewer than", "no more than"]),
    )
    for word in words
)

# Vague quantities (the convention's table): phrase, low, high, takes "of", categories.
_VAGUE: tuple[tuple[str, int, int, bool, str], ...] = (
    ("a handful", 3, 9, True, "combatants civilians people troops"),
    ("dozens", 12, 99, True, "combatants civilians people troops vehicles other"),
    ("scores", 40, 99, True, "combatants civilians people troops vehicles"),
    ("hundreds", 100, 999, True, "combatants civilians people troops vehicles other"),
    ("several hundred", 100, 999, False, "combatants civilians people troops vehicles"),
    ("thousands", 1000, 9999, True, "combatants civilians people troops"),
    ("several thousand", 1000, 9999, False, "combatants civilians people troops"),
    ("tens of thousands", 10000, 99999, True, "civilians people troops"),
    ("hundreds of thousands", 100000, 999999, True, "civilians people"),
    ("millions", 1000000, 9999999, True, "people"),
)
_VAGUE_BY_CATEGORY = {
    category: tuple(v for v in _VAGUE if category in v[4].split())
    for category in ("combatants", "civilians", "people", "troops", "vehicles", "other")
}

# Counted nouns: (as written, entity, implied event or None). The implied event is the one
# the noun gives by itself (refugees flee, detainees are held): such nouns only appear where
# a verb states the event.
_NOUNS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "combatants": (
        ("fighters", "fighters", None),
        ("militants", "militants", None),
        ("jihadists", "jihadists", None),
        ("insurgents", "insurgents", None),
        ("rebels", "rebels", None),
        ("gunmen", "gunmen", None),
        ("extremists", "extremists", None),
        ("IS fighters", "fighters", None),
        ("ISIS fighters", "fighters", None),
        ("Daesh fighters", "fighters", None),
        ("Islamic State fighters", "fighters", None),
        ("Islamic State militants", "militants", None),
        ("foreign fighters", "foreign fighters", None),
        ("Taliban fighters", "fighters", None),
        ("Houthi fighters", "fighters", None),
        ("al-Shabaab militants", "militants", None),
        ("Boko Haram fighters", "fighters", None),
        ("RSF fighters", "fighters", None),
        ("IS members", "IS members", None),
        ("armed men", "armed men", None),
    ),
    "civilians": (
        ("civilians", "civilians", None),
        ("women and children", "women and children", None),
        ("children", "children", None),
        ("families", "families", None),
        ("residents", "residents", None),
        ("villagers", "villagers", None),
        ("schoolgirls", "schoolgirls", None),
        ("women", "women", None),
        ("Yazidi women and children", "women and children", None),
        ("local residents", "residents", None),
    ),
    "people": (
        ("people", "people", None),
        ("men, women and children", "men, women and children", None),
        ("migrants", "migrants", None),
        ("foreigners", "foreigners", None),
        ("survivors", "survivors", None),
        ("patients", "patients", None),
        ("aid workers", "aid workers", None),
        ("Syrians", "Syrians", None),
        ("Afghans", "Afghans", None),
        ("Iraqis", "Iraqis", None),
        ("Rohingya", "Rohingya", None),
        ("foreign nationals", "foreign nationals", None),
        ("asylum seekers", "asylum seekers", None),
        ("passengers", "passengers", None),
        ("fighters and their families", "fighters and their families", None),
        ("fighters, women and children", "fighters, women and children", None),
        ("Palestinians", "Palestinians", None),
        ("Ukrainians", "Ukrainians", None),
        ("Sudanese", "Sudanese", None),
        ("Eritreans", "Eritreans", None),
        ("Tigrayans", "Tigrayans", None),
        ("refugees", "refugees", "flee"),
        ("Syrian refugees", "refugees", "flee"),
        ("detainees", "detainees", "detain"),
        ("prisoners", "prisoners", "detain"),
        ("hostages", "hostages", "detain"),
        ("evacuees", "evacuees", "evacuate"),
    ),
    "troops": (
        ("soldiers", "soldiers", None),
        ("troops", "troops", None),
        ("police officers", "police officers", None),
        ("peacekeepers", "peacekeepers", None),
        ("government troops", "troops", None),
        ("Iraqi soldiers", "soldiers", None),
        ("U.S. troops", "troops", None),
        ("Russian soldiers", "soldiers", None),
        ("Ukrainian soldiers", "soldiers", None),
        ("border guards", "border guards", None),
        ("soldiers and police officers", "soldiers and police officers", None),
    ),
    "vehicles": (
        ("trucks", "trucks", None),
        ("buses", "buses", None),
        ("aid trucks", "trucks", None),
        ("boats", "boats", None),
        ("ambulances", "ambulances", None),
        ("buses and trucks", "buses and trucks", None),
        ("helicopters", "helicopters", None),
        ("vehicles", "vehicles", None),
        ("armoured vehicles", "vehicles", None),
        ("military vehicles", "vehicles", None),
    ),
    "other": (
        ("villages", "villages", None),
        ("buildings", "buildings", None),
        ("air strikes", "air strikes", None),
        ("tents", "tents", None),
        ("schools", "schools", None),
        ("shelters", "shelters", None),
        ("hospitals", "hospitals", None),
        ("checkpoints", "checkpoints", None),
        ("food parcels", "food parcels", None),
    ),
}
# How large each category's counts run: log10 of the smallest and largest value.
_MAGNITUDE = {
    "combatants": (1.0, 4.4),
    "civilians": (0.6, 5.6),
    "people": (0.6, 6.0),
    "troops": (1.0, 5.0),
    "vehicles": (0.4, 2.6),
    "other": (0.4, 2.4),
}

_PLACES = (
    *_words(
        "Mosul Raqqa Baghouz Aleppo Idlib Kabul Khartoum Derna Goma Mariupol Kherson Tripoli Aden "
        "Sanaa Taiz Maiduguri Benghazi Homs Hama Daraa Kirkuk Sinjar Tikrit Fallujah Ramadi Erbil "
        "Kobani Manbij Afrin Jalalabad Kandahar Kunduz Herat Mogadishu Kismayo Juba Malakal Bentiu "
        "Rafah Jenin Nablus Bakhmut Avdiivka Zaporizhzhia Sumy Kharkiv Lampedusa Lesbos Calais "
        "Tobruk Misrata Sirte Hodeidah Marib Gao Timbuktu Bunia Beni Rutshuru Tigray Mekele"
    ),
    *("Deir Ezzor", "Eastern Ghouta", "Port Sudan", "Cox's Bazar", "Al-Hol"),
)
_COUNTRIES = _words(
    "Syria Iraq Turkey Jordan Lebanon Chad Egypt Uganda Kenya Poland Moldova Romania Greece "
    "Italy Bangladesh Pakistan Iran Niger Cameroon Ethiopia Rwanda Tunisia Libya Sudan"
)
# Speakers at the end of a sentence (", the coastguard said").
_SPEAKERS = (
    "the Syrian Observatory for Human Rights",
    "a senior SDF official",
    "the UN refugee agency",
    "the International Organization for Migration",
    "the health ministry",
    "a military spokesman",
    "local officials",
    "the Red Crescent",
    "the coastguard",
    "the interior ministry",
    "a police spokesman",
    "Human Rights Watch",
    "Amnesty International",
    "the World Health Organization",
    "the UN humanitarian office",
    "a government spokesman",
    "the army",
    "witnesses",
    "a local council official",
    "Mustafa Bali",
    "the defence ministry",
    "medical sources",
    "the civil defence",
    "Doctors Without Borders",
    "the regional governor",
    "a spokeswoman for the UN children's agency",
    "the provincial council",
    "the Norwegian Refugee Council",
)
_FIRST_NAMES = _words(
    "Ahmed Omar Lina Sara Hassan Layla Yusuf Amina Karim Nadia Tariq Rania Samir Huda Bashir "
    "Fatima Jamal Noor Khaled Salma Ibrahim Zainab Mahmoud Dalia Walid Hana Rashid Mariam Faisal "
    "Leila Anna Thomas Claire David Sophie Martin Elena Pavel Olena Dmitro Ivan Katarzyna Marco "
    "Giulia Pierre Aminata Moussa Abdi Halima Grace Joseph Esther Daniel Ruth Kwame Nkechi"
)
_LAST_NAMES = _words(
    "Haddad Saleh Hamdan Khalil Mansour Nasser Qasim Rahman Suleiman Tamimi Yassin Zaidi Darwish "
    "Farouk Ghanem Habib Issa Jaber Kassem Lahoud Masri Nouri Obeid Rashed Sabbagh Taha Barzani "
    "Hussein Abdullah Osman Mohamed Warsame Diallo Traore Keita Okafor Mensah Kovalenko Shevchenko "
    "Bondarenko Novak Rossi Bianchi Dubois Laurent Fischer Weber Carter Hughes Ellis Morgan Price"
)
_ROLES = (
    "a spokesman for the regional authorities",
    "a local council member",
    "a doctor at the main hospital",
    "a commander in the area",
    "an aid worker with a local charity",
    "a resident of the old city",
    "a teacher from the old city",
    "a spokeswoman for the relief agency",
    "the head of the provincial health department",
    "a researcher at a think tank in the capital",
    "a shopkeeper in the central market",
    "an engineer with the water authority",
    "a senior official in the ministry",
    "a lawyer representing several families",
    "a volunteer at the reception centre",
)

# -- filler: sentences without numbers ------------------------------------------------------

_OPENERS = (
    "",
    "",
    "",
    "",
    "",
    "Meanwhile, ",
    "In a statement, ",
    "Separately, ",
    "At the same time, ",
    "Elsewhere, ",
    "For now, ",
    "Privately, ",
    "By late afternoon, ",
    "In recent weeks, ",
    "As night fell, ",
    "Earlier in the week, ",
    "Despite the pressure, ",
    "In response, ",
)
_SUBJECTS = (
    "aid agencies",
    "the United Nations",
    "local officials",
    "human rights groups",
    "the health ministry",
    "military commanders",
    "diplomats in the region",
    "the International Committee of the Red Cross",
    "the government",
    "opposition leaders",
    "the coalition",
    "relief workers",
    "community elders",
    "the European Union",
    "the foreign ministry",
    "the regional administration",
    "the interior minister",
    "the prime minister",
    "analysts",
    "western diplomats",
    "the army",
    "the UN envoy",
    "the mayor",
    "religious leaders",
    "the country's president",
    "the World Food Programme",
    "rights monitors",
    "independent observers",
    "the rebels' political wing",
    "the national security council",
)
_PREDICATES = (
    "warned that the situation in {place} was deteriorating rapidly",
    "called for an immediate ceasefire to allow aid to reach {place}",
    "said the roads leading out of {place} were no longer safe",
    "described scenes of devastation in the streets of {place}",
    "urged all sides to respect international humanitarian law",
    "accused the other side of blocking humanitarian access to {place}",
    "said talks on a political settlement would continue",
    "declined to comment on the reports from {place}",
    "said the water supply to {place} had been cut off",
    "expressed concern about the shortage of medicine in {place}",
    "said the border crossing near {place} would reopen once security allowed",
    "denied targeting residential areas of {place}",
    "said an investigation had been opened",
    "appealed for more funding to cope with the crisis",
    "said electricity had been restored to parts of {place}",
    "reported heavy shelling in the southern districts of {place}",
    "said the operation around {place} was proceeding according to plan",
    "promised to rebuild the damaged neighbourhoods of {place}",
    "said winter would make conditions in {place} even harder",
    "called the attack on {place} a violation of the truce",
    "said work was under way to open a humanitarian corridor to {place}",
    "pledged to hold those responsible to account",
    "warned of a looming food crisis in the region",
    "said the clearing of mines around {place} could take months",
    "complained that promised supplies had not arrived in {place}",
    "said bakeries in {place} had run out of flour",
    "pointed to the collapse of the local economy",
    "said schools in {place} remained closed",
    "described the conditions in the makeshift camps near {place} as dire",
    "said the front line near {place} had barely moved",
    "called on neighbouring governments to keep their borders open",
    "said contact had been lost with staff in {place}",
    "warned that disease could spread quickly in the heat",
    "said the fighting had cut the main supply route to {place}",
    "said negotiators were close to an agreement on {place}",
    "rejected the accusations as baseless",
    "said the power station in {place} had been badly damaged",
    "urged residents of {place} to stay away from damaged buildings",
    "said the figures could not be independently verified",
    "said the offensive on {place} had entered its final phase",
    "said aid convoys were waiting for permission to enter {place}",
    "welcomed the announcement but said more was needed",
    "warned against any attempt to change the status of {place}",
    "said the rains had washed away the main road to {place}",
    "said the militants had booby-trapped houses in {place} before retreating",
    "said phone and internet lines to {place} had been cut",
    "condemned the shelling of the market in {place}",
    "said the curfew in {place} would stay in force until further notice",
    "said the cost of rebuilding {place} was impossible to estimate",
    "praised the courage of the emergency teams in {place}",
)
_CLOSERS = (
    ", according to people familiar with the matter.",
    ", in remarks broadcast on state television.",
    ", without giving further details.",
    ", a claim that could not be independently verified.",
    ", as talks continued in the capital.",
    ", adding that the coming days would be critical.",
    ", in a statement posted online.",
    ", speaking on condition of anonymity.",
    ", as smoke rose over the city.",
    ", in an interview with local radio.",
    ", a view shared by many in the region.",
    ", at a news conference in the capital.",
    ", as the humanitarian situation worsened.",
    ", in a message to reporters.",
    ", citing witnesses on the ground.",
    ", amid growing international pressure.",
)
_QUOTES = (
    "We have nothing left",
    "The children are terrified and we cannot sleep",
    "Nobody has come to help us",
    "We are doing everything we can, but it is not enough",
    "The situation is catastrophic",
    "We just want to go home",
    "Every day it gets worse",
    "We walked through the night to get here",
    "There is no water, no electricity and no medicine",
    "The world has forgotten us",
    "We heard the explosions all night",
    "This is the worst I have seen in my career",
    "They told us to leave immediately",
    "Our house is gone and so is our shop",
    "We need tents, blankets and food before the winter",
    "The hospital is overwhelmed",
    "We are still searching for our relatives",
    "It was like the end of the world",
)
_QUOTE_VERBS = ("said", "said", "told reporters", "added", "said by telephone")
# Sentence ends naming a place: they make long sentences rarely repeat across a corpus.
_PLACE_CLOSERS = (
    ", as fighting continued around {place}.",
    ", days after the latest attack on {place}.",
    ", in comments broadcast from {place}.",
    ", as aid convoys waited outside {place}.",
    ", speaking by telephone from {place}.",
    ", as more families arrived in {place}.",
    ", in a briefing in {place}.",
    ", as shelling echoed across {place}.",
    ", after a visit to {place}.",
    ", as the road to {place} stayed closed.",
)
_QUOTE_CLOSERS = (
    ", speaking by telephone from {place}.",
    ", speaking in {place}.",
    ", outside a clinic in {place}.",
    ", at a reception centre near {place}.",
    ", as more families arrived in {place}.",
)

# -- figure sentences -----------------------------------------------------------------------
# Every verb phrase below opens with one of the event cues of config/vocabulary.yml, right
# after the figure, and no other cue stands within reach of it, so the event is unambiguous.

# Subject position, "<figure> were killed ...": verb phrases and the categories they suit.
_EVENT_VERBS: dict[str, tuple[tuple[str, ...], str]] = {
    "kill": (
        (" were killed", " have been killed", " died", " lost their lives", " were killed"),
        "combatants civilians people troops",
    ),
    "injure": (
        (" were wounded", " were injured", " were wounded"),
        "combatants civilians people troops",
    ),
    "evacuate": (
        (" were evacuated", " were bused out", " made it out", " were rescued", " were evacuated"),
        "combatants civilians people",
    ),
    "flee": ((" fled", " have fled their homes", " escaped", " fled"), "civilians people"),
    "remain": (
        (" are still holding out", " are believed to be holed up", " remain trapped"),
        "combatants",
    ),
    "surrender": (
        (" surrendered", " have surrendered", " turned themselves in", " laid down their arms"),
        "combatants",
    ),
    "detain": ((" were detained", " were arrested", " were captured"), "combatants people"),
    "withdraw": ((" withdrew", " have withdrawn", " withdrew"), "troops"),
    "deploy": ((" were deployed", " have been deployed", " were sent"), "troops"),
    "repatriate": ((" were repatriated", " were deported", " have been repatriated"), "people"),
    "other": (
        (" are missing", " were reported missing", " are unaccounted for"),
        "civilians people",
    ),
}
# Civilians are trapped rather than holding out.
_TRAPPED_VERBS = (" remain trapped", " were trapped", " are still trapped")
# Events whose counts run into the hundreds of thousands; the others stay below ~12,000.
_BIG_EVENTS = frozenset((None, "flee", "evacuate", "deploy", "withdraw", "repatriate"))
# What may follow the verb ({place}, {country} filled in), per event.
_COMPLEMENTS: dict[str, tuple[str, ...]] = {
    "kill": ("", " in {place}", " in an air strike on {place}", " in clashes near {place}"),
    "injure": ("", " in the attack", " in {place}", " by shelling in {place}"),
    "evacuate": ("", " from {place}", " from the old city", " from {place}"),
    "flee": ("", " to {country}", " across the border", " to {country}"),
    "remain": (" in {place}", " inside the enclave", " in the ruins of {place}"),
    "surrender": ("", " to government forces", " in {place}", " near {place}"),
    "detain": ("", " in {place}", " near the border", " in raids across {place}"),
    "withdraw": ("", " from {place}", " from the area"),
    "deploy": ("", " to {place}", " along the border", " to the region"),
    "repatriate": ("", " to {country}", " from {country}"),
    "other": ("", " after the attack", " in {place}"),
}
# Object position: "<actor + cue> <figure>", the cue right before the figure.
_OBJECT_VERBS: dict[str, tuple[tuple[str, ...], str]] = {
    "kill": (("Air strikes killed ", "The blast killed ", "Shelling killed "), "civilians people"),
    "injure": (("The explosion wounded ", "The attack injured "), "civilians people troops"),
    "evacuate": (
        ("Rescue teams evacuated ", "The coastguard rescued ", "Aid agencies evacuated "),
        "civilians people",
    ),
    "detain": (
        ("Police arrested ", "Security forces detained ", "Troops captured "),
        "combatants people",
    ),
    "deploy": (("The government deployed ", "The alliance has deployed "), "troops"),
    "repatriate": (("Iraq has repatriated ", "The authorities deported "), "people"),
    "surrender": (("Troops accepted the surrender of ",), "combatants"),
}
_OBJECT_PLACES = ("", " in {place}", " from {place}", " near {place}")
# No event at all: nothing in these sentences says what the counted were doing.
_NULL_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("The camp now shelters ", "", "civilians people"),
    ("{Place} is home to ", "", "civilians people"),
    ("There are ", " in the district", "civilians people troops"),
    ("The convoy included ", "", "vehicles"),
    ("The coastguard intercepted ", " off the coast", "vehicles"),
    ("The force consists of ", "", "troops"),
    ("Officials counted ", " at the crossing", "vehicles people"),
    ("The group is believed to have ", " in the area", "combatants"),
)
# Counts of things other than people and vehicles: gold with `required: false`.
_OTHER_TEMPLATES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Delegations from ", " attended the talks", ("countries",)),
    ("Air strikes hit ", " in {place}", ("villages", "schools", "hospitals", "buildings")),
    ("The agency has set up ", " near {place}", ("tents", "shelters")),
    ("Workers distributed ", " in {place}", ("food parcels",)),
    ("{Speaker} said ", " had been damaged", ("buildings", "schools", "hospitals")),
    ("The coalition carried out ", " near {place}", ("air strikes",)),
    ("Troops set up ", " around {place}", ("checkpoints",)),
)
_LEADS = (
    "{Speaker} said ",
    "Officials said ",
    "In {place}, ",
    "According to {speaker_end}, ",
    "Witnesses said ",
    "{Speaker} estimated that ",
    "Local media reported that ",
)
_ATTRIBUTIONS = (", {speaker} said", ", according to {speaker_end}", ", {speaker} told reporters")
_WHEN = ("on", "on", "on", "late", "early")
# Implied entities: "<antecedent sentence>. <number without noun><verb>." by event.
_IMPLIED_VERBS: dict[str, tuple[tuple[str, ...], str]] = {
    "remain": (
        (" are still holding out", " are still holding out in {place}", " remain trapped"),
        "combatants",
    ),
    "surrender": ((" surrendered", " have surrendered"), "combatants"),
    "kill": ((" were killed", " died"), "combatants civilians people troops"),
    "flee": ((" fled", " crossed into {country}", " escaped"), "civilians people"),
    "evacuate": ((" were evacuated", " were released", " made it out"), "civilians people"),
    "detain": ((" were detained", " were captured"), "combatants people"),
}
_IMPLIED_LEADS = ("Officials said ", "Commanders said ", "Aid workers said ", "He said ")
# Nouns that say what happened by themselves (config/vocabulary.yml: events.from_entity).
_BODIES: tuple[Noun, ...] = (("bodies", "bodies"),)
_WOUNDED: dict[str, tuple[Noun, ...]] = {
    "civilians": (("wounded civilians", "civilians"), ("wounded children", "children")),
    "people": (("wounded people", "people"), ("injured migrants", "migrants")),
    "troops": (("wounded soldiers", "soldiers"),),
    "combatants": (("wounded fighters", "fighters"),),
}
_HEADLINE_VERBS: dict[str, tuple[str, ...]] = {
    "kill": (" killed in {place} fighting", " killed as shelling hits {place}"),
    "flee": (" flee {place} as fighting spreads", " flee {place}"),
    "surrender": (" surrender in {place}", " surrender as siege of {place} nears its end"),
    "evacuate": (" evacuated from {place}", " freed after talks in {place}"),
    "detain": (" detained in raids across {place}",),
    "injure": (" wounded as clashes rage in {place}",),
    "other": (" feared missing after boat sinks off {place}",),
}
_HEADLINE_CATEGORIES = {
    "kill": ("civilians", "people", "troops"),
    "flee": ("civilians", "people"),
    "surrender": ("combatants",),
    "evacuate": ("civilians", "people"),
    "detain": ("combatants", "people"),
    "injure": ("civilians", "troops"),
    "other": ("people",),
}
_HEADLINE_ENDS = ("", "", "", ", UN says", ", officials say", ": live updates", " - report")
_HEADLINE_PLAIN = (
    "UN warns of humanitarian disaster in {place}",
    "Aid agencies struggle to reach {place} as fighting rages",
    "Talks on {place} ceasefire stall as shelling continues",
    "Residents of {place} count the cost of the siege",
    "Government forces tighten grip on {place}",
    "Fears grow for civilians trapped in {place}",
    "Rescue teams search the ruins of {place}",
    "Winter adds to misery in the camps near {place}",
    "Water and power cut as siege of {place} tightens",
    "What we know about the battle for {place}",
)

# -- numbers that are not figures -----------------------------------------------------------

# A day without a year, shortly before publication: "... began on March 3".
_RECENT_DATE_OPENINGS = (
    "The latest round of fighting in {place} began on ",
    "Talks on {place} collapsed on ",
    "The road to {place} was closed on ",
    "Aid deliveries to {place} were suspended on ",
    "The evacuation of {place} was first announced on ",
    "The curfew in {place} was imposed on ",
    "Shelling of {place} resumed on ",
    "The last convoy reached {place} on ",
)
_NONFIG_NOUNS = ("student", "nurse", "shepherd", "teacher", "volunteer", "driver", "farmer")
# Sentences around a number that is not a count, by the kind of number (see nonfigure_phrase).
_NONFIG_TEMPLATES: tuple[tuple[str, ...], ...] = (
    ("A {phrase} {noun} was among those hurt in {place}", "Among the dead was a {phrase} {noun}"),
    ("The siege of {place} has now lasted {phrase}", "Talks on {place} have gone on for {phrase}"),
    ("Fighting in {place}, the {ordinal} city, has gone on for {phrase}",),
    ("{place} was last fought over in {phrase}", "The bridge at {place} was built in {phrase}"),
    ("Prices of bread and fuel in {place} have risen by {phrase} since the summer",),
    ("The UN has appealed for {phrase} for {place}", "Donors pledged {phrase} to rebuild {place}"),
    ("{place} lies about {phrase} from the border", "The front line is {phrase} from {place}"),
    ("The first explosion in {place} was heard at {phrase} local time",),
    ("A {phrase} truce agreed last month in {place} was broken within a day",),
    ("The Security Council has called for {phrase} to be applied in {place}",),
    ("The vessel was spotted about {phrase} off the coast of {place}",),
    ("The {phrase} has left much of {place} in ruins",),
    ("A {phrase} aftershock shook buildings in {place} overnight",),
    (
        "The convoy to {place} was due to leave at {phrase}",
        "A curfew in {place} begins at {phrase}",
    ),
    ("Traffic on {phrase} has been halted near {place}",),
    ("Most of the men held in {place} are aged {phrase}",),
    ("Daytime temperatures in the camps near {place} reach {phrase}",),
    ("The enclave near {place} has shrunk to about {phrase}",),
    ("The offensive on {place}, launched on {phrase}, has reshaped the region",),
    ("{phrase} jets were seen over {place}", "A downed {phrase} was found near {place}"),
)
_ORDINALS = ("country's second", "province's largest", "region's main", "country's third")

# -- page chrome ----------------------------------------------------------------------------

_MASTHEADS_UNKNOWN = (
    "The Lakeshore Courier",
    "Nile Valley Times",
    "Ionian Report",
    "Bay of Bengal Tribune",
    "Sahel Morning Post",
    "Anatolia & Levant Weekly",
    "The Frontier Ledger",
    "Gulf Coast Chronicle",
    "Levant Daily Star",
    "Harbour City Herald",
    "Eastern Plains Gazette",
    "The Desert Sentinel",
    "Red Sea Dispatch",
    "The Euphrates Observer",
    "Caucasus Weekly Review",
    "The Horn Bulletin",
    "Dnipro Dispatch",
    "Mountain State Messenger",
)
# Taglines on the masthead line ("Name — tagline") or on the line under it.
_TAGLINES = (
    "News for the region since 1921",
    "Covering the Mediterranean since 2003",
    "Independent news from the Horn of Africa",
    "Serving the Nile Valley since 1952",
    "Your window on the world",
    "Reporting from the front lines",
    "The voice of the valley",
    "Bringing you the news that matters",
    "Independent journalism since 1998",
)
# Known outlets: (masthead as written, canonical name).
_MASTHEADS_KNOWN = (
    ("Middle East Monitor — Creating new perspectives since 2009", "Middle East Monitor"),
    ("VOA News", "Voice of America"),
    ("Voice of America", "Voice of America"),
    ("Al Jazeera", "Al Jazeera"),
    ("BBC News", "BBC News"),
    ("The Guardian", "The Guardian"),
    ("The National", "The National"),
    ("Kurdistan 24", "Kurdistan 24"),
    ("Rudaw", "Rudaw"),
    ("Arab News", "Arab News"),
    ("Al-Monitor", "Al-Monitor"),
    ("The New Arab", "The New Arab"),
)
_SOURCES = (
    ("Sahel Morning Post", "Sahel Morning Post"),
    ("Nile Valley Times", "Nile Valley Times"),
    ("The Frontier Ledger", "The Frontier Ledger"),
    ("Middle East Monitor", "Middle East Monitor"),
    ("MEMO", "Middle East Monitor"),
    ("Al Jazeera English", "Al Jazeera"),
    ("VOA", "Voice of America"),
    ("Gulf Coast Chronicle", "Gulf Coast Chronicle"),
)
_SECTIONS = (
    "World News",
    "World",
    "News",
    "Middle East",
    "Africa",
    "Asia",
    "Europe",
    "Latest News",
    "Top Stories",
    "Humanitarian",
    "Conflict",
    "WORLD NEWS",
    "International",
)
_BREADCRUMBS = (
    "Home > World > Middle East",
    "Home > News > Africa",
    "Home / World / Asia",
    "News › Asia",
    "News › Middle East",
    "World » Middle East",
    "Africa > Sudan",
    "Home » Europe » Ukraine war",
    "Middle East > Syria",
    "Home > Conflict > Iraq",
)
# Datelines: (as written, canonical place). Capitals with a country for AP/AFP style.
_DATELINE_CAPS = (
    ("MOSUL", "Iraq", "Mosul"),
    ("BAGHOUZ", "Syria", "Baghouz"),
    ("BAGHUZ", "Syria", "Baghouz"),
    ("RAQQA", "Syria", "Raqqa"),
    ("KABUL", "Afghanistan", "Kabul"),
    ("KHARTOUM", "Sudan", "Khartoum"),
    ("DERNA", "Libya", "Derna"),
    ("GOMA", "Congo", "Goma"),
    ("MARIUPOL", "Ukraine", "Mariupol"),
    ("COX’S BAZAR", "Bangladesh", "Cox's Bazar"),
    ("PORT SUDAN", "Sudan", "Port Sudan"),
    ("ERBIL", "Iraq", "Erbil"),
    ("IDLIB", "Syria", "Idlib"),
    ("DEIR EZ-ZOR", "Syria", "Deir Ezzor"),
    ("PORT-AU-PRINCE", "Haiti", "Port-au-Prince"),
    ("MAIDUGURI", "Nigeria", "Maiduguri"),
    ("ADEN", "Yemen", "Aden"),
    ("TRIPOLI", "Libya", "Tripoli"),
    ("LESBOS", "Greece", "Lesbos"),
    ("MEDYKA", "Poland", "Medyka"),
)
_DATELINE_CITIES = (
    ("Beirut", "Beirut"),
    ("Geneva", "Geneva"),
    ("Baghdad", "Baghdad"),
    ("Damascus", "Damascus"),
    ("Cairo", "Cairo"),
    ("Amman", "Amman"),
    ("Kiev", "Kyiv"),
    ("Kyiv", "Kyiv"),
    ("Istanbul", "Istanbul"),
    ("Erbil", "Erbil"),
    ("Nairobi", "Nairobi"),
    ("Dubai", "Dubai"),
)
_SHARE_BARS = (
    "Share this: Facebook Twitter WhatsApp",
    "Share this article",
    "Facebook Twitter WhatsApp Email",
    "Share on: Facebook | Twitter | Email",
)
_COOKIES = (
    "We use cookies to personalise content and ads. Accept all | Reject",
    "This site uses cookies to improve your browsing experience.",
    "By continuing to use this site you consent to our use of cookies.",
)
_CAPTION_TEXTS = (
    "Displaced families wait for food at a distribution point near {place}.",
    "Smoke rises over {place} after an air strike.",
    "Rescue workers search the rubble in {place}.",
    "A convoy of buses leaves {place} under escort.",
    "Women and children queue at a checkpoint outside {place}.",
    "Some {n} people gathered at the crossing near {place}.",
)
_LINK_LINES = (
    "READ: {n} Daesh members executed in {place}",
    "Related: {n} civilians still trapped in {place}, UN warns",
    "READ ALSO: {n} bodies pulled from rubble in {place} as clearance begins",
    "Related: {k} things to know about the war in {country}",
    "See also: {n} refugees stranded at the {country} border",
    "Most read: {n} soldiers killed in ambush near {place}",
    "ALSO READ: {n} aid trucks enter {place} after weeks of siege",
    "Recommended: {k} years on, {place} is still in ruins",
    "WATCH: {n} migrants rescued off {place}",
)
# Captions credited to an agency credit the agency.
_AGENCY_CAPTION = {
    "AFP": "Photo: AFP",
    "Reuters": "Photo: Reuters/{name}",
    "AP": "[AP Photo/{name}]",
}


# -- pools: the parts articles are assembled from -------------------------------------------


def _number_words(value: int) -> str:
    """2 -> "two", 25 -> "twenty-five", 300 -> "three hundred" (the values used here)."""
    if value < 20:
        return _UNITS[value]
    if value < 100:
        tens, units = divmod(value, 10)
        return _TENS[tens] + ("-" + _UNITS[units] if units else "")
    if value < 1000:
        return _UNITS[value // 100] + " hundred"
    return _UNITS[value // 1000] + " thousand"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Maker:
    """Random choices for building the pools (speed does not matter here)."""

    def __init__(self, r: random.Random):
        self.r = r
        self.whens: list[tuple[str, int]] = []

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.r.random() * len(seq))]

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def person(self) -> str:
        return self.pick(_FIRST_NAMES) + " " + self.pick(_LAST_NAMES)

    def speaker(self) -> str:
        """A speaker; a named one carries a role and the comma after it."""
        if self.chance(0.3):
            return self.person() + ", " + self.pick(_ROLES) + ","
        return self.pick(_SPEAKERS)

    def speaker_subject(self) -> str:
        """The subject of a filler sentence: a named person with a role, or a body."""
        if self.chance(0.4):
            return self.person() + ", " + self.pick(_ROLES) + ","
        return self.pick(_SUBJECTS)

    def fill(self, text: str) -> str:
        """Fill the {place}, {Place}, {country}, {speaker}, {Speaker}, {speaker_end} slots."""
        while "{" in text:
            for slot, value in (
                ("{place}", lambda: self.pick(_PLACES)),
                ("{Place}", lambda: self.pick(_PLACES)),
                ("{country}", lambda: self.pick(_COUNTRIES)),
                ("{speaker}", self.speaker),
                ("{Speaker}", lambda: _capitalise(self.speaker())),
                ("{speaker_end}", lambda: self.speaker().rstrip(",")),
            ):
                if slot in text:
                    text = text.replace(slot, value(), 1)
        return text

    def when(self, prefix: str | None = None, capital: bool = False) -> str:
        """A relative day ("on Sunday", "late Tuesday"): the frame records it for the gold."""
        weekday = int(self.r.random() * 7)
        phrase = (prefix or self.pick(_WHEN)) + " " + _WEEKDAYS[weekday]
        if capital:
            phrase = _capitalise(phrase)
        self.whens.append((phrase, weekday))
        return phrase

    # -- counts -----------------------------------------------------------------------------

    def value(self, category: str, big: bool) -> int:
        low, high = _MAGNITUDE[category]
        if not big:
            high = min(high, 4.1)
        return max(2, int(10 ** (low + (high - low) * self.r.random())))

    def rounded(self, value: int, coarse: bool = False) -> int:
        """News rounds: 300, 1,500, 20,000 (coarse: "about 30", never "about 31")."""
        if value < 20:
            return value
        keep = 1 if (coarse and value < 1000) or self.chance(0.5) else 2
        scale = 10 ** (len(str(value)) - keep)
        return max(scale, value // scale * scale)

    def qualifier(self, kind: str | None = None) -> tuple[str, str]:
        while True:
            word, found = self.pick(_QUALIFIERS)
            if kind is None or found == kind:
                return word, found

    def count(self, category: str, big: bool, start: bool, vague: bool) -> Count:
        """A count phrase of this category (capitalised when it opens the sentence)."""
        count = self._count(category, big, start, vague)
        return (_capitalise(count[0]), *count[1:]) if start else count

    def _count(self, category: str, big: bool, start: bool, vague: bool) -> Count:
        x = self.r.random()
        top = 10 ** (_MAGNITUDE[category][1] if big else min(_MAGNITUDE[category][1], 4.1))
        if vague and x < 0.16:
            options = [v for v in _VAGUE_BY_CATEGORY[category] if v[1] * 5 <= top]
            phrase, low, high, takes_of, _ = self.pick(options)
            return phrase, low, high, "vague", " of " if takes_of else " "
        if x < 0.28:
            return self.range_count(category, big, start)
        if x < 0.38:
            return self.word_count(category, big)
        if x < 0.43 and big and category in ("people", "civilians"):
            return self.scale_count(start)
        value = self.value(category, big)
        kind = self.pick(("exact", "exact", "exact", "approx", "approx", "at_least", "at_most"))
        if kind == "exact" and value < 10:
            return _number_words(value), value, value, "exact", " "
        if kind == "exact" and start:
            kind = self.pick(("approx", "at_least", "at_most"))
        if kind == "approx" or (kind != "exact" and self.chance(0.7)) or self.chance(0.3):
            value = self.rounded(value, coarse=kind == "approx")
        if kind == "exact":
            return f"{value:,}", value, value, "exact", " "
        word, _ = self.qualifier(kind)
        return f"{word} {value:,}", value, value, kind, " "

    def range_count(self, category: str, big: bool, start: bool) -> Count:
        low = self.rounded(self.value(category, big))
        if low < 10:
            low *= 10
        step = max(1, 10 ** (len(str(low)) - 1) // 2)
        low = max(step, low // step * step)
        high = low + step * self.pick((1, 2, 2, 3, 4, 6, 8))
        shape = int(self.r.random() * 5)
        if shape == 0 or start:
            return f"between {low:,} and {high:,}", low, high, "range", " "
        if shape == 1:
            return f"{low:,} to {high:,}", low, high, "range", " "
        if shape == 2:
            return f"{low:,}–{high:,}", low, high, "range", " "
        return f"{low:,}-{high:,}", low, high, "range", " "

    def word_count(self, category: str, big: bool) -> Count:
        x = self.r.random()
        if x < 0.12:
            return "a dozen", 12, 12, "exact", " "
        if x < 0.18:
            return "two dozen", 24, 24, "exact", " "
        if x < 0.24:
            return "more than a dozen", 12, 12, "at_least", " "
        if x < 0.28:
            return "about a dozen", 12, 12, "approx", " "
        if x < 0.62:
            value = int(2 + self.r.random() * 18)
        elif x < 0.84 or category in ("vehicles", "other"):
            value = int(20 + self.r.random() * 80)
        elif x < 0.95 or not big:
            value = int(2 + self.r.random() * 8) * 100
        else:
            value = int(2 + self.r.random() * 8) * 1000
        text = _number_words(value)
        if self.chance(0.25):
            word, kind = self.qualifier()
            return f"{word} {text}", value, value, kind, " "
        return text, value, value, "exact", " "

    def scale_count(self, start: bool) -> Count:
        whole = int(1 + self.r.random() * 6)
        tenth = 0 if self.chance(0.3) else int(1 + self.r.random() * 9)
        text = f"{whole}.{tenth} million" if tenth else f"{whole} million"
        value = whole * 1_000_000 + tenth * 100_000
        if start or self.chance(0.6):
            word, kind = self.qualifier()
            return f"{word} {text}", value, value, kind, " "
        return text, value, value, "exact", " "

    def implied(self, start: bool) -> Count:
        """A count with no noun: "around 1,000", "Eighteen more", "Hundreds more"."""
        x = self.r.random()
        if x < 0.5:
            word, kind = self.qualifier()
            value = self.rounded(self.value("combatants", False), coarse=kind == "approx")
            more = " more" if self.chance(0.25) else ""
            text, low, high = f"{word} {value:,}{more}", value, value
        elif x < 0.8:
            value = int(2 + self.r.random() * 58)
            text, low, high, kind = _number_words(value) + " more", value, value, "exact"
        else:
            phrase, low, high, _, _ = self.pick(_VAGUE[1:6])
            text, kind = phrase + " more", "vague"
        return (_capitalise(text) if start else text), low, high, kind, ""


# Kinds of body units in a layout, and roughly how many words each has.
_FILLER, _FRAME, _LEAD, _NONFIGURE, _RECENT_DATE, _QUOTE, _LINK, _ADVERT, _CAPTION = range(9)
_UNIT_WORDS = {
    _FILLER: 21.0,
    _FRAME: 20.0,
    _LEAD: 16.0,
    _NONFIGURE: 15.0,
    _RECENT_DATE: 13.0,
    _QUOTE: 19.0,
    _LINK: 0.0,
    _ADVERT: 0.0,
    _CAPTION: 0.0,
}


# Pools articles draw from with getrandbits (their sizes are powers of two).
_DRAWN_BY_BITS = (
    "counts",
    "implied",
    "subject_frames",
    "frames",
    "filler_heads",
    "predicates",
    "closers",
    "quote_openings",
    "quote_speakers",
    "quote_closers",
    "nonfigure_frames",
    "recent_date_openings",
    "layouts",
)


class _Pools:
    """Everything articles are assembled from, built once per process from a fixed seed."""

    def __init__(self) -> None:
        m = _Maker(random.Random(20190305))
        # Count phrases by (category, big event, opens the sentence, vague allowed).
        self.counts: dict[tuple[str, bool, bool, bool], tuple[Count, ...]] = {}
        for category in _CATEGORIES:
            for big in (False, True):
                for start in (False, True):
                    for vague in (False, True):
                        self.counts[category, big, start, vague] = tuple(
                            m.count(category, big, start, vague) for _ in range(1024)
                        )
        self.implied = {start: tuple(m.implied(start) for _ in range(1024)) for start in (0, 1)}
        # Headlines without a noun ("At least 40 killed in ..."): qualified people counts.
        self.headline_counts = tuple(
            c for c in self.counts["people", False, True, False] if c[3] not in ("exact", "range")
        )
        # Counted nouns by (category, event): never a noun implying another event.
        self.nouns: dict[tuple[str, str | None], tuple[Noun, ...]] = {
            (category, event): tuple(
                (written, entity)
                for written, entity, implies in _NOUNS[category]
                if implies is None or implies == event
            )
            for category in _CATEGORIES
            for event in (None, *_EVENT_VERBS)
        }
        self.partitive = {
            category: tuple(
                ("of the " + written, entity)
                for written, entity, implies in _NOUNS[category]
                if implies is None and " " not in written
            )
            for category in ("combatants", "civilians", "people", "troops")
        }
        self.m = m
        self.subject_frames = tuple(self.subject_frame() for _ in range(4096))
        makers: tuple[tuple[Callable[[], Frame], int], ...] = (
            (self.subject_frame, 5600),
            (self.object_frame, 2800),
            (self.null_frame, 1100),
            (self.other_frame, 1100),
            (self.pair_frame, 1700),
            (self.implied_frame, 2800),
            (self.bodies_frame, 340),
            (self.wounded_frame, 340),
            (self.partitive_frame, 604),
        )
        self.frames = tuple(make() for make, n in makers for _ in range(n))
        # Filler sentences: an opener and subject, then a predicate and closer.
        self.filler_heads = self.distinct(4096, self.filler_head)
        self.predicates = self.distinct(
            2048, lambda: " " + m.pick(_PREDICATES).format(place=m.pick(_PLACES))
        )
        self.closers = tuple(self.closer(0.3, _CLOSERS, _PLACE_CLOSERS) for _ in range(1024))
        # Quotes: the quote, who said it, a closer.
        quotes = [*_QUOTES, *(m.pick(_QUOTES) for _ in range(32 - len(_QUOTES)))]
        self.quote_openings = {
            style: tuple(f"{left}{quote},{right} " for quote in quotes)
            for style, (left, right) in (("straight", ('"', '"')), ("curly", ("“", "”")))
        }
        self.quote_speakers = tuple(self.quote_speaker() for _ in range(4096))
        self.quote_closers = tuple(self.closer(0.6, (), _QUOTE_CLOSERS) for _ in range(1024))
        self.nonfigure_frames = tuple(self.nonfigure_frame() for _ in range(4096))
        self.recent_date_openings = self.distinct(
            512, lambda: m.pick(_RECENT_DATE_OPENINGS).format(place=m.pick(_PLACES))
        )
        self.nonfigure_phrases = tuple(
            tuple(self.nonfigure_phrase(kind) for _ in range(256))
            for kind in range(len(_NONFIG_TEMPLATES))
        )
        self.layouts = tuple(self.layout() for _ in range(4096))
        # Articles draw from these with getrandbits: their sizes are powers of two.
        for name in _DRAWN_BY_BITS:
            pool = getattr(self, name)
            for part in pool.values() if isinstance(pool, dict) else [pool]:
                assert len(part) & (len(part) - 1) == 0, (name, len(part))

    # -- frames -----------------------------------------------------------------------------

    def frame(self, texts: tuple[str, ...], slots: tuple[Slot, ...]) -> Frame:
        whens = tuple(self.m.whens)
        self.m.whens.clear()
        return texts, slots, whens

    def slot(
        self,
        category: str,
        event: str | None,
        start: bool,
        nouns: Sequence[Noun] | None = None,
        vague: bool = True,
    ) -> Slot:
        counts = self.counts[category, event in _BIG_EVENTS, start, vague]
        return counts, nouns or self.nouns[category, event], category, event, -1, False

    def tail(self, event: str, attribution: bool, verb: str = "") -> str:
        """Complement, time and attribution after the verb, and the full stop. No day after
        a present perfect ("have fled" is not said of a given day)."""
        m = self.m
        out = m.fill(m.pick(_COMPLEMENTS[event]))
        if m.chance(0.35) and not verb.startswith((" have", " has")):
            out += " " + m.when()
        if attribution and m.chance(0.5):
            out += m.fill(m.pick(_ATTRIBUTIONS))
        return out + "."

    def subject_frame(self) -> Frame:
        """ "<figure> <verb> ...", with or without a lead-in."""
        m = self.m
        event = m.pick(tuple(_EVENT_VERBS))
        verbs, categories = _EVENT_VERBS[event]
        category = m.pick(categories.split())
        lead, named = "", False
        if m.chance(0.38):
            lead = m.fill(m.pick(_LEADS))
            named = not lead.startswith("In ")
        elif m.chance(0.15):
            lead = m.when(capital=True) + ", "
        verb = m.pick(verbs)
        if event == "remain" and category != "combatants":
            verb = m.pick(_TRAPPED_VERBS)
        slot = self.slot(category, event, start=not lead)
        return self.frame((lead, verb + self.tail(event, not named, verb)), (slot,))

    def object_frame(self) -> Frame:
        """ "<actor + verb> <figure> ...", the event cue right before the figure."""
        m = self.m
        event = m.pick(tuple(_OBJECT_VERBS))
        verbs, categories = _OBJECT_VERBS[event]
        category = m.pick(categories.split())
        head = m.pick(verbs)
        place = "" if event == "surrender" else m.fill(m.pick(_OBJECT_PLACES))
        when = " " + m.when() if m.chance(0.3) else ""
        attribution = m.fill(m.pick(_ATTRIBUTIONS)) if m.chance(0.4) else ""
        slot = self.slot(category, event, start=False)
        return self.frame((head, place + when + attribution + "."), (slot,))

    def null_frame(self) -> Frame:
        """A count with no event."""
        m = self.m
        head, tail, categories = m.pick(_NULL_TEMPLATES)
        category = m.pick(categories.split())
        attribution = m.fill(m.pick(_ATTRIBUTIONS)) if m.chance(0.5) else ""
        slot = self.slot(category, None, start=False)
        return self.frame((m.fill(head), tail + attribution + "."), (slot,))

    def other_frame(self) -> Frame:
        """A count of things other than people and vehicles (not required)."""
        m = self.m
        head, tail, nouns = m.pick(_OTHER_TEMPLATES)
        slot = self.slot("other", None, start=False, nouns=tuple((n, n) for n in nouns))
        return self.frame((m.fill(head), m.fill(tail) + "."), (slot,))

    def pair_frame(self) -> Frame:
        """Two counts in one sentence: "<a> and <b> were evacuated", "<a> were killed and <b>
        wounded" (b implied), "... had died, including <b>" (b a part of a)."""
        m = self.m
        shape = int(m.r.random() * 3)
        if shape == 0:
            event = m.pick(("evacuate", "flee", "kill"))
            first = self.slot("civilians", event, start=True)
            second = self.slot("combatants", event, False)
            verb = m.pick(_EVENT_VERBS[event][0])
            return self.frame(("", " and ", verb + self.tail(event, True, verb)), (first, second))
        if shape == 1:
            category = m.pick(("civilians", "people", "troops", "combatants"))
            first = self.slot(category, "kill", start=True)
            second: Slot = (self.implied[0], None, category, "injure", 0, False)
            middle = m.pick((" were killed and ", " have been killed and "))
            end = m.pick((" wounded", " injured")) + m.fill(m.pick(("", " in {place}")))
            if m.chance(0.5):
                end += m.fill(m.pick(_ATTRIBUTIONS))
            return self.frame(("", middle, end + "."), (first, second))
        lead = _capitalise(m.speaker()) + " said "
        first = self.slot("people", "kill", start=False)
        counts, nouns, category, event, _, _ = self.slot("civilians", "kill", start=False)
        part: Slot = (counts, nouns, category, event, -1, True)
        middle = m.pick((" had been killed since ", " have died since "))
        # "since Sunday" is the relative date the gold records.
        day = m.when(prefix="since").removeprefix("since ") if m.chance(0.5) else ""
        middle += day or "the offensive began"
        return self.frame((lead, middle + ", including ", "."), (first, part))

    def implied_frame(self) -> Frame:
        """An explicit count, then a count that refers back to it in the next sentence."""
        m = self.m
        event = m.pick(("surrender", "evacuate", "kill", "flee", "detain"))
        category = m.pick(_IMPLIED_VERBS[event][1].split())
        first = self.slot(category, event, start=True)
        verb = m.pick(_EVENT_VERBS[event][0])
        text = verb + self.tail(event, True, verb) + " "
        follow = m.pick([e for e in _IMPLIED_VERBS if category in _IMPLIED_VERBS[e][1]])
        lead = m.pick(_IMPLIED_LEADS) if m.chance(0.3) else ""
        second: Slot = (self.implied[0 if lead else 1], None, category, follow, 0, False)
        end = m.fill(m.pick(_IMPLIED_VERBS[follow][0]))
        if not lead and m.chance(0.4):
            end += m.fill(m.pick(_ATTRIBUTIONS))
        return self.frame(("", text + lead, end + "."), (first, second))

    def bodies_frame(self) -> Frame:
        """ "<n> bodies have been recovered": the noun gives the event (kill)."""
        m = self.m
        tail = m.pick((" have been recovered from the rubble", " were found in a mass grave"))
        tail += m.fill(" in {place}")
        if m.chance(0.3):
            tail += " " + m.when()
        if m.chance(0.6):
            tail += m.fill(m.pick(_ATTRIBUTIONS))
        slot = self.slot("people", "kill", start=True, nouns=_BODIES)
        return self.frame(("", tail + "."), (slot,))

    def wounded_frame(self) -> Frame:
        """ "Scores of wounded civilians were taken to hospital": the adjective gives the event."""
        m = self.m
        category = m.pick(tuple(_WOUNDED))
        lead = m.fill("In {place}, ") if m.chance(0.3) else ""
        slot = self.slot(category, "injure", start=not lead, nouns=_WOUNDED[category])
        tail = m.fill(m.pick((" were taken to hospitals in {place}", " were brought to a clinic")))
        return self.frame((lead, tail + "."), (slot,))

    def partitive_frame(self) -> Frame:
        """ "Twenty-one of the schoolgirls were freed": the noun follows "of the"."""
        m = self.m
        event = m.pick(("evacuate", "kill", "surrender", "detain", "flee"))
        verbs, categories = _EVENT_VERBS[event]
        category = m.pick([c for c in categories.split() if c in self.partitive])
        counts = self.counts[category, event in _BIG_EVENTS, True, False]
        slot: Slot = (counts, self.partitive[category], category, event, -1, False)
        verb = m.pick(verbs)
        return self.frame(("", verb + self.tail(event, True, verb)), (slot,))

    # -- layouts ----------------------------------------------------------------------------

    def layout(self) -> tuple[tuple[int, int], ...]:
        """The body's sequence of (unit kind, separator after it: 0 a space, 1 a paragraph
        break), about 250-650 words (mean ~410) of it: a lead frame, then mostly filler.
        Chrome (links, adverts, captions) only comes after a paragraph break."""
        m = self.m
        target = m.r.triangular(270, 650, 330)
        units: list[tuple[int, int]] = []
        words = 0.0
        in_paragraph = 0
        code = _LEAD
        while True:
            words += _UNIT_WORDS[code]
            in_paragraph += 1
            if words >= target:
                units.append((code, 1))
                return tuple(units)
            if in_paragraph >= 4 or m.chance(0.38):
                units.append((code, 1))
                in_paragraph = 0
                chrome = m.r.random()
                if chrome < 0.06:
                    units.append((_LINK, 1))
                elif chrome < 0.09:
                    units.append((_ADVERT, 1))
                elif chrome < 0.14:
                    units.append((_CAPTION, 1))
            else:
                units.append((code, 0))
            x = m.r.random()
            if x < 0.58:
                code = _FILLER
            elif x < 0.66:
                code = _NONFIGURE
            elif x < 0.67:
                code = _RECENT_DATE
            elif x < 0.73:
                code = _QUOTE
            else:
                code = _FRAME

    # -- sentences without figures ----------------------------------------------------------

    def distinct(self, n: int, make: Callable[[], str]) -> tuple[str, ...]:
        """n different strings from `make`."""
        found: dict[str, None] = {}
        for _ in range(50 * n):
            found[make()] = None
            if len(found) == n:
                return tuple(found)
        raise ValueError(f"only {len(found)} different strings, not {n}")

    def filler_head(self) -> str:
        """The start of a filler sentence: an opener and a subject."""
        m = self.m
        opener = m.pick(_OPENERS)
        subject = m.speaker_subject()
        return opener + subject if opener else _capitalise(subject)

    def quote_speaker(self) -> str:
        """ "said Lina Haddad, a doctor at the main hospital" (no full stop)."""
        m = self.m
        who = m.person() + ", " + m.pick(_ROLES)
        verb = m.pick(_QUOTE_VERBS)
        return f"said {who}" if verb == "said" else f"{who}, {verb}"

    def closer(self, plain: float, fixed: Sequence[str], with_place: Sequence[str]) -> str:
        """The end of a sentence: a full stop, or a clause and a full stop."""
        m = self.m
        if m.chance(plain):
            return "."
        if fixed and m.chance(0.3):
            return m.pick(fixed)
        return m.pick(with_place).format(place=m.pick(_PLACES))

    def nonfigure_frame(self) -> tuple[str, int, str]:
        """A sentence with a number that is not a count: (text before the number, kind of
        number, text after it, without the full stop)."""
        m = self.m
        kind = int(m.r.random() * len(_NONFIG_TEMPLATES))
        before, _, after = m.pick(_NONFIG_TEMPLATES[kind]).partition("{phrase}")
        fill = {"place": m.pick(_PLACES), "noun": m.pick(_NONFIG_NOUNS)}
        fill["ordinal"] = m.pick(_ORDINALS)
        return before.format(**fill), kind, after.format(**fill)

    def nonfigure_phrase(self, kind: int) -> str:
        """A number phrase of this kind that is not a count."""
        m = self.m
        r = m.r.random
        if kind == 0:
            return f"{int(16 + r() * 60)}-year-old"
        if kind == 1:
            return f"{int(3 + r() * 40)} days"
        if kind == 2:
            return f"more than {m.pick(_UNITS[2:10])} years"
        if kind == 3:
            return str(int(1990 + r() * 15))
        if kind == 4:
            pct = int(5 + r() * 90)
            return f"{pct} {m.pick(('percent', 'per cent'))}" if r() < 0.7 else f"{pct}%"
        if kind == 5:
            return f"${int(2 + r() * 900)} million" if r() < 0.7 else f"€{int(2 + r() * 90)}m"
        if kind == 6:
            return f"{int(5 + r() * 300)} km"
        if kind == 7:
            return f"{int(1 + r() * 11)}:{int(r() * 60):02d} {m.pick(('a.m.', 'p.m.'))}"
        if kind == 8:
            return f"{int(24 + r() * 72)}-hour"
        if kind == 9:
            return f"Resolution {int(1000 + r() * 1500)}"
        if kind == 10:
            return f"{int(5 + r() * 80)} nautical miles"
        if kind == 11:
            return f"{m.pick(_UNITS[2:13])}-year war"
        if kind == 12:
            return f"{int(4 + r() * 4)}.{int(1 + r() * 9)}-magnitude"
        if kind == 13:
            return f"{int(r() * 24):02d}{m.pick(('00', '30', '15'))} GMT"
        if kind == 14:
            return f"Highway {int(2 + r() * 60)}"
        if kind == 15:
            low = int(15 + r() * 4)
            return f"{low} to {low + int(20 + r() * 30)}"
        if kind == 16:
            return f"{int(30 + r() * 16)} degrees Celsius"
        if kind == 17:
            return f"{int(2 + r() * 40)} square kilometres"
        if kind == 18:
            day = date(int(1995 + r() * 10), int(1 + r() * 12), int(1 + r() * 28))
            return f"{_MONTHS_AP[day.month - 1]} {day.day}, {day.year}"
        return m.pick(("F-16", "Su-24", "MiG-29", "Su-25", "F-35", "Mi-24"))


_POOLS: _Pools | None = None


def _pools() -> _Pools:
    """The pools, built on first use (about a tenth of a second)."""
    global _POOLS
    if _POOLS is None:
        _POOLS = _Pools()
    return _POOLS


# -- publication dates ----------------------------------------------------------------------

_EPOCH = date(2005, 1, 1).toordinal()
_DAYS = date(2024, 6, 30).toordinal() - _EPOCH


def _date_line(r: random.Random, pub: date) -> str:
    """The publication date in one of the formats of config/dates.yml."""
    rand = r.random
    month, day, year = pub.month, pub.day, pub.year
    weekday = _WEEKDAYS[pub.weekday()]
    short_weekday = _WEEKDAYS_SHORT[pub.weekday()]
    name = _MONTHS[month - 1]
    hour, minute = int(rand() * 24), int(rand() * 60)
    h12, ampm = (hour % 12 or 12), ("am" if hour < 12 else "pm")
    kind = int(rand() * 17)
    if kind == 0:
        return pub.isoformat()
    if kind == 1:
        return f"{name} {day}, {year} at {h12}:{minute:02d} {ampm}"
    if kind == 2:
        return f"{weekday}, {day} {_MONTHS_SHORT[month - 1]}, {year}"
    if kind == 3:
        return f"{_MONTHS_AP[month - 1]} {day}, {year}"
    if kind == 4:
        return f"{day} {name} {year} {hour:02d}:{minute:02d} GMT"
    if kind == 5:
        # Day first with the weekday that settles which number is the month.
        if day > 12 or day == month or date(year, day, month).weekday() != pub.weekday():
            return f"{weekday} {day:02d}/{month:02d}/{year}"
        return f"{weekday} {day} {name} {year}"
    if kind == 6:
        return f"Published: {month:02d}/{day:02d}/{year}"
    if kind == 7:
        return f"Updated {name} {day}, {year} at {h12}:{minute:02d} {ampm[0]}.m. ET"
    if kind == 8:
        return f"{day:02d}.{month:02d}.{year}"
    if kind == 9:
        return f"{name.upper()} {day}, {year} / {h12}:{minute:02d} {ampm.upper()}"
    if kind == 10:
        return f"{weekday}, {name} {day}, {year}"
    if kind == 11:
        return f"{weekday} {day} {name} {year}"
    if kind == 12:
        return f"{short_weekday} {day} {name} {year} {hour:02d}.{minute:02d} BST"
    if kind == 13:
        return f"Last updated: {day} {name} {year}"
    if kind == 14:
        return f"Posted: {name} {day}, {year}"
    if kind == 15:
        clock = f"{hour:02d}.{minute:02d} GMT"
        return f"First published on {short_weekday} {day} {_MONTHS_SHORT[month - 1]} {year} {clock}"
    return f"Date: {pub.isoformat()}"


# -- articles -------------------------------------------------------------------------------


class _Page:
    """An article being written: its text parts, offset, and the gold found so far."""

    __slots__ = ("agencies", "figures", "nl", "non_figures", "parts", "pos", "r", "whens")

    def __init__(self, r: random.Random, nl: str):
        self.r = r
        self.nl = nl
        self.parts: list[str] = []
        self.pos = 0
        self.figures: list[tuple[int, FigureGold]] = []
        self.whens: list[tuple[str, int]] = []
        self.non_figures: list[str] = []
        self.agencies: set[str] = set()

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.r.random() * len(seq))]

    def person(self) -> str:
        return self.pick(_FIRST_NAMES) + " " + self.pick(_LAST_NAMES)

    def emit(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def line(self, text: str) -> None:
        self.parts.append(text)
        self.parts.append(self.nl)
        self.pos += len(text) + len(self.nl)


def relative_path(index: int, shard_size: int = 1000) -> str:
    """Where article `index` goes: "00000/000123.txt" (at most shard_size files a folder)."""
    return f"{index // shard_size:05d}/{index:06d}.txt"


def _headline(page: _Page, pools: _Pools) -> tuple[str, FigureGold | None]:
    """The headline (sentence case, no full stop) and its figure: about half carry one."""
    rand = page.r.random
    x = rand()
    place = _PLACES[int(rand() * len(_PLACES))]
    if x < 0.45:
        plain = _HEADLINE_PLAIN[int(rand() * len(_HEADLINE_PLAIN))].format(place=place)
        return plain + _HEADLINE_ENDS[int(rand() * len(_HEADLINE_ENDS))], None
    event = _HEADLINE_EVENTS[int(rand() * len(_HEADLINE_EVENTS))]
    verbs = _HEADLINE_VERBS[event]
    verb = verbs[int(rand() * len(verbs))].format(place=place)
    if x < 0.62 and event in ("kill", "flee", "other", "injure"):
        # "Thousands flee Khartoum", "At least 40 killed in ...": people, by the convention.
        if rand() < 0.5:
            phrase, low, high, _, _ = _VAGUE[1 + int(rand() * 7)]
            number, qualifier = _capitalise(phrase), "vague"
        else:
            number, low, high, qualifier, _ = page.pick(pools.headline_counts)
        return number + verb, (number, low, high, qualifier, "people", "people", event, True)
    category = page.pick(_HEADLINE_CATEGORIES[event])
    text, low, high, qualifier, joiner = page.pick(
        pools.counts[category, event in _BIG_EVENTS, False, True]
    )
    written, entity = page.pick(pools.nouns[category, event])
    span = _capitalise(f"{text}{joiner}{written}")
    return span + verb, (span, low, high, qualifier, entity, category, event, True)


_HEADLINE_EVENTS = tuple(_HEADLINE_VERBS)


def _header(
    page: _Page, pools: _Pools, pub: date | None, wire_date: bool
) -> tuple[str, str | None]:
    """Masthead, navigation, headline, byline and date line in one of many house styles;
    returns the title and the outlet the masthead names."""
    r = page.r
    rand = r.random
    lines: list[str] = []
    line = lines.append
    outlet = None
    if wire_date:
        assert pub is not None
        section = _SECTIONS[int(rand() * 11)]
        line(f"{section} | {_MONTHS[pub.month - 1]} {pub.year}")
        line("")
    else:
        masthead = rand()
        if masthead < 0.3:
            name = page.pick(_MASTHEADS_UNKNOWN)
            tagline = page.pick(_TAGLINES)
            if pub is not None and tagline[-4:].isdigit() and int(tagline[-4:]) >= pub.year:
                tagline = "Your window on the world"
            shape = rand()
            if shape < 0.4:
                line(f"{name} {page.pick(('—', '|', '–'))} {tagline}")
            elif shape < 0.7:
                line(name)
                line(tagline)
            else:
                line(name)
            outlet = name
        elif masthead < 0.45:
            written, outlet = page.pick(_MASTHEADS_KNOWN)
            line(written)
        nav = rand()
        if nav < 0.4:
            line(page.pick(_BREADCRUMBS))
        elif nav < 0.6:
            line(page.pick(_SECTIONS))
        if rand() < 0.5:
            line("")
    date_first = pub is not None and not wire_date and rand() < 0.2
    if date_first:
        assert pub is not None
        line(_date_line(r, pub))
        line("")
    title, figure = _headline(page, pools)
    if figure is not None:
        # The headline starts after the lines so far, each with its line ending.
        page.figures.append((page.pos + sum(map(len, lines)) + len(lines) * len(page.nl), figure))
    line(title)
    line("")
    if rand() < 0.3:
        byline = "By " + page.person()
        if rand() < 0.3:
            byline += " and " + page.person()
        line(byline)
    if rand() < 0.1:
        line(f"{int(2 + rand() * 9)} min read")
    if pub is not None and not wire_date and not date_first:
        line(_date_line(r, pub))
    if lines[-1]:
        line("")
    page.emit(page.nl.join(lines) + page.nl)
    return title, outlet


def _dateline(page: _Page, pub: date | None, wire_date: bool) -> str | None:
    """Open the first paragraph with a wire dateline (or not); returns the dateline place."""
    rand = page.r.random
    kind = rand()
    if wire_date or (kind < 0.32 and pub is not None and kind >= 0.2):
        assert pub is not None
        city, place = page.pick(_DATELINE_CITIES)
        month = _MONTHS[pub.month - 1] if rand() < 0.5 else _MONTHS_SHORT[pub.month - 1]
        page.agencies.add("Reuters")
        page.emit(f"{city}, {month} {pub.day} (Reuters) - ")
        return place
    if kind < 0.2:
        written, country, place = page.pick(_DATELINE_CAPS)
        agency = page.pick(("AP", "AFP"))
        page.agencies.add(agency)
        page.emit(f"{written}, {country} ({agency}) — ")
        return place
    if kind < 0.4:
        written, country, place = page.pick(_DATELINE_CAPS)
        page.emit(f"{written}, {country} — " if rand() < 0.5 else f"{written} — ")
        return place
    return None


def _link_line(page: _Page) -> str:
    """A link to another story: its numbers belong to that story, never to this one."""
    rand = page.r.random
    return page.pick(_LINK_LINES).format(
        n=f"{int(2 + rand() * 5000):,}",
        k=int(2 + rand() * 8),
        place=page.pick(_PLACES),
        country=page.pick(_COUNTRIES),
    )


def _caption(page: _Page) -> str:
    """A photo caption with its credit (an agency's credit credits the agency)."""
    rand = page.r.random
    text = page.pick(_CAPTION_TEXTS).format(place=page.pick(_PLACES), n=int(20 + rand() * 500))
    agency = page.pick(("AFP", "Reuters", "AP", None, None))
    if agency is None:
        return text + " Photo: " + page.person()
    page.agencies.add(agency)
    return text + " " + _AGENCY_CAPTION[agency].format(name=page.person())


def _footer(page: _Page, pub: date | None, outlet: str | None, wire_date: bool) -> str | None:
    """Credits, links, share bars, cookie banners, comments; returns the outlet a "Source:"
    line names, if any."""
    rand, line = page.r.random, page.line
    if "Reuters" in page.agencies and rand() < 0.5:
        line(f"(Reporting by {page.person()}; Editing by {page.person()})")
    if rand() < 0.3:
        line(_link_line(page))
    if rand() < 0.08:
        extra = page.pick(("Reuters", "AFP", "Reuters and AFP", "Agence France-Presse"))
        line(f"— with reporting by {extra}")
        page.agencies.update(a for a in ("Reuters", "AFP") if a in extra)
        if "Agence" in extra:
            page.agencies.add("AFP")
    if outlet is None and not wire_date and rand() < 0.25:
        written, outlet = page.pick(_SOURCES)
        line(f"Source: {written}")
    footer = rand()
    if footer < 0.3:
        line(page.pick(_SHARE_BARS))
    elif footer < 0.45:
        line(page.pick(_COOKIES))
    elif footer < 0.6:
        line(page.pick(("{n} Comments", "Comments ({n})")).format(n=int(rand() * 300)))
    elif footer < 0.7:
        line("Leave a comment")
        line("Your email address will not be published. Required fields are marked *")
    elif footer < 0.78 and pub is not None:
        line(f"© {pub.year} {outlet or 'All rights reserved'}")
    return outlet


# Articles are seeded in blocks: one Mersenne Twister seeding (a few microseconds) serves
# this many consecutive articles.
_BLOCK = 16


def _built(
    start: int, stop: int, seed: int, want_gold: bool
) -> Iterator[tuple[int, str, str, _Gold | None, int]]:
    """Build articles start..stop-1 of the corpus of `seed`: (index, text, encoding, gold,
    number of figures). Article i depends only on (seed, i): the random source is seeded
    at the start of each block of _BLOCK articles, and a start inside a block replays the
    block's earlier articles first."""
    r = random.Random()
    for index in range(start - start % _BLOCK, stop):
        if index % _BLOCK == 0:
            r.seed(((seed & 0xFFFFFFFF) << 32) | ((index // _BLOCK) & 0xFFFFFFFF))
        built = _build(r, want_gold and index >= start)
        if index >= start:
            yield (index, *built)


def article(index: int, seed: int = 0) -> tuple[str, str, dict[str, Any]]:
    """Article `index` of the corpus of `seed`: (text, encoding, gold without "file")."""
    for _, text, encoding, gold, _ in _built(index, index + 1, seed, want_gold=True):
        assert gold is not None
        return text, encoding, _gold_dict(gold)
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class _Gold:
    """The answers for one article, as generated (turned into a dict or JSON on demand)."""

    encoding: str
    crlf: bool
    title: str
    published: date | None
    outlet: str | None
    agencies: list[str]
    dateline: str | None
    figures: list[tuple[int, FigureGold]]
    whens: list[tuple[str, int]]
    non_figures: list[str]

    def dates(self) -> dict[str, str]:
        """Relative-date phrase -> the day it means (none without a publication date)."""
        pub = self.published
        if pub is None:
            return {}
        return {
            phrase: (pub - timedelta(days=(pub.weekday() - weekday) % 7)).isoformat()
            for phrase, weekday in self.whens
        }


def _gold_dict(g: _Gold) -> dict[str, Any]:
    """One article's gold: {"encoding", "crlf", "doc", "figures", "dates", "non_figures"}."""
    return {
        "encoding": g.encoding,
        "crlf": g.crlf,
        "doc": {
            "title": g.title,
            "published_date": g.published.isoformat() if g.published else None,
            "outlet": g.outlet,
            "agencies": g.agencies,
            "dateline": g.dateline,
        },
        "figures": [
            {
                "span": span,
                "low": low,
                "high": high,
                "qualifier": qualifier,
                "entity": entity,
                "category": category,
                "event": event,
                "required": required,
                "start": start,
                "end": start + len(span),
            }
            for start, (span, low, high, qualifier, entity, category, event, required) in g.figures
        ],
        "dates": g.dates(),
        "non_figures": g.non_figures,
    }


_JSON = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _json_or_null(value: str | None) -> str:
    return "null" if value is None else _JSON(value)


def _gold_json(rel: str, g: _Gold) -> str:
    """The gold.jsonl line of one article: exactly json.dumps({"file": rel, **gold dict},
    ensure_ascii=False), written straight from the tuples (several times faster)."""
    q = _JSON
    figures = ", ".join(
        f'{{"span": {q(span)}, "low": {low}, "high": {high}, "qualifier": "{qualifier}", '
        f'"entity": {q(entity)}, "category": "{category}", "event": {_json_or_null(event)}, '
        f'"required": {"true" if required else "false"}, "start": {start}, '
        f'"end": {start + len(span)}}}'
        for start, (span, low, high, qualifier, entity, category, event, required) in g.figures
    )
    dates = ", ".join(f"{q(phrase)}: {q(day)}" for phrase, day in g.dates().items())
    published = g.published.isoformat() if g.published else None
    return (
        f'{{"file": {q(rel)}, "encoding": "{g.encoding}", '
        f'"crlf": {"true" if g.crlf else "false"}, '
        f'"doc": {{"title": {q(g.title)}, "published_date": {_json_or_null(published)}, '
        f'"outlet": {_json_or_null(g.outlet)}, '
        f'"agencies": [{", ".join(map(q, g.agencies))}], '
        f'"dateline": {_json_or_null(g.dateline)}}}, '
        f'"figures": [{figures}], "dates": {{{dates}}}, '
        f'"non_figures": [{", ".join(map(q, g.non_figures))}]}}'
    )


def _build(r: random.Random, want_gold: bool) -> tuple[str, str, _Gold | None, int]:
    """Write one article with the random source `r` (whatever `want_gold`, it draws the
    same numbers): (text, encoding, gold or None, number of figures)."""
    pools = _POOLS or _pools()
    rand = r.random
    crlf = rand() < 0.02
    encoding = "cp1252" if rand() < 0.01 else "utf-8"
    nl = "\r\n" if crlf else "\n"
    style = rand()
    wire_date = style < 0.06
    pub = None if 0.06 <= style < 0.14 else date.fromordinal(_EPOCH + int(rand() * _DAYS))
    page = _Page(r, nl)
    title, outlet = _header(page, pools, pub, wire_date)
    dateline = _dateline(page, pub, wire_date)

    # The body, in one of the pools' layouts: mostly filler, with figure sentences, numbers
    # that are not figures, quotes and a little chrome between paragraphs.
    parts, figures, whens, non_figures = page.parts, page.figures, page.whens, page.non_figures
    heads, predicates, closers = pools.filler_heads, pools.predicates, pools.closers
    bits = r.getrandbits
    curly = encoding == "cp1252" or rand() < 0.4
    quotes = pools.quote_openings["curly" if curly else "straight"]
    quote_speakers, quote_closers = pools.quote_speakers, pools.quote_closers
    frames, nonfigure_frames = pools.frames, pools.nonfigure_frames
    recent_date_openings = pools.recent_date_openings
    paragraph = nl + nl
    seps = (" ", paragraph)
    pos, counted = page.pos, len(parts)
    for code, sep in pools.layouts[bits(12)]:
        if code == _FILLER:
            parts.append(f"{heads[bits(12)]}{predicates[bits(11)]}{closers[bits(10)]}{seps[sep]}")
        elif code in (_FRAME, _LEAD):
            if code == _FRAME:
                texts, slots, frame_whens = frames[bits(14)]
            else:
                texts, slots, frame_whens = pools.subject_frames[bits(12)]
            if counted != len(parts):
                pos += sum(map(len, parts[counted:]))
            sentence = texts[0]
            if len(slots) == 1 and slots[0][1] is not None:
                # The common case, one figure with its noun, written out for speed.
                counts, nouns, category, event, _, _ = slots[0]
                text, low, high, qualifier, joiner = counts[bits(10)]
                written, entity = nouns[bits(16) % len(nouns)]
                span = f"{text}{joiner}{written}"
                gold = (span, low, high, qualifier, entity, category, event, category != "other")
                figures.append((pos + len(sentence), gold))
                sentence = f"{sentence}{span}{texts[1]}{seps[sep]}"
                if frame_whens:
                    whens.extend(frame_whens)
                parts.append(sentence)
                pos += len(sentence)
                counted = len(parts)
                continue
            chosen: list[tuple[str, str, int]] = []
            for k, (counts, nouns, category, event, ref, part) in enumerate(slots):
                text, low, high, qualifier, joiner = counts[bits(10)]
                if nouns is None:
                    # No noun: the entity is the one the figure of slot `ref` counted.
                    entity, category = chosen[ref][0], chosen[ref][1]
                    span = text
                else:
                    while part and high >= chosen[-1][2] and rand() < 0.9:
                        # A part of the previous count ("including 40 children"): smaller.
                        text, low, high, qualifier, joiner = counts[bits(10)]
                    written, entity = nouns[bits(16) % len(nouns)]
                    span = text + joiner + written
                chosen.append((entity, category, low))
                gold = (span, low, high, qualifier, entity, category, event, category != "other")
                figures.append((pos + len(sentence), gold))
                sentence += span + texts[k + 1]
            if frame_whens:
                whens.extend(frame_whens)
            sentence += seps[sep]
            parts.append(sentence)
            pos += len(sentence)
            counted = len(parts)
        elif code == _NONFIGURE or (code == _RECENT_DATE and pub is None):
            before, kind, after = nonfigure_frames[bits(12)]
            phrase = pools.nonfigure_phrases[kind][bits(8)]
            non_figures.append(phrase)
            parts.append(f"{before}{phrase}{after}{closers[bits(10)]}{seps[sep]}")
        elif code == _QUOTE:
            parts.append(
                f"{quotes[bits(5)]}{quote_speakers[bits(12)]}{quote_closers[bits(10)]}{seps[sep]}"
            )
        elif code == _RECENT_DATE and pub is not None:
            # A day without a year, shortly before publication (not long before: that would
            # make the date suspect).
            day = pub - timedelta(days=int(1 + rand() * 20))
            phrase = f"{_MONTHS[day.month - 1]} {day.day}"
            non_figures.append(phrase)
            before = recent_date_openings[bits(9)]
            parts.append(f"{before}{phrase}{closers[bits(10)]}{seps[sep]}")
        elif code == _LINK:
            parts.append(_link_line(page) + paragraph)
        elif code == _ADVERT:
            parts.append("Advertisement" + paragraph)
        elif code == _CAPTION:
            parts.append(_caption(page) + paragraph)
    page.pos = pos + sum(map(len, parts[counted:]))
    outlet = _footer(page, pub, outlet, wire_date)
    text = "".join(parts).rstrip() + nl
    if not want_gold:
        return text, encoding, None, len(figures)
    gold = _Gold(
        encoding,
        crlf,
        title,
        pub,
        outlet,
        sorted(page.agencies),
        dateline,
        figures,
        whens,
        non_figures,
    )
    return text, encoding, gold, len(figures)


# -- corpus ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeneratedCorpus:
    """What `generate` wrote, and how long it took."""

    out_dir: Path
    articles: int
    figures: int
    bytes: int
    seconds: float
    gold_path: Path | None
    # Building the shared pools, once per process (not in `seconds`).
    setup_seconds: float = 0.0

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else float("inf")

    @property
    def megabytes_per_second(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else float("inf")


def iter_articles(
    n: int, seed: int = 0, shard_size: int = 1000
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (relative path, text, gold) for articles 0..n-1 of the corpus of `seed`,
    without writing anything. The gold is what the article's gold.jsonl line holds; the
    text is the decoded text (write it in gold["encoding"])."""
    for index, text, _, gold, _ in _built(0, n, seed, want_gold=True):
        assert gold is not None
        rel = relative_path(index, shard_size)
        yield rel, text, {"file": rel, **_gold_dict(gold)}


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _write_files(batch: list[tuple[str, bytes]]) -> None:
    """Write each (path, bytes); the system calls release the GIL, so writer threads overlap
    the disk's latency with the generation of the next articles."""
    for path, data in batch:
        fd = os.open(path, _WRITE_FLAGS, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)


def generate(
    n: int,
    out_dir: Path,
    seed: int = 0,
    gold: bool = True,
    shard_size: int = 1000,
    writers: int = 4,
) -> GeneratedCorpus:
    """Write n articles under out_dir (folders of at most shard_size files) and, with
    `gold`, out_dir/gold.jsonl; returns the counts and the time it took, writes included.

    Files are written by `writers` threads (0: in the calling thread); on a disk where
    creating a file takes a while, that is several times faster."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    _pools()
    setup = time.perf_counter() - started
    started += setup
    gold_path = out_dir / "gold.jsonl" if gold else None
    total_bytes = figures = 0
    folder = ""
    root = str(out_dir)
    batch: list[tuple[str, bytes]] = []
    pending: deque[Future[None]] = deque()
    with contextlib.ExitStack() as stack:
        gold_file = (
            stack.enter_context(gold_path.open("w", encoding="utf-8", newline="\n"))
            if gold_path
            else None
        )
        pool = stack.enter_context(ThreadPoolExecutor(writers)) if writers > 0 else None
        for index, text, encoding, doc_gold, count in _built(0, n, seed, want_gold=gold):
            rel = relative_path(index, shard_size)
            shard = rel[: rel.index("/")]
            if shard != folder:
                folder = shard
                os.makedirs(os.path.join(root, shard), exist_ok=True)
            data = text.encode(encoding)
            batch.append((os.path.join(root, rel), data))
            total_bytes += len(data)
            figures += count
            if gold_file is not None and doc_gold is not None:
                gold_file.write(_gold_json(rel, doc_gold) + "\n")
            if len(batch) == 64 or index == n - 1:
                if pool is None:
                    _write_files(batch)
                else:
                    pending.append(pool.submit(_write_files, batch))
                    while len(pending) > 4 * writers or (pending and pending[0].done()):
                        pending.popleft().result()  # at most a few batches in memory
                batch = []
        while pending:
            pending.popleft().result()
    seconds = time.perf_counter() - started
    return GeneratedCorpus(out_dir, n, figures, total_bytes, seconds, gold_path, setup)


# -- command line ---------------------------------------------------------------------------


def score(out_dir: Path, limit: int, show: int = 10) -> str:
    """Extract the first `limit` written articles with newsfigures and score them against
    the gold as `newsfigures score` does (figures by the matching rule, metadata, relative
    dates); lists up to `show` misses and extras. Needs newsfigures importable."""
    from newsfigures.config import load_project
    from newsfigures.extract import Extractor
    from newsfigures.extract.figures import date_expressions
    from newsfigures.scoring import GoldFigure, Score, score_dates, score_document
    from newsfigures.sources.read import read_file
    from newsfigures.sources.records import RawDocument

    project = load_project(Path(__file__).resolve().parents[1])
    extractor = Extractor(project)
    settings = project.settings.ingest
    documents = []
    started = time.perf_counter()
    with (out_dir / "gold.jsonl").open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                break
            entry = json.loads(line)
            raw = read_file(out_dir / entry["file"], out_dir, settings)
            if not isinstance(raw, RawDocument):
                raise ValueError(f"{entry['file']}: {raw.reason}")
            figures = [GoldFigure.from_entry(f, f["start"], f["end"]) for f in entry["figures"]]
            extracted = extractor.extract(raw)
            result = score_document(entry["file"], entry["doc"], figures, extracted)
            meta = extracted.metadata
            found = date_expressions(
                raw.text, meta.content_lines, meta.published_date, extractor.figure_grammar
            )
            score_dates(result, raw.text, entry["dates"], found)
            documents.append(result)
    seconds = time.perf_counter() - started
    s = Score(documents).as_dict()
    metadata = "  ".join(
        f"{k.removesuffix('_accuracy')} {v:.3f}"
        for k, v in s.items()
        if k.endswith("_accuracy") and k != "relative_date_accuracy"
    )
    report = [
        f"scored {s['documents']} articles in {seconds:.1f} s: precision {s['precision']:.4f}"
        f" recall {s['recall']:.4f} F1 {s['f1']:.4f} (tp {s['true_positives']},"
        f" fp {s['false_positives']}, fn {s['false_negatives']})",
        f"  agreement: qualifier {s['qualifier_agreement']:.3f}"
        f"  category {s['category_agreement']:.3f}  event {s['event_agreement']:.3f}",
        f"  metadata: {metadata}",
        f"  relative dates: {s['relative_date_accuracy']:.3f} of {s['relative_dates']}",
    ]
    misses = [(d.name, m) for d in documents for m in d.misses]
    extras = [(d.name, e) for d in documents for e in d.extras]
    report += [f"  missed {m}  ({name})" for name, m in misses[:show]]
    report += [f"  extra  {e}  ({name})" for name, e in extras[:show]]
    return "\n".join(report)


def main(argv: list[str] | None = None) -> int:
    """Command line: write a corpus and say how fast it was written."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out_dir", type=Path, help="folder to write (created if missing)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--no-gold", action="store_true", help="do not write gold.jsonl")
    parser.add_argument("--shard-size", type=int, default=1000, help="files per folder")
    parser.add_argument(
        "--writers", type=int, default=4, help="threads writing files (0: none; default 4)"
    )
    parser.add_argument(
        "--score",
        type=int,
        default=0,
        metavar="M",
        help="then extract the first M articles with newsfigures and score them",
    )
    args = parser.parse_args(argv)
    if args.n < 0 or args.shard_size < 1:
        parser.error("N must be >= 0 and --shard-size >= 1")
    if args.score and args.no_gold:
        parser.error("--score needs the gold")
    if args.writers < 0:
        parser.error("--writers must be >= 0")
    result = generate(
        args.n, args.out_dir, args.seed, not args.no_gold, args.shard_size, args.writers
    )
    where = f" and {result.gold_path}" if result.gold_path else " (no gold)"
    print(
        f"wrote {result.articles:,} articles ({result.figures:,} figures, "
        f"{result.bytes / 1e6:.1f} MB) to {result.out_dir}{where}"
    )
    print(
        f"in {result.seconds:.2f} s: {result.articles_per_second:,.0f} articles/s, "
        f"{result.megabytes_per_second:.1f} MB/s (after {result.setup_seconds:.2f} s building"
        " the sentence pools)"
    )
    if args.score:
        print(score(args.out_dir, args.score))
    return 0


if __name__ == "__main__":
    sys.exit(main())
