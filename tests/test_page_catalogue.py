"""A catalogue of the kinds of pages an analyst feeds sitrep, each with its title, its own published date
and which of its lines are page furniture and which are the article's own.

Wire copy, newspaper scrapes with mastheads, skip links, account menus, share bars and teaser blocks,
think-tank analysis, NGO and UN flash updates, government and military press releases, machine-translated
local news, JSONL records, e-mail newsletters, HTML pages with and without <title>, og: and JSON-LD
metadata.  Every outlet, person and place is invented (Arcadia, Veridia, Corvania, Port Lumen, Sollen).

What is checked, as a reader of the page would judge it:
- title: the headline, never the outlet's name, a menu, a skip link or a dateline above it;
- published: the article's own date (a dateline, a "Published" line, a date on a line of its own by the
  title or byline, a release date), never a today widget's or a related article's;
- furniture removed (menus, share bars, teasers, counters, sign-up and cookie boxes) and the article's
  own lines kept (bylines, credit lines, datelines, list items, a release's contact lines).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from sitrep.ingest.document import make_document
from sitrep.ingest.readers import RawInput
from sitrep.models import Document


@dataclass(frozen=True)
class Page:
    name: str
    raw: str
    title: str | None
    published: str | None
    furniture: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    fmt: str = "txt"
    fields: dict[str, str] = field(default_factory=dict)
    unsure: tuple[str, ...] = ()  # lines a reader could count either way: not checked


def _lines(*lines: str) -> str:
    return "\n".join(lines) + "\n"


PAGES: list[Page] = []


def page(name: str, raw: str, title: str | None, published: str | None, *, furniture: tuple[str, ...] = (),
         kept: tuple[str, ...] = (), fmt: str = "txt", fields: dict[str, str] | None = None,
         unsure: tuple[str, ...] = ()) -> None:
    PAGES.append(Page(name, raw, title, published, furniture, kept, fmt, fields or {}, unsure))


# --- wire copy -----------------------------------------------------------------------------------------

page("wire_dateline_credit", _lines(
    "Rebels seize a fuel depot outside Sollen as talks stall",
    "By Petra Lind",
    "SOLLEN, Veridia, March 14, 2025 (Lumen Wire) - Fighters of the Red Hand Brigade seized a fuel depot on "
    "the northern edge of Sollen on Thursday, two residents and a local official said, as ceasefire talks in "
    "Port Lumen stalled for a third day.",
    "The official, who asked not to be named, said about forty fighters arrived in pickup trucks before dawn "
    "and the guards fled without a fight.",
    "\"We heard shooting for an hour and then nothing,\" said one resident, a teacher who lives near the depot.",
    "The brigade did not respond to a request for comment.",
    "Reporting by Petra Lind; additional reporting by Omar Vance in Port Lumen; Editing by Clara Moss",
), "Rebels seize a fuel depot outside Sollen as talks stall", "2025-03-14",
    kept=("By Petra Lind", "Reporting by Petra Lind; additional reporting by Omar Vance in Port Lumen; "
                           "Editing by Clara Moss"))

page("wire_timestamp_no_year_dateline", _lines(
    "Arcadia recalls its envoy after a border shooting",
    "March 3, 2025 7:42 AM GMT",
    "PORT LUMEN, March 3 (Lumen Wire) - Arcadia recalled its ambassador to Corvania on Monday after border "
    "guards of the two countries exchanged fire near the Tarsa crossing, the foreign ministry said.",
    "A ministry statement said one Arcadian guard was wounded and accused Corvanian troops of firing first.",
    "Corvania's foreign ministry said its soldiers had returned fire after being shot at from across the line.",
    "Our Standards: The Lumen Wire Trust Principles.",
), "Arcadia recalls its envoy after a border shooting", "2025-03-03",
    furniture=("Our Standards: The Lumen Wire Trust Principles.",))

page("wire_agency_slug", _lines(
    "LUMEN WIRE",
    "Army says it retook two villages north of Orlo",
    "ORLO, Veridia, 9 February 2025 (Lumen Wire) - The Arcadian army said on Sunday it had retaken two "
    "villages north of Orlo from the Red Hand Brigade after three days of fighting.",
    "A military spokesman said eleven fighters were killed and six soldiers wounded in the operation.",
    "The brigade said in a statement that its fighters had withdrawn to spare civilians.",
    "Writing by Nadia Fenn; Editing by Paul Greer",
), "Army says it retook two villages north of Orlo", "2025-02-09",
    kept=("Writing by Nadia Fenn; Editing by Paul Greer",))

# --- newspaper site scrapes ----------------------------------------------------------------------------

page("newspaper_masthead_menus_share_related", _lines(
    "The Corvan Herald",
    "Skip to content",
    "Log in | Subscribe",
    "Home | World | Politics | Business | Opinion | Sport",
    "Floods cut off three districts as the Maren river bursts its banks",
    "By Anna Keller, Staff Writer",
    "Published March 14, 2025",
    "Share on Facebook",
    "Share on X",
    "Copy link",
    "Three districts in the east of Corvania were cut off on Friday after the Maren river burst its banks, "
    "the regional emergency office said.",
    "Photo: Jon Vale for The Corvan Herald",
    "Rescue boats reached about two hundred families in Dalmet by the evening, the office said, but roads to "
    "the other two districts remained under water.",
    "Advertisement",
    "The weather service expects more rain over the weekend and has asked residents of low-lying areas to "
    "move to higher ground.",
    "Related articles",
    "Rescue teams reach stranded villagers in Dalmet",
    "February 27, 2025",
    "Aid agencies warn of a long recovery in the valley",
    "February 20, 2025",
    "© 2025 The Corvan Herald. All rights reserved.",
), "Floods cut off three districts as the Maren river bursts its banks", "2025-03-14",
    furniture=("Skip to content", "Log in | Subscribe", "Home | World | Politics | Business | Opinion | Sport",
               "Share on Facebook", "Share on X", "Copy link", "Advertisement", "Related articles",
               "Rescue teams reach stranded villagers in Dalmet", "Aid agencies warn of a long recovery in the valley",
               "© 2025 The Corvan Herald. All rights reserved."),
    kept=("By Anna Keller, Staff Writer",), unsure=("Photo: Jon Vale for The Corvan Herald",))

page("newspaper_skip_link_first", _lines(
    "Skip to main content",
    "Corvan Daily Star",
    "Menu",
    "Search",
    "Police arrest six after clashes outside a stadium in Varn",
    "By Marek Dunn",
    "Saturday, 8 March 2025",
    "Police in Varn arrested six people on Saturday after supporters of two football clubs fought outside the "
    "city stadium, a police spokeswoman said.",
    "Four officers were hurt when the crowd threw stones and bottles, she said, and two cars were set on fire.",
    "The match was called off at half time.",
    "Most popular",
    "Mayor of Varn unveils a new tram plan",
    "Sign up to our morning newsletter",
), "Police arrest six after clashes outside a stadium in Varn", "2025-03-08",
    furniture=("Skip to main content", "Menu", "Search", "Most popular", "Mayor of Varn unveils a new tram plan",
               "Sign up to our morning newsletter"),
    kept=("By Marek Dunn",))

page("newspaper_account_menu_first", _lines(
    "Sign in | Register | My account",
    "NATIONAL",
    "Gunmen kill four at a checkpoint near Orlo",
    "Tomas Reyes",
    "14 March 2025",
    "Gunmen killed four police officers at a checkpoint on the road into Orlo late on Thursday, the provincial "
    "governor said.",
    "The attackers fled towards the hills east of the town, the governor said, and a search was under way.",
    "No group has said it carried out the attack.",
    "Comments (12)",
    "Read next",
    "Teachers in Orlo strike over unpaid wages",
    "12 March 2025",
), "Gunmen kill four at a checkpoint near Orlo", "2025-03-14",
    furniture=("Sign in | Register | My account", "Comments (12)", "Read next",
               "Teachers in Orlo strike over unpaid wages"),
    kept=("Tomas Reyes",))

page("newspaper_dateline_first_line", _lines(
    "Port Lumen, Tuesday 4 March 2025",
    "Parliament approves an emergency budget for the northern provinces",
    "The parliament of Arcadia approved an emergency budget of 400 million lumens for the northern provinces "
    "on Tuesday, after a debate that lasted through the night.",
    "The money will pay for the repair of roads and schools damaged in the fighting, the finance minister said.",
    "Opposition members walked out before the vote, saying the plan had been rushed.",
), "Parliament approves an emergency budget for the northern provinces", "2025-03-04",
    kept=("Port Lumen, Tuesday 4 March 2025",))

page("newspaper_caps_masthead_standfirst", _lines(
    "THE ARCADIA OBSERVER",
    "Hospital in Orlo runs out of fuel as the siege tightens",
    "Doctors say they can keep the generators running for two more days",
    "By Lina Park | 10 March 2025",
    "The only hospital in Orlo has run out of fuel for its generators, doctors said on Monday, as the siege "
    "of the town by the Red Hand Brigade entered its third week.",
    "\"We are choosing which machines to switch off,\" said one surgeon, who asked not to be named.",
    "The health ministry said a convoy with fuel was waiting for permission to cross the front line.",
), "Hospital in Orlo runs out of fuel as the siege tightens", "2025-03-10",
    kept=("By Lina Park | 10 March 2025", "Doctors say they can keep the generators running for two more days"))

page("newspaper_today_widget_date", _lines(
    "Tuesday, 18 March 2025 | Port Lumen 21°C",
    "The Lumen Evening News",
    "Curfew extended in the old city after a week of protests",
    "By Hana Sato",
    "Published 14 March 2025",
    "The city council of Port Lumen extended the night curfew in the old city by a week on Friday, after a "
    "seventh night of protests over the price of bread.",
    "Police said thirty people had been detained since the protests began.",
    "Shop owners in the old city said the curfew had halved their trade.",
), "Curfew extended in the old city after a week of protests", "2025-03-14",
    furniture=("Tuesday, 18 March 2025 | Port Lumen 21°C",), kept=("By Hana Sato",))

page("newspaper_no_date_teaser_dates", _lines(
    "Corvan Herald",
    "OPINION",
    "The valley needs roads, not promises",
    "By Ruth Adler",
    "For ten years every minister who has visited the Maren valley has promised a new road, and for ten "
    "years the villages have waited.",
    "The floods of this winter showed the cost of that wait: rescue teams needed two days to reach Dalmet.",
    "The government should spend the money it has set aside for the new stadium on the valley road instead.",
    "More from Opinion",
    "Why the border tax will fail",
    "2 March 2025",
    "The quiet cost of the fuel subsidy",
    "24 February 2025",
), "The valley needs roads, not promises", None,
    furniture=("More from Opinion", "Why the border tax will fail", "The quiet cost of the fuel subsidy"),
    kept=("By Ruth Adler",))

page("newspaper_section_updated_published", _lines(
    "WORLD",
    "Ceasefire collapses in the hills above Varn",
    "Updated: 16 March 2025 | Published: 15 March 2025",
    "A ceasefire between the Corvanian army and the Hill Front collapsed on Saturday when fighting broke out "
    "around two villages above Varn, residents said.",
    "The army said the Hill Front had attacked one of its posts; the group said the army had shelled a village.",
    "At least three civilians were wounded, according to a local clinic.",
    "Share this article",
    "Facebook",
    "WhatsApp",
), "Ceasefire collapses in the hills above Varn", "2025-03-15",
    furniture=("Share this article", "Facebook", "WhatsApp"))

page("newspaper_originally_published", _lines(
    "ANALYSIS",
    "The Red Hand Brigade's new recruits",
    "By Jonas Feld",
    "Originally published March 2, 2025",
    "Over the winter the Red Hand Brigade has recruited hundreds of young men from the towns along the Tarsa "
    "river, according to local officials and two former members.",
    "Most of the new recruits are unemployed and are paid a monthly wage, the former members said.",
    "The brigade has denied paying fighters.",
), "The Red Hand Brigade's new recruits", "2025-03-02",
    kept=("By Jonas Feld", "Originally published March 2, 2025"))

page("newspaper_cookie_and_signup", _lines(
    "We use cookies to improve your experience. Accept all",
    "Varn Courier",
    "Two aid workers kidnapped on the road to Dalmet",
    "By Eli Marsh",
    "Published 11 March 2025, 14:05",
    "Two aid workers were kidnapped on Tuesday on the road between Varn and Dalmet, the aid group they work "
    "for said.",
    "The group said it was in contact with the local authorities and asked for the workers' safe release.",
    "Subscribe to our newsletter for the latest news",
    "Enter your email address",
), "Two aid workers kidnapped on the road to Dalmet", "2025-03-11",
    furniture=("We use cookies to improve your experience. Accept all",
               "Subscribe to our newsletter for the latest news", "Enter your email address"),
    kept=("By Eli Marsh",))

# --- think tanks ---------------------------------------------------------------------------------------

page("think_tank_name_then_date_line", _lines(
    "Meridian Institute for Security Studies",
    "Analysis",
    "The quiet expansion of militia economies in northern Veridia",
    "Mira Holt and Daniel Okafor",
    "12 February 2025",
    "Over the past two years the militias that control the roads north of Sollen have built a network of "
    "checkpoints, fuel stations and markets that pays for their fighters.",
    "Their income now rivals that of the provincial government, according to traders and local officials.",
    "Any settlement that ignores this economy is unlikely to hold, because the militias would lose the most.",
    "Related analysis",
    "Why the Sollen ceasefire failed",
    "Border trade and the new smuggling routes",
), "The quiet expansion of militia economies in northern Veridia", "2025-02-12",
    furniture=("Related analysis", "Why the Sollen ceasefire failed", "Border trade and the new smuggling routes"),
    kept=("Mira Holt and Daniel Okafor",))

page("think_tank_date_above_title", _lines(
    "Hollin Centre for Policy Research",
    "Commentary",
    "February 20, 2025",
    "What a new port deal means for the Tarsa Strait",
    "By Lena Brandt",
    "The agreement signed last week gives Corvania the right to use the port of Kessa for twenty years, and "
    "with it a foothold on the Tarsa Strait.",
    "For Arcadia, which has long treated the strait as its own, the deal is a warning.",
    "The two navies have already shadowed each other twice this year.",
    "Download PDF",
    "Print",
), "What a new port deal means for the Tarsa Strait", "2025-02-20",
    furniture=("Download PDF", "Print"), kept=("By Lena Brandt",))

page("think_tank_read_time", _lines(
    "Northbridge Forum",
    "Research | Conflict and security",
    "Drones and the changing battlefield of the Maren valley",
    "Sara Quint, Senior Fellow",
    "5 March 2025 | 12 min read",
    "Cheap drones have changed how both the Corvanian army and the Hill Front fight in the Maren valley.",
    "Since last summer, most of the casualties reported by local clinics have been caused by drones rather "
    "than artillery.",
    "This paper sets out three ways in which the change affects civilians.",
    "Topics",
    "Defence",
    "Technology",
), "Drones and the changing battlefield of the Maren valley", "2025-03-05",
    kept=("Sara Quint, Senior Fellow",))

# --- NGO and UN updates --------------------------------------------------------------------------------

page("un_flash_update", _lines(
    "Office for Relief Coordination",
    "Veridia: Flood Flash Update No. 3",
    "As of 14 March 2025",
    "HIGHLIGHTS",
    "- At least 12,000 people have been displaced by floods in Maren district.",
    "- Two health centres in Dalmet are closed after water entered the buildings.",
    "- Partners have delivered food to 3,400 families.",
    "SITUATION OVERVIEW",
    "Heavy rain since 10 March has caused the Maren river to flood large parts of the district, according to "
    "the local authorities.",
    "Roads to six villages are cut, and partners are using boats to reach them.",
    "For further information, please contact:",
    "Jana Ortiz, Head of Office, ortiz@orc.example.org, +41 22 555 0101",
), "Veridia: Flood Flash Update No. 3", "2025-03-14",
    kept=("- At least 12,000 people have been displaced by floods in Maren district.",
          "- Partners have delivered food to 3,400 families.",
          "Jana Ortiz, Head of Office, ortiz@orc.example.org, +41 22 555 0101"))

page("ngo_statement", _lines(
    "Friends of the Valley",
    "Statement",
    "Attack on a clinic in Dalmet must be investigated",
    "18 March 2025",
    "Friends of the Valley condemns the attack on the Dalmet clinic on Sunday, in which two nurses were "
    "killed and the building was badly damaged.",
    "The clinic was clearly marked and its location had been shared with all parties to the conflict.",
    "We call on the authorities to open an independent investigation.",
    "Notes to editors",
    "Friends of the Valley is an independent aid group working in northern Veridia since 2009.",
    "Media enquiries: press@fotv.example.org",
), "Attack on a clinic in Dalmet must be investigated", "2025-03-18",
    kept=("Media enquiries: press@fotv.example.org",),
    unsure=("Friends of the Valley is an independent aid group working in northern Veridia since 2009.",))

# --- government and military press releases ------------------------------------------------------------

page("ministry_press_release", _lines(
    "Ministry of Defence of the Republic of Arcadia",
    "PRESS RELEASE",
    "FOR IMMEDIATE RELEASE",
    "Minister announces the withdrawal of two battalions from the Tarsa border",
    "Port Lumen, 14 March 2025",
    "The Minister of Defence, General Ilse Varga, announced on Friday that two battalions would leave the "
    "Tarsa border by the end of the month.",
    "The withdrawal follows the agreement reached with Corvania in February, the minister said.",
    "###",
    "Press Office, Ministry of Defence",
    "Tel: +1 555 0100 | Email: press@mod.arcadia.example",
), "Minister announces the withdrawal of two battalions from the Tarsa border", "2025-03-14",
    kept=("Port Lumen, 14 March 2025", "Press Office, Ministry of Defence",
          "Tel: +1 555 0100 | Email: press@mod.arcadia.example"))

page("military_release_number_date_line", _lines(
    "Arcadian Armed Forces Joint Command",
    "Public Affairs Office",
    "Release No. 25-031",
    "March 14, 2025",
    "Air strikes target Red Hand Brigade positions near Orlo",
    "Arcadian aircraft struck four positions of the Red Hand Brigade near Orlo on Thursday night, the Joint "
    "Command said.",
    "The strikes destroyed two weapons stores and a command post, according to the statement.",
    "-END-",
    "Media contact: Maj. Rafael Costa, Public Affairs Officer, (555) 010-2233",
), "Air strikes target Red Hand Brigade positions near Orlo", "2025-03-14",
    kept=("Media contact: Maj. Rafael Costa, Public Affairs Officer, (555) 010-2233",))

page("government_release_dotted_date", _lines(
    "Government of Corvania",
    "Office of the Prime Minister",
    "Press Release",
    "17.03.2025",
    "Prime Minister meets the envoy of Arcadia on the border crisis",
    "Prime Minister Oskar Lind received the special envoy of Arcadia, Ambassador Rhea Moll, in Varn on Monday.",
    "The two discussed the situation on the Tarsa border and the return of displaced families.",
    "The Prime Minister said Corvania was ready to continue the talks.",
), "Prime Minister meets the envoy of Arcadia on the border crisis", "2025-03-17")

page("press_release_issued_line", _lines(
    "Veridia Provincial Police",
    "News release",
    "Three suspects detained after the Sollen market bombing",
    "Issued: 16 March 2025",
    "The Veridia Provincial Police detained three suspects on Sunday in connection with the bombing of the "
    "Sollen market last week.",
    "The suspects are being questioned and have not yet been charged, a police statement said.",
    "Anyone with information is asked to call the police hotline.",
    "Contact: Police Press Office, 555 0177, media@vpp.example",
), "Three suspects detained after the Sollen market bombing", "2025-03-16",
    kept=("Contact: Police Press Office, 555 0177, media@vpp.example",))

# --- machine-translated local news ---------------------------------------------------------------------

page("translated_local_news", _lines(
    "Sollen Today - news of the province",
    "Home | Politics | Society | Economy | Sport | Contact",
    "Font size: A- A A+",
    "Armed men have attacked the market of Dalmet, three people have died",
    "Published: 15.03.2025, 10:24 | Views: 1 245",
    "In the morning of Saturday unknown armed men have opened the fire in the central market of Dalmet, has "
    "informed the police of the province.",
    "According to the police, three persons have died and five have received wounds, among them one child.",
    "The head of the district Rasim Tolan has declared that the security at the market will be strengthened.",
    "The investigation is conducted.",
    "Share:",
    "Comments (0)",
    "To leave a comment, you must log in.",
    "Other news",
    "The road between Sollen and Dalmet is repaired 14.03.2025",
), "Armed men have attacked the market of Dalmet, three people have died", "2025-03-15",
    furniture=("Home | Politics | Society | Economy | Sport | Contact", "Font size: A- A A+", "Share:",
               "Comments (0)", "To leave a comment, you must log in.", "Other news",
               "The road between Sollen and Dalmet is repaired 14.03.2025"))

page("translated_news_iso_date", _lines(
    "Varn Region Info",
    "Date of publication: 2025-03-16",
    "In the district of Kessa the explosion of the gas pipe has damaged five houses",
    "On Sunday in the village of Ost in the district of Kessa there has occurred the explosion of the gas "
    "pipe, has reported the service of emergencies.",
    "As a result five houses have been damaged, people have not suffered.",
    "The cause of the explosion is established by the specialists.",
    "Source: Varn Region Info",
), "In the district of Kessa the explosion of the gas pipe has damaged five houses", "2025-03-16")

# --- JSONL records -------------------------------------------------------------------------------------

_JSONL_BODY = ("Shelling damaged the main water station in Varn on Wednesday, cutting supplies to about "
               "forty thousand people, the city water company said.\n\nEngineers hope to restore part of the "
               "supply within two days, the company said.\n")
page("jsonl_with_fields", _JSONL_BODY, "Shelling damages the water station in Varn", "2025-03-12",
     fmt="jsonl", fields={"title": "Shelling damages the water station in Varn", "published": "2025-03-12T08:00:00Z",
                          "publisher": "Varn Courier"})

page("jsonl_text_with_masthead", _lines(
    "Corvan Herald",
    "Border crossing at Tarsa reopens after two weeks",
    "The border crossing at Tarsa reopened on Thursday after two weeks of closure, customs officials said.",
    "Hundreds of trucks had queued on both sides of the border, drivers said.",
), "Border crossing at Tarsa reopens after two weeks", "2025-03-13", fmt="jsonl",
    fields={"published": "2025-03-13"})

# --- newsletters ---------------------------------------------------------------------------------------

page("newsletter_issue", _lines(
    "View this email in your browser",
    "The Tarsa Brief",
    "Weekly security notes on the Tarsa region | Issue 45 | 14 March 2025",
    "Ceasefire monitors report fewer violations along the Tarsa line",
    "The joint monitoring team recorded nine violations of the ceasefire along the Tarsa line this week, "
    "down from twenty-two the week before.",
    "Most of the violations were small-arms fire at night, the team said in its weekly report.",
    "Both armies have pulled heavy weapons back from two sectors.",
    "You are receiving this email because you subscribed to The Tarsa Brief.",
    "Unsubscribe | Update your preferences",
    "Forward to a friend",
), "Ceasefire monitors report fewer violations along the Tarsa line", "2025-03-14",
    furniture=("View this email in your browser",
               "You are receiving this email because you subscribed to The Tarsa Brief.",
               "Unsubscribe | Update your preferences", "Forward to a friend"))

# --- HTML pages ----------------------------------------------------------------------------------------

_P = ("<p>A drone struck a convoy of three trucks on the road south of Orlo on Tuesday, killing two drivers, "
      "a local official said.</p><p>The trucks were carrying flour to the town's bakeries, the official said. "
      "No group has said it launched the drone.</p><p>The road has been closed to traffic since.</p>")
page("html_title_og_jsonld", (
    "<html><head><title>Drone strike hits a convoy near Orlo | The Corvan Post</title>"
    '<meta property="og:title" content="Drone strike hits a convoy near Orlo">'
    '<meta property="og:site_name" content="The Corvan Post">'
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
    '"headline":"Drone strike hits a convoy near Orlo","datePublished":"2025-03-11T06:15:00+00:00",'
    '"dateModified":"2025-03-12T09:00:00+00:00"}</script></head><body>'
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li></ul></nav>"
    "<article><h1>Drone strike hits a convoy near Orlo</h1><p class='byline'>By Sami Erdem</p>" + _P +
    "</article><aside><h3>Most read</h3><ul><li><a href='/a'>Storm damages the port of Kessa</a> "
    "<time datetime='2025-03-01'>March 1, 2025</time></li></ul></aside>"
    "<footer><p>© 2025 The Corvan Post</p></footer></body></html>"),
    "Drone strike hits a convoy near Orlo", "2025-03-11", fmt="html",
    furniture=("Storm damages the port of Kessa",), kept=("By Sami Erdem",))

page("html_no_metadata", (
    "<html><body><div class='menu'><a href='/'>Home</a> <a href='/news'>News</a></div>"
    "<h1>Dam repairs begin in the Maren valley</h1><p>Posted on 9 March 2025 by the news desk</p>"
    "<p>Engineers began repairing the Maren dam on Sunday, three weeks after the floods damaged its spillway, "
    "the regional water office said.</p><p>The work is expected to take four months and will cost about "
    "twelve million lumens, the office said.</p><p>Villages below the dam have been told to keep their "
    "emergency plans ready.</p></body></html>"),
    "Dam repairs begin in the Maren valley", "2025-03-09", fmt="html")

page("html_title_tag_only_dash_suffix", (
    "<html><head><title>Fighting closes schools in Sollen - Sollen Today</title></head><body>"
    "<h2>Fighting closes schools in Sollen</h2><p class='date'>March 7, 2025</p>"
    "<p>All schools in Sollen were closed on Friday after fighting broke out on the edge of the town, the "
    "education office said.</p><p>Parents were asked to keep children at home until further notice.</p>"
    "<p>The office said the schools would reopen when the security forces judged it safe.</p>"
    "<div class='share'><a>Share on Facebook</a> <a>Share on X</a></div></body></html>"),
    "Fighting closes schools in Sollen", "2025-03-07", fmt="html",
    furniture=("Share on Facebook", "Share on X"))

page("html_title_is_site_name", (
    "<html><head><title>The Corvan Post</title>"
    '<meta property="article:published_time" content="2025-03-06T10:00:00Z"></head><body>'
    "<header><p>The Corvan Post</p></header>"
    "<article><h1>Troops deploy to the Kessa port after a strike by dock workers</h1>"
    "<p>Soldiers were sent to the port of Kessa on Thursday to keep it running after dock workers went on "
    "strike over pay, the transport ministry said.</p><p>The workers' union called the deployment an attack "
    "on the right to strike.</p><p>Talks between the union and the port authority are due on Monday.</p>"
    "</article></body></html>"),
    "Troops deploy to the Kessa port after a strike by dock workers", "2025-03-06", fmt="html")

page("html_jsonld_graph_related_dates", (
    "<html><head><title>Hill Front releases twelve hostages | Varn Courier</title>"
    '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
    '{"@type":"Organization","name":"Varn Courier"},'
    '{"@type":"NewsArticle","headline":"Hill Front releases twelve hostages",'
    '"datePublished":"2025-03-09T12:00:00Z"}]}</script></head><body>'
    "<main><h1>Hill Front releases twelve hostages</h1><p>By Ada Moreno</p>"
    "<p>The Hill Front released twelve hostages on Sunday, handing them to a team of the Red Shield in the "
    "hills above Varn, the group and the aid agency said.</p><p>The hostages, all of them workers of a "
    "road company, had been held since January.</p><p>The government thanked the mediators.</p></main>"
    "<section class='related'><h2>Related</h2><ul><li><a>Hostage talks stall in Varn</a> 20 February 2025</li>"
    "<li><a>Road workers seized in the hills</a> 14 January 2025</li></ul></section></body></html>"),
    "Hill Front releases twelve hostages", "2025-03-09", fmt="html", kept=("By Ada Moreno",))


page("html_time_only_in_aside", (
    "<html><head><title>Kessa port reopens after the storm</title></head><body>"
    "<article><h1>Kessa port reopens after the storm</h1><p>Published 4 March 2025</p>"
    "<p>The port of Kessa reopened to ships on Tuesday, a week after a storm damaged two of its piers, the "
    "port authority said.</p><p>Repairs to the damaged piers will take another month, the authority said.</p>"
    "<p>Fishing boats returned to the harbour on Monday.</p></article>"
    "<aside><h3>Latest news</h3><ul><li><a>Fuel prices rise in Varn</a> <time datetime='2025-03-05'>5 March "
    "2025</time></li></ul></aside></body></html>"),
    "Kessa port reopens after the storm", "2025-03-04", fmt="html")

page("html_site_first_in_title_tag", (
    "<html><head><title>Varn Courier | Police detain a mayor over road contracts</title></head><body>"
    "<div class='logo'>Varn Courier</div>"
    "<div class='story'><p><b>Police detain a mayor over road contracts</b></p><p>By Ivo Strand</p>"
    "<p>Police detained the mayor of Ost on Wednesday over contracts for roads that were never built, "
    "prosecutors said.</p><p>The mayor denied any wrongdoing, his lawyer said.</p>"
    "<p>Two officials of the district council were also questioned.</p></div></body></html>"),
    "Police detain a mayor over road contracts", None, fmt="html", kept=("By Ivo Strand",))

page("html_logo_h1_headline_h2", (
    "<html><head><title>Floodwater reaches the outskirts of Dalmet - Maren Valley News</title></head><body>"
    "<h1 class='logo'>Maren Valley News</h1><h2>Floodwater reaches the outskirts of Dalmet</h2>"
    "<p class='meta'>Posted 13 March 2025</p>"
    "<p>Floodwater reached the outskirts of Dalmet on Thursday as the Maren river kept rising, the town "
    "council said.</p><p>Volunteers filled sandbags along the river bank through the night.</p>"
    "<p>The council has opened two schools as shelters.</p></body></html>"),
    "Floodwater reaches the outskirts of Dalmet", "2025-03-13", fmt="html")

page("syndication_note_kept", _lines(
    "Why the Tarsa talks keep failing",
    "By Ines Roth",
    "7 March 2025",
    "Five rounds of talks between Arcadia and Corvania over the Tarsa border have ended without a deal since "
    "last spring.",
    "Each time, the talks broke down over who should control the crossing at Tarsa itself, diplomats say.",
    "A sixth round is planned for April.",
    "This article was originally published in the Veridia Review on 2 March 2025.",
), "Why the Tarsa talks keep failing", "2025-03-07",
    kept=("By Ines Roth", "This article was originally published in the Veridia Review on 2 March 2025."))

page("skip_navigation_and_account_line", _lines(
    "Skip to navigation",
    "Create account | Sign in",
    "Kessa Daily",
    "Strikers block the coast road near Kessa for a second day",
    "By Alma Rusk",
    "Updated 12 March 2025 | Published 11 March 2025",
    "Dock workers on strike blocked the coast road north of Kessa for a second day on Wednesday, leaving "
    "hundreds of trucks stuck in queues.",
    "The union said the blockade would go on until the port authority agreed to talks.",
    "Police watched from a distance and made no arrests.",
), "Strikers block the coast road near Kessa for a second day", "2025-03-11",
    furniture=("Skip to navigation", "Create account | Sign in"), kept=("By Alma Rusk",))


# --- more pages, written after the rules were fixed, to check they hold on pages not tuned for -------

page("breadcrumb_relative_date", _lines(
    "Home » World » Africa",
    "Farmers flee as fighting spreads along the Orlo road",
    "Kofi Mensah | 2 days ago | 3 min read",
    "Hundreds of farming families have fled their villages along the Orlo road as fighting between the army "
    "and the Red Hand Brigade spread south, local leaders said.",
    "Many left their harvest in the fields, one village chief said.",
    "The army said it was pushing the fighters back towards the hills.",
), "Farmers flee as fighting spreads along the Orlo road", None, furniture=("Home » World » Africa",))

page("widget_masthead_two_authors", _lines(
    "SUBSCRIBE NOW",
    "The Varn Gazette",
    "Thursday, March 6, 2025",
    "Prison riot in Varn leaves two guards dead",
    "By Tomas Ek and Lea Hart",
    "March 5, 2025",
    "Two guards were killed and nine inmates injured during a riot at the central prison in Varn on "
    "Wednesday, the justice ministry said.",
    "Order was restored after six hours, the ministry said.",
    "An inquiry has been opened.",
), "Prison riot in Varn leaves two guards dead", "2025-03-05",
    furniture=("SUBSCRIBE NOW", "Thursday, March 6, 2025"), kept=("By Tomas Ek and Lea Hart",))

page("think_tank_label_date_line", _lines(
    "Tarsa Policy Group",
    "Commentary | 3 April 2024",
    "The ceasefire on the Tarsa line is fragile but worth defending",
    "By Edda Moll",
    "The ceasefire agreed last autumn has cut the number of civilian deaths along the Tarsa line by more "
    "than half, according to monitors.",
    "Yet neither army has pulled back its heavy weapons, and incidents are rising again.",
    "Both governments should agree to a monitoring mission with real powers.",
), "The ceasefire on the Tarsa line is fragile but worth defending", "2024-04-03", kept=("By Edda Moll",))

page("un_sitrep_abbrev_month", _lines(
    "Arcadia: Humanitarian Situation Report No. 12",
    "Published on 17 Mar 2025",
    "KEY FIGURES",
    "- 85,000 people in need of assistance in Veridia province",
    "- 23,000 people displaced since January",
    "Fighting in northern Veridia continued during the reporting period, forcing more families from their "
    "homes, according to partners on the ground.",
    "Access to Orlo remains restricted.",
    "Contact: Relief Coordination Unit, info@rcu.example.org",
), "Arcadia: Humanitarian Situation Report No. 12", "2025-03-17",
    kept=("- 85,000 people in need of assistance in Veridia province", "- 23,000 people displaced since January",
          "Contact: Relief Coordination Unit, info@rcu.example.org"))

page("release_date_label_contact", _lines(
    "Republic of Corvania",
    "Ministry of Foreign Affairs",
    "Corvania protests the detention of two fishermen by Arcadian coast guards",
    "Release Date: March 3, 2025",
    "The Ministry of Foreign Affairs summoned the ambassador of Arcadia on Monday to protest the detention of "
    "two Corvanian fishermen near Kessa.",
    "The ministry asked for their immediate release.",
    "Contact: Jon Vale, Spokesperson",
    "Phone: 555-0130",
), "Corvania protests the detention of two fishermen by Arcadian coast guards", "2025-03-03",
    kept=("Contact: Jon Vale, Spokesperson", "Phone: 555-0130"))

page("caps_department_release", _lines(
    "DEPARTMENT OF DEFENSE OF ARCADIA",
    "IMMEDIATE RELEASE",
    "Arcadian navy intercepts a smuggling boat off Kessa",
    "March 3, 2025",
    "An Arcadian navy patrol intercepted a boat carrying weapons off the coast of Kessa on Sunday, the "
    "department said.",
    "Four crew members were detained.",
    "###",
    "Public Affairs Office",
    "(555) 010-7788",
), "Arcadian navy intercepts a smuggling boat off Kessa", "2025-03-03", kept=("(555) 010-7788",))

page("agency_name_dash_date_time", _lines(
    "News Agency of Veridia - VNA",
    "Governor of Sollen province dismissed after the market bombing",
    "15 March 2025 - 09:12",
    "The President has dismissed the governor of Sollen province, a week after the bombing of the central "
    "market, the presidential office reported.",
    "The deputy governor will lead the province until a new appointment.",
    "Tags: Sollen, governor, security",
), "Governor of Sollen province dismissed after the market bombing", "2025-03-15")

page("newsletter_hash_issue_top_story", _lines(
    "The Maren Letter",
    "Issue #23 · 7 March 2025",
    "Top story",
    "Flood damage in the Maren valley passes 90 million lumens",
    "The regional office put the cost of the winter floods at 92 million lumens in its first full estimate, "
    "published on Thursday.",
    "Roads and bridges account for more than half of the damage.",
    "Forward this email to a friend",
    "Unsubscribe",
), "Flood damage in the Maren valley passes 90 million lumens", "2025-03-07",
    furniture=("Forward this email to a friend", "Unsubscribe"))

page("html_og_suffix_meta_date", (
    "<html><head><title>Kessa Today</title>"
    '<meta property="og:title" content="Curfew lifted in Kessa after a calm week - Kessa Today">'
    '<meta name="date" content="2025-03-09"></head><body>'
    "<h1>Curfew lifted in Kessa after a calm week</h1><p>The night curfew in Kessa was lifted on Sunday after a "
    "week without incidents, the mayor said.</p><p>Shops will be allowed to stay open until midnight.</p>"
    "<p>Police patrols will continue in the old town.</p></body></html>"),
    "Curfew lifted in Kessa after a calm week", "2025-03-09", fmt="html")

page("section_label_country_masthead", _lines(
    "Varn Times",
    "VERIDIA",
    "Veridia: Gunmen kill 12 in a market attack in Dalmet",
    "Staff Reporter",
    "Gunmen killed twelve people in an attack on the market of Dalmet on Saturday, police said.",
    "The attackers escaped on motorbikes, witnesses said.",
    "No group has claimed the attack.",
), "Veridia: Gunmen kill 12 in a market attack in Dalmet", None, kept=("Staff Reporter",))

page("blog_posted_by_admin", _lines(
    "Border shelling damages a school in Ost",
    "Posted by admin on March 2, 2025",
    "Shelling from across the border damaged a school in the village of Ost on Saturday night, residents said.",
    "No one was hurt because the school was empty, the head teacher said.",
    "Leave a comment",
    "Categories: World",
), "Border shelling damages a school in Ost", "2025-03-02", furniture=("Leave a comment",))

page("red_crescent_letterhead_news_label", _lines(
    "Arcadian Red Crescent Society",
    "News",
    "Volunteers reach families cut off by snow in the Tarsa hills",
    "10 January 2025",
    "Red Crescent volunteers reached forty families cut off by heavy snow in the Tarsa hills on Friday, "
    "bringing blankets, food and medicine.",
    "The society said more teams would leave on Saturday.",
), "Volunteers reach families cut off by snow in the Tarsa hills", "2025-01-10")

page("jsonl_html_body", "<html><body><h1>Talks resume in Port Lumen</h1><p>Talks between the government and "
     "the Hill Front resumed in Port Lumen on Monday after a month's pause, mediators said.</p><p>The two sides "
     "will meet again on Wednesday.</p></body></html>", "Talks resume in Port Lumen", "2025-03-10", fmt="jsonl",
     fields={"published": "2025-03-10", "content_format": "html"})

page("dateline_weekday_no_year_first", _lines(
    "Sollen, Friday",
    "Market traders return to Sollen a week after the bombing",
    "By Nour Adil",
    "Traders returned to the central market of Sollen on Friday, a week after a bomb killed nine people there, "
    "and most stalls reopened by noon.",
    "Police have set up checkpoints at the market's four gates.",
    "Many shoppers said they still felt afraid.",
), "Market traders return to Sollen a week after the bombing", None,
    kept=("Sollen, Friday", "By Nour Adil"))

page("teaser_date_under_headline", _lines(
    "Aid convoy reaches Orlo after a month of siege",
    "Related: Ceasefire talks stall in Varn | 2 March 2025",
    "By Hana Sato",
    "A convoy of twelve trucks carrying food and medicine reached Orlo on Sunday, the first to enter the "
    "town in a month, aid workers said.",
    "The convoy was escorted by monitors from the ceasefire commission.",
    "Residents queued for hours to receive flour.",
), "Aid convoy reaches Orlo after a month of siege", None,
    furniture=("Related: Ceasefire talks stall in Varn | 2 March 2025",), kept=("By Hana Sato",))

page("masthead_since_year", _lines(
    "THE KESSA CHRONICLE — Since 1921",
    "Harbour workers end their strike after a pay deal",
    "By Rosa Lind",
    "Published 14 March 2025",
    "Dock workers in Kessa ended a two-week strike on Friday after the port authority agreed to raise wages "
    "by eight percent, the union said.",
    "Ships began unloading again in the afternoon.",
    "The union said it would watch closely that the deal was kept.",
), "Harbour workers end their strike after a pay deal", "2025-03-14", kept=("By Rosa Lind",))

page("policy_brief_month_year", _lines(
    "Veridia Peace Research Centre",
    "Policy Brief No. 14",
    "Reintegrating former fighters in northern Veridia",
    "Anja Koss",
    "March 2025",
    "Since the amnesty law of 2023, about 3,000 former fighters have returned to their villages in northern "
    "Veridia, but few have found work.",
    "This brief sets out what has worked, drawing on interviews in six districts.",
    "It recommends a jobs programme tied to local councils.",
), "Reintegrating former fighters in northern Veridia", "2025-03", kept=("Anja Koss",))

page("release_issued_at_end", _lines(
    "Ministry of Interior",
    "Curfew in Varn lifted from Monday",
    "The curfew imposed in Varn after the riots of last month will be lifted from Monday, the Ministry of "
    "Interior announced.",
    "Police patrols will continue at night in the city centre.",
    "Issued on 3 March 2025 by the Press Office of the Ministry of Interior.",
), "Curfew in Varn lifted from Monday", "2025-03-03",
    kept=("Issued on 3 March 2025 by the Press Office of the Ministry of Interior.",))

page("first_published_last_updated", _lines(
    "Army and rebels trade blame for the shelling of Ost",
    "First published 7 March 2025",
    "Last updated 8 March 2025",
    "The army and the Hill Front blamed each other on Friday for the shelling of the village of Ost, in "
    "which three civilians were killed.",
    "Residents said the shells came from the hills east of the village.",
    "Monitors said they would investigate.",
), "Army and rebels trade blame for the shelling of Ost", "2025-03-07")

page("audio_and_counts", _lines(
    "Kessa Evening Post",
    "Fire destroys a fuel depot in Kessa",
    "Listen to this article",
    "1.2K",
    "By Omar Vance",
    "9 March 2025",
    "A fire destroyed a fuel depot on the edge of Kessa on Sunday night, the fire service said.",
    "No one was hurt, but the smoke could be seen across the city.",
    "The cause of the fire is not yet known.",
), "Fire destroys a fuel depot in Kessa", "2025-03-09", furniture=("1.2K",), kept=("By Omar Vance",))

page("all_caps_headline_under_masthead", _lines(
    "Orlo Daily News",
    "GUNMEN KILL FOUR AT ORLO CHECKPOINT",
    "Staff Correspondent",
    "Gunmen killed four police officers at a checkpoint on the edge of Orlo late on Thursday, the governor said.",
    "The attackers fled towards the hills.",
    "A search is under way.",
), "GUNMEN KILL FOUR AT ORLO CHECKPOINT", None, kept=("Staff Correspondent",))

page("translated_numeric_datetime_after_title", _lines(
    "Kessa Info Portal",
    "In Kessa the new bridge over the river Tarsa is opened",
    "12.03.2025 15:40",
    "Kessa, 12 March (KIP) - Today in Kessa the new bridge over the river Tarsa has been opened, has informed "
    "the press service of the city administration.",
    "The length of the bridge makes 420 metres.",
    "The construction has lasted two years.",
), "In Kessa the new bridge over the river Tarsa is opened", "2025-03-12")

page("ngo_release_place_date", _lines(
    "PRESS RELEASE",
    "Varn, 5 March 2025",
    "Aid group suspends work in Dalmet after staff are threatened",
    "The aid group Friends of the Valley has suspended its work in Dalmet after armed men threatened its staff "
    "at a clinic on Tuesday, the group said.",
    "About 4,000 patients a month used the clinic.",
    "The group said it hoped to resume work soon.",
), "Aid group suspends work in Dalmet after staff are threatened", "2025-03-05", kept=("Varn, 5 March 2025",))

page("html_h1_is_site_in_og", (
    "<html><head><title>Hill Front agrees to talks | Varn Courier</title>"
    '<meta property="og:site_name" content="Varn Courier"></head><body>'
    "<header><h1>Varn Courier</h1></header><div class='article'><h2>Hill Front agrees to talks</h2>"
    "<p>By Ada Moreno | 11 March 2025</p><p>The Hill Front said on Tuesday it had agreed to hold talks with "
    "the government in Port Lumen next month.</p><p>It is the first time the group has accepted talks.</p>"
    "<p>The government welcomed the move.</p></div></body></html>"),
    "Hill Front agrees to talks", "2025-03-11", fmt="html")

page("title_case_headline_with_standfirst", _lines(
    "Hostages Freed In Varn",
    "Twelve road workers held since January were handed to mediators on Sunday",
    "By Ada Moreno",
    "The Hill Front released twelve road workers on Sunday, handing them to mediators in the hills above Varn, "
    "the group and the mediators said.",
    "The workers had been held since January.",
    "The government thanked the mediators.",
), "Hostages Freed In Varn", None, kept=("By Ada Moreno",))

page("released_headline", _lines(
    "Released hostages describe months in a mountain camp",
    "By Ada Moreno",
    "12 March 2025",
    "Twelve road workers freed by the Hill Front on Sunday said they had been kept in a camp high in the "
    "mountains and moved every few weeks.",
    "They said they were fed once a day.",
    "Two of them are being treated in hospital.",
), "Released hostages describe months in a mountain camp", "2025-03-12")

page("ministry_in_headline", _lines(
    "Ministry of Defence denies striking the Ost market",
    "Port Lumen, 9 March 2025",
    "The Ministry of Defence denied on Sunday that its aircraft had struck the market of Ost, where eleven "
    "people were killed on Saturday.",
    "Residents said they had seen a plane before the blast.",
    "The ministry said it would look into the reports.",
), "Ministry of Defence denies striking the Ost market", "2025-03-09", kept=("Port Lumen, 9 March 2025",))

page("headline_then_masthead_below", _lines(
    "Gunmen attack a bus on the Orlo road, killing six",
    "Orlo Daily Herald",
    "By Staff Reporter",
    "Gunmen attacked a bus on the road between Orlo and Sollen on Monday, killing six passengers, police said.",
    "The bus was carrying traders to the Sollen market.",
    "No group has claimed the attack.",
), "Gunmen attack a bus on the Orlo road, killing six", None, furniture=("Orlo Daily Herald",))

page("first_line_paragraph_no_headline", _lines(
    "Police in Varn said on Tuesday that they had arrested three men suspected of planning an attack on the "
    "city's main bus station.",
    "The men were detained in a raid on a flat in the old town, a police spokesman said.",
    "Explosives and two rifles were found, he said.",
), None, None)

page("wire_updated_ago_no_date", _lines(
    "Army says drone downed near the Tarsa border",
    "Updated 3 hours ago",
    "PORT LUMEN (Lumen Wire) - The Arcadian army said on Tuesday it had shot down a drone that crossed the "
    "Tarsa border from Corvania.",
    "Corvania did not comment.",
    "The army said the drone was carrying a camera.",
), "Army says drone downed near the Tarsa border", None)

page("country_pipe_headline", _lines(
    "Veridia | Twelve killed in an attack on the Dalmet market",
    "Published 8 March 2025",
    "Gunmen killed twelve people in an attack on the market of Dalmet on Saturday, police said.",
    "The attackers escaped on motorbikes.",
    "No group has claimed the attack.",
), "Veridia | Twelve killed in an attack on the Dalmet market", "2025-03-08")


def _document(p: Page) -> Document:
    if p.fmt == "jsonl":
        return make_document(RawInput(f"{p.name}.jsonl:1", p.raw, "jsonl", dict(p.fields)))
    return make_document(RawInput(f"{p.name}.{p.fmt}", p.raw, p.fmt))


def _cleaned_lines(doc: Document) -> set[str]:
    return {ln.strip() for ln in doc.text.splitlines() if ln.strip()}


IDS = [p.name for p in PAGES]


def test_the_catalogue_is_wide() -> None:
    assert len(PAGES) >= 25
    assert len(set(IDS)) == len(IDS)
    assert {p.fmt for p in PAGES} == {"txt", "html", "jsonl"}
    json.dumps([p.fields for p in PAGES])  # fields are plain JSON values, as a JSONL line gives them


@pytest.mark.parametrize("p", PAGES, ids=IDS)
def test_title(p: Page) -> None:
    assert _document(p).title == p.title


@pytest.mark.parametrize("p", PAGES, ids=IDS)
def test_published(p: Page) -> None:
    assert _document(p).published == p.published


@pytest.mark.parametrize("p", [p for p in PAGES if p.furniture], ids=[p.name for p in PAGES if p.furniture])
def test_furniture_removed(p: Page) -> None:
    cleaned = _cleaned_lines(_document(p))
    assert [ln for ln in p.furniture if ln in cleaned] == []


@pytest.mark.parametrize("p", [p for p in PAGES if p.kept], ids=[p.name for p in PAGES if p.kept])
def test_own_lines_kept(p: Page) -> None:
    cleaned = _cleaned_lines(_document(p))
    assert [ln for ln in p.kept if ln not in cleaned] == []


TEXT_PAGES = [p for p in PAGES if p.fmt != "html" and p.fields.get("content_format") != "html"]


@pytest.mark.parametrize("p", TEXT_PAGES, ids=[p.name for p in TEXT_PAGES])
def test_body_paragraphs_kept(p: Page) -> None:
    """Every sentence-long line of a text page that is not furniture is the article's own."""
    cleaned = _cleaned_lines(_document(p))
    body = [ln.strip() for ln in p.raw.splitlines()
            if len(ln.strip()) >= 60 and ln.strip().endswith((".", '."')) and ln.strip() not in p.furniture + p.unsure]
    assert body
    assert [ln for ln in body if ln not in cleaned] == []
