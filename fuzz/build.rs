//! Bakes libtorch's library folder into the fuzz binaries' run-time search path, as the
//! root crate's build.rs does for `mockgrade`, so they run without LD_LIBRARY_PATH.

fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    let Ok(libtorch) = std::env::var("LIBTORCH") else {
        return;
    };
    let lib = std::path::Path::new(&libtorch).join("lib");
    let lib = lib.canonicalize().unwrap_or(lib);
    // DT_RPATH, not DT_RUNPATH: libtorch_cpu.so finds libc10 through it too.
    println!("cargo:rustc-link-arg=-Wl,--disable-new-dtags");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
}
