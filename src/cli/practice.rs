//! `mockgrade practice`: the practice loop at a terminal (question, answer, report, menu),
//! or, when the answer is piped in, one graded answer for scripts.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use mockgrade::bank::{Bank, Question};
use mockgrade::grader::MAX_ANSWER_BYTES;
use mockgrade::history::{self, Attempt};
use mockgrade::practice::{pick, tidy, Pick, PickReason, Random, Selection, Strategy, END_MARKER};
use mockgrade::report::{render_text, wrap, Report, TextStyle};
use mockgrade::score::Rubric;
use mockgrade::visible::visible;

use super::answer_entry::{edit_answer, type_answer, Entry};
use super::args::{Format, GlobalArgs};
use super::bank_cmd::{parse_topic, show_text};
use super::countdown::summary;
use super::grade::{print_report, terminal_style};
use super::input::read_text;
use super::practice_args::PracticeArgs;
use super::{engine, exit, history_file, UsageError};

pub fn run(global: &GlobalArgs, args: &PracticeArgs) -> Result<u8> {
    let selection = Selection {
        question: args.question.clone(),
        topic: parse_topic(args.topic.as_deref())?,
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
    engine::embedder_options(global)?;
    engine::scorer(global)?;
    let bank = engine::bank(global)?;
    let history_path = history::default_path();
    let attempts = history_file::load(&history_path)?;
    let mut random = Random::from_clock();
    let first = pick(&bank, &attempts, &selection, None, &mut random)?;
    engine::model_dir(global)?;

    std::thread::scope(|scope| {
        let mut session = Session {
            args,
            bank: &bank,
            selection,
            history_path,
            attempts,
            random,
            grader: engine::BackgroundGrader::start(scope, global),
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
    grader: engine::BackgroundGrader<'scope>,
}

/// What the user chose after a report.
enum Choice {
    Retry,
    Next,
    Quit,
}

impl Session<'_, '_> {
    /// One answer from standard input, graded and printed; exits 0 even for an empty answer,
    /// which the report flags.
    fn piped(&mut self, question: &Question) -> Result<u8> {
        let answer = read_text(Path::new("-"), MAX_ANSWER_BYTES as u64, "answers")
            .context("cannot use the answer from standard input")?;
        let answer = tidy(&answer);
        let report = self.grade(question, &answer)?;
        print_report(&report, self.args.format);
        self.record(question, &report, &answer, None)?;
        Ok(exit::OK)
    }

    fn interactive(&mut self, first: Pick) -> Result<u8> {
        let mut current = first;
        loop {
            let style = terminal_style();
            show_question(&current, self.args, style);
            let entry = self.answer(current.question)?;
            if entry.text.trim().is_empty() {
                println!("Nothing typed, so nothing was graded or recorded.");
            } else {
                if !self.grader.is_ready() {
                    println!("Loading the model…");
                }
                let report = self.grade(current.question, &entry.text)?;
                // The question was shown just above the answer: the report starts at the grade.
                match self.args.format {
                    Format::Text => print!(
                        "{}",
                        render_text(
                            &report,
                            TextStyle {
                                heading: false,
                                ..terminal_style()
                            }
                        )
                    ),
                    format => {
                        println!();
                        print_report(&report, format);
                    }
                }
                println!("\n{}", summary(entry.elapsed, self.args.time));
                let seconds = Some(entry.elapsed.as_secs());
                self.record(current.question, &report, &entry.text, seconds)?;
            }
            match menu(current.question)? {
                Choice::Retry => {}
                Choice::Quit => return Ok(exit::OK),
                Choice::Next => {
                    let next = Selection {
                        question: None,
                        ..self.selection.clone()
                    };
                    let previous = Some(current.question.id.as_str());
                    match pick(self.bank, &self.attempts, &next, previous, &mut self.random) {
                        Ok(pick) => current = pick,
                        Err(err) => {
                            println!("{err}");
                            return Ok(exit::OK);
                        }
                    }
                }
            }
        }
    }

    fn answer(&self, question: &Question) -> Result<Entry> {
        if self.args.editor {
            println!("Opening your editor; save and close it to grade the answer.");
            edit_answer(question)
        } else {
            type_answer(self.args.time)
        }
    }

    fn grade(&mut self, question: &Question, answer: &str) -> Result<Report> {
        Ok(self.grader.get()?.grade(&Rubric::from(question), answer)?)
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

fn show_question(current: &Pick, args: &PracticeArgs, style: TextStyle) {
    let question = current.question;
    let heading = match question.number {
        Some(number) => format!("Question {number} · {}", question.topic),
        None => format!("{} · {}", question.id, question.topic),
    };
    println!("\n{}", "─".repeat(style.width));
    if style.color {
        println!("\x1b[1m{heading}\x1b[0m");
    } else {
        println!("{heading}");
    }
    if let Some(why) = reason(current.reason) {
        println!("{why}");
    }
    for line in wrap(&visible(&question.question), style.width) {
        println!("{line}");
    }
    println!();
    if !args.editor {
        let how = format!(
            "Type your answer. Finish with a line holding only \"{END_MARKER}\", or press Ctrl-D."
        );
        for line in wrap(&how, style.width) {
            println!("{line}");
        }
    }
    if let Some(limit) = args.time {
        let how = format!(
            "Time limit {}: the time left shows in the prompt and at the top right.",
            mockgrade::practice::human(limit)
        );
        for line in wrap(&how, style.width) {
            println!("{line}");
        }
    }
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

/// Asks until the user picks an action; end of input quits.
fn menu(question: &Question) -> Result<Choice> {
    loop {
        print!("\n[r]etry  [n]ext  [s]how expected points  [q]uit > ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        if std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the menu choice from standard input")?
            == 0
        {
            println!();
            return Ok(Choice::Quit);
        }
        match line
            .trim()
            .chars()
            .next()
            .map(|key| key.to_ascii_lowercase())
        {
            Some('r') => return Ok(Choice::Retry),
            Some('n') => return Ok(Choice::Next),
            Some('q') => return Ok(Choice::Quit),
            Some('s') => print!("\n{}", show_text(question, terminal_style().width)),
            _ => println!("Type r, n, s or q, then Enter."),
        }
    }
}
