//! Small pieces shared by every stage: size limits, hashing, paths, safe output files,
//! time and safe display.

pub mod atomic_file;
pub mod clock;
pub mod decimals;
pub mod escape;
pub mod hash;
pub mod limited_read;
pub mod output_file;
pub mod paths;
pub mod text;
pub mod visible;
