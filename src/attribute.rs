//! Attribution (placeholder while the real stage is written).
use crate::analyze::{Analysis, Quotation};
use crate::extract::Quote;
use crate::registry::{Registry, SpeakerKind};
use crate::span::Span;

/// Who a quotation is attributed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speaker {
    /// Canonical name for a registry speaker, else the name as discovered.
    pub name: String,
    pub kind: SpeakerKind,
    /// Whether the speaker is in the registry.
    pub registered: bool,
}

/// The evidence for a quotation's speaker.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    pub speaker: Option<Speaker>,
    /// The words in this article the attribution rests on: a name, title or pronoun.
    pub mention: Option<Span>,
    /// The speech cue ("said", "told", "according to").
    pub cue: Option<Span>,
    /// The intermediary the article credits ("TASS", "Fox News").
    pub cited: Option<String>,
    /// The rule that made the attribution.
    pub rule: &'static str,
    pub confidence: f64,
    /// A fragment inside the reporter's own sentence.
    pub partial: bool,
}

pub fn attribute(_text: &str, quotes: Vec<Quote>, _registry: &Registry) -> Analysis {
    Analysis {
        quotations: quotes
            .into_iter()
            .map(|quote| Quotation {
                quote,
                attribution: Attribution {
                    speaker: None,
                    mention: None,
                    cue: None,
                    cited: None,
                    rule: "none",
                    confidence: 0.0,
                    partial: false,
                },
            })
            .collect(),
        asides: Vec::new(),
    }
}
