//! Bakes libtorch's library folder into the binaries' run-time search path, so
//! `target/release/mockgrade` runs without LD_LIBRARY_PATH.

fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    let Ok(libtorch) = std::env::var("LIBTORCH") else {
        return;
    };
    let lib = std::path::Path::new(&libtorch).join("lib");
    let lib = lib.canonicalize().unwrap_or(lib);
    // DT_RPATH rather than DT_RUNPATH: libtorch_cpu.so finds libc10 and the CUDA
    // runtime through it too, and RUNPATH does not apply to indirect dependencies.
    println!("cargo:rustc-link-arg=-Wl,--disable-new-dtags");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
}
