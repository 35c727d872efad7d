//! Bounded state: what a long-running emulator keeps in memory has a ceiling, whatever its
//! callers send.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::RecordedRequest;

/// The most tokens kept (live, or expired less than [`EXPIRED_TOKEN_GRACE`] ago).
const MAX_TOKENS: usize = 100_000;
/// How long an expired token is still known, to be answered "expired" rather than "invalid".
const EXPIRED_TOKEN_GRACE: Duration = Duration::from_secs(3600);
/// The most throttled `client-request-id`s remembered, with when each may come back.
const MAX_THROTTLED_CLIENTS: usize = 100_000;
/// The most requests kept in the request log.
const MAX_LOGGED_REQUESTS: usize = 10_000;
/// The most bytes (method, path, headers and body) kept in the request log.
const MAX_LOGGED_BYTES: usize = 64 * 1024 * 1024;
/// The most entities stored, by default.
pub(crate) const MAX_ENTITIES: usize = 1_000_000;
/// The most removals a collection whose changes are read through `delta` remembers: a delta
/// link from before the oldest one forgotten has expired (`410 syncStateNotFound`).
pub(crate) const MAX_DELTA_REMOVALS: usize = 10_000;
/// The most bytes of entities stored (each counting for the length of its JSON encoding).
const MAX_STORED_BYTES: usize = 1024 * 1024 * 1024;
/// The most (tenant, app) pairs, and the most tenants, whose throttling windows are tracked.
const MAX_LIMITED_KEYS: usize = 10_000;
/// The most bytes of the answer to a read, or of a `$batch`'s answers together, by default: the
/// client's own default limit on a response (`max_response_bytes`, 16 MiB).
pub(crate) const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// The smallest response budget: room for a `$batch`'s twenty errors besides its answers.
pub(crate) const MIN_RESPONSE_BYTES: usize = 64 * 1024;
/// The most entities of an expanded collection, as Graph documents for `$expand`
/// (learn.microsoft.com/graph/query-parameters, "expand": "typically returns a maximum of 20
/// items for the expanded relationship and has no @odata.nextLink").
pub(crate) const MAX_EXPANDED: usize = 20;

/// The length of a value's JSON encoding, counted without writing it anywhere.
pub(crate) fn encoded_len<T: serde::Serialize + ?Sized>(value: &T) -> usize {
    /// Counts what is written, keeping none of it.
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // A value that cannot be written counts for nothing (JSON values always can).
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

/// What is left of the bytes an answer may take: a read's own budget, or its share of its
/// `$batch`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Budget {
    /// The limit this budget comes from (`max_response_bytes`), for messages.
    pub(crate) limit: usize,
    left: usize,
}

impl Budget {
    /// A budget of `left` bytes, out of the limit `limit`.
    pub(crate) fn new(limit: usize, left: usize) -> Self {
        Self { limit, left }
    }

    /// The bytes still free.
    pub(crate) fn left(self) -> usize {
        self.left
    }

    /// Takes `bytes` when they fit; whether they did (nothing is taken otherwise).
    pub(crate) fn take(&mut self, bytes: usize) -> bool {
        match self.left.checked_sub(bytes) {
            Some(left) => {
                self.left = left;
                true
            }
            None => false,
        }
    }
}

/// The ceilings of the emulator's state; [`Ceilings::default`] has the documented ones, tests
/// use small ones.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ceilings {
    pub(crate) tokens: usize,
    pub(crate) expired_token_grace: Duration,
    pub(crate) throttled_clients: usize,
    pub(crate) logged_requests: usize,
    pub(crate) logged_bytes: usize,
    pub(crate) entities: usize,
    pub(crate) stored_bytes: usize,
    pub(crate) limited_keys: usize,
    pub(crate) response_bytes: usize,
    pub(crate) delta_removals: usize,
}

impl Default for Ceilings {
    fn default() -> Self {
        Self {
            tokens: MAX_TOKENS,
            expired_token_grace: EXPIRED_TOKEN_GRACE,
            throttled_clients: MAX_THROTTLED_CLIENTS,
            logged_requests: MAX_LOGGED_REQUESTS,
            logged_bytes: MAX_LOGGED_BYTES,
            entities: MAX_ENTITIES,
            stored_bytes: MAX_STORED_BYTES,
            limited_keys: MAX_LIMITED_KEYS,
            response_bytes: MAX_RESPONSE_BYTES,
            delta_removals: MAX_DELTA_REMOVALS,
        }
    }
}

/// Values by key, each with a deadline, at most `cap` of them: an insertion past the cap evicts
/// the entries with the soonest deadlines.
pub(crate) struct Deadlines<V> {
    entries: HashMap<String, (Instant, V)>,
    /// The same entries by deadline, soonest first.
    order: BTreeSet<(Instant, String)>,
    cap: usize,
}

impl<V> Deadlines<V> {
    /// An empty map holding at most `cap` entries (at least one).
    pub(crate) fn new(cap: usize) -> Self {
        Self { entries: HashMap::new(), order: BTreeSet::new(), cap: cap.max(1) }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn get(&self, key: &str) -> Option<&(Instant, V)> {
        self.entries.get(key)
    }

    /// Takes the entry of `key` out, with its deadline.
    pub(crate) fn remove(&mut self, key: &str) -> Option<(Instant, V)> {
        let (deadline, value) = self.entries.remove(key)?;
        self.order.remove(&(deadline, key.to_owned()));
        Some((deadline, value))
    }

    /// Drops the entries whose deadline is at or before `time`.
    pub(crate) fn purge(&mut self, time: Instant) {
        while self.order.first().is_some_and(|(deadline, _)| *deadline <= time) {
            if let Some((_, key)) = self.order.pop_first() {
                self.entries.remove(&key);
            }
        }
    }

    /// Inserts or replaces the entry of `key`, then evicts the soonest deadlines past the cap
    /// (which may be this one).
    pub(crate) fn insert(&mut self, key: String, deadline: Instant, value: V) {
        self.remove(&key);
        self.order.insert((deadline, key.clone()));
        self.entries.insert(key, (deadline, value));
        while self.entries.len() > self.cap {
            let Some((_, evicted)) = self.order.pop_first() else { break };
            self.entries.remove(&evicted);
        }
    }
}

/// The request log: the latest requests, at most so many and so many bytes, oldest first.
pub(crate) struct RequestLog {
    requests: VecDeque<RecordedRequest>,
    bytes: usize,
    max_requests: usize,
    max_bytes: usize,
}

impl RequestLog {
    pub(crate) fn new(max_requests: usize, max_bytes: usize) -> Self {
        Self { requests: VecDeque::new(), bytes: 0, max_requests: max_requests.max(1), max_bytes }
    }

    /// Appends a request, evicting the oldest ones past the ceilings. A request larger than the
    /// whole log keeps its head and the start of its body that fits.
    pub(crate) fn push(
        &mut self,
        method: &str,
        path: String,
        headers: Vec<(String, String)>,
        body: &[u8],
    ) {
        let head = method.len()
            + path.len()
            + headers.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>();
        let kept = body.len().min(self.max_bytes.saturating_sub(head));
        let body = body.get(..kept).unwrap_or_default().to_vec();
        let size = head + body.len();
        while !self.requests.is_empty()
            && (self.requests.len() >= self.max_requests
                || self.bytes.saturating_add(size) > self.max_bytes)
        {
            if let Some(oldest) = self.requests.pop_front() {
                self.bytes = self.bytes.saturating_sub(size_of(&oldest));
            }
        }
        self.bytes = self.bytes.saturating_add(size);
        self.requests.push_back(RecordedRequest { method: method.to_owned(), path, headers, body });
    }

    pub(crate) fn to_vec(&self) -> Vec<RecordedRequest> {
        self.requests.iter().cloned().collect()
    }
}

/// The bytes a recorded request counts for.
fn size_of(request: &RecordedRequest) -> usize {
    request.method.len()
        + request.path.len()
        + request.headers.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>()
        + request.body.len()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn budgets_take_what_fits() {
        let mut budget = Budget::new(100, 10);
        assert!(budget.take(4) && budget.take(6));
        assert!(!budget.take(1), "nothing left");
        assert_eq!((budget.left(), budget.limit), (0, 100));
        let mut budget = Budget::new(100, 5);
        assert!(!budget.take(usize::MAX));
        assert_eq!(budget.left(), 5, "a refusal takes nothing");
        assert_eq!(encoded_len(&serde_json::json!({"a": [1, "é"]})), 14, "bytes, not chars");
    }

    #[test]
    fn deadlines_evict_the_soonest_past_the_cap() {
        let now = Instant::now();
        let mut map = Deadlines::new(3);
        for n in 0..10u64 {
            // Deadlines in an order of their own: 0, 7, 4, 1, 8, ...
            let deadline = now + Duration::from_secs(n * 7 % 10);
            map.insert(n.to_string(), deadline, n);
            assert!(map.len() <= 3);
            assert_eq!(map.order.len(), map.len());
        }
        let mut kept: Vec<u64> = map.entries.values().map(|(_, v)| *v).collect();
        kept.sort_unstable();
        // Deadlines 7, 8, 9 seconds ahead: the latest three.
        assert_eq!(kept, [1, 4, 7]);
    }

    #[test]
    fn deadlines_replace_and_purge() {
        let now = Instant::now();
        let mut map = Deadlines::new(100);
        map.insert("a".into(), now, ());
        map.insert("a".into(), now + Duration::from_secs(5), ());
        map.insert("b".into(), now + Duration::from_secs(1), ());
        assert_eq!((map.len(), map.order.len()), (2, 2), "replaced, not added");
        map.purge(now + Duration::from_secs(1));
        assert!(map.get("b").is_none(), "passed");
        assert_eq!(map.get("a").map(|(d, ())| *d), Some(now + Duration::from_secs(5)));
        map.purge(now + Duration::from_secs(5));
        assert_eq!((map.len(), map.order.len()), (0, 0));
    }

    fn push(log: &mut RequestLog, body: &[u8]) {
        log.push("POST", "/p".into(), vec![("h".into(), "v".into())], body);
    }

    #[test]
    fn the_log_is_bounded_by_count() {
        let mut log = RequestLog::new(3, 1 << 20);
        for n in 0..10u8 {
            push(&mut log, &[n]);
        }
        let bodies: Vec<Vec<u8>> = log.to_vec().into_iter().map(|r| r.body).collect();
        assert_eq!(bodies, [[7], [8], [9]], "the latest, oldest first");
    }

    #[test]
    fn the_log_is_bounded_by_bytes() {
        // Each request: 4 + 2 + 2 bytes of head, and its body.
        let mut log = RequestLog::new(1000, 100);
        for n in 0..50u8 {
            push(&mut log, &[n; 20]);
            assert!(log.bytes <= 100);
            assert_eq!(log.bytes, log.requests.iter().map(size_of).sum::<usize>());
        }
        assert_eq!(log.requests.len(), 3, "28 bytes each");
        assert_eq!(log.requests.back().map(|r| r.body[0]), Some(49));
        // One larger than the whole log: the start of its body.
        push(&mut log, &[1; 500]);
        assert_eq!(log.requests.len(), 1);
        assert_eq!(log.requests[0].body.len(), 92);
        assert_eq!(log.bytes, 100);
    }
}
