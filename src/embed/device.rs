//! Which compute device grading runs on: parsing `--device` and resolving it against what libtorch sees.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// The device the user asked for, before checking what the machine has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceRequest {
    /// CUDA when libtorch sees a GPU, otherwise the CPU.
    #[default]
    Auto,
    Cpu,
    /// A CUDA GPU by index (`cuda` means `cuda:0`).
    Cuda(usize),
}

/// Numeric precision of the model weights and activations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Fp32,
    Fp16,
    /// bfloat16: fp32's range with fp16's size; fast only on CPUs with bf16 instructions.
    Bf16,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum DeviceError {
    /// The text given; the message is worded for the CLI's "invalid value 'X' for '--device'".
    #[error("expected auto, cpu, cuda or cuda:N")]
    Invalid(String),
    #[error(
        "--device {requested} was requested but CUDA is not available: this libtorch has no CUDA support or no GPU is visible. \
         Install the CUDA layout with `scripts/setup --cuda` and rebuild, or use --device cpu"
    )]
    CudaUnavailable { requested: String },
    #[error("--device cuda:{index} was requested but only {count} CUDA device(s) are visible (cuda:0 to cuda:{last})", last = count.saturating_sub(1))]
    NoSuchGpu { index: usize, count: usize },
}

impl FromStr for DeviceRequest {
    type Err = DeviceError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "auto" => Ok(Self::Auto),
            "cpu" => Ok(Self::Cpu),
            "cuda" => Ok(Self::Cuda(0)),
            other => other
                .strip_prefix("cuda:")
                .and_then(|index| index.parse().ok())
                .map(Self::Cuda)
                .ok_or_else(|| DeviceError::Invalid(other.to_string())),
        }
    }
}

impl fmt::Display for DeviceRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Auto => f.write_str("auto"),
            Self::Cpu => f.write_str("cpu"),
            Self::Cuda(index) => write!(f, "cuda:{index}"),
        }
    }
}

impl DeviceRequest {
    /// Resolves the request against the GPUs libtorch can see; never falls back silently.
    pub fn resolve(self) -> Result<tch::Device, DeviceError> {
        match self {
            Self::Cpu => Ok(tch::Device::Cpu),
            Self::Auto if tch::Cuda::is_available() => Ok(tch::Device::Cuda(0)),
            Self::Auto => Ok(tch::Device::Cpu),
            Self::Cuda(index) => {
                if !tch::Cuda::is_available() {
                    let requested = if index == 0 {
                        "cuda".to_string()
                    } else {
                        self.to_string()
                    };
                    return Err(DeviceError::CudaUnavailable { requested });
                }
                let count = tch::Cuda::device_count() as usize;
                if index >= count {
                    return Err(DeviceError::NoSuchGpu { index, count });
                }
                Ok(tch::Device::Cuda(index))
            }
        }
    }
}

/// Human-readable device name used in reports (`cpu`, `cuda:0`).
pub fn device_label(device: tch::Device) -> String {
    match device {
        tch::Device::Cuda(index) => format!("cuda:{index}"),
        _ => "cpu".to_string(),
    }
}

impl FromStr for Precision {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "fp32" => Ok(Self::Fp32),
            "fp16" => Ok(Self::Fp16),
            "bf16" => Ok(Self::Bf16),
            _ => Err("expected fp32, fp16 or bf16".to_string()),
        }
    }
}

impl Precision {
    /// An explicit request wins; otherwise fp16 on CUDA and fp32 on the CPU,
    /// where half-precision matmuls are slower, not faster.
    pub fn effective(requested: Option<Precision>, device: tch::Device) -> Precision {
        match (requested, device) {
            (Some(precision), _) => precision,
            (None, tch::Device::Cpu) => Precision::Fp32,
            (None, _) => Precision::Fp16,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Fp32 => "fp32",
            Self::Fp16 => "fp16",
            Self::Bf16 => "bf16",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_documented_form() {
        assert_eq!("auto".parse(), Ok(DeviceRequest::Auto));
        assert_eq!("cpu".parse(), Ok(DeviceRequest::Cpu));
        assert_eq!("cuda".parse(), Ok(DeviceRequest::Cuda(0)));
        assert_eq!("cuda:3".parse(), Ok(DeviceRequest::Cuda(3)));
        assert_eq!(
            "gpu".parse::<DeviceRequest>(),
            Err(DeviceError::Invalid("gpu".into()))
        );
        assert_eq!(
            "cuda:x".parse::<DeviceRequest>(),
            Err(DeviceError::Invalid("cuda:x".into()))
        );
    }
}
