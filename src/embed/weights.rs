//! Reading a safetensors weights file straight into the model's variables.
//!
//! tch's own loader reads the whole file into memory, turns every entry into a second
//! tensor and only then copies into the variables: three copies of the weights at once,
//! about 180 MB above what the model needs. Here each tensor's bytes are read from the file
//! directly into the variable that holds it, so loading needs no memory beyond the model.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tch::{Kind, Tensor};
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum WeightsError {
    #[error("{} cannot be opened: {reason}", .path.display())]
    Open { path: PathBuf, reason: String },
    #[error("{} is too short to be a safetensors file", .0.display())]
    TooShort(PathBuf),
    #[error("{} is truncated (its header is longer than the file)", .0.display())]
    HeaderPastEnd(PathBuf),
    #[error("{} is truncated", .0.display())]
    Truncated(PathBuf),
    #[error("{} has a corrupt header", .0.display())]
    CorruptHeader(PathBuf),
    #[error("{} is truncated (tensor data ends past the end of the file)", .0.display())]
    DataPastEnd(PathBuf),
    #[error("{} has no tensor named {name}, which the model needs", .path.display())]
    MissingTensor { path: PathBuf, name: String },
    #[error("{} stores {name} as {found}, but the model expects {expected}", .path.display())]
    Mismatch {
        path: PathBuf,
        name: String,
        found: String,
        expected: String,
    },
    #[error("cannot read {name} from {}: {reason}", .path.display())]
    Read {
        path: PathBuf,
        name: String,
        reason: String,
    },
}

/// One entry of the safetensors header.
#[derive(Debug, Clone, Deserialize)]
struct Entry {
    dtype: String,
    shape: Vec<i64>,
    data_offsets: (u64, u64),
}

/// An open safetensors file whose header has been read and checked against the file size.
pub struct SafetensorsFile {
    path: PathBuf,
    file: File,
    data_start: u64,
    entries: HashMap<String, Entry>,
}

impl SafetensorsFile {
    /// Opens `path` and reads its header. A file shorter than its header or its tensor data
    /// says is rejected here, with a message that tells a truncated download apart.
    pub fn open(path: &Path) -> Result<Self, WeightsError> {
        let owned = || path.to_path_buf();
        let mut file = File::open(path).map_err(|err| WeightsError::Open {
            path: owned(),
            reason: err.to_string(),
        })?;
        let size = file.metadata().map(|meta| meta.len()).unwrap_or(0);
        let mut header_len = [0u8; 8];
        file.read_exact(&mut header_len)
            .map_err(|_| WeightsError::TooShort(owned()))?;
        let header_len = u64::from_le_bytes(header_len);
        if header_len.saturating_add(8) > size {
            return Err(WeightsError::HeaderPastEnd(owned()));
        }
        let mut header = vec![0u8; header_len as usize];
        file.read_exact(&mut header)
            .map_err(|_| WeightsError::Truncated(owned()))?;
        let header: HashMap<String, serde_json::Value> =
            serde_json::from_slice(&header).map_err(|_| WeightsError::CorruptHeader(owned()))?;
        let mut entries = HashMap::new();
        for (name, value) in header {
            if name == "__metadata__" {
                continue;
            }
            let entry: Entry =
                serde_json::from_value(value).map_err(|_| WeightsError::CorruptHeader(owned()))?;
            if entry.data_offsets.0 > entry.data_offsets.1 {
                return Err(WeightsError::CorruptHeader(owned()));
            }
            entries.insert(name, entry);
        }
        let data_start = 8 + header_len;
        let data_end = entries
            .values()
            .map(|entry| entry.data_offsets.1)
            .max()
            .unwrap_or(0);
        if data_start.saturating_add(data_end) > size {
            return Err(WeightsError::DataPastEnd(owned()));
        }
        Ok(Self {
            path: owned(),
            file,
            data_start,
            entries,
        })
    }

    /// Fills every variable from the tensor of the same name, checking shape and size.
    /// Variables must live on the CPU; moving to another device happens afterwards.
    pub fn fill(&self, variables: &HashMap<String, Tensor>) -> Result<(), WeightsError> {
        // Sorted so that a file missing several tensors always names the same one first.
        let mut names: Vec<&String> = variables.keys().collect();
        names.sort();
        for name in names {
            self.fill_one(name, &variables[name])?;
        }
        Ok(())
    }

    fn fill_one(&self, name: &str, variable: &Tensor) -> Result<(), WeightsError> {
        let entry = self
            .entries
            .get(name)
            .ok_or_else(|| WeightsError::MissingTensor {
                path: self.path.clone(),
                name: name.to_string(),
            })?;
        let mismatch = |found: String, expected: String| WeightsError::Mismatch {
            path: self.path.clone(),
            name: name.to_string(),
            found,
            expected,
        };
        let kind = kind_of(&entry.dtype)
            .ok_or_else(|| mismatch(format!("dtype {}", entry.dtype), "a float dtype".into()))?;
        if entry.shape != variable.size() {
            return Err(mismatch(
                format!("shape {:?}", entry.shape),
                format!("shape {:?}", variable.size()),
            ));
        }
        let numel: i64 = entry.shape.iter().product();
        let byte_len = numel as u64 * kind.elt_size_in_bytes() as u64;
        if entry.data_offsets.1 - entry.data_offsets.0 != byte_len {
            return Err(WeightsError::CorruptHeader(self.path.clone()));
        }
        let offset = self.data_start + entry.data_offsets.0;
        let direct = variable.device() == tch::Device::Cpu
            && variable.kind() == kind
            && variable.is_contiguous();
        tch::no_grad(|| {
            if direct {
                self.read_into(name, variable, offset, byte_len)
            } else {
                let staging = Tensor::empty(entry.shape.as_slice(), (kind, tch::Device::Cpu));
                self.read_into(name, &staging, offset, byte_len)?;
                variable
                    .shallow_clone()
                    .f_copy_(&staging)
                    .map_err(|err| self.read_error(name, err.to_string()))
            }
        })
    }

    /// Reads `byte_len` bytes at `offset` into the storage of a contiguous CPU tensor.
    fn read_into(
        &self,
        name: &str,
        target: &Tensor,
        offset: u64,
        byte_len: u64,
    ) -> Result<(), WeightsError> {
        if byte_len == 0 {
            return Ok(());
        }
        // SAFETY: `target` is a contiguous CPU tensor of exactly `byte_len` bytes (its shape
        // and element size were checked against the header), nothing else holds a reference
        // into its storage while we write, and every bit pattern is a valid float.
        // safetensors stores little-endian data, which is what every platform libtorch
        // supports uses.
        let bytes = unsafe {
            std::slice::from_raw_parts_mut(target.data_ptr() as *mut u8, byte_len as usize)
        };
        self.file
            .read_exact_at(bytes, offset)
            .map_err(|err| self.read_error(name, err.to_string()))
    }

    fn read_error(&self, name: &str, reason: String) -> WeightsError {
        WeightsError::Read {
            path: self.path.clone(),
            name: name.to_string(),
            reason,
        }
    }
}

fn kind_of(dtype: &str) -> Option<Kind> {
    match dtype {
        "F32" => Some(Kind::Float),
        "F16" => Some(Kind::Half),
        "BF16" => Some(Kind::BFloat16),
        "F64" => Some(Kind::Double),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a safetensors file by hand: the format is an 8-byte header length, a JSON
    /// header and the raw little-endian data.
    fn write_file(dir: &Path, header: &str, data: &[u8]) -> PathBuf {
        let path = dir.join("w.safetensors");
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(data);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn floats(values: &[f32]) -> Vec<u8> {
        values
            .iter()
            .flat_map(|value| value.to_le_bytes())
            .collect()
    }

    #[test]
    fn values_land_in_the_variables_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let header = r#"{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[2],"data_offsets":[16,24]},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#;
        let path = write_file(dir.path(), header, &floats(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
        let variables = HashMap::from([
            (
                "a".to_string(),
                Tensor::zeros([2, 2], (Kind::Float, tch::Device::Cpu)),
            ),
            (
                "b".to_string(),
                Tensor::zeros([2], (Kind::Float, tch::Device::Cpu)),
            ),
        ]);
        SafetensorsFile::open(&path)
            .unwrap()
            .fill(&variables)
            .unwrap();
        let a = Vec::<f32>::try_from(variables["a"].view([-1])).unwrap();
        let b = Vec::<f32>::try_from(&variables["b"]).unwrap();
        assert_eq!(a, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(b, vec![5.0, 6.0]);
    }

    #[test]
    fn half_precision_data_is_converted_into_float_variables() {
        let dir = tempfile::tempdir().unwrap();
        let header = r#"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#;
        // 1.0 and -2.0 in IEEE half precision.
        let path = write_file(dir.path(), header, &[0x00, 0x3c, 0x00, 0xc0]);
        let variables = HashMap::from([(
            "a".to_string(),
            Tensor::zeros([2], (Kind::Float, tch::Device::Cpu)),
        )]);
        SafetensorsFile::open(&path)
            .unwrap()
            .fill(&variables)
            .unwrap();
        assert_eq!(
            Vec::<f32>::try_from(&variables["a"]).unwrap(),
            vec![1.0, -2.0]
        );
    }

    #[test]
    fn a_missing_tensor_and_a_wrong_shape_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let header = r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#;
        let path = write_file(dir.path(), header, &floats(&[1.0, 2.0]));
        let file = SafetensorsFile::open(&path).unwrap();
        let missing = HashMap::from([(
            "z".to_string(),
            Tensor::zeros([2], (Kind::Float, tch::Device::Cpu)),
        )]);
        assert_eq!(
            file.fill(&missing).unwrap_err().to_string(),
            format!(
                "{} has no tensor named z, which the model needs",
                path.display()
            )
        );
        let wrong_shape = HashMap::from([(
            "a".to_string(),
            Tensor::zeros([3], (Kind::Float, tch::Device::Cpu)),
        )]);
        assert_eq!(
            file.fill(&wrong_shape).unwrap_err().to_string(),
            format!(
                "{} stores a as shape [2], but the model expects shape [3]",
                path.display()
            )
        );
    }

    #[test]
    fn data_past_the_end_of_the_file_is_reported_as_truncation() {
        let dir = tempfile::tempdir().unwrap();
        let header = r#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#;
        let path = write_file(dir.path(), header, &floats(&[1.0, 2.0]));
        assert_eq!(
            SafetensorsFile::open(&path).err(),
            Some(WeightsError::DataPastEnd(path.clone()))
        );
    }

    #[test]
    fn offsets_that_disagree_with_the_shape_are_a_corrupt_header() {
        let dir = tempfile::tempdir().unwrap();
        let header = r#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#;
        let path = write_file(dir.path(), header, &floats(&[1.0, 2.0]));
        let variables = HashMap::from([(
            "a".to_string(),
            Tensor::zeros([3], (Kind::Float, tch::Device::Cpu)),
        )]);
        let file = SafetensorsFile::open(&path).unwrap();
        assert_eq!(
            file.fill(&variables).err(),
            Some(WeightsError::CorruptHeader(path.clone()))
        );
    }
}
