//! Bakes libtorch's library folder into the binaries' run-time search path, so
//! `target/release/mockgrade` runs without LD_LIBRARY_PATH; and tells the tests whether a
//! headless Chromium is there to render `report.html` in.

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

/// Sets `cfg(chromium)` when a Chromium is on PATH: the HTML report test then runs, and
/// otherwise shows as ignored with the reason, rather than passing without checking.
fn detect_chromium() {
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-env-changed=CHROMIUM");
    let found = std::env::var_os("CHROMIUM").is_some()
        || std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path).any(|dir| {
                ["chromium", "chromium-browser", "google-chrome"]
                    .iter()
                    .any(|name| dir.join(name).is_file())
            })
        });
    if found {
        println!("cargo:rustc-cfg=chromium");
    }
}
