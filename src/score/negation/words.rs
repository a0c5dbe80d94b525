//! The word lists that decide what a denial is and how far it reaches.

/// Openings that take back what the answer said before: "Actually no, …", "Scratch that".
pub(super) const RETRACTION_OPENERS: [&[&str]; 9] = [
    &["actually", "no"],
    &["actually", "nah"],
    &["no", "wait"],
    &["scratch", "that"],
    &["on", "second", "thought"],
    &["on", "second", "thoughts"],
    &["forget", "that"],
    &["never", "mind"],
    &["nevermind"],
];

/// Words of hesitation that may come before a retraction: "Actually, scratch that".
pub(super) const HESITATIONS: [&str; 9] = [
    "actually", "hmm", "hm", "oh", "wait", "but", "um", "uh", "well",
];

/// Multi-word verbs that dismiss their object, matched on their last word: "I'd steer clear
/// of GANs", "we can do without a feature store".
pub(super) const DISMISS_PHRASES: [&[&str]; 8] = [
    &["steer", "clear", "of"],
    &["stay", "away", "from"],
    &["keep", "away", "from"],
    &["leave", "out"],
    &["hold", "off", "on"],
    &["do", "without"],
    &["rule", "out"],
    &["pass", "on"],
];

/// "avoid" dismisses its object ("I'd avoid ensembles") except as a purpose, where it names
/// what a step prevents: "containerize to avoid environment drift".
pub(super) const AVOID_FORMS: [&str; 3] = ["avoid", "avoiding", "avoided"];

/// Words before "avoid" that make it a purpose, not a dismissal.
pub(super) const PURPOSE_BEFORE_AVOID: [&str; 6] =
    ["to", "help", "helps", "helping", "helped", "can"];

/// Adverbs that may stand between "is" and its negation: "X is likewise not on my list".
pub(super) const COPULA_ADVERBS: [&str; 10] = [
    "also",
    "likewise",
    "just",
    "really",
    "simply",
    "probably",
    "definitely",
    "certainly",
    "still",
    "honestly",
];

/// Words that deny what follows them.
pub(super) const FORWARD_CUES: [&str; 5] = ["not", "never", "no", "nor", "neither"];

/// Verbs that dismiss their object: "I'd ditch the feature store".
pub(super) const DISMISS_VERBS: [&str; 7] = [
    "skip", "skipping", "skipped", "ditch", "forgo", "forget", "bypass",
];

/// Words after which a denial reaches back over its clause's subject: "drift monitoring is
/// overkill", "GPUs aren't necessary".
pub(super) const POST_DISMISSALS: [&str; 19] = [
    "overkill",
    "distraction",
    "trap",
    "no-go",
    "nonstarter",
    "non-starter",
    "unnecessary",
    "pointless",
    "useless",
    "superfluous",
    "optional",
    "overengineering",
    "over-engineering",
    "overengineered",
    "premature",
    "gimmick",
    "toys",
    "parked",
    "shelved",
];

/// "too risky", "too noisy to be useful": a drawback that dismisses the subject.
pub(super) const DRAWBACKS: [&str; 12] = [
    "risky",
    "expensive",
    "slow",
    "complex",
    "costly",
    "noisy",
    "heavy",
    "fragile",
    "brittle",
    "complicated",
    "much",
    "late",
];

/// "X just slows everything down": a verb after "just" that dismisses its subject.
pub(super) const HARMS: [&str; 14] = [
    "slows",
    "adds",
    "costs",
    "kills",
    "wrecks",
    "complicates",
    "bloats",
    "hurts",
    "wastes",
    "breaks",
    "create",
    "creates",
    "eat",
    "eats",
];

/// Words after a denial that say nothing of their own: "I would not bother with tbh".
pub(super) const EMPTY_AFTER_DENIAL: [&str; 44] = [
    "use",
    "do",
    "bother",
    "with",
    "go",
    "there",
    "though",
    "tbh",
    "imo",
    "honestly",
    "anyway",
    "either",
    "really",
    "too",
    "now",
    "for",
    "about",
    "it",
    "that",
    "touch",
    "as",
    "well",
    "this",
    "project",
    "design",
    "case",
    "in",
    "my",
    "our",
    "stage",
    "moment",
    "convinced",
    "pays",
    "pay",
    "off",
    "itself",
    "drive",
    "decision",
    "apply",
    "applies",
    "at",
    "scale",
    "point",
    "one",
];

/// Words by which a clause names only its speaker and their stance: "…, I'd also rule out".
pub(super) const SPEAKER_ONLY: [&str; 14] = [
    "i",
    "i'd",
    "i'll",
    "we",
    "we'd",
    "we'll",
    "would",
    "will",
    "also",
    "likewise",
    "too",
    "definitely",
    "personally",
    "probably",
];

/// Words a bare dismissal tail ("…? not worth it.", "…, no need for them") may hold besides
/// its cue; a tail with any other word says something of its own.
pub(super) const TAIL_FILLER: [&str; 40] = [
    "i",
    "i'd",
    "we",
    "we'd",
    "it",
    "it's",
    "them",
    "that",
    "that's",
    "this",
    "those",
    "these",
    "is",
    "are",
    "be",
    "would",
    "worth",
    "needed",
    "necessary",
    "required",
    "the",
    "time",
    "complexity",
    "effort",
    "hassle",
    "bother",
    "need",
    "for",
    "imo",
    "tbh",
    "honestly",
    "really",
    "thanks",
    "either",
    "just",
    "a",
    "waste",
    "here",
    "nope",
    "nah",
];

/// Predicates that, when negated, dismiss their subject: "X isn't needed".
pub(super) const NEEDED: [&str; 15] = [
    "needed",
    "necessary",
    "required",
    "worth",
    "useful",
    "helpful",
    "important",
    "relevant",
    "essential",
    "worthwhile",
    "matter",
    "matters",
    "help",
    "helps",
    "pay",
];

/// Forms of "be" that make a following (or attached) negation dismiss the subject.
pub(super) const BE_FORMS: [&str; 13] = [
    "is", "are", "was", "were", "be", "been", "isn't", "aren't", "wasn't", "weren't", "it's",
    "that's", "'s",
];

/// Words that end a denial's forward reach.
pub(super) const SCOPE_BREAKS: [&str; 18] = [
    "but",
    "however",
    "though",
    "although",
    "yet",
    "whereas",
    "while",
    "because",
    "since",
    "so",
    "unless",
    "if",
    "except",
    "until",
    "otherwise",
    "whereby",
    "thus",
    "hence",
];

/// After "and", "or", "then" or a comma, these start a new clause the denial does not reach.
pub(super) const CLAUSE_STARTS: [&str; 24] = [
    "i", "i'd", "i'll", "i'm", "i've", "we", "we'd", "we'll", "we're", "we've", "you", "you'd",
    "they", "they'd", "it", "it's", "let's", "just", "instead", "rather", "then", "simply", "only",
    "focus",
];

/// Where a denial begins its reach backwards, over the clause's subject.
pub(super) const CLAUSE_OPENERS: [&str; 9] = [
    "that", "which", "who", "whose", "if", "when", "because", "since", "so",
];
