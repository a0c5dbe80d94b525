//! Flags given before the command (`mockgrade --model DIR grade …`): each group joins the
//! command's own flags where the command acts on it, and is refused where the command would
//! silently ignore it.

use super::args::Command;
use super::shared_args::{BankArgs, EngineArgs, ScorerArgs, SharedArgs};
use super::UsageError;

/// The leading groups not yet taken by the command.
pub struct Leading(SharedArgs);

impl Leading {
    pub fn new(args: SharedArgs) -> Self {
        Leading(args)
    }

    /// Joins the leading groups into the command's own, where it has them.
    pub fn join(&mut self, command: &mut Command) {
        let SharedArgs {
            engine,
            bank,
            scorer,
        } = &mut self.0;
        let (own_engine, own_bank, own_scorer) = command_groups(command);
        if let Some(own) = own_engine {
            own.join_leading(std::mem::take(engine));
        }
        if let Some(own) = own_bank {
            own.join_leading(std::mem::take(bank));
        }
        if let Some(own) = own_scorer {
            own.join_leading(std::mem::take(scorer));
        }
    }

    /// Refuses a leading flag that the command did not take.
    pub fn finish(self, command: &str) -> Result<(), UsageError> {
        let SharedArgs {
            engine,
            bank,
            scorer,
        } = self.0;
        match engine.given().or(bank.given()).or(scorer.given()) {
            None => Ok(()),
            Some(flag) => Err(UsageError(format!(
                "{flag} has no effect on `mockgrade {command}`; leave it out"
            ))),
        }
    }
}

type Groups<'a> = (
    Option<&'a mut EngineArgs>,
    Option<&'a mut BankArgs>,
    Option<&'a mut ScorerArgs>,
);

/// The flag groups a command acts on.
fn command_groups(command: &mut Command) -> Groups<'_> {
    use super::args::{BankCommand, GradeArgs};
    use super::batch_args::BatchArgs;
    use super::eval_args::{CalibrateArgs, EvalArgs};
    use super::practice_args::PracticeArgs;
    use super::serve_args::ServeArgs;
    match command {
        Command::Doctor { engine, .. } | Command::Embed { engine, .. } => {
            (Some(engine), None, None)
        }
        Command::Grade(GradeArgs { shared, .. })
        | Command::Batch(BatchArgs { shared, .. })
        | Command::Eval(EvalArgs { shared, .. })
        | Command::Calibrate(CalibrateArgs { shared, .. })
        | Command::Practice(PracticeArgs { shared, .. })
        | Command::Serve(ServeArgs { shared, .. }) => (
            Some(&mut shared.engine),
            Some(&mut shared.bank),
            Some(&mut shared.scorer),
        ),
        Command::Bank(
            BankCommand::List { bank, .. }
            | BankCommand::Show { bank, .. }
            | BankCommand::Check { bank, .. },
        )
        | Command::Segment { bank, .. } => (None, Some(bank), None),
        Command::Stats(args) => (None, Some(&mut args.bank), None),
        Command::Bank(BankCommand::Import { .. })
        | Command::Merge { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => (None, None, None),
    }
}

impl EngineArgs {
    /// The command's own values win; the leading ones fill what it left unset.
    fn join_leading(&mut self, leading: EngineArgs) {
        self.model = self.model.take().or(leading.model);
        self.device = self.device.take().or(leading.device);
        self.precision = self.precision.take().or(leading.precision);
        self.threads = self.threads.or(leading.threads);
        self.no_cache |= leading.no_cache;
    }

    /// The first of the group's flags that was given.
    fn given(&self) -> Option<&'static str> {
        first_given([
            (self.model.is_some(), "--model"),
            (self.device.is_some(), "--device"),
            (self.precision.is_some(), "--precision"),
            (self.threads.is_some(), "--threads"),
            (self.no_cache, "--no-cache"),
        ])
    }
}

impl BankArgs {
    /// Leading banks load first, then the command's own.
    fn join_leading(&mut self, leading: BankArgs) {
        let own = std::mem::replace(&mut self.banks, leading.banks);
        self.banks.extend(own);
        self.no_default_bank |= leading.no_default_bank;
    }

    /// The first of the group's flags that was given.
    fn given(&self) -> Option<&'static str> {
        first_given([
            (!self.banks.is_empty(), "--bank"),
            (self.no_default_bank, "--no-default-bank"),
        ])
    }
}

impl ScorerArgs {
    fn join_leading(&mut self, leading: ScorerArgs) {
        self.scorer = self.scorer.take().or(leading.scorer);
        self.match_mode = self.match_mode.or(leading.match_mode);
        self.strict |= leading.strict;
    }

    /// The first of the group's flags that was given.
    fn given(&self) -> Option<&'static str> {
        first_given([
            (self.scorer.is_some(), "--scorer"),
            (self.match_mode.is_some(), "--match"),
            (self.strict, "--strict"),
        ])
    }
}

/// The first flag whose value was given, from `(given, flag)` pairs.
fn first_given<const N: usize>(flags: [(bool, &'static str); N]) -> Option<&'static str> {
    flags
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
}
