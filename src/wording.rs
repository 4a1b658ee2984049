//! The English of messages: a count with its noun in the right number (`1 question`,
//! `2 questions`), and the verb that goes with it.

/// `count` followed by `singular` for 1 and `plural` otherwise: `1 answer`, `0 answers`.
pub fn counted(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}

/// `singular` for a count of 1, `plural` otherwise (a verb agreeing with a count: `1 answer
/// needs`, `2 answers need`).
pub fn agree<'a>(count: usize, singular: &'a str, plural: &'a str) -> &'a str {
    if count == 1 {
        singular
    } else {
        plural
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "question", "questions"), "1 question");
        assert_eq!(counted(0, "question", "questions"), "0 questions");
        assert_eq!(counted(2, "category", "categories"), "2 categories");
        assert_eq!(agree(1, "needs", "need"), "needs");
        assert_eq!(agree(3, "needs", "need"), "need");
    }
}
