//! Practice mode's logic, apart from the terminal: choosing questions, parsing the time
//! limit, and reading typed answers. The interactive loop itself is in the CLI.

mod answer;
pub mod history;
mod pick;
mod random;
mod time_limit;

pub use answer::{
    editor_template, is_attempt, read_typed_answer, strip_editor_comments, tidy, AnswerEnd,
    TypedAnswer, END_MARKER,
};
pub use pick::{pick, Pick, PickError, PickReason, Selection, Strategy};
pub use random::Random;
pub use time_limit::{clock, human, parse_time_limit, TimeLimitError};
