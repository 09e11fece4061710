"""Writes a synthetic briefing archive to the SPEC (§1–3), deterministically, for the benchmark.

    python -m bench.generate --briefs 1000 --out .cache/bench/n1000

What comes out (same seed and N: byte-identical files):
- `content/briefs/<YYYY>/<slug>.md`: N briefs of ~800 words over ten years (2016–2025), with
  realistic front matter (type, 1–3 authors, 1–4 topics, a program for most; some with an explicit
  summary, `updated`, `related`, `aliases`; the publication record: one in twenty in one of three
  numbered series, one in thirty with a correction, one in a hundred a Korean translation of
  another) and Markdown bodies: headings, paragraphs with emphasis
  and external links, bullet or numbered lists, some blockquotes, tables, footnotes and figures,
  and 1–3 wiki-links `[[slug]]` / `[[slug|text]]` to other briefs of the archive.
- `content/authors/<key>.md`: max(3, N/20) authors (some alumni, a third with a photo, links),
  used with a skewed distribution (a few prolific fellows, a long tail).
- `site_config/`: 50 topics in two groups (30 issues, 20 regions) used Zipf-like, a few with
  aliases; 4 types; 3 programs; 3 series.
- `mkdocs.yml`: the project's own configuration (`INHERIT`), so the benchmark follows it.
- `mkdocs-floor.yml`: the floor: the same configuration and files with this project's plugins
  removed (third-party plugins kept; material's own `search` in place of ours if we replace it)
  and only the home page in the nav, i.e. plain MkDocs + material rendering every brief and
  profile as an ordinary page, out of the navigation.
- `mkdocs-nocards.yml`: the archive with its share cards turned off (`share_cards: false`), to
  tell what the cards cost.
- `bench-archive.json`: a manifest (parameters, counts, words) that `run.py` uses to reuse an
  archive instead of writing it again.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = 3  # 2: series, corrections and translations; 3: the editorial page the nav names
SERIES = (("kpr", "Korea Program Report", "KPR"), ("cem", "Cyber Enforcement Memo", "CEM"),
          ("emr", "Energy Markets Review", "EMR"))
DEFAULT_SEED = 20250626
YEARS = tuple(range(2016, 2026))
ARCHIVE_PLUGIN = "briefing-archive"

# --- vocabularies ----------------------------------------------------------------------------

ISSUES = [  # (key, title, aliases)
    ("cyber", "Cyber", ["cybersecurity"]), ("sanctions", "Sanctions", []),
    ("nuclear-proliferation", "Nuclear Proliferation", ["nonproliferation"]),
    ("energy-security", "Energy Security", []), ("critical-minerals", "Critical Minerals", []),
    ("artificial-intelligence", "Artificial Intelligence", ["ai"]),
    ("defense-industry", "Defense Industry", []), ("export-controls", "Export Controls", []),
    ("illicit-finance", "Illicit Finance", []), ("terrorism", "Terrorism", []),
    ("space", "Space", []), ("biosecurity", "Biosecurity", []),
    ("maritime-security", "Maritime Security", []), ("missile-defense", "Missile Defense", []),
    ("information-operations", "Information Operations", ["disinformation"]),
    ("human-rights", "Human Rights", []), ("trade", "Trade", []),
    ("semiconductors", "Semiconductors", ["chips"]), ("cryptocurrency", "Cryptocurrency", []),
    ("arms-control", "Arms Control", []), ("alliances", "Alliances", []),
    ("intelligence", "Intelligence", []), ("elections", "Elections", []),
    ("climate-security", "Climate Security", []), ("supply-chains", "Supply Chains", []),
    ("telecommunications", "Telecommunications", []), ("drones", "Drones", []),
    ("hypersonic-weapons", "Hypersonic Weapons", []), ("nuclear-energy", "Nuclear Energy", []),
    ("migration", "Migration", []),
]
REGIONS = [
    ("north-korea", "North Korea", ["dprk"]), ("south-korea", "South Korea", []),
    ("china", "China", []), ("taiwan", "Taiwan", []), ("japan", "Japan", []),
    ("russia", "Russia", []), ("ukraine", "Ukraine", []), ("iran", "Iran", []),
    ("israel", "Israel", []), ("gulf-states", "Gulf States", []), ("india", "India", []),
    ("southeast-asia", "Southeast Asia", []), ("europe", "Europe", []), ("africa", "Africa", []),
    ("latin-america", "Latin America", []), ("central-asia", "Central Asia", []),
    ("arctic", "Arctic", []), ("australia", "Australia", []), ("turkey", "Türkiye", ["turkiye"]),
    ("syria", "Syria", []),
]
TYPES = [  # (key, title, plural, weight)
    ("policy-brief", "Policy Brief", "Policy Briefs", 50), ("analysis", "Analysis", "Analyses", 30),
    ("memo", "Memo", "Memos", 12), ("testimony", "Testimony", "Testimonies", 8),
]
PROGRAMS = [  # (key, title, short, description)
    ("ccti", "Center on Cyber and Technology Innovation", "CCTI",
     "CCTI studies how adversaries exploit networks and new technologies, and how allies can defend against them."),
    ("cefp", "Center on Economic and Financial Power", "CEFP",
     "CEFP studies sanctions, export controls, energy and supply chains as instruments of national power."),
    ("kipp", "Korea and Indo-Pacific Program", "KIPP",
     "KIPP analyzes the threat posed by North Korea and the alliances that keep the Indo-Pacific secure."),
]

FIRST_NAMES = [
    "Amelia", "Benjamin", "Clara", "Daniel", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
    "Katarzyna", "Liam", "Marta", "Nadia", "Oliver", "Priya", "Quentin", "Rosa", "Samuel", "Tessa",
    "Ulrich", "Valentina", "William", "Ximena", "Yusuf", "Zoe", "Amélie", "José", "Søren", "Zoë",
    "François", "Łukasz", "Renée", "Björn", "Chiara", "Dmitri", "Erin", "Fatima", "Gabriel", "Hannah",
    "Isaac", "Julia", "Kofi", "Leila", "Mateo", "Noor", "Olga", "Pablo", "Rachel", "Stefan",
    "Tomás", "Uma", "Victor", "Wen", "Yara", "Aiko", "Haruto", "Ngozi", "Rahul", "Sofia",
]
LAST_NAMES = [
    "Abbott", "Brandt", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Hoffmann", "Ivanova",
    "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quinn", "Raman",
    "Schneider", "Tanaka", "Ueda", "Varga", "Whitcombe", "Xu", "Yamamoto", "Zielinski", "Côté",
    "Álvarez", "Müller", "Núñez", "O'Brien", "Patel", "Rossi", "Sato", "Thompson", "Van der Berg",
    "Walsh", "Adeyemi", "Bianchi", "Carvalho", "Dimitrov", "Esposito", "Fernández", "Gupta",
    "Horvath", "Ito", "Jovanović", "Khan", "Larsen", "Mendes", "Nakamura", "Ortiz", "Pereira",
    "Reyes", "Silva", "Takahashi", "Umarov", "Vasquez", "Weber", "Young",
]
KOREAN_NAMES = [  # romanized family-name-first, hangul
    ("Kim Min-ji", "김민지"), ("Lee Jae-won", "이재원"), ("Park Soo-jin", "박수진"),
    ("Choi Hyun-woo", "최현우"), ("Jung Ye-eun", "정예은"), ("Kang Dong-hyun", "강동현"),
    ("Yoon Seo-yeon", "윤서연"), ("Jang Min-seok", "장민석"), ("Lim Ha-eun", "임하은"),
    ("Han Ji-hoon", "한지훈"), ("Oh Eun-bi", "오은비"), ("Seo Joon-ho", "서준호"),
]
ROLES = [
    "Senior Fellow", "Research Fellow", "Senior Director", "Senior Advisor", "Research Analyst",
    "Senior Research Analyst", "Visiting Fellow", "Adjunct Fellow", "Deputy Director",
    "Senior Vice President for Research", "Nonresident Senior Fellow", "Program Director",
]

ACTORS = ["Pyongyang", "Beijing", "Moscow", "Tehran", "Washington", "Seoul", "Tokyo", "Brussels",
          "Kyiv", "Taipei", "New Delhi", "Canberra", "Ankara", "Riyadh", "Hanoi", "Warsaw",
          "NATO", "The G7", "Congress", "The Treasury", "The Pentagon", "The European Union",
          "The Allies", "The United Nations", "The Commerce Department"]
VERBS = ["Tightens", "Rethinks", "Tests", "Expands", "Exploits", "Confronts", "Weighs", "Courts",
         "Escalates", "Targets", "Revives", "Undercuts", "Shores Up", "Bets on", "Doubles Down on",
         "Struggles With", "Overhauls", "Quietly Funds", "Loses Ground on", "Races to Secure"]
OBJECTS = ["Sanctions Enforcement", "Export Controls on Chips", "Critical Mineral Supply Chains",
           "Cyber Defenses", "Its Missile Program", "Shipping Routes", "Crypto Laundering Networks",
           "Nuclear Deterrence", "Energy Exports", "Drone Production", "Undersea Cables",
           "Satellite Launches", "Alliance Commitments", "Arms Transfers", "AI Model Security",
           "Rare-Earth Processing", "Shadow Fleet Tankers", "Ransomware Gangs", "Port Security",
           "Ballistic Missile Defense", "Telecom Networks", "Defense Procurement", "Grain Corridors",
           "Election Security", "Space Surveillance", "Battery Supply Chains", "Nuclear Talks"]
TAILS = ["", "", "", "", " — and What Allies Should Do", ": Lessons for Washington",
         " Ahead of the Summit", " After the Election", ": A Window That Is Closing",
         " — Again", ": Five Questions", " Without a Plan"]
FORMS = [
    "{actor} {verb} {object}{tail}",
    "{actor} {verb} {object}{tail}",
    "Why {object} Matters for {actor2}",
    "How {actor} Is Rethinking {object}",
    "The Case for Reforming {object}",
    "What {actor}'s Move on {object} Means for {actor2}",
    "{object}: The View From {actor}",
]

SUBJECTS = ["the regime", "Pyongyang", "Beijing", "Moscow", "Tehran", "Washington", "Seoul",
            "the administration", "allied governments", "the Treasury Department",
            "the Commerce Department", "European regulators", "the United Nations panel",
            "independent researchers", "industry groups", "defense planners", "the intelligence community",
            "lawmakers in both parties", "the European Commission", "Tokyo", "Kyiv", "the Kremlin",
            "shipping insurers", "major exchanges", "state-backed hackers", "front companies"]
VERB_PHRASES = ["expanded", "quietly tested", "continued to exploit", "came to depend on",
                "struggled to enforce", "tried to rebuild", "moved to restrict",
                "underestimated", "still relied on", "invested heavily in",
                "largely ignored", "raced to secure", "publicly defended",
                "began to question", "refused to abandon", "learned to evade"]
OBJECT_PHRASES = ["its network of front companies", "the sanctions regime", "export controls on advanced chips",
                  "the supply of critical minerals", "its cyber operations", "the alliance's deterrence posture",
                  "ship-to-ship transfers at sea", "the market for stolen cryptocurrency",
                  "a fragile ceasefire", "its missile testing program", "the undersea cable network",
                  "the defense industrial base", "its energy exports", "a new generation of drones",
                  "the enforcement of existing rules", "a patchwork of national regulations",
                  "the reporting requirements for banks", "its remote IT workers abroad",
                  "commercial satellite imagery", "a loophole in the rules", "the arms trade with Moscow"]
CIRCUMSTANCES = ["over the past year", "since the last summit", "despite repeated warnings",
                 "with little public debate", "at a pace few analysts expected",
                 "in the months before the election", "while attention was elsewhere",
                 "according to public reporting", "in violation of Security Council resolutions",
                 "at a fraction of the cost", "without a clear strategy", "as prices rose"]
CONSEQUENCES = ["which raises the cost of inaction", "and the consequences are already visible",
                "which leaves allies exposed", "and the gap is widening",
                "which complicates any diplomatic opening", "and enforcement has not kept up",
                "which gives adversaries room to maneuver", "and few expect that to change soon",
                "which should worry policymakers", "and the evidence is now hard to dismiss"]
OPENERS = ["In practice,", "Meanwhile,", "At the same time,", "For now,", "Put simply,",
           "More troubling still,", "Just as important,", "Over time,", "In the short term,",
           "To be sure,", "Even so,", "By contrast,", "As a result,", "Still,"]
RECOMMENDATIONS = ["Congress should require regular public reporting on enforcement",
                   "the Treasury should designate the networks that move the funds",
                   "allies should share threat intelligence with the private sector in real time",
                   "Washington should coordinate export controls with Tokyo and The Hague",
                   "regulators should close the reporting loophole for virtual-asset providers",
                   "the administration should fund a standing interagency task force",
                   "partners should align their screening of foreign investment",
                   "the alliance should hold regular tabletop exercises on this scenario",
                   "agencies should publish the indicators defenders need to spot the activity",
                   "lawmakers should tie assistance to measurable benchmarks"]
HEADINGS = ["Background", "What Happened", "Why It Matters", "The Bigger Picture",
            "What Comes Next", "Recommendations", "The Policy Response", "Gaps in Enforcement",
            "A Closer Look at the Numbers", "The View From the Region", "Risks Ahead",
            "What Washington Should Do", "How We Got Here", "Implications for the Alliance"]
LINK_TEXTS = ["a recent report", "the latest figures", "official statements", "court filings",
              "a joint advisory", "public satellite imagery", "the panel's final report",
              "a new regulation", "congressional testimony", "an industry analysis"]
LINK_HOSTS = ["www.treasury.gov", "www.justice.gov", "www.un.org", "www.cisa.gov",
              "www.europarl.europa.eu", "www.mofa.go.kr", "www.congress.gov", "www.reuters.com",
              "www.chainalysis.com", "www.iaea.org"]
KOREAN_PHRASES = ["(통일부)", "(국가정보원)", "(남북관계)", "(한미동맹)", "(사이버안보)"]
PLAIN = re.compile(r"^[A-Za-z0-9À-ɏ][^:#\[\]{}\"',&*!|>%@`\n]*$")


def ascii_slug(text: str) -> str:
    flat = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L"))
    flat = flat.encode("ascii", "ignore").decode().lower().replace("'", "")
    return "-".join(re.findall(r"[a-z0-9]+", flat))


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def scalar(value: str) -> str:
    """A YAML scalar as an editor would write it: plain when safe, double-quoted otherwise."""
    if PLAIN.match(value) and not value.endswith(" ") and ": " not in value and " #" not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    return [1.0 / (rank ** exponent) for rank in range(1, count + 1)]


def weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items, drawn by weight (without replacement)."""
    chosen: list = []
    pool, pool_weights = list(items), list(weights)
    for _ in range(min(k, len(pool))):
        index = rng.choices(range(len(pool)), weights=pool_weights)[0]
        chosen.append(pool.pop(index))
        pool_weights.pop(index)
    return chosen


# --- the archive -------------------------------------------------------------------------------

@dataclass
class AuthorSpec:
    key: str
    name: str
    program: str
    alumni: bool
    photo: bool


@dataclass
class BriefSpec:
    index: int
    slug: str
    title: str
    date: date
    type: str
    authors: list[str]
    topics: list[str]
    program: str | None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"content/briefs/{self.date.year}/{self.slug}.md"


class Writer:
    def __init__(self, n: int, seed: int):
        self.n, self.seed = n, seed
        self.rng = random.Random(seed)

    # vocabularies
    def topics(self) -> dict[str, dict]:
        table: dict[str, dict] = {}
        for group, rows in (("Issues", ISSUES), ("Regions", REGIONS)):
            for key, title, aliases in rows:
                entry: dict[str, object] = {
                    "title": title, "group": group,
                    "description": f"Analysis of {title.lower() if group == 'Issues' else title} and its consequences "
                                   f"for the security of the United States and its allies.",
                }
                if aliases:
                    entry["aliases"] = aliases
                table[key] = entry
        return table

    def authors(self) -> list[AuthorSpec]:
        count = max(3, self.n // 20)
        names: list[str] = []
        seen: set[str] = set()
        korean = list(KOREAN_NAMES)
        self.rng.shuffle(korean)
        while len(names) < count:
            if korean and self.rng.random() < 0.08:
                roman, hangul = korean.pop()
                name = f"{roman} ({hangul})"
                key = ascii_slug(roman)
            else:
                name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
                key = ascii_slug(name)
            if key in seen:
                continue
            seen.add(key)
            names.append(name)
        programs = [p[0] for p in PROGRAMS]
        return [AuthorSpec(key=ascii_slug(re.sub(r"\s*\(.*\)$", "", name)), name=name,
                           program=self.rng.choice(programs), alumni=self.rng.random() < 0.06,
                           photo=self.rng.random() < 0.33)
                for name in names]

    def author_text(self, author: AuthorSpec) -> str:
        rng = self.rng
        lines = ["---", f"name: {scalar(author.name)}",
                 f"role: {scalar(rng.choice(ROLES) + ', ' + dict((p[0], p[1]) for p in PROGRAMS)[author.program])}",
                 f"program: {author.program}"]
        if author.photo:
            lines.append(f"photo: authors/photos/{author.key}.svg")
        links = []
        if rng.random() < 0.6:
            links.append(f"  x: https://x.com/{author.key.replace('-', '_')}")
        links.append(f"  email: {author.key.split('-')[0]}@meridian.example")
        if rng.random() < 0.3:
            links.append(f"  website: https://{author.key}.example.org/")
        lines += ["links:", *links]
        if author.alumni:
            lines.append("alumni: true")
        lines.append("---")
        first = author.name.split(" (")[0]
        bio = (f"{first} works on {rng.choice(OBJECT_PHRASES)} and {rng.choice(OBJECT_PHRASES)}. "
               f"Before joining Meridian, {first.split()[0]} spent {rng.randint(3, 15)} years in government "
               f"and {rng.choice(['academia', 'journalism', 'the private sector', 'the military'])}, "
               f"and now writes regularly on {rng.choice(OBJECT_PHRASES)}. "
               + " ".join(self.sentence() for _ in range(rng.randint(2, 4))))
        return "\n".join(lines) + "\n" + bio + "\n"

    def photo_svg(self, author: AuthorSpec) -> str:
        hue = self.rng.randint(0, 359)
        initials = "".join(w[0] for w in author.name.split(" (")[0].split()[:2]).upper()
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96">'
                f'<rect width="96" height="96" fill="hsl({hue},35%,45%)"/>'
                f'<text x="48" y="58" font-size="32" text-anchor="middle" fill="#fff">{initials}</text></svg>\n')

    # briefs
    def title(self) -> str:
        rng = self.rng
        actor, actor2 = rng.sample(ACTORS, 2)
        return rng.choice(FORMS).format(actor=actor, actor2=actor2.removeprefix("The "), verb=rng.choice(VERBS),
                                        object=rng.choice(OBJECTS), tail=rng.choice(TAILS))

    def briefs(self, authors: list[AuthorSpec], topics: dict[str, dict]) -> list[BriefSpec]:
        rng = self.rng
        issue_keys = [k for k, *_ in ISSUES]
        region_keys = [k for k, *_ in REGIONS]
        rng.shuffle(issue_keys)
        rng.shuffle(region_keys)
        issue_w, region_w = zipf_weights(len(issue_keys)), zipf_weights(len(region_keys))
        author_keys = [a.key for a in authors]
        rng.shuffle(author_keys)
        author_w = zipf_weights(len(author_keys), 0.8)
        author_program = {a.key: a.program for a in authors}
        type_keys, type_w = [t[0] for t in TYPES], [t[3] for t in TYPES]
        # more briefs in later years, as a publication grows
        year_w = [1 + 0.15 * i for i in range(len(YEARS))]
        used: set[str] = set()
        specs: list[BriefSpec] = []
        for index in range(self.n):
            year = rng.choices(YEARS, weights=year_w)[0]
            day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            title = self.title()
            slug = ascii_slug(title)
            if slug in used:
                slug = f"{slug}-{year}"
            base, k = slug, 2
            while slug in used:
                slug, k = f"{base}-{k}", k + 1
            used.add(slug)
            n_authors = rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
            brief_authors = weighted_sample(rng, author_keys, author_w, n_authors)
            n_issues = rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
            brief_topics = weighted_sample(rng, issue_keys, issue_w, n_issues)
            if rng.random() < 0.8:
                brief_topics += weighted_sample(rng, region_keys, region_w, rng.choices((1, 2), weights=(80, 20))[0])
            rng.shuffle(brief_topics)
            program = None
            if rng.random() < 0.85:
                program = author_program[brief_authors[0]] if rng.random() < 0.7 else rng.choice(PROGRAMS)[0]
            specs.append(BriefSpec(index=index, slug=slug, title=title, date=day,
                                   type=rng.choices(type_keys, weights=type_w)[0],
                                   authors=brief_authors, topics=brief_topics[:4], program=program))
        # optional fields, once every slug is known
        slugs = [s.slug for s in specs]
        for spec in specs:
            if rng.random() < 0.6:
                spec.extra["summary"] = self.sentence().rstrip(".") + ", " + rng.choice(CONSEQUENCES) + "."
            if rng.random() < 0.1:
                spec.extra["updated"] = spec.date + timedelta(days=rng.randint(1, 120))
            if len(slugs) > 3 and rng.random() < 0.2:
                spec.extra["related"] = [s for s in rng.sample(slugs, 2) if s != spec.slug][:rng.randint(1, 2)]
            if rng.random() < 0.02:
                spec.extra["aliases"] = [f"/analysis/{spec.date.year}/{spec.slug}-{spec.index}/"]
        self.publication_record(specs)
        return specs

    def publication_record(self, specs: list[BriefSpec]) -> None:
        """Series, corrections and translations, from a generator of their own, so the rest of
        the archive is what version 1 wrote."""
        rng = random.Random(self.seed + 1)
        numbered: dict[str, list[BriefSpec]] = {key: [] for key, *_ in SERIES}
        for spec in specs:
            if spec.index % 100 == 50:  # a translation of the brief before it
                original = specs[spec.index - 1]
                spec.extra["language"], spec.extra["translation_of"] = "ko", original.slug
                spec.date = original.date + timedelta(days=rng.randint(0, 6))
                spec.date = spec.date if spec.date.year == original.date.year else original.date
                spec.extra.pop("updated", None)  # drawn for its own date, which this one replaces
                continue
            if spec.index % 20 == 7:
                numbered[rng.choice(SERIES)[0]].append(spec)
            if rng.random() < 0.033:
                spec.extra["corrections"] = [(spec.date + timedelta(days=rng.randint(2, 40)),
                                              "An earlier version misstated a figure; the text now gives the right one.")]
        for key, members in numbered.items():
            for number, spec in enumerate(sorted(members, key=lambda s: (s.date, s.slug)), start=1):
                spec.extra["series"], spec.extra["number"] = key, number

    def sentence(self) -> str:
        rng = self.rng
        form = rng.randrange(5)
        if form == 0:
            text = f"{upper_first(rng.choice(SUBJECTS))} {rng.choice(VERB_PHRASES)} {rng.choice(OBJECT_PHRASES)} {rng.choice(CIRCUMSTANCES)}, {rng.choice(CONSEQUENCES)}."
        elif form == 1:
            text = f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)} {rng.choice(VERB_PHRASES)} {rng.choice(OBJECT_PHRASES)}."
        elif form == 2:
            text = (f"The numbers tell part of the story: {rng.choice(SUBJECTS)} {rng.choice(VERB_PHRASES)} "
                    f"{rng.choice(OBJECT_PHRASES)}, and {rng.randint(2, 90)} percent of the cases reviewed "
                    f"involved {rng.choice(OBJECT_PHRASES)}.")
        elif form == 3:
            text = f"{rng.choice(OPENERS)} {rng.choice(RECOMMENDATIONS)}, {rng.choice(CONSEQUENCES).replace('which', 'because that', 1)}."
        else:
            text = (f"Officials in {rng.choice(['Seoul', 'Tokyo', 'Brussels', 'Washington', 'Canberra', 'Berlin'])} "
                    f"say {rng.choice(SUBJECTS)} {rng.choice(VERB_PHRASES)} {rng.choice(OBJECT_PHRASES)} "
                    f"{rng.choice(CIRCUMSTANCES)}.")
        return text

    def dress(self, sentence: str, slugs: list[str], titles: dict[str, str], budget: dict[str, int]) -> str:
        """Adds emphasis, an external link or a wiki-link to a sentence, while the brief's budget lasts."""
        rng = self.rng
        roll = rng.random()
        if budget["wiki"] and roll < 0.12:
            budget["wiki"] -= 1
            target = rng.choice(slugs)
            if rng.random() < 0.5:
                link = f"[[{target}]]"
            else:
                link = f"[[{target}|{titles[target].split(':')[0].lower()}]]"
            return sentence[:-1] + f", as {link} showed."
        if budget["links"] and roll < 0.3:
            budget["links"] -= 1
            text = rng.choice(LINK_TEXTS)
            url = f"https://{rng.choice(LINK_HOSTS)}/{ascii_slug(rng.choice(OBJECT_PHRASES))}/{rng.randint(1000, 99999)}"
            return sentence[:-1] + f" (see [{text}]({url}))."
        if roll < 0.4:
            words = sentence.split(" ")
            i = rng.randrange(1, max(2, len(words) - 2))
            words[i] = f"*{words[i]}*" if rng.random() < 0.5 else f"**{words[i]}**"
            return " ".join(words)
        if roll < 0.42:
            return sentence[:-1] + " " + rng.choice(KOREAN_PHRASES) + "."
        return sentence

    def paragraph(self, words: list[int], slugs, titles, budget) -> str:
        sentences = [self.dress(self.sentence(), slugs, titles, budget) for _ in range(self.rng.randint(3, 6))]
        text = " ".join(sentences)
        words[0] += len(text.split())
        return text

    def body(self, spec: BriefSpec, slugs: list[str], titles: dict[str, str]) -> str:
        rng = self.rng
        others = [s for s in (rng.sample(slugs, min(4, len(slugs))) if slugs else []) if s != spec.slug]
        budget = {"wiki": min(len(others), rng.randint(1, 3)), "links": rng.randint(2, 4)}
        target = rng.randint(720, 880)
        words = [0]
        blocks: list[str] = []
        headings = rng.sample(HEADINGS, 4)
        footnote = rng.random() < 0.2
        blocks.append(self.paragraph(words, others, titles, budget))
        blocks.append(self.paragraph(words, others, titles, budget))
        section = 0
        while words[0] < target - 60:
            if section < len(headings) and (len(blocks) - 2) % 3 == 0:
                blocks.append(f"## {headings[section]}")
                section += 1
                if section == 2:
                    marker = "-" if rng.random() < 0.7 else "1."
                    items = [f"{marker} " + (f"**{upper_first(rng.choice(OBJECT_PHRASES))}.** " if rng.random() < 0.5 else "")
                             + self.sentence() for _ in range(rng.randint(3, 5))]
                    words[0] += sum(len(i.split()) for i in items)
                    blocks.append(self.paragraph(words, others, titles, budget))
                    blocks.append("\n".join(items))
                    continue
                if section == 3 and rng.random() < 0.3:
                    quote = self.sentence()
                    words[0] += len(quote.split())
                    blocks.append(f"> {quote}")
                if section == 3 and rng.random() < 0.1:
                    rows = [f"| {y} | {rng.randint(5, 400)} | {rng.randint(1, 99)}% |" for y in range(spec.date.year - 3, spec.date.year)]
                    blocks.append("| Year | Cases | Share |\n| --- | ---: | ---: |\n" + "\n".join(rows))
                if section == 1 and rng.random() < 0.03:
                    blocks.append('<figure>\n  <img src="https://images.meridian.example/charts/'
                                  f'{spec.slug}.png" alt="Chart" loading="lazy">\n'
                                  "  <figcaption>Source: Meridian analysis of public data.</figcaption>\n</figure>")
            blocks.append(self.paragraph(words, others, titles, budget))
        if footnote:
            blocks[1] = blocks[1] + "[^1]"
            blocks.append(f"[^1]: {self.sentence()}")
        blocks.append(f"*{rng.choice(OPENERS)} {rng.choice(RECOMMENDATIONS)}.*")
        return "\n\n".join(blocks) + "\n"

    def brief_text(self, spec: BriefSpec, slugs: list[str], titles: dict[str, str]) -> str:
        lines = ["---", f"title: {scalar(spec.title)}", f"date: {spec.date.isoformat()}", f"type: {spec.type}",
                 f"authors: {flow(spec.authors)}", f"topics: {flow(spec.topics)}"]
        if spec.program:
            lines.append(f"program: {spec.program}")
        extra = spec.extra
        if "summary" in extra:
            lines.append(f"summary: {scalar(str(extra['summary']))}")
        if "updated" in extra:
            lines.append(f"updated: {extra['updated'].isoformat()}")  # type: ignore[union-attr]
        if extra.get("related"):
            lines.append(f"related: {flow(extra['related'])}")  # type: ignore[arg-type]
        if "aliases" in extra:
            lines.append(f"aliases: {flow(extra['aliases'])}")  # type: ignore[arg-type]
        if "series" in extra:
            lines += [f"series: {extra['series']}", f"number: {extra['number']}"]
        if "corrections" in extra:
            lines.append("corrections:")
            for day, note in extra["corrections"]:  # type: ignore[union-attr]
                lines += [f"  - date: {day.isoformat()}", f"    note: {scalar(note)}"]
        if "translation_of" in extra:
            lines += [f"language: {extra['language']}", f"translation_of: {extra['translation_of']}"]
        lines.append("---")
        return "\n".join(lines) + "\n" + self.body(spec, slugs, titles)


def _mkdocs_yaml(base: Path) -> dict:
    from mkdocs.utils.yaml import yaml_load

    with open(base, "rb") as fd:
        return yaml_load(fd)


def our_plugins() -> set[str]:
    """Names of the MkDocs plugins this project registers (entry points in briefing_archive)."""
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="mkdocs.plugins") if ep.value.startswith("briefing_archive")}
    return names | {ARCHIVE_PLUGIN}


def floor_plugins(base_config: Path) -> list:
    """The project's plugins without ours: the floor is plain MkDocs + material. Third-party
    plugins stay; if one of ours stood in for search, material's own `search` (MkDocs' default
    plugin) takes its place, so the floor still builds a search index as plain MkDocs does."""
    plugins = _mkdocs_yaml(base_config).get("plugins", ["search"])
    if isinstance(plugins, dict):
        plugins = [{k: v} if v else k for k, v in plugins.items()]
    ours = our_plugins()

    def name(item) -> str:
        return (item if isinstance(item, str) else next(iter(item))).split("/")[-1]

    kept = [item for item in plugins if name(item) not in ours]
    dropped = [name(item) for item in plugins if name(item) in ours]
    if any("search" in n for n in dropped) and "search" not in map(name, kept):
        kept.insert(0, "search")
    return kept


def plugins_without_cards(base_config: Path) -> list:
    """The project's plugins, the archive's with its share cards turned off."""
    plugins = _mkdocs_yaml(base_config).get("plugins", [])
    if isinstance(plugins, dict):
        plugins = [{k: v} if v else k for k, v in plugins.items()]
    changed = []
    for item in plugins:
        name = item if isinstance(item, str) else next(iter(item))
        if name == ARCHIVE_PLUGIN:
            options = {} if isinstance(item, str) else dict(item[name] or {})
            item = {name: {**options, "share_cards": False}}
        changed.append(item)
    return changed


def write_configs(root: Path, base_config: Path) -> None:
    inherit = os.path.relpath(base_config.resolve(), root.resolve())
    common = {"INHERIT": inherit, "docs_dir": "content"}
    archive = {**common, "site_dir": "site-archive"}
    floor = {**common, "site_dir": "site-floor", "nav": [{"Home": "index.md"}],
             "plugins": floor_plugins(base_config)}
    nocards = {**common, "site_dir": "site-nocards", "plugins": plugins_without_cards(base_config)}
    header = "# Written by bench/generate.py: the project's mkdocs.yml, {what}.\n"
    (root / "mkdocs.yml").write_text(header.format(what="as is") + yaml.safe_dump(archive, sort_keys=False), encoding="utf-8")
    (root / "mkdocs-floor.yml").write_text(
        header.format(what="without this project's plugins, only the home page in the nav (the floor)")
        + yaml.safe_dump(floor, sort_keys=False), encoding="utf-8")
    (root / "mkdocs-nocards.yml").write_text(
        header.format(what="without share cards (what they cost)") + yaml.safe_dump(nocards, sort_keys=False),
        encoding="utf-8")


def manifest_matches(root: Path, n: int, seed: int) -> bool:
    try:
        data = json.loads((root / "bench-archive.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("briefs") == n and data.get("seed") == seed and data.get("version") == GENERATOR_VERSION


def generate(root: Path, n: int, *, seed: int = DEFAULT_SEED, base_config: Path = REPO / "mkdocs.yml") -> dict:
    """Writes the archive under `root` (its content/ and site_config/ are replaced); returns the manifest."""
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("content", "site_config"):
        shutil.rmtree(root / sub, ignore_errors=True)
    writer = Writer(n, seed)
    topics = writer.topics()
    authors = writer.authors()
    specs = writer.briefs(authors, topics)
    slugs = [s.slug for s in specs]
    titles = {s.slug: s.title for s in specs}

    def put(relative: str, text: str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    put("site_config/topics.yml", "# Synthetic vocabulary written by bench/generate.py\n"
        + yaml.safe_dump(topics, sort_keys=False, allow_unicode=True, width=100))
    put("site_config/types.yml", yaml.safe_dump({k: {"title": t, "plural": p} for k, t, p, _ in TYPES}, sort_keys=False))
    put("site_config/programs.yml", yaml.safe_dump(
        {k: {"title": t, "short": s, "description": d} for k, t, s, d in PROGRAMS}, sort_keys=False, width=100))
    put("site_config/series.yml", yaml.safe_dump(
        {k: {"title": t, "short": s} for k, t, s in SERIES}, sort_keys=False))
    put("content/index.md", "# Clear analysis for hard security choices\n\nA synthetic archive written by "
        "`bench/generate.py` to measure builds: the latest briefs below, or browse by topic, author or year.\n")
    # The project's nav names an editorial page; like the sample's, it embeds two listings.
    first_topic, (series_key, series_title, _short) = next(iter(topics)), SERIES[0]
    put("content/about.md", f"---\ntitle: About the Institute\n---\n# About the Institute\n\nA synthetic archive.\n\n"
        f"## Our latest work\n\n```briefs\ntopic: {first_topic}\nlimit: 3\n```\n\n"
        f"## {series_title}\n\n```briefs\nseries: {series_key}\nlimit: 5\n```\n")
    for author in authors:
        put(f"content/authors/{author.key}.md", writer.author_text(author))
        if author.photo:
            put(f"content/authors/photos/{author.key}.svg", writer.photo_svg(author))
    words = 0
    for spec in specs:
        text = writer.brief_text(spec, slugs, titles)
        words += len(text.split("\n---\n", 1)[1].split())
        put(spec.path, text)
    write_configs(root, base_config)
    manifest = {
        "version": GENERATOR_VERSION, "briefs": n, "seed": seed, "authors": len(authors),
        "topics": len(topics), "types": len(TYPES), "programs": len(PROGRAMS),
        "years": [min(s.date.year for s in specs), max(s.date.year for s in specs)] if specs else [],
        "words": words, "mean_words": round(words / max(1, n)),
        # the brief run.py edits for the rebuild measurement: one in the middle of the archive
        "edit_target": specs[n // 2].path if specs else None,
    }
    put("bench-archive.json", json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", "-n", type=int, default=1000, help="number of briefs (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the archive into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--base-config", type=Path, default=REPO / "mkdocs.yml",
                        help="the mkdocs.yml the archive inherits (default: the project's)")
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.briefs, seed=args.seed, base_config=args.base_config)
    print(json.dumps(manifest, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
