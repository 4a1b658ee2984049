//! The query set of `bench/queries.tsv`, read by the `speed` and `serve_times` benchmarks
//! (each includes this file with `#[path]`).

use std::io::{BufRead, BufReader};
use std::path::Path;

use jiyu::index::SearchRequest;

/// The queries of `bench/queries.tsv` as search requests (20 hits each, by meaning, as `jiyu
/// search` runs them).
pub fn read_queries(path: &Path) -> Result<Vec<SearchRequest>, String> {
    let file = std::fs::File::open(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let mut requests = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|err| err.to_string())?;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut columns = line.split('\t');
        let mut request = SearchRequest {
            query: columns.next().unwrap_or_default().to_string(),
            limit: 20,
            by_meaning: true,
            ..SearchRequest::default()
        };
        for filter in columns.filter(|column| !column.is_empty()) {
            let (name, value) = filter
                .split_once('=')
                .ok_or_else(|| format!("{}: “{filter}” is not NAME=VALUE", path.display()))?;
            match name {
                "question" => request.questions.push(value.to_string()),
                "category" => request.categories.push(value.to_string()),
                _ => request.filters.push((name.to_string(), value.to_string())),
            }
        }
        requests.push(request);
    }
    Ok(requests)
}
