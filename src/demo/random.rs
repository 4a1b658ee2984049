//! The generator's random choices: ChaCha8 streams (stable across versions and platforms) turned
//! into numbers here, so the same seed gives the same bytes with every `rand` release, and an urn
//! that deals the survey's exact counts in random order.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(super) const STREAM_ATTRIBUTES: u64 = 1;
pub(super) const STREAM_TEXTS: u64 = 2;
pub(super) const STREAM_ANSWERS: u64 = 3;

pub(super) fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// A number in `0..n` (`0` when `n` is 0), by multiply-shift: the bias is below 2⁻³².
pub(super) fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

pub(super) fn chance(rng: &mut ChaCha8Rng, per_mille: u32) -> bool {
    below(rng, 1000) < per_mille as usize
}

pub(super) fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[below(rng, items.len())]
}

pub(super) fn choose<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items[below(rng, items.len())]
}

pub(super) fn pick_weighted<'a, T, W: Copy + Into<u64>>(
    rng: &mut ChaCha8Rng,
    items: &'a [(W, T)],
) -> &'a T {
    let total: u64 = items.iter().map(|(weight, _)| (*weight).into()).sum();
    let mut target = below(rng, total as usize) as u64;
    for (weight, item) in items {
        let weight: u64 = (*weight).into();
        if target < weight {
            return item;
        }
        target -= weight;
    }
    &items[items.len() - 1].1
}

/// Drawing without replacement from a shuffled deck of labels: every draw takes label `i` with
/// probability remaining(i) / remaining, so the whole run has exactly the planned counts in a
/// uniformly random order, without holding the deck.
#[derive(Debug, Clone)]
pub(super) struct Urn {
    remaining: Vec<usize>,
    left: usize,
}

impl Urn {
    pub(super) fn new(counts: &[u32], total: usize) -> Urn {
        let remaining = scale_counts(counts, total);
        Urn {
            left: remaining.iter().sum(),
            remaining,
        }
    }

    pub(super) fn draw(&mut self, rng: &mut ChaCha8Rng) -> usize {
        let mut target = below(rng, self.left);
        for (index, remaining) in self.remaining.iter_mut().enumerate() {
            if target < *remaining {
                *remaining -= 1;
                self.left -= 1;
                return index;
            }
            target -= *remaining;
        }
        0
    }
}

pub(super) fn counts<const N: usize>(table: &[(&str, u32); N]) -> [u32; N] {
    table.map(|(_, count)| count)
}

/// Splits `total` in proportion to `counts` by the largest-remainder method: the parts add up to
/// `total`, and each is its exact share rounded down or up. Ties go to the earlier entry.
pub fn scale_counts(counts: &[u32], total: usize) -> Vec<usize> {
    let sum: u128 = counts.iter().map(|&count| u128::from(count)).sum();
    if sum == 0 {
        return vec![0; counts.len()];
    }
    let exact: Vec<u128> = counts
        .iter()
        .map(|&count| u128::from(count) * total as u128)
        .collect();
    let mut parts: Vec<usize> = exact.iter().map(|share| (share / sum) as usize).collect();
    let assigned: usize = parts.iter().sum();
    let mut by_remainder: Vec<usize> = (0..counts.len()).collect();
    by_remainder.sort_by(|&a, &b| (exact[b] % sum).cmp(&(exact[a] % sum)).then(a.cmp(&b)));
    for &index in by_remainder.iter().take(total - assigned) {
        parts[index] += 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range() {
        let mut rng = rng(1, 0);
        assert!((0..10_000).all(|_| below(&mut rng, 7) < 7));
        assert_eq!(below(&mut rng, 0), 0);
    }
}
