//! Bakes libtorch's library folder into the binaries' run-time search path, so
//! `target/release/mockgrade` runs without LD_LIBRARY_PATH; and tells the tests whether a
//! headless Chromium (for `report.html`) and tmux (for practice) are there to test with.

fn main() {
    detect_chromium();
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

/// Sets `cfg(chromium)` and `cfg(tmux)` for the programs found on PATH: the tests that
/// drive them then run, and otherwise show as ignored with the reason, rather than passing
/// without checking anything.
fn detect_chromium() {
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    println!("cargo::rustc-check-cfg=cfg(tmux)");
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-env-changed=CHROMIUM");
    let on_path = |names: &[&str]| {
        std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path)
                .any(|dir| names.iter().any(|name| dir.join(name).is_file()))
        })
    };
    if std::env::var_os("CHROMIUM").is_some()
        || on_path(&["chromium", "chromium-browser", "google-chrome"])
    {
        println!("cargo:rustc-cfg=chromium");
    }
    if on_path(&["tmux"]) {
        println!("cargo:rustc-cfg=tmux");
    }
}
