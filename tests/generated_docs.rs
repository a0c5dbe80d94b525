//! Shell completions and manual pages come from the same clap definitions as `--help`.

mod common;

use common::{first_error_line, stderr, stdout, Sandbox};

#[test]
fn bash_completions_load_and_complete_the_commands() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["completions", "bash"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let script = sandbox.file("mockgrade.bash", output.stdout);
    // Load the script in a real bash and ask it to complete `mockgrade ba`.
    let probe = format!(
        "source {}; COMP_WORDS=(mockgrade ba); COMP_CWORD=1; _mockgrade mockgrade ba mockgrade; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let completed = std::process::Command::new("bash")
        .args(["-c", &probe])
        .output()
        .expect("bash runs");
    assert!(completed.status.success(), "{}", stderr(&completed));
    let words: Vec<String> = stdout(&completed).lines().map(str::to_string).collect();
    assert!(words.contains(&"batch".to_string()), "{words:?}");
    assert!(words.contains(&"bank".to_string()), "{words:?}");
}

#[test]
fn every_command_has_a_manual_page() {
    let sandbox = Sandbox::new();
    let main = sandbox.run(&["man"]);
    assert!(main.status.success(), "{}", stderr(&main));
    assert!(
        stdout(&main).contains(".TH mockgrade 1"),
        "{}",
        stdout(&main)
    );

    let batch = sandbox.run(&["man", "batch"]);
    let page = stdout(&batch);
    assert!(page.contains(".TH mockgrade-batch 1"), "{page}");
    assert!(page.contains("\\fB\\-\\-resume\\fR"), "{page}");

    let written = sandbox.run(&["man", "--out", "pages"]);
    assert!(written.status.success(), "{}", stderr(&written));
    let mut names: Vec<String> = std::fs::read_dir(sandbox.path().join("pages"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.contains(&"mockgrade.1".to_string()));
    assert!(names.contains(&"mockgrade-practice.1".to_string()));
    assert_eq!(names.len(), 15, "{names:?}");

    let unknown = sandbox.run(&["man", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        first_error_line(&unknown),
        "error: no manual page for 'nope': the commands are doctor, embed, grade, bank, batch, merge, segment, eval, calibrate, practice, stats, serve, completions, man"
    );
}
