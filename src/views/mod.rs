//! Views of the words and the counts that survey analysts read beside the categories: word
//! lists, co-occurrence networks, correspondence analysis and the statistics of cross-tables.
//! Each view is computed here once, as data, and drawn as SVG by [`svg`]; the report, the page
//! and the subcommands all call these functions and never compute a view themselves.

pub mod ca;
pub mod network;
pub mod significance;
pub mod svg;
pub mod words;
