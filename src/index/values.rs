//! The indexed values of every answer — its question, categories, basis and attributes — read
//! back from the index's terms, one segment at a time, with the documents that hold each value.
//!
//! The index keeps these values only as indexed terms (it has no fast fields for them), so a
//! reader that wants every answer's values at once (the page's filters and counts,
//! `crate::serve::catalog`) walks the postings of each term. The terms' format (how a facet
//! encodes a category, how an attribute's name and value share one term) is decoded here, beside
//! the code that writes it, so a change of format changes both or neither.

use std::collections::HashMap;
use std::path::Path;

use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocId, DocSet, SegmentReader, TERMINATED};

use crate::error::{Error, Result};

use super::schema::{index_error, ATTRIBUTE_SEPARATOR};
use super::search::Searcher;

impl Searcher {
    /// Adds to `counts`, for each attribute name of `segment`, how many distinct values it has
    /// there. Summed over segments, a value found in several segments counts more than once.
    pub fn count_attribute_values(
        &self,
        segment: &SegmentReader,
        counts: &mut HashMap<String, usize>,
    ) -> Result<()> {
        let inverted = segment
            .inverted_index(self.fields().attribute)
            .map_err(|err| self.error(err))?;
        let mut stream = inverted.terms().stream().map_err(|err| self.io(err))?;
        let mut last = String::new();
        while stream.advance() {
            let Ok(key) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if key != last {
                if let Some((name, _)) = key.split_once(ATTRIBUTE_SEPARATOR) {
                    *counts.entry(name.to_string()).or_default() += 1;
                }
                last = key.to_string();
            }
        }
        Ok(())
    }

    /// Calls `visit` with each question of `segment` and the documents that have it.
    pub fn walk_questions(
        &self,
        segment: &SegmentReader,
        mut visit: impl FnMut(&str, &[DocId]),
    ) -> Result<()> {
        self.walk_terms(segment, self.fields().question, |key, docs| {
            if let Ok(question) = std::str::from_utf8(key) {
                visit(question, docs);
            }
        })
    }

    /// Calls `visit` with each category of `segment` (its id) and the documents that have it.
    pub fn walk_categories(
        &self,
        segment: &SegmentReader,
        mut visit: impl FnMut(&str, &[DocId]),
    ) -> Result<()> {
        self.walk_terms(segment, self.fields().categories, |key, docs| {
            let name = Facet::from_encoded(key.to_vec())
                .map(|facet| facet.to_path().join("/"))
                .unwrap_or_default();
            // The root facet is indexed too; it names no category.
            if !name.is_empty() {
                visit(&name, docs);
            }
        })
    }

    /// Calls `visit` with each basis of `segment` (its [`crate::classify::Basis::as_str`]
    /// name) and the documents that have it.
    pub fn walk_bases(
        &self,
        segment: &SegmentReader,
        mut visit: impl FnMut(&str, &[DocId]),
    ) -> Result<()> {
        self.walk_terms(segment, self.fields().basis, |key, docs| {
            visit(std::str::from_utf8(key).unwrap_or_default(), docs);
        })
    }

    /// Calls `visit` with each attribute of `segment` (name, value, as trimmed when indexed)
    /// and the documents that have it.
    pub fn walk_attributes(
        &self,
        segment: &SegmentReader,
        mut visit: impl FnMut(&str, &str, &[DocId]),
    ) -> Result<()> {
        self.walk_terms(segment, self.fields().attribute, |key, docs| {
            if let Some((name, value)) = std::str::from_utf8(key)
                .ok()
                .and_then(|key| key.split_once(ATTRIBUTE_SEPARATOR))
            {
                visit(name, value, docs);
            }
        })
    }

    /// Calls `visit` with each term of `field` in `segment` and the documents that have it.
    fn walk_terms(
        &self,
        segment: &SegmentReader,
        field: Field,
        mut visit: impl FnMut(&[u8], &[DocId]),
    ) -> Result<()> {
        let inverted = segment
            .inverted_index(field)
            .map_err(|err| self.error(err))?;
        let mut stream = inverted.terms().stream().map_err(|err| self.io(err))?;
        let mut docs = Vec::new();
        while stream.advance() {
            let mut postings = inverted
                .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                .map_err(|err| self.io(err))?;
            docs.clear();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                docs.push(doc);
                doc = postings.advance();
            }
            visit(stream.key(), &docs);
        }
        Ok(())
    }

    /// A tantivy error about this index.
    fn error(&self, err: tantivy::TantivyError) -> Error {
        index_error(Path::new(self.dir()), err)
    }

    /// An I/O error reading this index.
    fn io(&self, err: std::io::Error) -> Error {
        Error::io(Path::new(self.dir()), err)
    }
}
