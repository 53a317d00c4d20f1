"""The vocabulary and weights of the synthetic adverts (positions.synthetic): countries,
institutions, topics, sentences, names. Data only."""

from __future__ import annotations

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
