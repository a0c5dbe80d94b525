//! Interactive practice through a real pseudo-terminal: tmux runs the binary, the test
//! types into it with send-keys and reads the screen with capture-pane.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::common::{Sandbox, BIN};
use super::{history_lines, DRIFT_ANSWER};

/// Model load plus grading on a slow, busy CI machine.
const REPORT_TIMEOUT: Duration = Duration::from_secs(120);
const SCREEN_TIMEOUT: Duration = Duration::from_secs(20);

/// One tmux server on its own socket, running one command; killed when dropped.
struct Terminal {
    socket: String,
    exit_file: PathBuf,
}

fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

impl Terminal {
    /// Runs `mockgrade args` in a `columns`×40 terminal with the sandbox's private folders;
    /// the exit status lands in a file, since the session ends with the command. The shell
    /// traps SIGINT (a handler, which exec resets, so mockgrade keeps the default) to
    /// survive Ctrl-C and write the status.
    fn start(sandbox: &Sandbox, name: &str, columns: u16, args: &[&str]) -> Terminal {
        Terminal::start_with(sandbox, name, columns, "", args)
    }

    /// As `start`, with extra `NAME=value` assignments (`env`) for the command.
    fn start_with(
        sandbox: &Sandbox,
        name: &str,
        columns: u16,
        env: &str,
        args: &[&str],
    ) -> Terminal {
        let socket = format!("mockgrade-test-{}-{name}", std::process::id());
        let exit_file = sandbox.path().join(format!("{name}.exit"));
        let command = format!(
            "trap : INT; cd {dir} && XDG_CACHE_HOME={dir}/cache XDG_DATA_HOME={dir}/data NO_COLOR=1 {env} {bin} {args}; echo $? > {exit}",
            dir = quote(sandbox.path()),
            bin = quote(Path::new(BIN)),
            args = args.join(" "),
            exit = quote(&exit_file),
        );
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", &columns.to_string(), "-y", "40", "sh", "-c", &command])
            .env_remove("TMUX")
            .env_remove("COLUMNS")
            .env_remove("LINES")
            .status()
            .expect("run tmux");
        assert!(status.success(), "tmux new-session failed");
        Terminal { socket, exit_file }
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// Types `text` literally, then presses Enter.
    fn type_line(&self, text: &str) {
        if !text.is_empty() {
            assert!(self.tmux(&["send-keys", "-l", text]).status.success());
        }
        self.press("Enter");
    }

    fn press(&self, key: &str) {
        assert!(self.tmux(&["send-keys", key]).status.success());
    }

    /// Everything printed so far, scrollback included, wrapped lines joined.
    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-J", "-S", "-"]).stdout)
            .into_owned()
    }

    /// Polls the screen until `done` holds, panicking with the screen after `timeout`.
    fn wait_for(&self, what: &str, timeout: Duration, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < timeout,
                "timed out waiting for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn exit_code(&self, timeout: Duration) -> i32 {
        let start = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(&self.exit_file) {
                if text.ends_with('\n') {
                    return text.trim().parse().expect("exit status");
                }
            }
            assert!(start.elapsed() < timeout, "the command did not exit");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn count(screen: &str, needle: &str) -> usize {
    screen.matches(needle).count()
}

const PROMPT: &str = "Finish with a line holding only";
const MENU: &str = "[r]etry  [e]dit  [n]ext  [s]how points  [q]uit >";

#[cfg_attr(
    not(tmux),
    ignore = "no tmux on PATH when this was built: apt-get install tmux, then rebuild"
)]
#[test]
fn a_session_grades_a_typed_answer_moves_on_and_quits() {
    let sandbox = Sandbox::new();
    let terminal = Terminal::start(
        &sandbox,
        "session",
        100,
        &["practice", "--question", "2", "--time", "3m"],
    );
    let screen = terminal.wait_for("the question", SCREEN_TIMEOUT, |screen| {
        screen.contains(PROMPT)
    });
    assert!(screen.contains("Question 2 · monitoring-drift"), "{screen}");
    assert!(screen.contains("Time limit 3m"), "{screen}");
    terminal.wait_for("the countdown", SCREEN_TIMEOUT, |screen| {
        screen.contains(" left")
    });

    for line in DRIFT_ANSWER.lines() {
        terminal.type_line(line);
    }
    terminal.type_line("");
    terminal.type_line(".");
    let screen = terminal.wait_for("the report", REPORT_TIMEOUT, |screen| screen.contains(MENU));
    assert!(screen.contains("Coverage "), "{screen}");
    assert!(screen.contains("within the 3m limit"), "{screen}");
    // The question was shown above the answer; the report does not repeat its heading.
    assert!(
        !screen.contains("Question 2 · concept-drift-deployed-model"),
        "{screen}"
    );
    let lines = history_lines(&sandbox);
    assert_eq!(lines.len(), 1, "one attempt recorded");
    assert_eq!(lines[0]["number"], 2);
    assert_eq!(
        lines[0]["answer"], DRIFT_ANSWER,
        "the blank line and '.' are not part of it"
    );
    assert!(lines[0]["seconds"].as_u64().is_some(), "{}", lines[0]);

    // A menu key acts at once, without Enter.
    terminal.press("n");
    let screen = terminal.wait_for("the next question", SCREEN_TIMEOUT, |screen| {
        count(screen, PROMPT) == 2
    });
    let last_heading = screen
        .lines()
        .rfind(|line| line.starts_with("Question "))
        .unwrap();
    assert!(!last_heading.starts_with("Question 2 "), "{screen}");

    // An empty answer is not graded in the terminal: it just brings the menu back.
    terminal.type_line(".");
    terminal.wait_for("the menu again", SCREEN_TIMEOUT, |screen| {
        count(screen, MENU) == 2
    });
    assert!(terminal
        .screen()
        .contains("Nothing typed, so nothing was graded or recorded."));
    terminal.press("q");
    assert_eq!(terminal.exit_code(SCREEN_TIMEOUT), 0);
    assert_eq!(history_lines(&sandbox).len(), 1);
}

/// Lines pasted at once are echoed together: no prompt lands inside them, and the prompt
/// comes back once, after the paste. Ctrl-C at the menu leaves at once and puts the
/// terminal back as it was.
#[cfg_attr(
    not(tmux),
    ignore = "no tmux on PATH when this was built: apt-get install tmux, then rebuild"
)]
#[test]
fn pasted_lines_get_no_prompts_inside_them() {
    let sandbox = Sandbox::new();
    let terminal = Terminal::start(&sandbox, "paste", 100, &["practice", "-q", "2"]);
    terminal.wait_for("the question", SCREEN_TIMEOUT, |screen| {
        screen.contains(PROMPT)
    });
    let pasted = "I watch PSI drift on the inputs.\nI retrain weekly on fresh labels.\nAlerts page the on-call engineer.\n";
    assert!(terminal.tmux(&["send-keys", "-l", pasted]).status.success());
    let screen = terminal.wait_for("the paste", SCREEN_TIMEOUT, |screen| {
        screen.contains("Alerts page the on-call engineer.\n> ")
    });
    assert!(
        screen.contains(
            "> I watch PSI drift on the inputs.\nI retrain weekly on fresh labels.\nAlerts page"
        ),
        "{screen}"
    );
    terminal.type_line(".");
    terminal.wait_for("the report", REPORT_TIMEOUT, |screen| screen.contains(MENU));
    terminal.press("C-c");
    assert_eq!(terminal.exit_code(SCREEN_TIMEOUT), 130);
    assert_eq!(history_lines(&sandbox).len(), 1);
}

#[cfg_attr(
    not(tmux),
    ignore = "no tmux on PATH when this was built: apt-get install tmux, then rebuild"
)]
#[test]
fn ctrl_c_while_typing_leaves_at_once_and_records_nothing() {
    let sandbox = Sandbox::new();
    let terminal = Terminal::start(&sandbox, "interrupt", 100, &["practice", "-q", "2"]);
    terminal.wait_for("the question", SCREEN_TIMEOUT, |screen| {
        screen.contains(PROMPT)
    });
    terminal.type_line("I would monitor drift");
    terminal.press("C-c");
    assert_eq!(terminal.exit_code(SCREEN_TIMEOUT), 130);
    assert!(history_lines(&sandbox).is_empty());
}

#[cfg_attr(
    not(tmux),
    ignore = "no tmux on PATH when this was built: apt-get install tmux, then rebuild"
)]
#[test]
fn bare_mockgrade_on_a_narrow_terminal_practises_within_sixty_columns() {
    let sandbox = Sandbox::new();
    let terminal = Terminal::start(&sandbox, "narrow", 60, &[]);
    terminal.wait_for("a question", SCREEN_TIMEOUT, |screen| {
        screen.contains("Finish with")
    });
    terminal.type_line("I would start simple, measure, and monitor the system in production.");
    terminal.press("C-d");
    terminal.wait_for("the report", REPORT_TIMEOUT, |screen| {
        screen.contains("[q]uit")
    });
    terminal.press("s");
    let screen = terminal.wait_for("the expected points", SCREEN_TIMEOUT, |screen| {
        count(screen, "[q]uit") == 2
    });
    assert!(screen.contains("Coverage "), "{screen}");
    assert!(screen.contains("  • "), "expected points listed: {screen}");
    // Lines the test typed wrap as the terminal pleases; everything mockgrade printed must fit.
    for line in screen.lines().filter(|line| !line.starts_with("> ")) {
        assert!(
            line.trim_end().chars().count() <= 60,
            "wider than the terminal: {line:?}\n{screen}"
        );
    }
    terminal.press("q");
    assert_eq!(terminal.exit_code(SCREEN_TIMEOUT), 0);
    assert_eq!(history_lines(&sandbox).len(), 1);
}

#[cfg_attr(
    not(tmux),
    ignore = "no tmux on PATH when this was built: apt-get install tmux, then rebuild"
)]
#[test]
fn editor_answers_are_graded_and_the_private_temp_file_removed() {
    let sandbox = Sandbox::new();
    // A stand-in editor: keeps a copy of what it was given, then writes an answer.
    let editor = sandbox.file(
        "editor.sh",
        format!(
            "#!/bin/sh\nls -l \"$1\" > '{dir}/mode'\necho \"$1\" > '{dir}/path'\ncp \"$1\" '{dir}/template'\nprintf '%s\\n' \"{DRIFT_ANSWER}\" >> \"$1\"\n",
            dir = sandbox.path().display()
        ),
    );
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let env = format!("EDITOR={} VISUAL=", quote(&editor));
    let terminal = Terminal::start_with(
        &sandbox,
        "editor",
        100,
        &env,
        &["practice", "-q", "2", "--editor"],
    );
    let screen = terminal.wait_for("the report", REPORT_TIMEOUT, |screen| screen.contains(MENU));
    assert!(screen.contains("Opening your editor"), "{screen}");
    assert!(screen.contains("Coverage "), "{screen}");
    let read = |name: &str| std::fs::read_to_string(sandbox.path().join(name)).unwrap();
    assert!(
        read("template").starts_with("# Question 2 · monitoring-drift\n# A model is already live")
    );
    assert!(read("mode").starts_with("-rw------- "), "{}", read("mode"));
    assert!(
        !Path::new(read("path").trim()).exists(),
        "the temp file is removed"
    );
    assert!(
        !read("template").contains(DRIFT_ANSWER),
        "a first answer starts empty"
    );

    // A retry opens the editor on the previous answer.
    terminal.press("r");
    terminal.wait_for("the second report", REPORT_TIMEOUT, |screen| {
        count(screen, MENU) == 2
    });
    assert!(
        read("template").ends_with(&format!("{DRIFT_ANSWER}\n")),
        "{}",
        read("template")
    );
    terminal.press("q");
    assert_eq!(terminal.exit_code(SCREEN_TIMEOUT), 0);
    let lines = history_lines(&sandbox);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0]["answer"], DRIFT_ANSWER,
        "comment lines are not part of the answer"
    );
    assert_eq!(
        lines[1]["answer"],
        format!("{DRIFT_ANSWER}\n{DRIFT_ANSWER}")
    );
}
