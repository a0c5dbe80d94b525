//! `mockgrade practice`: the practice loop at a terminal (question, answer, report, menu),
//! or, when the answer is piped in, one graded answer for scripts.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use mockgrade::bank::{Bank, Question};
use mockgrade::practice::history::{self, Attempt};
use mockgrade::practice::{
    is_attempt, pick, tidy, Pick, PickReason, Random, Selection, Strategy, END_MARKER,
};
use mockgrade::report::{render_text, wrap, Report, TextStyle};
use mockgrade::score::Rubric;
use mockgrade::util::limited_read::MAX_ANSWER_BYTES;
use mockgrade::util::visible::visible;

use super::answer_entry::{edit_answer, editor_command, type_answer, Entry};
use super::countdown::summary;
use super::input::read_text;
use super::keypress::{read_key, Key};
use super::output::{print_report, show_text, terminal_style};
use super::practice_args::PracticeArgs;
use super::shared_args::Format;
use super::{exit, history_file, setup, UsageError};

pub fn run(args: &PracticeArgs) -> Result<u8> {
    let selection = Selection {
        question: args.question.clone(),
        topic: args.topic,
        strategy: match (args.weakest, args.new) {
            (true, _) => Strategy::Weakest,
            (_, true) => Strategy::New,
            _ => Strategy::Random,
        },
    };
    let interactive = std::io::stdin().is_terminal();
    if args.editor && !interactive {
        return Err(UsageError(
            "--editor needs a terminal, and standard input is not one: pipe the answer in without --editor".into(),
        )
        .into());
    }
    // What can fail fast is checked before the user spends time on an answer.
    // Flags and the question come first: a typo there should not be reported as a model problem.
    let bank = setup::bank(&args.shared.bank)?;
    let history_path = history::default_path();
    let attempts = history_file::load(&history_path)?;
    let mut random = Random::from_clock();
    let first = pick(&bank, &attempts, &selection, None, &mut random)?;
    let plan = setup::GraderPlan::check(&args.shared.engine, &args.shared.scorer)?;

    std::thread::scope(|scope| {
        let mut session = Session {
            args,
            bank: &bank,
            selection,
            history_path,
            attempts,
            random,
            grader: setup::BackgroundGrader::start(scope, || plan.load()),
        };
        if interactive {
            session.interactive(first)
        } else {
            if first.reason == PickReason::WeakestWithoutHistory {
                eprintln!("note: --weakest found no attempts in the history yet, so the question is random");
            }
            session.piped(first.question)
        }
    })
}

struct Session<'run, 'scope> {
    args: &'run PracticeArgs,
    bank: &'run Bank,
    selection: Selection,
    history_path: PathBuf,
    /// The history as read at the start plus this session's attempts, oldest first.
    attempts: Vec<Attempt>,
    random: Random,
    grader: setup::BackgroundGrader<'scope>,
}

/// What the user chose after a report.
enum Choice {
    Retry,
    /// Retry starting from the previous answer, in the editor.
    EditPrevious,
    Next,
    Quit,
}

impl Session<'_, '_> {
    /// One answer from standard input, graded and printed. An empty answer is refused before
    /// grading: recorded, its 0% would move the last score, the trend and `--weakest`.
    fn piped(&mut self, question: &Question) -> Result<u8> {
        let answer = read_text(Path::new("-"), MAX_ANSWER_BYTES as u64, "answers")
            .context("cannot use the answer from standard input")?;
        let answer = tidy(&answer);
        if !is_attempt(&answer) {
            return Err(UsageError(
                "the answer from standard input is empty, so nothing was graded or recorded; pipe an answer in, for example `mockgrade practice -q 2 < answer.txt`".into(),
            )
            .into());
        }
        let report = self.grade(question, &answer)?;
        print_report(&report, self.args.format)?;
        self.record(question, &report, &answer, None)?;
        Ok(exit::OK)
    }

    fn interactive(&mut self, first: Pick) -> Result<u8> {
        let mut current = first;
        // The last answer to this question, offered for editing on a retry.
        let mut previous: Option<String> = None;
        let mut edit_previous = false;
        loop {
            let style = terminal_style();
            show_question(&current, self.args, style)?;
            let prefill = previous
                .as_deref()
                .filter(|_| edit_previous || self.args.editor);
            let entry = self.answer(current.question, prefill, edit_previous)?;
            if is_attempt(&entry.text) {
                previous = Some(entry.text.clone());
            }
            if !is_attempt(&entry.text) {
                outln!("Nothing typed, so nothing was graded or recorded.")?;
            } else {
                if !self.grader.is_ready() {
                    outln!("Loading the model…")?;
                }
                let report = self.grade(current.question, &entry.text)?;
                // The question was shown just above the answer: the report starts at the grade.
                match self.args.format {
                    Format::Text => out!(
                        "{}",
                        render_text(
                            &report,
                            TextStyle {
                                heading: false,
                                ..terminal_style()
                            }
                        )
                    )?,
                    format => {
                        outln!()?;
                        print_report(&report, format)?;
                    }
                }
                outln!("\n{}", summary(entry.elapsed, self.args.time))?;
                let seconds = Some(entry.elapsed.as_secs());
                self.record(current.question, &report, &entry.text, seconds)?;
            }
            edit_previous = false;
            match menu(current.question, previous.is_some())? {
                Choice::Retry => {}
                Choice::EditPrevious => edit_previous = true,
                Choice::Quit => return Ok(exit::OK),
                Choice::Next => {
                    previous = None;
                    let next = Selection {
                        question: None,
                        ..self.selection.clone()
                    };
                    let previous = Some(current.question.id.as_str());
                    match pick(self.bank, &self.attempts, &next, previous, &mut self.random) {
                        Ok(pick) => current = pick,
                        Err(err) => {
                            outln!("{err}")?;
                            return Ok(exit::OK);
                        }
                    }
                }
            }
        }
    }

    /// The next answer: typed, or in the editor with `--editor` or when the user asked to
    /// edit the previous one (`prefill`).
    fn answer(&self, question: &Question, prefill: Option<&str>, edit: bool) -> Result<Entry> {
        if self.args.editor || edit {
            outln!("Opening your editor; save and close it to grade the answer.")?;
            edit_answer(question, prefill)
        } else {
            type_answer(self.args.time)
        }
    }

    fn grade(&mut self, question: &Question, answer: &str) -> Result<Report> {
        let grader = self.grader.get()?;
        let report = grader.grade(&Rubric::from(question), answer)?;
        setup::show_warnings(grader);
        Ok(report)
    }

    /// Adds the attempt to the session (so --weakest and --new see it) and to the file.
    fn record(
        &mut self,
        question: &Question,
        report: &Report,
        answer: &str,
        seconds: Option<u64>,
    ) -> Result<()> {
        let attempt = Attempt::new(question, report, answer, seconds);
        history_file::record(&self.history_path, &attempt, !self.args.no_history)?;
        self.attempts.push(attempt);
        Ok(())
    }
}

fn show_question(current: &Pick, args: &PracticeArgs, style: TextStyle) -> Result<()> {
    let question = current.question;
    let heading = question.heading();
    outln!("\n{}", "─".repeat(style.width))?;
    if style.color {
        outln!("\x1b[1m{heading}\x1b[0m")?;
    } else {
        outln!("{heading}")?;
    }
    if let Some(why) = reason(current.reason) {
        outln!("{why}")?;
    }
    for line in wrap(&visible(&question.question), style.width) {
        outln!("{line}")?;
    }
    outln!()?;
    if !args.editor {
        let how = format!(
            "Type your answer. Finish with a line holding only \"{END_MARKER}\", or press Ctrl-D."
        );
        for line in wrap(&how, style.width) {
            outln!("{line}")?;
        }
    }
    if let Some(limit) = args.time {
        let how = format!(
            "Time limit {}: the time left shows at the top right.",
            mockgrade::practice::human(limit)
        );
        for line in wrap(&how, style.width) {
            outln!("{line}")?;
        }
    }
    Ok(())
}

fn reason(reason: PickReason) -> Option<String> {
    match reason {
        PickReason::Named | PickReason::Random => None,
        PickReason::Weakest { latest_coverage } => Some(format!(
            "Your weakest: {:.0}% coverage last time.",
            latest_coverage * 100.0
        )),
        PickReason::WeakestWithoutHistory => {
            Some("No attempts yet to find your weakest, so here is a random question.".into())
        }
        PickReason::New => Some("Not attempted before.".into()),
    }
}

/// The menu's keys, within 60 columns; on a terminal each acts as soon as it is pressed.
/// `e` retries from the previous answer, in the editor.
const MENU: &str = "[r]etry  [e]dit  [n]ext  [s]how points  [q]uit > ";

/// Asks until the user picks an action; end of input quits.
fn menu(question: &Question, has_previous: bool) -> Result<Choice> {
    let mut prompt = true;
    loop {
        if prompt {
            out!("\n{MENU}")?;
        }
        prompt = true;
        let key = match read_key().context("cannot read the menu choice from the terminal")? {
            // Enter or a space after a key (a habit from line-based menus) is not a choice.
            Some(Key::Char('\n' | '\r' | ' ')) => {
                prompt = false;
                continue;
            }
            Some(Key::Char(key)) => {
                outln!("{key}")?;
                Some(key)
            }
            Some(Key::End) => None,
            Some(Key::Interrupt) => {
                // As Ctrl-C while typing: leave at once, with the shell's code for SIGINT.
                outln!("^C")?;
                std::process::exit(130);
            }
            None => menu_line()?,
        };
        let Some(key) = key else {
            outln!()?;
            return Ok(Choice::Quit);
        };
        match key.to_ascii_lowercase() {
            'r' => return Ok(Choice::Retry),
            'e' if !has_previous => outln!("Nothing to edit yet: type an answer first.")?,
            'e' if editor_command().is_none() => outln!(
                "Set $EDITOR (for example EDITOR=nano) to edit your previous answer; [r] retries from scratch."
            )?,
            'e' => return Ok(Choice::EditPrevious),
            'n' => return Ok(Choice::Next),
            'q' => return Ok(Choice::Quit),
            's' => out!("\n{}", show_text(question, terminal_style().width))?,
            _ => outln!("Press r, e, n, s or q.")?,
        }
    }
}

/// The menu choice from a line of input, where standard input is not a terminal; `None`
/// at the end of input.
fn menu_line() -> Result<Option<char>> {
    let mut line = String::new();
    if std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the menu choice from standard input")?
        == 0
    {
        return Ok(None);
    }
    Ok(Some(line.trim().chars().next().unwrap_or('\n')))
}
