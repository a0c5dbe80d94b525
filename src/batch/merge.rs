//! `mockgrade merge`: shard outputs combined into one results file, each id once. The
//! shards' `run.json` must agree, so no merged file mixes grades. Lines stream through a
//! temporary file; memory holds each id's digest and where it was first seen, never the
//! results themselves.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::lock::lock_output;
use super::output::{for_each_line, ResultRow};
use super::run_settings::{describe, RunSettings};
use super::summary::{write_summaries, Held};
use super::{prepare_out_dir, BatchError};
use crate::util::atomic_file::AtomicFile;

/// What `merge` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOutcome {
    pub records: usize,
    /// Lines whose id was merged already with the same result: dropped.
    pub duplicates: usize,
    /// `file:line` of each line that is not a result (corrupt, or cut off by a crash).
    pub unreadable: Vec<String>,
    /// What the merged results file holds.
    pub held: Held,
}

/// Where an id was first seen, and what its result was.
struct FirstSeen {
    digest: [u8; 32],
    shard: usize,
    line: usize,
}

/// The first conflicting id, and how many more there are.
struct Conflicts {
    first: Option<(String, String, String)>,
    more: usize,
}

/// Combines shard outputs into one results file (each id once) and fresh summaries. An
/// existing results file in `out_dir` is replaced only with `overwrite`. Refuses shards
/// graded with different settings, and an id whose results differ between lines.
pub fn merge(
    dirs: &[PathBuf],
    out_dir: &Path,
    overwrite: bool,
) -> Result<MergeOutcome, BatchError> {
    let results_path = out_dir.join("results.jsonl");
    if results_path.exists() && !overwrite {
        return Err(BatchError::MergeTargetExists(results_path));
    }
    let settings = common_settings(dirs)?;
    prepare_out_dir(out_dir)?;
    let _lock = lock_output(out_dir)?;
    let write_error = |source| BatchError::Write {
        path: results_path.clone(),
        source,
    };
    let mut merged = AtomicFile::create(&results_path).map_err(write_error)?;
    let mut seen: HashMap<String, FirstSeen> = HashMap::new();
    let mut duplicates = 0;
    let mut unreadable = Vec::new();
    let mut conflicts = Conflicts {
        first: None,
        more: 0,
    };
    let shard_files: Vec<PathBuf> = dirs.iter().map(|dir| dir.join("results.jsonl")).collect();
    for (shard, path) in shard_files.iter().enumerate() {
        for_each_line(path, |line_number, line| {
            let Some((id, digest)) = identify(line) else {
                unreadable.push(format!("{}:{line_number}", path.display()));
                return Ok(());
            };
            match seen.get(&id) {
                None => {
                    merged.write_line(line)?;
                    seen.insert(
                        id,
                        FirstSeen {
                            digest,
                            shard,
                            line: line_number,
                        },
                    );
                }
                Some(first) if first.digest == digest => duplicates += 1,
                Some(first) => {
                    if conflicts.first.is_none() {
                        let place =
                            format!("{}:{}", shard_files[first.shard].display(), first.line);
                        let here = format!("{}:{line_number}", path.display());
                        conflicts.first = Some((id, place, here));
                    } else {
                        conflicts.more += 1;
                    }
                }
            }
            Ok(())
        })
        .map_err(|source| BatchError::Read {
            path: path.clone(),
            source,
        })?;
    }
    if let Some((id, first, second)) = conflicts.first {
        return Err(BatchError::ConflictingDuplicate {
            id,
            first,
            second,
            more: conflicts.more,
        });
    }
    merged.commit().map_err(write_error)?;
    settings.write(out_dir)?;
    let held = write_summaries(out_dir, &results_path)?;
    Ok(MergeOutcome {
        records: seen.len(),
        duplicates,
        unreadable,
        held,
    })
}

/// The settings every shard was graded with, refusing a shard without them or with others.
fn common_settings(dirs: &[PathBuf]) -> Result<RunSettings, BatchError> {
    let mut common: Option<(&PathBuf, RunSettings)> = None;
    for dir in dirs {
        // A folder that is not there is named as such, not as one without settings.
        let results = dir.join("results.jsonl");
        if let Err(source) = std::fs::metadata(&results) {
            return Err(BatchError::Read {
                path: results,
                source,
            });
        }
        let settings =
            RunSettings::read(dir)?.ok_or_else(|| BatchError::ShardSettingsUnknown(dir.clone()))?;
        match &common {
            None => common = Some((dir, settings)),
            Some((first, recorded)) => {
                let differences = recorded.differences(&settings);
                if !differences.is_empty() {
                    return Err(BatchError::ShardSettingsDiffer {
                        first: first.to_path_buf(),
                        other: dir.clone(),
                        changes: describe(&differences, "in the first", "in the other"),
                    });
                }
            }
        }
    }
    let (_, settings) = common.expect("merge is given at least one folder");
    Ok(settings)
}

/// A result line's id and the digest of its result, or `None` for a line that is not a
/// result. How long grading took, on which device and from which input line are left out
/// of the digest: two runs that gave the same result are the same result.
fn identify(line: &[u8]) -> Option<(String, [u8; 32])> {
    let mut value: serde_json::Value = serde_json::from_slice(line).ok()?;
    let row = ResultRow::deserialize(&value).ok()?;
    if let Some(fields) = value.as_object_mut() {
        for volatile in ["elapsed_ms", "device", "source"] {
            fields.remove(volatile);
        }
    }
    let canonical = serde_json::to_vec(&value).ok()?;
    Some((row.id, Sha256::digest(&canonical).into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_device_and_source_do_not_make_results_differ() {
        let a = identify(
            br#"{"id":"a","source":"x.jsonl:1","coverage":0.5,"elapsed_ms":3,"device":"cpu"}"#,
        );
        let b = identify(
            br#"{"id":"a","source":"y.jsonl:9","coverage":0.5,"elapsed_ms":9,"device":"cuda:0"}"#,
        );
        let c = identify(
            br#"{"id":"a","source":"x.jsonl:1","coverage":1.0,"elapsed_ms":3,"device":"cpu"}"#,
        );
        assert_eq!(a.as_ref().unwrap().0, "a");
        assert_eq!(a.as_ref().unwrap().1, b.unwrap().1);
        assert_ne!(a.unwrap().1, c.unwrap().1);
        assert!(identify(b"not json").is_none());
        assert!(
            identify(br#"{"coverage":1}"#).is_none(),
            "a line without an id"
        );
    }
}
