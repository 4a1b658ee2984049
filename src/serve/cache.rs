//! The last pages the server sent, as the bytes it sent: the same request answered again (staff
//! going back to a query, paging back, several people on the same search, the page's own
//! repeated requests) costs a look-up instead of a search.
//!
//! An entry holds the corrections it was computed with and is used only while they are the
//! ones in force ([`std::sync::Arc::ptr_eq`]; holding the `Arc` keeps its address from being
//! reused), so a correction shows at once even in a page computed just before it. The index
//! itself never changes under a running server ([`super::Served::snapshot`]), so nothing else
//! can make an entry stale. Error replies are not kept.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use lru::LruCache;

use super::corrections::Corrections;
use super::engine::PageRequest;

/// Pages kept at most: a page of 20 hits is tens of kilobytes.
pub const PAGES: usize = 256;
/// Bytes of pages kept at most (a page of 200 hits is a few hundred kilobytes).
pub const BYTES: usize = 32 << 20;

/// What an entry is looked up by: the route and every field of the request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey(String);

impl PageKey {
    /// The key of `request` on `route`. The `Debug` form of a [`PageRequest`] writes every field
    /// (floats as their shortest exact form), so two requests share a key only when they are
    /// equal.
    pub fn new(route: &str, request: &PageRequest) -> PageKey {
        PageKey(format!("{route} {request:?}"))
    }
}

/// The least recently used pages go first once [`PAGES`] pages or [`BYTES`] bytes are kept.
pub struct PageCache {
    kept: Mutex<Kept>,
    /// Most bytes of pages kept.
    budget: usize,
}

struct Kept {
    pages: LruCache<PageKey, (Arc<Corrections>, Bytes)>,
    /// The bytes of the pages in `pages`.
    bytes: usize,
}

impl Kept {
    fn pop(&mut self, key: &PageKey) {
        if let Some((_, body)) = self.pages.pop(key) {
            self.bytes -= body.len();
        }
    }
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(PAGES, BYTES)
    }
}

impl PageCache {
    /// Room for `pages` pages (at least one) of `budget` bytes in all.
    pub fn new(pages: usize, budget: usize) -> PageCache {
        PageCache {
            kept: Mutex::new(Kept {
                pages: LruCache::new(NonZeroUsize::new(pages).unwrap_or(NonZeroUsize::MIN)),
                bytes: 0,
            }),
            budget,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The page kept for `key` if it was computed with `corrections`; one computed with other
    /// corrections is dropped.
    pub fn get(&self, key: &PageKey, corrections: &Arc<Corrections>) -> Option<Bytes> {
        let mut kept = self.lock();
        match kept.pages.get(key) {
            Some((made_with, body)) if Arc::ptr_eq(made_with, corrections) => Some(body.clone()),
            Some(_) => {
                kept.pop(key);
                None
            }
            None => None,
        }
    }

    /// Keeps `body`, the page for `key` computed with `corrections`, unless it alone is over
    /// the budget; the least recently used pages go until the rest fit.
    pub fn put(&self, key: PageKey, corrections: Arc<Corrections>, body: Bytes) {
        if body.len() > self.budget {
            return;
        }
        let mut kept = self.lock();
        kept.pop(&key);
        kept.bytes += body.len();
        if let Some((_, (_, dropped))) = kept.pages.push(key, (corrections, body)) {
            kept.bytes -= dropped.len();
        }
        while kept.bytes > self.budget {
            match kept.pages.pop_lru() {
                Some((_, (_, dropped))) => kept.bytes -= dropped.len(),
                None => break,
            }
        }
    }

    /// Forgets every page (after a correction: none of them can be used again).
    pub fn clear(&self) {
        let mut kept = self.lock();
        kept.pages.clear();
        kept.bytes = 0;
    }

    /// Pages kept now.
    pub fn len(&self) -> usize {
        self.lock().pages.len()
    }

    /// Bytes of the pages kept now.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Whether no page is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_used_only_with_its_corrections_and_the_oldest_goes_first() {
        let cache = PageCache::new(2, 1000);
        let before = Arc::new(Corrections::default());
        let after = Arc::new(Corrections::default());
        let request = |query: &str| PageRequest {
            query: query.to_string(),
            limit: 20,
            ..PageRequest::default()
        };
        let (a, b, c) = (
            PageKey::new("search", &request("補")),
            PageKey::new("search", &request("補助")),
            PageKey::new("search", &request("補助金")),
        );
        assert_ne!(a, PageKey::new("crosstab", &request("補")));
        cache.put(
            a.clone(),
            before.clone(),
            Bytes::from_static(b"{\"total\":1}"),
        );
        assert_eq!(
            cache.get(&a, &before).as_deref(),
            Some(&b"{\"total\":1}"[..])
        );
        // Equal corrections made later are other corrections: the page is dropped.
        assert_eq!(cache.get(&a, &after), None);
        assert!(cache.is_empty());
        cache.put(a.clone(), after.clone(), Bytes::from_static(b"a"));
        cache.put(b.clone(), after.clone(), Bytes::from_static(b"b"));
        assert!(cache.get(&a, &after).is_some());
        cache.put(c.clone(), after.clone(), Bytes::from_static(b"c"));
        // b was used least recently.
        assert_eq!(cache.get(&b, &after), None);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.bytes(), 2);
        // Over the budget: the least recently used go until the rest fit; a page over the
        // whole budget is not kept.
        let big = Bytes::from(vec![b' '; 999]);
        cache.put(b.clone(), after.clone(), big.clone());
        assert_eq!(cache.get(&a, &after), None);
        assert_eq!(cache.get(&b, &after), Some(big));
        assert_eq!(cache.bytes(), 1000);
        cache.put(c.clone(), after.clone(), Bytes::from(vec![b' '; 2]));
        assert_eq!(cache.get(&b, &after), None);
        assert_eq!(cache.bytes(), 2);
        cache.put(a.clone(), after.clone(), Bytes::from(vec![b' '; 1001]));
        assert_eq!(cache.get(&a, &after), None);
        assert_eq!(cache.bytes(), 2);
        cache.clear();
        assert_eq!((cache.len(), cache.bytes()), (0, 0));
    }
}
