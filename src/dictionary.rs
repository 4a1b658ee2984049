//! The dictionaries the analyzer reads: IPADIC, compiled by `build.rs` and embedded in the binary,
//! and the user dictionary of domain terms (`dictionaries/user.csv`, also embedded, plus any file
//! given with `--user-dict`).
//!
//! User-dictionary surfaces are normalized exactly like answer text before they are compiled, so
//! `ＩＳＭＳ`, `isms` and `ISMS` in an answer all meet the one entry `ISMS`.

use std::path::Path;

use lindera::dictionary::{Dictionary, UserDictionary};
use lindera_dictionary::builder::DictionaryBuilder;

use crate::error::{Error, Result};
use crate::normalize::normalize;

lindera_dictionary::embedded_dictionary!("/ipadic", EmbeddedIpadicLoader);

/// The domain terms shipped with jiyu, compiled into the binary so it runs from any directory.
pub const BUILTIN_USER_DICTIONARY: &str = include_str!("../dictionaries/user.csv");

/// Loads the embedded IPADIC system dictionary.
pub fn system_dictionary() -> Result<Dictionary> {
    load().map_err(|err| Error::Dictionary(format!("the embedded IPADIC dictionary: {err}")))
}

/// A compiled user dictionary and the normalized surface of each of its entries, in file order.
pub struct UserEntries {
    pub dictionary: UserDictionary,
    pub surfaces: Vec<String>,
}

/// Compiles the built-in user dictionary plus the rows of each extra file into one user dictionary.
///
/// Rows are lindera's simple format: `surface,part of speech,reading`. Blank lines and lines
/// starting with `#` are comments.
pub fn user_dictionary(system: &Dictionary, extra_files: &[&Path]) -> Result<UserEntries> {
    let mut rows = String::new();
    append_user_rows(
        &mut rows,
        "built-in dictionaries/user.csv",
        BUILTIN_USER_DICTIONARY,
    )?;
    for path in extra_files {
        let text = std::fs::read_to_string(path)
            .map_err(|err| Error::io(path, err).context("cannot read the user dictionary"))?;
        append_user_rows(&mut rows, &path.display().to_string(), &text)?;
    }
    let dictionary = DictionaryBuilder::new((*system.metadata).clone())
        .build_user_dict_from_reader(rows.as_bytes())
        .map_err(|err| Error::Dictionary(format!("the user dictionary: {err}")))?;
    let surfaces = rows
        .lines()
        .filter_map(|row| row.split(',').next())
        .map(str::to_string)
        .collect();
    Ok(UserEntries {
        dictionary,
        surfaces,
    })
}

/// Checks one user-dictionary file and appends its rows, with normalized surfaces, to `rows`.
fn append_user_rows(rows: &mut String, source: &str, text: &str) -> Result<()> {
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != 3 || fields.iter().any(|field| field.trim().is_empty()) {
            return Err(Error::Input {
                path: source.to_string(),
                line: index + 1,
                column: 1,
                message: "a user-dictionary row is `surface,part of speech,reading`, \
                          e.g. `ランサムウェア,名詞,ランサムウェア`"
                    .to_string(),
            });
        }
        let surface = normalize(fields[0].trim()).text;
        rows.push_str(&format!(
            "{},{},{}\n",
            surface,
            fields[1].trim(),
            fields[2].trim()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;

    /// The row and the column of the connection-cost matrix that the counts of
    /// `dictionaries/ipadic-context-frequencies.txt` read most get the first id after BOS/EOS's 0.
    #[test]
    fn context_ids_are_numbered_most_read_first() {
        let system = super::system_dictionary().expect("the embedded dictionary loads");
        let map = system
            .metadata
            .context_id_map
            .as_ref()
            .expect("the embedded dictionary is renumbered");
        let counts: Vec<Vec<u64>> = include_str!("../dictionaries/ipadic-context-frequencies.txt")
            .lines()
            .skip(1)
            .map(|line| {
                line.split_whitespace()
                    .map(|count| count.parse().expect("a count"))
                    .collect()
            })
            .collect();
        let most_read = |counts: &[u64]| {
            (1..counts.len())
                .max_by_key(|&id| (counts[id], Reverse(id)))
                .expect("ids besides 0") as u16
        };
        assert_eq!(map.map_left(most_read(&counts[0])), 1);
        assert_eq!(map.map_right(most_read(&counts[1])), 1);
    }
}
