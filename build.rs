//! Bakes libtorch's library folder into the binaries' run-time search path, so
//! `target/release/mockgrade` runs without LD_LIBRARY_PATH; and tells the tests whether a
//! headless Chromium (for `report.html`) and tmux (for practice) are there to test with.

fn main() {
    detect_test_programs();
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    println!("cargo:rerun-if-env-changed=LIBTORCH_USE_PYTORCH");
    // With LIBTORCH_USE_PYTORCH set, torch-sys ignores LIBTORCH and builds against the torch
    // package that `python3` (`python` in a virtualenv) imports; find its lib/ the same way.
    let lib = if std::env::var_os("LIBTORCH_USE_PYTORCH").is_some() {
        match pytorch_lib_dir() {
            Some(lib) => lib,
            None => {
                println!(
                    "cargo:warning=LIBTORCH_USE_PYTORCH is set but python could not report torch's lib/ folder; set LD_LIBRARY_PATH to it to run the binaries"
                );
                return;
            }
        }
    } else {
        let Ok(libtorch) = std::env::var("LIBTORCH") else {
            return;
        };
        std::path::Path::new(&libtorch).join("lib")
    };
    let lib = lib.canonicalize().unwrap_or(lib);
    // scripts/gpu-check links against a copy of torch's libraries here and bakes in the lib/
    // folder of the machine the binary will run on, whose CUDA libraries are not here.
    println!("cargo:rerun-if-env-changed=MOCKGRADE_RPATH");
    let lib = match std::env::var_os("MOCKGRADE_RPATH") {
        Some(dir) => {
            println!("cargo:rustc-link-arg=-Wl,--allow-shlib-undefined");
            std::path::PathBuf::from(dir)
        }
        None => lib,
    };
    // DT_RPATH rather than DT_RUNPATH: libtorch_cpu.so finds libc10 and the CUDA
    // runtime through it too, and RUNPATH does not apply to indirect dependencies.
    println!("cargo:rustc-link-arg=-Wl,--disable-new-dtags");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
}

/// Sets `cfg(chromium)`, `cfg(chromedriver)` and `cfg(tmux)` for the programs found on PATH: the tests that
/// drive them then run, and otherwise show as ignored with the reason, rather than passing
/// without checking anything. Chromium's path goes to the tests as `MOCKGRADE_CHROMIUM`,
/// so they run the program found here instead of searching again.
fn detect_test_programs() {
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    println!("cargo::rustc-check-cfg=cfg(tmux)");
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-env-changed=CHROMIUM");
    let on_path = |names: &[&str]| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
            .find(|candidate| candidate.is_file())
    };
    let chromium = std::env::var_os("CHROMIUM")
        .map(std::path::PathBuf::from)
        .or_else(|| on_path(&["chromium", "chromium-browser", "google-chrome"]));
    match chromium {
        Some(chromium) => {
            println!("cargo:rustc-cfg=chromium");
            println!("cargo:rustc-env=MOCKGRADE_CHROMIUM={}", chromium.display());
            // Removed or replaced, it is looked for again.
            println!("cargo:rerun-if-changed={}", chromium.display());
        }
        None => watch_path_folders(),
    }
    if on_path(&["tmux"]).is_some() {
        println!("cargo:rustc-cfg=tmux");
    }
    // The serve page's browser test drives Chromium through its WebDriver.
    println!("cargo::rustc-check-cfg=cfg(chromedriver)");
    println!("cargo:rerun-if-env-changed=CHROMEDRIVER");
    let driver = std::env::var_os("CHROMEDRIVER")
        .map(std::path::PathBuf::from)
        .or_else(|| on_path(&["chromedriver"]));
    if let Some(driver) = driver {
        println!("cargo:rustc-cfg=chromedriver");
        println!(
            "cargo:rustc-env=MOCKGRADE_CHROMEDRIVER={}",
            driver.display()
        );
    }
    detect_sandboxing();
    detect_shared_data();
}

/// Without Chromium, every folder on PATH is watched: installing it there adds a file,
/// which changes the folder, so the next `cargo test` runs this script again and the
/// report.html test runs, instead of staying ignored until someone thinks to rebuild.
/// Only folders that exist are named, as Cargo takes a missing path for one that always
/// changed.
fn watch_path_folders() {
    let Some(path) = std::env::var_os("PATH") else {
        return;
    };
    for dir in std::env::split_paths(&path) {
        if dir.is_absolute() && dir.is_dir() {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
    }
}

/// `cfg(unshare_net)` where `unshare -n` may run a program without a network (the offline
/// test), and `cfg(file_modes_apply)` where a file's mode can refuse this process's tests:
/// not root, or root able to become `nobody` with `unshare --user`.
fn detect_sandboxing() {
    println!("cargo::rustc-check-cfg=cfg(unshare_net)");
    println!("cargo::rustc-check-cfg=cfg(file_modes_apply)");
    let succeeds = |args: &[&str]| {
        std::process::Command::new("unshare")
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    if succeeds(&["-n", "true"]) {
        println!("cargo:rustc-cfg=unshare_net");
    }
    let as_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0");
    if !as_root || succeeds(&["--user", "true"]) {
        println!("cargo:rustc-cfg=file_modes_apply");
    }
}

/// `cfg(shared_data)` when the team's shared folder (the cheat sheet and the Beetle set) is
/// beside the checkout, as in CI.
fn detect_shared_data() {
    println!("cargo::rustc-check-cfg=cfg(shared_data)");
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    // Cargo takes a missing path for one that always changed, which would rebuild every
    // time; without the folder, a `cargo clean` (or a change to build.rs) looks again.
    if shared.exists() {
        println!("cargo:rerun-if-changed={}", shared.display());
    }
    let needed = [
        "eval/beetle.jsonl",
        "seed/ml-system-design-cheat-sheet-part2.txt",
    ];
    if needed.iter().all(|path| shared.join(path).exists()) {
        println!("cargo:rustc-cfg=shared_data");
    }
}

fn pytorch_lib_dir() -> Option<std::path::PathBuf> {
    println!("cargo:rerun-if-env-changed=VIRTUAL_ENV");
    let python = if std::env::var_os("VIRTUAL_ENV").is_some() {
        "python"
    } else {
        "python3"
    };
    let output = std::process::Command::new(python)
        .args([
            "-c",
            "import os, torch; print(os.path.join(os.path.dirname(os.path.abspath(torch.__file__)), 'lib'))",
        ])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let dir = String::from_utf8(output.stdout).ok()?;
    let dir = std::path::PathBuf::from(dir.trim());
    dir.is_dir().then_some(dir)
}
