//! A small seeded random number generator (SplitMix64) for picking questions; practice needs
//! variety, not cryptographic quality, so a dependency would buy nothing.

use std::time::{SystemTime, UNIX_EPOCH};

/// SplitMix64: passes BigCrush, one multiply-xorshift chain per number.
#[derive(Debug, Clone)]
pub struct Random {
    state: u64,
}

impl Random {
    pub fn seeded(seed: u64) -> Random {
        Random { state: seed }
    }

    /// Seeded from the clock and the process id, so two sessions started in the same
    /// nanosecond still differ.
    pub fn from_clock() -> Random {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos() as u64)
            .unwrap_or(0);
        Random::seeded(nanos ^ (u64::from(std::process::id()) << 32))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.state;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    }

    /// A number in `0..bound`; `bound` must be positive. The modulo bias is below 2^-50
    /// for any bank size, far too small to matter here.
    pub fn below(&mut self, bound: usize) -> usize {
        assert!(bound > 0, "Random::below needs a positive bound");
        (self.next_u64() % bound as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let mut first = Random::seeded(42);
        let mut second = Random::seeded(42);
        for _ in 0..10 {
            assert_eq!(first.next_u64(), second.next_u64());
        }
    }

    #[test]
    fn below_reaches_every_value_and_nothing_else() {
        let mut random = Random::seeded(7);
        let mut seen = [0usize; 6];
        for _ in 0..6000 {
            seen[random.below(6)] += 1;
        }
        assert!(seen.iter().all(|&count| count > 800), "{seen:?}");
    }
}
