//! The fixed set of topics questions are filed under.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Topics a bank question may have; `--topic` accepts exactly these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    Data,
    PrivacySecurity,
    Training,
    Deployment,
    ServingLatency,
    Scaling,
    MonitoringDrift,
    PipelinesCiCd,
    FairnessExplainability,
    Recommendation,
}

impl Topic {
    pub const ALL: [Topic; 10] = [
        Topic::Data,
        Topic::PrivacySecurity,
        Topic::Training,
        Topic::Deployment,
        Topic::ServingLatency,
        Topic::Scaling,
        Topic::MonitoringDrift,
        Topic::PipelinesCiCd,
        Topic::FairnessExplainability,
        Topic::Recommendation,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Topic::Data => "data",
            Topic::PrivacySecurity => "privacy-security",
            Topic::Training => "training",
            Topic::Deployment => "deployment",
            Topic::ServingLatency => "serving-latency",
            Topic::Scaling => "scaling",
            Topic::MonitoringDrift => "monitoring-drift",
            Topic::PipelinesCiCd => "pipelines-ci-cd",
            Topic::FairnessExplainability => "fairness-explainability",
            Topic::Recommendation => "recommendation",
        }
    }

    pub fn names() -> String {
        Topic::ALL.map(Topic::name).join(", ")
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Topic {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Topic::ALL
            .into_iter()
            .find(|topic| topic.name() == text)
            .ok_or_else(|| {
                format!(
                    "unknown topic '{text}'; expected one of: {}",
                    Topic::names()
                )
            })
    }
}
