"""Synthetic PhD adverts for benchmarks: vocabulary, skewed distributions and a row generator.

Pure Python, no ORM: `manage.py generate_positions` turns the rows into COPY input and the
benchmark suite (bench/run.py) reads the same word lists to build its query mix. Everything is
drawn from one `random.Random(seed)`, so a seed always yields the same database.

The distributions are skewed on purpose (Zipf-like): a handful of countries, institutions and
topics hold most positions, as on real boards, so facet counts and term frequencies span
several orders of magnitude, from "research" (every advert) to a rare method name.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

# fmt: off
# --- Countries: (ISO code, weight, currency, stipend per year low-high, contract bias, cities) ---
COUNTRIES: list[tuple[str, float, str, tuple[int, int], str, list[str]]] = [
    ("GB", 18, "GBP", (18000, 24000), "stipend", ["London", "Manchester", "Edinburgh", "Bristol", "Leeds", "Glasgow", "Oxford", "Cambridge", "Southampton", "Nottingham", "Sheffield", "Birmingham"]),
    ("DE", 15, "EUR", (30000, 52000), "employment", ["Munich", "Berlin", "Heidelberg", "Aachen", "Bonn", "Hamburg", "Dresden", "Freiburg", "Stuttgart", "Karlsruhe", "Göttingen"]),
    ("US", 14, "USD", (28000, 45000), "stipend", ["Boston", "Berkeley", "Pittsburgh", "Ann Arbor", "Austin", "Seattle", "Madison", "Chicago", "Atlanta", "Stanford", "Princeton"]),
    ("NL", 8, "EUR", (33000, 45000), "employment", ["Amsterdam", "Delft", "Utrecht", "Leiden", "Groningen", "Eindhoven", "Nijmegen", "Rotterdam"]),
    ("FR", 7, "EUR", (25000, 30000), "employment", ["Paris", "Lyon", "Grenoble", "Toulouse", "Marseille", "Strasbourg", "Bordeaux"]),
    ("CH", 5, "CHF", (47000, 60000), "employment", ["Zurich", "Lausanne", "Geneva", "Basel", "Bern"]),
    ("SE", 4, "SEK", (340000, 420000), "employment", ["Stockholm", "Lund", "Uppsala", "Gothenburg", "Linköping"]),
    ("CA", 4, "CAD", (22000, 35000), "stipend", ["Toronto", "Montreal", "Vancouver", "Waterloo", "Calgary"]),
    ("AU", 4, "AUD", (30000, 37000), "stipend", ["Sydney", "Melbourne", "Brisbane", "Canberra", "Perth", "Adelaide"]),
    ("DK", 3, "DKK", (330000, 400000), "employment", ["Copenhagen", "Aarhus", "Lyngby", "Odense"]),
    ("BE", 3, "EUR", (27000, 32000), "stipend", ["Leuven", "Ghent", "Brussels", "Antwerp", "Liège"]),
    ("IT", 3, "EUR", (16000, 20000), "stipend", ["Milan", "Rome", "Bologna", "Turin", "Pisa", "Padua", "Trieste"]),
    ("ES", 3, "EUR", (17000, 22000), "employment", ["Barcelona", "Madrid", "Valencia", "Granada", "Seville"]),
    ("AT", 2, "EUR", (36000, 45000), "employment", ["Vienna", "Graz", "Innsbruck", "Linz"]),
    ("FI", 2, "EUR", (28000, 34000), "employment", ["Helsinki", "Espoo", "Tampere", "Oulu", "Turku"]),
    ("NO", 2, "NOK", (500000, 560000), "employment", ["Oslo", "Trondheim", "Bergen", "Tromsø"]),
    ("IE", 2, "EUR", (22000, 28000), "stipend", ["Dublin", "Cork", "Galway", "Limerick"]),
    ("CN", 2, "CNY", (50000, 90000), "stipend", ["Beijing", "Shanghai", "Hangzhou", "Nanjing", "Wuhan"]),
    ("JP", 1.5, "JPY", (2000000, 2800000), "stipend", ["Tokyo", "Kyoto", "Osaka", "Sendai", "Nagoya"]),
    ("SG", 1.2, "SGD", (30000, 40000), "stipend", ["Singapore"]),
    ("PT", 1, "EUR", (13000, 17000), "stipend", ["Lisbon", "Porto", "Coimbra", "Braga"]),
    ("PL", 1, "PLN", (40000, 60000), "stipend", ["Warsaw", "Kraków", "Wrocław", "Gdańsk", "Poznań"]),
    ("CZ", 0.8, "CZK", (300000, 420000), "stipend", ["Prague", "Brno", "Olomouc"]),
    ("IL", 0.8, "ILS", (80000, 110000), "stipend", ["Rehovot", "Haifa", "Tel Aviv", "Jerusalem"]),
    ("KR", 0.7, "KRW", (24000000, 36000000), "stipend", ["Seoul", "Daejeon", "Pohang"]),
    ("NZ", 0.6, "NZD", (28000, 35000), "stipend", ["Auckland", "Wellington", "Christchurch", "Dunedin"]),
    ("LU", 0.5, "EUR", (40000, 45000), "employment", ["Luxembourg", "Esch-sur-Alzette"]),
    ("EE", 0.4, "EUR", (20000, 26000), "employment", ["Tartu", "Tallinn"]),
    ("GR", 0.4, "EUR", (12000, 16000), "stipend", ["Athens", "Thessaloniki", "Heraklion"]),
    ("BR", 0.4, "BRL", (30000, 45000), "stipend", ["São Paulo", "Campinas", "Rio de Janeiro"]),
    ("IN", 0.4, "INR", (400000, 500000), "stipend", ["Bangalore", "Mumbai", "Delhi", "Chennai"]),
    ("ZA", 0.3, "ZAR", (120000, 180000), "stipend", ["Cape Town", "Johannesburg", "Stellenbosch"]),
    ("IS", 0.1, "ISK", (4000000, 5000000), "employment", ["Reykjavík"]),
]
EU = {"DE", "NL", "FR", "SE", "DK", "BE", "IT", "ES", "AT", "FI", "IE", "PT", "PL", "CZ", "LU", "EE", "GR"}

INSTITUTION_PATTERNS = [
    "University of {city}",
    "{city} University",
    "{city} Institute of Technology",
    "Technical University of {city}",
    "{city} School of Advanced Studies",
    "{founder} University {city}",
    "{founder} Institute for {field_name}",
    "{city} Centre for {field_name}",
    "Royal {city} College",
    "{founder} College {city}",
]
FOUNDERS = [
    "Humboldt", "Curie", "Noether", "Hilbert", "Darwin", "Faraday", "Gauss", "Euler", "Ramanujan",
    "Turing", "Lovelace", "Planck", "Helmholtz", "Fraunhofer", "Pasteur", "Nobel", "Bohr",
    "Copernicus", "Galileo", "Kepler", "Maxwell", "Leibniz", "Linnaeus", "Franklin", "Meitner",
    "Hopper", "Riemann", "Pauli", "Fermi", "Volta",
]
DEPARTMENTS = [
    "Department of {field_name}", "School of {field_name}", "Institute of {leaf}",
    "Faculty of Science", "Faculty of Engineering", "Graduate School of {field_name}",
    "Centre for Doctoral Training in {leaf}", "Laboratory of {leaf}",
]

# --- Topics: two levels, used when the taxonomy is absent (load_taxonomy not run) ---
# Each leaf has keyword phrases that appear in titles and descriptions.
FALLBACK_TAXONOMY: dict[str, dict[str, list[str]]] = {
    "Mathematics": {
        "Probability": ["stochastic processes", "random matrices", "Markov chains", "martingales"],
        "Analysis": ["partial differential equations", "harmonic analysis", "optimal transport", "functional analysis"],
        "Algebra and geometry": ["algebraic geometry", "representation theory", "number theory", "topology"],
        "Numerical analysis": ["finite element methods", "numerical linear algebra", "uncertainty quantification", "scientific computing"],
        "Statistics": ["Bayesian inference", "causal inference", "high-dimensional statistics", "time series"],
    },
    "Computer and information sciences": {
        "Machine learning": ["machine learning", "deep learning", "reinforcement learning", "graph neural networks", "large language models"],
        "Computer vision": ["computer vision", "image segmentation", "3D reconstruction", "medical imaging"],
        "Natural language processing": ["natural language processing", "machine translation", "speech recognition", "information extraction"],
        "Security and privacy": ["cryptography", "differential privacy", "software security", "formal verification"],
        "Distributed systems": ["distributed systems", "cloud computing", "high performance computing", "databases"],
        "Robotics": ["robotics", "motion planning", "human-robot interaction", "autonomous vehicles"],
    },
    "Physical sciences": {
        "Quantum physics": ["quantum computing", "quantum optics", "quantum information", "superconducting qubits"],
        "Condensed matter": ["condensed matter", "topological materials", "graphene", "spintronics"],
        "Astrophysics": ["astrophysics", "exoplanets", "gravitational waves", "galaxy formation", "cosmology"],
        "Particle physics": ["particle physics", "neutrino physics", "dark matter", "detector development"],
        "Plasma physics": ["plasma physics", "nuclear fusion", "tokamak", "laser-plasma interaction"],
    },
    "Chemical sciences": {
        "Organic chemistry": ["organic synthesis", "catalysis", "total synthesis", "photochemistry"],
        "Physical chemistry": ["spectroscopy", "molecular dynamics", "electrochemistry", "surface science"],
        "Materials chemistry": ["polymers", "battery materials", "metal-organic frameworks", "nanomaterials"],
    },
    "Earth and environmental sciences": {
        "Climate science": ["climate modelling", "climate change", "atmospheric dynamics", "carbon cycle"],
        "Oceanography": ["ocean circulation", "marine ecosystems", "sea ice", "coastal processes"],
        "Geology": ["geophysics", "seismology", "volcanology", "sediment transport"],
        "Hydrology": ["hydrology", "groundwater", "flood risk", "water resources"],
    },
    "Biological sciences": {
        "Molecular biology": ["gene regulation", "CRISPR", "protein structure", "RNA biology"],
        "Neuroscience": ["neuroscience", "synaptic plasticity", "neural circuits", "brain imaging"],
        "Ecology and evolution": ["ecology", "evolutionary biology", "biodiversity", "population genetics"],
        "Microbiology": ["microbiology", "antimicrobial resistance", "microbiome", "virology"],
        "Bioinformatics": ["bioinformatics", "genomics", "single-cell sequencing", "systems biology"],
    },
    "Engineering and technology": {
        "Electrical engineering": ["power electronics", "signal processing", "wireless communications", "photonics"],
        "Mechanical engineering": ["fluid dynamics", "turbulence", "additive manufacturing", "tribology"],
        "Civil engineering": ["structural engineering", "geotechnics", "transport systems", "smart cities"],
        "Chemical engineering": ["process engineering", "hydrogen production", "carbon capture", "reactor design"],
        "Biomedical engineering": ["biomaterials", "tissue engineering", "medical devices", "biomechanics"],
    },
    "Medical and health sciences": {
        "Epidemiology": ["epidemiology", "public health", "infectious diseases", "health data"],
        "Oncology": ["cancer biology", "immunotherapy", "tumour microenvironment", "radiotherapy"],
        "Clinical medicine": ["clinical trials", "cardiology", "diabetes", "mental health"],
    },
    "Social sciences": {
        "Economics": ["economics", "labour markets", "development economics", "behavioural economics"],
        "Psychology": ["psychology", "cognitive science", "child development", "social cognition"],
        "Political science": ["political science", "democracy", "international relations", "public policy"],
        "Sociology": ["sociology", "migration", "inequality", "digital society"],
    },
    "Humanities and the arts": {
        "History": ["history", "medieval history", "colonial history", "history of science"],
        "Linguistics": ["linguistics", "phonology", "language acquisition", "computational linguistics"],
        "Philosophy": ["philosophy", "ethics", "philosophy of mind", "logic"],
        "Literature": ["comparative literature", "digital humanities", "literary theory", "book history"],
    },
}
# Skew of the top-level fields: engineering and computing dominate real boards.
FIELD_WEIGHTS = {
    "Engineering and technology": 16, "Computer and information sciences": 15,
    "Biological sciences": 14, "Physical sciences": 11, "Medical and health sciences": 10,
    "Chemical sciences": 8, "Earth and environmental sciences": 7, "Mathematics": 6,
    "Social sciences": 8, "Humanities and the arts": 5,
}

# --- Rare terms: named methods and objects, each in few adverts (the long tail of queries) ---
RARE_TERMS = [
    "Wasserstein", "Kolmogorov", "Navier-Stokes", "Schrödinger", "Hamiltonian", "Lagrangian",
    "Monte Carlo", "variational autoencoder", "transformer", "diffusion models", "Gaussian processes",
    "Kalman filter", "Lyapunov", "Ising model", "Hubbard model", "Bose-Einstein", "perovskite",
    "zeolite", "organoids", "zebrafish", "Drosophila", "Arabidopsis", "C. elegans", "microfluidics",
    "metamaterials", "lidar", "hyperspectral", "permafrost", "Antarctic", "Sahel", "Amazon basin",
    "Baltic Sea", "coral reefs", "peatlands", "mangroves", "glaciers", "aerosols", "methane",
    "lithium-sulfur", "solid-state electrolytes", "electrolysers", "wind turbines", "tidal energy",
    "hydrogels", "exoskeleton", "prosthetics", "cochlear implants", "EEG", "fMRI", "optogenetics",
    "Alzheimer", "Parkinson", "sepsis", "malaria", "tuberculosis", "HIV", "dementia", "autism",
    "blockchain", "homomorphic encryption", "zero-knowledge proofs", "Coq", "Isabelle", "Rust",
    "compilers", "FPGA", "neuromorphic", "spiking neural networks", "federated learning",
    "knowledge graphs", "ontologies", "Bayesian optimisation", "active learning", "explainability",
    "fairness", "Byzantine", "consensus protocols", "SLAM", "legged locomotion", "drones", "swarm",
    "Lie groups", "Hodge theory", "Galois representations", "modular forms", "knot theory",
    "Teichmüller", "mean-field games", "rough paths", "SPDEs", "Stein's method", "extreme values",
    "copulas", "survival analysis", "Mendelian randomisation", "pharmacokinetics", "vaccines",
    "antibodies", "cryo-EM", "NMR", "X-ray crystallography", "synchrotron", "muons", "LHC",
    "IceCube", "JWST", "radio astronomy", "pulsars", "black holes", "neutron stars", "Sanskrit",
    "Byzantine empire", "Ottoman", "papyrology", "Old Norse", "Latin palaeography", "Kant",
    "Wittgenstein", "phenomenology", "sign languages", "Creole", "Bantu", "corpus linguistics",
    "game theory", "auctions", "central banks", "microfinance", "populism", "elections",
    "refugees", "urbanisation", "gentrification", "social media", "misinformation",
]

# --- Academic vocabulary for the paragraphs around the project ---
ADJECTIVES = [
    "novel", "innovative", "interdisciplinary", "international", "dynamic", "collaborative",
    "world-leading", "ambitious", "highly motivated", "fundamental", "applied", "theoretical",
    "experimental", "computational", "data-driven", "scalable", "robust", "efficient",
    "sustainable", "rigorous", "excellent", "vibrant", "stimulating", "well-equipped",
]
ACTIVITIES = [
    "develop", "investigate", "design", "analyse", "model", "characterise", "explore", "quantify",
    "validate", "implement", "test", "compare", "predict", "optimise", "understand", "measure",
]
OBJECTS = [
    "methods", "models", "algorithms", "frameworks", "tools", "experiments", "simulations",
    "theories", "datasets", "prototypes", "mechanisms", "techniques", "approaches", "strategies",
]
INTRO_SENTENCES = [
    "The {department} at {institution} invites applications for a fully funded PhD position starting in {start}.",
    "We are looking for a {adj} PhD candidate to join our {adj2} research group in {city}.",
    "{institution} is one of the leading research universities in the country, with a strong record in {field_name}.",
    "Our group works at the interface of {kw} and {kw2}, with close links to industry and to international partners.",
    "The position is part of a {adj} research programme funded by the national research council.",
    "The successful candidate will be embedded in a {adj} team of postdoctoral researchers, doctoral students and technicians.",
    "This project is offered within the doctoral training programme in {leaf}.",
    "The research group of {supervisor} has an open position for a doctoral researcher.",
]
PROJECT_SENTENCES = [
    "The aim of this project is to {act} {adj} {obj} for {kw}.",
    "You will {act} and {act2} {obj} that combine {kw} with {kw2}.",
    "A central question is how {kw} can be used to {act} {obj} in realistic settings.",
    "The project will {act} the role of {kw} in {kw2}, using both {adj} and {adj2} {obj}.",
    "Recent advances in {kw} open the way to {adj} {obj}, and this thesis will {act} them at scale.",
    "The candidate will {act} {obj} based on {kw}, and {act2} them on data from our partners.",
    "Particular attention will be paid to {kw} and its applications to {kw2}.",
    "The work combines theory, {adj} {obj} and close collaboration with experimental groups.",
    "Expected outcomes include {adj} {obj} for {kw}, publications in leading journals and open-source software.",
    "There will be opportunities to {act} {obj} during research visits to partner institutions abroad.",
    "The research addresses open problems in {kw} that matter for {kw2} and for society at large.",
    "Depending on the interests of the candidate, the project can focus on {kw} or on {kw2}.",
]
REQUIREMENT_SENTENCES = [
    "Applicants must hold a master's degree (or equivalent) in {field_name} or a related discipline.",
    "A strong background in {kw} and good programming skills (Python, C++ or Julia) are essential.",
    "Experience with {kw2} is an advantage but not required.",
    "Excellent written and spoken English is required; knowledge of the local language is not.",
    "We value curiosity, independence and the ability to work in an interdisciplinary team.",
    "Candidates should have a good first degree and a genuine interest in research.",
    "Prior research experience, for example a master's thesis in {leaf}, will be considered an asset.",
]
OFFER_FULL = [
    "The studentship covers tuition fees and provides a tax-free stipend of {stipend} per year for {years} years.",
    "We offer a fully funded position for {years} years with a salary of {stipend} per year and social security benefits.",
    "The position is funded for {years} years, including fees, a stipend of {stipend} and a research training budget.",
]
OFFER_PARTIAL = [
    "The scholarship covers tuition fees at the home rate; a partial stipend may be available.",
    "Funding covers fees for {years} years; candidates are expected to seek additional support for living costs.",
]
OFFER_SELF = [
    "This is a self-funded project: applicants must secure their own funding for fees and living costs.",
    "The position is open to self-funded students and to holders of external scholarships.",
]
OFFER_UNKNOWN = [
    "Further details of the conditions of employment are available from the faculty office.",
    "The group offers a stimulating environment and excellent research facilities.",
]
ELIGIBILITY_SENTENCES = {
    "home": "The funding is available to home students only.",
    "eu": "Applicants from the European Union are eligible for full funding.",
    "international": "International applicants are welcome and eligible for the full award.",
}
APPLY_SENTENCES = [
    "To apply, send a CV, a motivation letter, transcripts and the names of two referees to {email}.",
    "Applications must be submitted through the university's online portal; please quote the reference {ref}.",
    "Informal enquiries are welcome and should be addressed to {supervisor} ({email}).",
    "Interviews will be held online shortly after the closing date.",
    "We are committed to equality, diversity and inclusion and welcome applications from all backgrounds.",
]
DEADLINE_FIXED = [
    "The closing date for applications is {deadline}.",
    "Applications received by {deadline} will receive full consideration.",
    "Deadline: {deadline}.",
]
DEADLINE_ROLLING = [
    "Applications will be reviewed on a rolling basis until the position is filled.",
    "The position remains open until a suitable candidate has been found.",
]
TITLE_PATTERNS = [
    "PhD position in {kw}",
    "PhD studentship: {Kw} for {kw2}",
    "Fully funded PhD in {leaf}: {kw}",
    "Doctoral researcher (m/f/d) in {kw}",
    "PhD candidate in {leaf}",
    "{Adj} {kw} for {kw2} (PhD)",
    "PhD project: {Act} {obj} for {kw}",
    "Doctoral student in {field_name} - {kw}",
    "Research associate / PhD student in {kw}",
    "EPSRC DTP studentship in {kw}",
]
FIRST_NAMES = [
    "Anna", "Maria", "Laura", "Sofia", "Emma", "Julia", "Sara", "Elena", "Chen", "Wei", "Yuki",
    "Priya", "Fatima", "Ingrid", "Hannah", "Claire", "Marta", "Eva", "Lucia", "Olga", "James",
    "Thomas", "Peter", "Michael", "David", "Martin", "Lukas", "Jonas", "Luca", "Marco", "Pierre",
    "Jan", "Erik", "Lars", "Ahmed", "Ravi", "Hiroshi", "Carlos", "Pablo", "Andrei", "Mateusz",
]
LAST_NAMES = [
    "Müller", "Schmidt", "Smith", "Jones", "Garcia", "Rossi", "Dubois", "Jansen", "de Vries",
    "Andersson", "Nielsen", "Novak", "Kowalski", "Wang", "Li", "Zhang", "Tanaka", "Kim", "Patel",
    "Singh", "Cohen", "O'Brien", "MacDonald", "Bianchi", "Fischer", "Weber", "Moreau", "Laurent",
    "Bakker", "Virtanen", "Hansen", "Berg", "Silva", "Costa", "Ferreira", "Papadopoulos", "Horvat",
]
SOURCE_NAMES = [
    "Synthetic board Alpha", "Synthetic board Beta", "Synthetic jobs portal Gamma",
    "Synthetic university feed Delta", "Synthetic lab pages Epsilon",
]
SOURCE_WEIGHTS = [50, 25, 12, 8, 5]

# fmt: on


class Zipf:
    """Draws an index in [0, n) with probability proportional to 1 / (rank + 1) ** exponent."""

    def __init__(self, n: int, exponent: float = 1.0, weights: Sequence[float] | None = None):
        raw = list(weights) if weights is not None else [1 / (i + 1) ** exponent for i in range(n)]
        self.cumulative = list(itertools.accumulate(raw))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> int:
        return bisect.bisect_right(self.cumulative, rng.random() * self.total)


@dataclass(frozen=True)
class TopicChoice:
    id: int
    name: str
    field_name: str
    keywords: tuple[str, ...]
    parent_id: int | None = None


@dataclass(frozen=True)
class InstitutionChoice:
    id: int
    name: str
    country: str
    city: str
    domain: str


@dataclass
class SyntheticPosition:
    """One generated position with its listings (source index, url) and topic ids."""

    values: dict[str, Any]
    topic_ids: list[int]
    topic_text: str
    listings: list[tuple[int, str]] = field(default_factory=list)
    facet_topic_ids: list[int] = field(default_factory=list)


def country_profile(code: str) -> tuple[str, tuple[int, int], str, list[str]]:
    for iso, _weight, currency, stipend, contract, cities in COUNTRIES:
        if iso == code:
            return currency, stipend, contract, cities
    return "EUR", (20000, 30000), "stipend", ["Capital"]


def synthetic_institutions(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """(name, country, city, domain) tuples, unique by name, countries Zipf-skewed."""
    country_zipf = Zipf(len(COUNTRIES), weights=[c[1] for c in COUNTRIES])
    fields = list(FALLBACK_TAXONOMY)
    seen: set[str] = set()
    out: list[tuple[str, str, str, str]] = []
    attempts = 0
    while len(out) < count and attempts < count * 20:
        attempts += 1
        # Every country gets at least one institution; the rest follow the countries' weights.
        index = len(out) if len(out) < len(COUNTRIES) else country_zipf.draw(rng)
        iso, _w, _cur, _st, _ct, cities = COUNTRIES[index]
        city = rng.choice(cities)
        name = rng.choice(INSTITUTION_PATTERNS).format(
            city=city, founder=rng.choice(FOUNDERS), field_name=rng.choice(fields)
        )
        if name in seen:
            continue
        seen.add(name)
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:40]
        out.append((name, iso, city, f"{slug}.example.org"))
    return out


class PositionGenerator:
    """Deterministic generator of synthetic positions over given institutions and topics."""

    def __init__(
        self,
        *,
        seed: int,
        institutions: Sequence[InstitutionChoice],
        topics: Sequence[TopicChoice],
        source_count: int,
        today: dt.date,
        current_share: float = 0.6,
        archive_days: int = 365,
    ):
        self.rng = random.Random(seed)
        self.today = today
        self.current_share = current_share
        self.archive_days = max(1, archive_days)
        self.now = dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC)
        # Countries first (their own weights), then an institution within the country
        # (Zipf, in a seeded order so the skew does not follow primary keys).
        by_country: dict[str, list[InstitutionChoice]] = {}
        for institution in institutions:
            by_country.setdefault(institution.country, []).append(institution)
        weights = {iso: weight for iso, weight, *_rest in COUNTRIES}
        self.countries = sorted(by_country, key=lambda iso: -weights.get(iso, 0.1))
        self.country_zipf = Zipf(
            len(self.countries), weights=[weights.get(iso, 0.1) for iso in self.countries]
        )
        shuffler = random.Random(seed + 1)
        self.country_institutions = []
        for iso in self.countries:
            members = sorted(by_country[iso], key=lambda item: item.id)
            shuffler.shuffle(members)
            self.country_institutions.append(members)
        self.institution_zipfs = [
            Zipf(len(members), exponent=0.8) for members in self.country_institutions
        ]
        self.topics = list(topics)
        by_field: dict[str, list[TopicChoice]] = {}
        for topic in self.topics:
            by_field.setdefault(topic.field_name, []).append(topic)
        self.fields = sorted(by_field, key=lambda name: -FIELD_WEIGHTS.get(name, 3))
        self.field_topics = [by_field[name] for name in self.fields]
        self.field_zipf = Zipf(
            len(self.fields), weights=[FIELD_WEIGHTS.get(n, 3) for n in self.fields]
        )
        self.topic_zipfs = [Zipf(len(items), exponent=0.8) for items in self.field_topics]
        self.rare_zipf = Zipf(len(RARE_TERMS), exponent=1.1)
        self.source_zipf = Zipf(source_count, weights=SOURCE_WEIGHTS[:source_count] or None)
        self.source_count = source_count
        self.names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]

    # A few helpers that keep the templates short.
    def _pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def _keyword(self, topic: TopicChoice) -> str:
        if topic.keywords:
            return self._pick(topic.keywords)
        return topic.name.lower()

    def make(self, position_id: int) -> SyntheticPosition:
        rng = self.rng
        country_index = self.country_zipf.draw(rng)
        members = self.country_institutions[country_index]
        institution = members[self.institution_zipfs[country_index].draw(rng)]
        currency, (stipend_low, stipend_high), contract_bias, _cities = country_profile(
            institution.country
        )
        field_index = self.field_zipf.draw(rng)
        field_name = self.fields[field_index]
        leaves = self.field_topics[field_index]
        zipf = self.topic_zipfs[field_index]
        topic_list = [leaves[zipf.draw(rng)]]
        if rng.random() < 0.45:
            topic_list.append(leaves[zipf.draw(rng)])
        if rng.random() < 0.12:
            other = self.field_topics[self.field_zipf.draw(rng)]
            topic_list.append(other[int(rng.random() * len(other))])
        topics = list({t.id: t for t in topic_list}.values())
        main = topics[0]
        second = topics[-1]
        kw, kw2 = self._keyword(main), self._keyword(second)
        if kw2 == kw:
            kw2 = self._keyword(main)
        supervisor_count = 0 if rng.random() < 0.3 else (1 if rng.random() < 0.8 else 2)
        supervisors = [self._pick(self.names) for _ in range(supervisor_count)]
        supervisor = supervisors[0] if supervisors else "the principal investigator"
        email_user = (
            supervisors[0].split()[-1].lower().replace("'", "") if supervisors else "phd-office"
        )
        email = f"{email_user}@{institution.domain}"
        department = self._pick(DEPARTMENTS).format(field_name=field_name, leaf=main.name)

        # Deadline: fixed dates spread from a year ago to a year ahead, some rolling/unknown.
        # Current adverts (future deadline, rolling or unknown) or the archive (closed, their
        # deadline up to archive_days ago). The housekeeping task closes positions whose
        # deadline passed, so an open position never has a past deadline here.
        deadline: dt.date | None
        roll = rng.random()
        if rng.random() < self.current_share:
            if roll < 0.70:
                deadline_kind = "fixed"
                deadline = self.today + dt.timedelta(days=int(rng.triangular(0, 365, 30)))
            elif roll < 0.85:
                deadline_kind, deadline = "rolling", None
            else:
                deadline_kind, deadline = "unknown", None
            status = "closed" if rng.random() < 0.08 else "open"  # filled early
        else:
            if roll < 0.8:
                deadline_kind = "fixed"
                deadline = self.today - dt.timedelta(days=rng.randint(1, self.archive_days))
            else:
                deadline_kind, deadline = ("rolling" if roll < 0.9 else "unknown"), None
            status = "closed"
        first_seen_days = (
            (self.today - deadline).days + int(rng.uniform(20, 120))
            if deadline
            else int(rng.uniform(0, 400 if status == "open" else self.archive_days))
        )
        first_seen_days = max(0, first_seen_days)
        first_seen = dt.datetime.combine(
            self.today - dt.timedelta(days=first_seen_days),
            dt.time(rng.randrange(24), rng.randrange(60)),
            tzinfo=dt.UTC,
        )
        closed_at = (
            dt.datetime.combine(deadline or self.today, dt.time(1), tzinfo=dt.UTC)
            if status == "closed"
            else None
        )
        moderation_roll = rng.random()
        moderation = (
            "published"
            if moderation_roll < 0.965
            else ("pending" if moderation_roll < 0.99 else "hidden")
        )

        start_date = None
        if rng.random() < 0.65:
            base = deadline or self.today
            month = base.month + rng.randint(2, 7)
            start_date = dt.date(base.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        duration = self._pick([36, 36, 36, 48, 48, 42, 60]) if rng.random() < 0.6 else None
        years = (duration or 36) // 12

        funding_roll = rng.random()
        funding = (
            "full"
            if funding_roll < 0.55
            else "partial"
            if funding_roll < 0.64
            else "self"
            if funding_roll < 0.69
            else "unknown"
        )
        contract_roll = rng.random()
        if funding in {"self", "unknown"} and contract_roll < 0.5:
            contract = "unknown"
        elif contract_roll < 0.75:
            contract = contract_bias
        else:
            contract = "employment" if contract_bias == "stipend" else "stipend"
        eligibility_roll = rng.random()
        if eligibility_roll < 0.4:
            eligibility: list[str] = []
        elif eligibility_roll < 0.55:
            eligibility = ["home"]
        elif eligibility_roll < 0.72:
            eligibility = (
                ["home", "eu"]
                if institution.country in EU or institution.country == "GB"
                else ["home"]
            )
        else:
            eligibility = (
                ["home", "eu", "international"]
                if institution.country in EU
                else ["home", "international"]
            )
        # Who may apply; only a funded position is funded for anyone (issue 22).
        open_to = eligibility
        if funding not in {"full", "partial"}:
            eligibility = []

        stipend_amount = None
        stipend_period = ""
        stipend_text = ""
        stipend_currency = ""
        if funding in {"full", "partial"} and rng.random() < 0.7:
            yearly = round(rng.uniform(stipend_low, stipend_high), -2)
            if contract == "employment" and rng.random() < 0.5:
                stipend_amount, stipend_period = round(yearly / 12, -1), "month"
            else:
                stipend_amount, stipend_period = yearly, "year"
            stipend_currency = currency
            stipend_text = f"{currency} {stipend_amount:,.0f} per {stipend_period}"
        fees = "not_stated"
        if funding == "full":
            fees = "international" if "international" in eligibility else "home"

        fills = {
            "department": department,
            "institution": institution.name,
            "city": institution.city,
            "field_name": field_name,
            "leaf": main.name,
            "kw": kw,
            "kw2": kw2,
            "supervisor": supervisor,
            "email": email,
            "ref": f"PHD-{position_id % 100000:05d}",
            "start": start_date.strftime("%B %Y") if start_date else "the autumn",
            "stipend": stipend_text or f"{currency} {stipend_low:,}",
            "years": years,
        }
        title = self._pick(TITLE_PATTERNS).format(
            Kw=kw[:1].upper() + kw[1:],
            Adj=self._pick(ADJECTIVES).capitalize(),
            Act=self._pick(ACTIVITIES).capitalize(),
            obj=self._pick(OBJECTS),
            **fills,
        )

        paragraphs = [
            self._sentences(INTRO_SENTENCES, 2, 3, fills),
            self._sentences(PROJECT_SENTENCES, 4, 9, fills),
        ]
        if rng.random() < 0.35:
            rare = RARE_TERMS[self.rare_zipf.draw(rng)]
            paragraphs[1] += f" A particular focus will be {rare}, in the context of {kw}."
        paragraphs.append(self._sentences(REQUIREMENT_SENTENCES, 2, 4, fills))
        offer = {"full": OFFER_FULL, "partial": OFFER_PARTIAL, "self": OFFER_SELF}.get(
            funding, OFFER_UNKNOWN
        )
        offer_paragraph = self._pick(offer).format(**fills)
        for group in eligibility[-1:]:
            offer_paragraph += " " + ELIGIBILITY_SENTENCES[group]
        paragraphs.append(offer_paragraph)
        closing = self._sentences(APPLY_SENTENCES, 1, 3, fills)
        if deadline_kind == "fixed" and deadline is not None:
            closing += " " + self._pick(DEADLINE_FIXED).format(
                deadline=deadline.strftime("%-d %B %Y")
            )
        elif deadline_kind == "rolling":
            closing += " " + self._pick(DEADLINE_ROLLING)
        paragraphs.append(closing)
        description_text = "\n\n".join(paragraphs)
        description_html = "".join(f"<p>{p}</p>" for p in paragraphs)

        slug = f"{position_id}"
        url = f"https://{institution.domain}/vacancies/{slug}"
        values: dict[str, Any] = {
            "id": position_id,
            "title": title[:500],
            "institution_id": institution.id,
            "institution_name": institution.name,
            "department": department[:300],
            "country": institution.country,
            "city": institution.city,
            "deadline": deadline,
            "deadline_kind": deadline_kind,
            "start_date": start_date,
            "duration_months": duration,
            "funding": funding,
            "contract": contract,
            "eligibility": eligibility,
            "open_to": open_to,
            "stipend_amount": stipend_amount,
            "stipend_currency": stipend_currency,
            "stipend_period": stipend_period,
            "stipend_text": stipend_text,
            "fees_covered": fees,
            "teaching_duty": None if rng.random() < 0.7 else rng.random() < 0.5,
            "supervisors": supervisors,
            "contact_emails": [email] if rng.random() < 0.8 else [],
            "tags": [kw, kw2] if kw != kw2 else [kw],
            "description_html": description_html,
            "description_text": description_text,
            "url": url,
            "apply_url": url + "/apply" if rng.random() < 0.6 else "",
            "status": status,
            "moderation": moderation,
            "confidence": round(rng.uniform(0.55, 1.0), 2),
            "completeness": rng.randint(30, 100),
            "dedup_key": f"{institution.id}:{title[:60].lower()}",
            "first_seen": first_seen,
            "last_seen": min(first_seen + dt.timedelta(days=rng.randint(0, 60)), self.now),
            "last_verified": first_seen,
            "closed_at": closed_at,
            "updated_at": first_seen,
        }
        topic_text = " ".join(f"{t.field_name} {t.name} {' '.join(t.keywords[:3])}" for t in topics)
        position = SyntheticPosition(
            values=values,
            topic_ids=[t.id for t in topics],
            topic_text=topic_text,
            # What the link triggers keep in positions_position.topic_ids (migration 0008).
            facet_topic_ids=sorted(
                {t.id for t in topics} | {t.parent_id for t in topics if t.parent_id}
            ),
        )
        # Most positions are listed once; some appear on two or three boards.
        listing_roll = rng.random()
        listing_count = 1 if listing_roll < 0.78 else (2 if listing_roll < 0.95 else 3)
        used: set[int] = set()
        for _ in range(min(listing_count, self.source_count)):
            source_index = self.source_zipf.draw(rng)
            while source_index in used:
                source_index = (source_index + 1) % self.source_count
            used.add(source_index)
            position.listings.append((source_index, f"{url}?via={source_index}"))
        return position

    def _sentences(self, pool: Sequence[str], low: int, high: int, fills: dict[str, Any]) -> str:
        rng = self.rng
        count = rng.randint(low, high)
        chosen = rng.sample(range(len(pool)), min(count, len(pool)))
        out = []
        for index in chosen:
            template = pool[index]
            # Draw only the words this template uses: the generator's hot loop.
            words = {name: self._pick(_WORD_POOLS[name]) for name in _placeholders(template)}
            out.append(template.format(**words, **fills))
        return " ".join(out)


# fmt: off
_WORD_POOLS: dict[str, Sequence[str]] = {
    "adj": ADJECTIVES, "adj2": ADJECTIVES, "act": ACTIVITIES, "act2": ACTIVITIES, "obj": OBJECTS,
}
# fmt: on


@functools.cache
def _placeholders(template: str) -> tuple[str, ...]:
    return tuple(
        name
        for _text, name, _spec, _conv in string.Formatter().parse(template)
        if name in _WORD_POOLS
    )
