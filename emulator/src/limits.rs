//! Throttling as Microsoft documents it, rather than at random: sliding windows of the requests
//! accepted per application per tenant and per tenant, for writes (`POST`, `PUT`, `PATCH`,
//! `DELETE`) and for any request, each optional. [`Limits::intune`] has the numbers Intune
//! documents; [`Limits::none`] (the default) limits nothing.
//!
//! A window keeps the arrival times of the requests it accepted, at most as many as its limit,
//! and forgets each once its period has passed. A request that would take any of its windows
//! past the limit is answered `429 TooManyRequests` and is **not** counted in any window (a
//! client that backs off is not punished for its refused tries); its `Retry-After` says, in real
//! time, when every window it needs has room again ([`LimitsRetryAfter`]).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use graph_entity_schema::throttling::{self, Service};

use crate::bounded::Deadlines;
use crate::lock::lock;
use crate::retry_after::{LimitsRetryAfter, RetryAfter};

/// One window: at most `requests` accepted in any `period` (before the time scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The most requests accepted in a period: from 1 (`0` counts as 1) to
    /// [`Window::MAX_REQUESTS`] (more count as that many).
    pub requests: u32,
    /// The length of the window, in the service's time: [`Limits::time_scale`] shortens it in
    /// real time. At most a day (longer counts as a day); a zero period limits nothing.
    pub period: Duration,
}

impl Window {
    /// The largest limit of a window: one million requests (each accepted request it keeps costs
    /// a few bytes until its period has passed).
    pub const MAX_REQUESTS: u32 = 1_000_000;

    /// At most `requests` in any `period`.
    pub const fn new(requests: u32, period: Duration) -> Self {
        Self { requests, period }
    }

    /// The limit as enforced: from 1 to [`Window::MAX_REQUESTS`].
    fn limit(self) -> usize {
        // A `u32` fits in a `usize` on every platform the emulator builds for (32 and 64 bits).
        usize::try_from(self.requests.clamp(1, Self::MAX_REQUESTS)).unwrap_or(usize::MAX)
    }
}

/// Which requests share a set of windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LimitScope {
    /// One set of windows for every request (per application per tenant, and per tenant).
    #[default]
    Shared,
    /// A set of windows for each Intune service of
    /// [`graph_entity_schema::throttling`] (Microsoft's throttling-limits page lists the
    /// entity types of each): a request counts in the windows of the service of its path's
    /// entity type (or base type), else of the nearest entity above it on the path that has one
    /// (`deviceManagement` and `deviceAppManagement` themselves are listed, so every path under
    /// them has a service); a request of no Intune service (`/users`, `/groups` …) is not
    /// limited and counts in no window.
    PerService,
}

/// The four windows of a set: writes and any request, per application per tenant and per
/// tenant. `None` windows limit nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Windows {
    /// Writes per application per tenant.
    pub app_writes: Option<Window>,
    /// Writes per tenant, all applications together.
    pub tenant_writes: Option<Window>,
    /// Any request per application per tenant.
    pub app_requests: Option<Window>,
    /// Any request per tenant, all applications together.
    pub tenant_requests: Option<Window>,
}

impl Windows {
    /// The windows of an Intune service, as Microsoft documents them.
    pub fn documented(service: &Service) -> Self {
        let window = |requests| Some(Window::new(requests, service.window));
        Self {
            app_writes: window(service.writes.per_app_per_tenant),
            tenant_writes: window(service.writes.per_tenant),
            app_requests: window(service.any.per_app_per_tenant),
            tenant_requests: window(service.any.per_tenant),
        }
    }

    /// App writes, tenant writes, app requests, tenant requests.
    fn all(self) -> [Option<Window>; 4] {
        [self.app_writes, self.tenant_writes, self.app_requests, self.tenant_requests]
    }

    /// Whether no window is set.
    fn is_none(self) -> bool {
        self.all().iter().all(Option::is_none)
    }

    /// Each window's count multiplied by `factor` (a positive number) and rounded, from 1 to
    /// [`Window::MAX_REQUESTS`].
    fn scaled(self, factor: f64) -> Self {
        let max = f64::from(Window::MAX_REQUESTS);
        let scale = |window: Option<Window>| {
            window.map(|w| {
                let scaled = (f64::from(w.requests) * factor).round().clamp(1.0, max);
                // Whole and from 1 to `MAX_REQUESTS`: the conversion is exact.
                Window { requests: scaled as u32, ..w }
            })
        };
        Self {
            app_writes: scale(self.app_writes),
            tenant_writes: scale(self.tenant_writes),
            app_requests: scale(self.app_requests),
            tenant_requests: scale(self.tenant_requests),
        }
    }
}

impl std::fmt::Display for Windows {
    /// Such as `writes 100/20s per app, 200/20s per tenant; any 1000/20s per app, 2000/20s per
    /// tenant`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kinds = [
            ("writes", self.app_writes, self.tenant_writes),
            ("any", self.app_requests, self.tenant_requests),
        ];
        let mut first = true;
        for (kind, app, tenant) in kinds {
            let windows: Vec<String> = [(app, "app"), (tenant, "tenant")]
                .into_iter()
                .filter_map(|(w, per)| {
                    w.map(|w| format!("{}/{:?} per {per}", w.requests, w.period))
                })
                .collect();
            if !windows.is_empty() {
                write!(f, "{}{kind} {}", if first { "" } else { "; " }, windows.join(", "))?;
                first = false;
            }
        }
        Ok(())
    }
}

/// The windows of a service that differ from the [`Limits`]' own (with [`LimitScope::PerService`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceLimits {
    /// The service, as [`graph_entity_schema::throttling`] names it: `Intune devices`.
    pub service: String,
    /// Its windows.
    pub windows: Windows,
}

/// The service's documented throttling limits: sliding windows per application per tenant and
/// per tenant (all applications), for writes and for any request. `None` windows limit nothing.
///
/// The four windows here are those of every request ([`LimitScope::Shared`], the default), or those
/// of each Intune service ([`LimitScope::PerService`]) but for the [`services`](Limits::services)
/// with windows of their own: each service then has its own set, per application per tenant and
/// per tenant.
///
/// What counts:
///
/// - every Graph call made with a valid token, by the application the token was issued to
///   (tokens of [`RunningEmulator::issue_token`](crate::RunningEmulator::issue_token) belong to
///   [`DEFAULT_CLIENT_ID`](crate::DEFAULT_CLIENT_ID)); calls without one are answered `401` and
///   count nowhere;
/// - `POST`, `PUT`, `PATCH` and `DELETE` in the write windows and the request windows; any other
///   method in the request windows only;
/// - each request inside a `$batch` on its own, as Microsoft documents: each can be refused with
///   its own `429` and `Retry-After` while the others succeed. The outer `POST /$batch` itself
///   counts in no window (neither as a write nor as a request) and is never refused by the
///   limits: Microsoft documents the evaluation of each request, not a cost of the envelope;
/// - never the token endpoint;
/// - never a refused request: a `429` of the limits takes no room in any window.
///
/// The limits apply before the injected [`Faults`](crate::Faults): a request they accept counts
/// even if a fault then answers it.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Writes per application per tenant.
    pub app_writes: Option<Window>,
    /// Writes per tenant, all applications together.
    pub tenant_writes: Option<Window>,
    /// Any request per application per tenant.
    pub app_requests: Option<Window>,
    /// Any request per tenant, all applications together.
    pub tenant_requests: Option<Window>,
    /// Which requests share a set of windows.
    pub scope: LimitScope,
    /// Services whose windows differ from the four above (with [`LimitScope::PerService`]; ignored
    /// otherwise).
    pub services: Vec<ServiceLimits>,
    /// How much faster than real time the windows run: `100.0` makes a 20 s window last 200 ms.
    /// From [`Limits::MIN_TIME_SCALE`] to [`Limits::MAX_TIME_SCALE`] (values outside are taken as
    /// the nearest bound; zero, negative and NaN as `1.0`). `Retry-After` is in real time.
    pub time_scale: f64,
    /// What refused answers say about when to come back.
    pub retry_after: LimitsRetryAfter,
}

impl Default for Limits {
    /// [`Limits::none`].
    fn default() -> Self {
        Self::none()
    }
}

impl Limits {
    /// The smallest time scale: a thousand times slower than real time.
    pub const MIN_TIME_SCALE: f64 = 0.001;
    /// The largest time scale: a million times faster than real time.
    pub const MAX_TIME_SCALE: f64 = 1_000_000.0;

    /// No limits: nothing is refused (only the random throttling of [`Faults`](crate::Faults)).
    pub fn none() -> Self {
        Self {
            app_writes: None,
            tenant_writes: None,
            app_requests: None,
            tenant_requests: None,
            scope: LimitScope::Shared,
            services: Vec::new(),
            time_scale: 1.0,
            retry_after: LimitsRetryAfter::default(),
        }
    }

    /// Intune's documented limits, per service ([`LimitScope::PerService`]), from Microsoft's
    /// throttling-limits page as [`graph_entity_schema::throttling`] holds it: 27 of its 28
    /// services allow `POST`, `PUT`, `PATCH` and `DELETE` 100 requests / 20 s per app per tenant
    /// and 200 / 20 s per tenant, any request 1000 / 20 s per app per tenant and 2000 / 20 s per
    /// tenant (the four windows here); the devices service (managed devices, scripts, user
    /// experience analytics …) twice as many (in [`services`](Limits::services)). Each service
    /// has windows of its own; a request of no Intune service is not limited. In real time,
    /// whole-second `Retry-After`.
    pub fn intune() -> Self {
        let services = throttling::SERVICES;
        // The windows most services share: the applications service's (user statuses').
        let common = services
            .iter()
            .find(|s| s.name == "Intune applications")
            .map(Windows::documented)
            .unwrap_or_default();
        let own = services
            .iter()
            .map(|s| ServiceLimits { service: s.name.to_owned(), windows: Windows::documented(s) })
            .filter(|s| s.windows != common)
            .collect();
        Self { scope: LimitScope::PerService, services: own, ..Self::none() }.with_windows(common)
    }

    /// With these four windows.
    fn with_windows(self, windows: Windows) -> Self {
        let Windows { app_writes, tenant_writes, app_requests, tenant_requests } = windows;
        Self { app_writes, tenant_writes, app_requests, tenant_requests, ..self }
    }

    /// The four windows of every request ([`LimitScope::Shared`]), or of each service without windows
    /// of its own ([`LimitScope::PerService`]).
    pub fn windows(&self) -> Windows {
        Windows {
            app_writes: self.app_writes,
            tenant_writes: self.tenant_writes,
            app_requests: self.app_requests,
            tenant_requests: self.tenant_requests,
        }
    }

    /// The windows a request of `service` (by name; `None` for a request of no Intune service)
    /// counts in, and the name its windows are kept under; `None` when it is not limited.
    fn windows_of<'s>(&'s self, service: Option<&'s str>) -> Option<(Windows, &'s str)> {
        match self.scope {
            LimitScope::Shared => Some((self.windows(), "")),
            LimitScope::PerService => {
                let name = service?;
                let own = self.services.iter().find(|s| s.service == name);
                Some((own.map_or(self.windows(), |s| s.windows), name))
            }
        }
    }

    /// With this time scale: `100.0` runs the windows a hundred times faster than real time.
    pub fn time_scale(mut self, scale: f64) -> Self {
        self.time_scale = scale;
        self
    }

    /// With this `Retry-After` mode.
    pub fn retry_after(mut self, mode: LimitsRetryAfter) -> Self {
        self.retry_after = mode;
        self
    }

    /// With every window's count multiplied by `factor` and rounded (`0.5` halves them), the
    /// services' own windows included, each at least 1 and at most [`Window::MAX_REQUESTS`]. A
    /// factor that is not a positive number leaves the limits as they are.
    pub fn scaled(mut self, factor: f64) -> Self {
        if !(factor.is_finite() && factor > 0.0) {
            return self;
        }
        for service in &mut self.services {
            service.windows = service.windows.scaled(factor);
        }
        let windows = self.windows().scaled(factor);
        self.with_windows(windows)
    }

    /// Whether no window is set.
    pub fn is_none(&self) -> bool {
        self.windows().is_none()
            && (self.scope == LimitScope::Shared
                || self.services.iter().all(|s| s.windows.is_none()))
    }

    /// The time scale as applied.
    fn scale(&self) -> f64 {
        if self.time_scale > 0.0 {
            self.time_scale.clamp(Self::MIN_TIME_SCALE, Self::MAX_TIME_SCALE)
        } else {
            // Zero, negative and NaN.
            1.0
        }
    }

    /// How long `window` lasts in real time: its period divided by the time scale, at most a day.
    pub fn real_period(&self, window: Window) -> Duration {
        let day = Duration::from_secs(RetryAfter::MAX_SECONDS);
        let seconds = window.period.min(day).as_secs_f64() / self.scale();
        Duration::try_from_secs_f64(seconds).unwrap_or(day).min(day)
    }
}

impl std::fmt::Display for Limits {
    /// Such as `writes 100/20s per app, 200/20s per tenant; any 1000/20s per app, 2000/20s per
    /// tenant, per Intune service (Intune devices: writes 200/20s per app, …); time scale 100;
    /// Retry-After seconds`, or `none`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_none() {
            return f.write_str("none");
        }
        write!(f, "{}", self.windows())?;
        if self.scope == LimitScope::PerService {
            f.write_str(", per Intune service")?;
            let own: Vec<String> =
                self.services.iter().map(|s| format!("{}: {}", s.service, s.windows)).collect();
            if !own.is_empty() {
                write!(f, " ({})", own.join("; "))?;
            }
        }
        write!(f, "; time scale {}; Retry-After {}", self.scale(), self.retry_after)
    }
}

impl std::str::FromStr for Limits {
    type Err = String;

    /// `intune` ([`Limits::intune`]) or `none` ([`Limits::none`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "intune" => Ok(Self::intune()),
            "none" => Ok(Self::none()),
            _ => Err(format!("`{s}` is not a set of limits: use `intune` or `none`")),
        }
    }
}

/// How many requests the [`Limits`] refused and accepted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThrottleCounts {
    /// Requests (not inside a `$batch`) answered `429` by the limits.
    pub throttled_requests: u64,
    /// Requests inside a `$batch` answered `429` by the limits.
    pub throttled_batch_items: u64,
    /// Writes (`POST`, `PUT`, `PATCH`, `DELETE`, also inside a `$batch`) that the limits let
    /// through, whatever the service then answered. Counted with no limits too.
    pub accepted_writes: u64,
    /// Requests of any method the limits let through (writes included; the outer `$batch`
    /// request and the token endpoint not). Counted with no limits too.
    pub accepted_requests: u64,
}

impl ThrottleCounts {
    /// Every `429` of the limits, `$batch` items included.
    pub fn throttled(&self) -> u64 {
        self.throttled_requests + self.throttled_batch_items
    }
}

/// The arrival times of the requests a key's windows accepted, oldest first.
#[derive(Default)]
struct Arrivals {
    writes: VecDeque<Instant>,
    requests: VecDeque<Instant>,
}

impl Arrivals {
    fn newest(&self) -> Option<Instant> {
        self.writes.back().copied().max(self.requests.back().copied())
    }
}

/// The limits in force and the arrivals their windows hold.
struct State {
    limits: Limits,
    /// By tenant, application and service.
    apps: Deadlines<Arrivals>,
    /// By tenant and service.
    tenants: Deadlines<Arrivals>,
    /// The cap of each map.
    keys: usize,
}

/// A request the limits look at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Arrival<'a> {
    pub(crate) tenant: &'a str,
    /// The application its token was issued to.
    pub(crate) app: &'a str,
    /// The Intune service of its path, if any (looked at with [`LimitScope::PerService`]).
    pub(crate) service: Option<&'a str>,
    /// `POST`, `PUT`, `PATCH` or `DELETE`.
    pub(crate) write: bool,
    /// Run from inside a `$batch`.
    pub(crate) batch_item: bool,
}

/// The limits in force and the windows of what they accepted: one lock, so that a request is
/// checked against all its windows and counted in all of them at once.
pub(crate) struct Limiter {
    state: Mutex<State>,
    throttled_requests: AtomicU64,
    throttled_batch_items: AtomicU64,
    accepted_writes: AtomicU64,
    accepted_requests: AtomicU64,
}

impl Limiter {
    /// Enforces `limits`, tracking at most `keys` (tenant, application, service) windows and
    /// `keys` (tenant, service) ones: past that, those whose windows would empty soonest are
    /// forgotten (and get fresh windows).
    pub(crate) fn new(limits: Limits, keys: usize) -> Self {
        Self {
            state: Mutex::new(State {
                limits,
                apps: Deadlines::new(keys),
                tenants: Deadlines::new(keys),
                keys,
            }),
            throttled_requests: AtomicU64::new(0),
            throttled_batch_items: AtomicU64::new(0),
            accepted_writes: AtomicU64::new(0),
            accepted_requests: AtomicU64::new(0),
        }
    }

    pub(crate) fn limits(&self) -> Limits {
        lock(&self.state).limits.clone()
    }

    /// Whether the windows are kept per Intune service (the service of a request then matters).
    pub(crate) fn per_service(&self) -> bool {
        lock(&self.state).limits.scope == LimitScope::PerService
    }

    /// Replaces the limits, from the next request on. The windows keep the arrival times they
    /// hold: a smaller limit refuses until they have drained below it.
    pub(crate) fn set(&self, limits: Limits) {
        let mut state = lock(&self.state);
        if limits.is_none() {
            // Nothing is checked any more, so nothing would be forgotten as it is checked.
            state.apps = Deadlines::new(state.keys);
            state.tenants = Deadlines::new(state.keys);
        }
        state.limits = limits;
    }

    /// Scales the count of every window (see [`Limits::scaled`]).
    pub(crate) fn scale(&self, factor: f64) {
        let mut state = lock(&self.state);
        state.limits = state.limits.clone().scaled(factor);
    }

    pub(crate) fn counts(&self) -> ThrottleCounts {
        ThrottleCounts {
            throttled_requests: self.throttled_requests.load(Ordering::Relaxed),
            throttled_batch_items: self.throttled_batch_items.load(Ordering::Relaxed),
            accepted_writes: self.accepted_writes.load(Ordering::Relaxed),
            accepted_requests: self.accepted_requests.load(Ordering::Relaxed),
        }
    }

    /// Checks a request against the limits: `Ok` (counted in its windows), or the `Retry-After`
    /// value of its `429` (counted nowhere but in the throttled counts).
    pub(crate) fn admit(&self, arrival: Arrival<'_>) -> Result<(), Option<String>> {
        let verdict = self.check(arrival);
        match &verdict {
            Ok(()) => {
                self.accepted_requests.fetch_add(1, Ordering::Relaxed);
                if arrival.write {
                    self.accepted_writes.fetch_add(1, Ordering::Relaxed);
                }
            }
            Err(_) if arrival.batch_item => {
                self.throttled_batch_items.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {
                self.throttled_requests.fetch_add(1, Ordering::Relaxed);
            }
        }
        verdict
    }

    fn check(&self, arrival: Arrival<'_>) -> Result<(), Option<String>> {
        let Arrival { tenant, app, service, write, .. } = arrival;
        let mut guard = lock(&self.state);
        // Under the lock, so that arrival times are pushed in order.
        let now = Instant::now();
        let State { limits, apps, tenants, .. } = &mut *guard;
        if limits.is_none() {
            return Ok(());
        }
        let Some((windows, service)) = limits.windows_of(service) else {
            // Of no Intune service, with windows per service: not limited.
            return Ok(());
        };
        let real = |window: Option<Window>| window.map(|w| (w.limit(), limits.real_period(w)));
        let [app_writes, tenant_writes, app_requests, tenant_requests] = windows.all().map(real);
        let longest = [app_writes, tenant_writes, app_requests, tenant_requests]
            .into_iter()
            .flatten()
            .map(|(_, p)| p)
            .max();
        apps.purge(now);
        tenants.purge(now);
        let app_key = format!("{tenant}\u{0}{app}\u{0}{service}");
        let tenant_key = format!("{tenant}\u{0}{service}");
        let mut by_app = apps.remove(&app_key).map(|(_, a)| a).unwrap_or_default();
        let mut by_tenant = tenants.remove(&tenant_key).map(|(_, a)| a).unwrap_or_default();

        let mut checks = [
            (&mut by_app.writes, app_writes, write),
            (&mut by_tenant.writes, tenant_writes, write),
            (&mut by_app.requests, app_requests, true),
            (&mut by_tenant.requests, tenant_requests, true),
        ];
        let mut wait: Option<Duration> = None;
        for (arrivals, window, applies) in &mut checks {
            let Some((limit, period)) = *window else {
                // A window no longer set forgets what it held.
                arrivals.clear();
                continue;
            };
            while arrivals.front().and_then(|t| t.checked_add(period)).is_some_and(|end| end <= now)
            {
                arrivals.pop_front();
            }
            if *applies && arrivals.len() >= limit {
                // Room comes when all but `limit - 1` of the arrivals have left the window.
                let room = arrivals
                    .get(arrivals.len() - limit)
                    .and_then(|t| t.checked_add(period))
                    .map_or(period, |end| end.saturating_duration_since(now));
                wait = Some(wait.map_or(room, |w| w.max(room)));
            }
        }
        if wait.is_none() {
            for (arrivals, window, applies) in &mut checks {
                if *applies && window.is_some() {
                    arrivals.push_back(now);
                }
            }
        }
        let longest = longest.unwrap_or_default();
        for (map, key, arrivals) in [(apps, app_key, by_app), (tenants, tenant_key, by_tenant)] {
            // Kept until its newest arrival leaves the longest window.
            if let Some(deadline) = arrivals.newest().and_then(|t| t.checked_add(longest)) {
                map.insert(key, deadline, arrivals);
            }
        }
        match wait {
            None => Ok(()),
            Some(wait) => Err(limits.retry_after.header(wait)),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn window(requests: u32, millis: u64) -> Option<Window> {
        Some(Window::new(requests, Duration::from_millis(millis)))
    }

    fn admit(
        limiter: &Limiter,
        tenant: &str,
        app: &str,
        write: bool,
        batch_item: bool,
    ) -> Result<(), Option<String>> {
        limiter.admit(Arrival { tenant, app, service: None, write, batch_item })
    }

    fn only(app_writes: Option<Window>, app_requests: Option<Window>) -> Limits {
        Limits { app_writes, app_requests, ..Limits::none() }
    }

    #[test]
    fn parses_modes_and_presets() {
        for mode in
            [LimitsRetryAfter::Seconds, LimitsRetryAfter::Fractional, LimitsRetryAfter::Omitted]
        {
            assert_eq!(mode.to_string().parse::<LimitsRetryAfter>(), Ok(mode));
        }
        assert!("2".parse::<LimitsRetryAfter>().is_err());
        assert_eq!("intune".parse::<Limits>(), Ok(Limits::intune()));
        assert_eq!("none".parse::<Limits>(), Ok(Limits::none()));
        assert!("Intune".parse::<Limits>().is_err());
        assert!(Limits::none().is_none() && !Limits::intune().is_none());
        assert_eq!(Limits::default(), Limits::none());
        assert_eq!(Limits::none().to_string(), "none");
        assert_eq!(
            Limits::intune().time_scale(100.0).to_string(),
            "writes 100/20s per app, 200/20s per tenant; any 1000/20s per app, 2000/20s per \
             tenant, per Intune service (Intune devices: writes 200/20s per app, 400/20s per \
             tenant; any 2000/20s per app, 4000/20s per tenant); time scale 100; Retry-After \
             seconds"
        );
        let shared = Limits { app_writes: window(3, 1000), ..Limits::none() };
        assert_eq!(shared.to_string(), "writes 3/1s per app; time scale 1; Retry-After seconds");
    }

    #[test]
    fn time_scale_and_odd_values() {
        let twenty = Window::new(100, Duration::from_secs(20));
        assert_eq!(
            Limits::intune().time_scale(100.0).real_period(twenty),
            Duration::from_millis(200)
        );
        assert_eq!(Limits::intune().real_period(twenty), Duration::from_secs(20));
        for odd in [0.0, -5.0, f64::NAN, -0.0, f64::NEG_INFINITY] {
            assert_eq!(
                Limits::intune().time_scale(odd).real_period(twenty),
                Duration::from_secs(20)
            );
        }
        let day = Duration::from_secs(86_400);
        let slowest = Limits::intune().time_scale(1e-300).real_period(twenty);
        assert_eq!(slowest, Duration::from_secs(20_000), "the smallest scale");
        let long = Window::new(1, day);
        assert_eq!(Limits::none().time_scale(0.5).real_period(long), day, "at most a day");
        let huge = Window::new(1, Duration::MAX);
        assert_eq!(Limits::none().real_period(huge), day);
        assert!(Limits::none().time_scale(f64::INFINITY).real_period(twenty) > Duration::ZERO);
        assert_eq!(Window::new(0, Duration::ZERO).limit(), 1);
        assert_eq!(Window::new(u32::MAX, Duration::ZERO).limit(), 1_000_000);
    }

    #[test]
    fn scaling_the_counts() {
        let half = Limits::intune().scaled(0.5);
        assert_eq!(half.app_writes, Some(Window::new(50, Duration::from_secs(20))));
        assert_eq!(half.tenant_requests.map(|w| w.requests), Some(1000));
        assert_eq!(Limits::intune().scaled(1e-9).app_writes.map(|w| w.requests), Some(1));
        assert_eq!(Limits::intune().scaled(1e300).app_writes.map(|w| w.requests), Some(1_000_000));
        for odd in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(Limits::intune().scaled(odd), Limits::intune(), "{odd}");
        }
        assert_eq!(Limits::none().scaled(0.5), Limits::none());
    }

    #[test]
    fn a_full_window_refuses_without_counting_and_slides() {
        // The checks must run within one window: a run the machine slowed past it proves
        // nothing and is run again with a window ten times as long.
        for millis in [150, 1_500, 15_000] {
            if full_window_refuses_and_slides(millis) {
                return;
            }
        }
        panic!("the machine was too slow to tell at every window");
    }

    /// `false` when the machine was too slow for a window of `millis` to tell.
    fn full_window_refuses_and_slides(millis: u64) -> bool {
        let window_length = Duration::from_millis(millis);
        let limiter = Limiter::new(
            only(window(3, millis), None).retry_after(LimitsRetryAfter::Fractional),
            100,
        );
        let started = std::time::Instant::now();
        let first: Vec<_> = (0..3).map(|_| admit(&limiter, "t", "a", true, false)).collect();
        let fourth = admit(&limiter, "t", "a", true, false);
        // Reads are not writes; another app has its own window.
        let read = admit(&limiter, "t", "a", false, false);
        let other_app = admit(&limiter, "t", "b", true, false);
        let batch_item = admit(&limiter, "t", "a", true, true);
        if started.elapsed() >= window_length {
            return false;
        }
        assert!(first.iter().all(|r| *r == Ok(())), "{first:?}");
        let Err(Some(wait)) = fourth else { panic!("{fourth:?}") };
        let wait: f64 = wait.parse().unwrap();
        assert!(wait > 0.0 && wait <= window_length.as_secs_f64(), "{wait}");
        assert_eq!((read, other_app), (Ok(()), Ok(())));
        assert!(batch_item.is_err());
        let counts = limiter.counts();
        assert_eq!((counts.throttled_requests, counts.throttled_batch_items), (1, 1));
        assert_eq!((counts.accepted_writes, counts.accepted_requests), (4, 5));
        std::thread::sleep(window_length + window_length / 3);
        let slid = std::time::Instant::now();
        let again: Vec<_> = (0..4).map(|_| admit(&limiter, "t", "a", true, false)).collect();
        if slid.elapsed() >= window_length {
            return false;
        }
        assert!(again[..3].iter().all(|r| *r == Ok(())), "the window slid: {again:?}");
        assert!(again[3].is_err());
        true
    }

    #[test]
    fn the_tenant_window_holds_all_apps_and_the_longest_wait_is_answered() {
        let limits = Limits {
            tenant_writes: window(4, 60_000),
            app_requests: window(100, 1_000),
            ..Limits::none()
        };
        let limiter = Limiter::new(limits, 100);
        for app in ["a", "b", "a", "b"] {
            assert_eq!(admit(&limiter, "t", app, true, false), Ok(()));
        }
        assert_eq!(admit(&limiter, "t", "c", true, false), Err(Some("60".into())));
        assert_eq!(admit(&limiter, "other", "c", true, false), Ok(()), "another tenant");
        assert_eq!(admit(&limiter, "t", "c", false, false), Ok(()), "reads are not writes");
    }

    #[test]
    fn new_limits_apply_to_the_next_request() {
        let limiter = Limiter::new(only(window(4, 60_000), None), 100);
        for _ in 0..2 {
            assert_eq!(admit(&limiter, "t", "a", true, false), Ok(()));
        }
        limiter.scale(0.5);
        assert_eq!(limiter.limits().app_writes.map(|w| w.requests), Some(2));
        assert!(admit(&limiter, "t", "a", true, false).is_err(), "halved");
        limiter.set(Limits::none());
        assert_eq!(admit(&limiter, "t", "a", true, false), Ok(()));
        limiter.set(only(window(1, 60_000), None));
        assert_eq!(admit(&limiter, "t", "a", true, false), Ok(()), "a cleared window starts empty");
        assert!(admit(&limiter, "t", "a", true, false).is_err());
    }

    #[test]
    fn tracked_apps_are_bounded() {
        let limiter = Limiter::new(only(window(1, 60_000), None), 5);
        for n in 0..50 {
            assert_eq!(admit(&limiter, "t", &n.to_string(), true, false), Ok(()));
            let windows = lock(&limiter.state);
            assert!(windows.apps.len() <= 5 && windows.tenants.len() <= 5);
        }
        // The latest five are remembered (the oldest were forgotten, with their windows).
        assert!(admit(&limiter, "t", "49", true, false).is_err());
        assert_eq!(admit(&limiter, "t", "0", true, false), Ok(()));
    }

    #[test]
    fn windows_are_forgotten_once_empty() {
        let limiter = Limiter::new(only(window(10, 20), window(10, 30)), 100);
        for n in 0..20 {
            let _ = admit(&limiter, "t", &n.to_string(), n % 2 == 0, false);
        }
        std::thread::sleep(Duration::from_millis(40));
        let _ = admit(&limiter, "t", "last", false, false);
        let windows = lock(&limiter.state);
        assert_eq!(windows.apps.len(), 1, "only the last app");
        assert_eq!(windows.tenants.len(), 0, "no tenant window is set");
    }

    #[test]
    fn intune_has_each_services_documented_windows() {
        let intune = Limits::intune();
        assert_eq!(intune.scope, LimitScope::PerService);
        let common = Windows {
            app_writes: Some(Window::new(100, Duration::from_secs(20))),
            tenant_writes: Some(Window::new(200, Duration::from_secs(20))),
            app_requests: Some(Window::new(1000, Duration::from_secs(20))),
            tenant_requests: Some(Window::new(2000, Duration::from_secs(20))),
        };
        assert_eq!(intune.windows(), common);
        for service in throttling::SERVICES {
            let (windows, name) = intune.windows_of(Some(service.name)).unwrap();
            assert_eq!(windows, Windows::documented(service), "{}", service.name);
            assert_eq!(name, service.name);
        }
        assert_eq!(intune.services.len(), 1, "only the devices service differs");
        assert_eq!(intune.windows_of(None), None, "no service, no limit");
        let half = intune.scaled(0.5);
        assert_eq!(half.services[0].windows.app_writes.map(|w| w.requests), Some(100));
        assert_eq!(half.app_writes.map(|w| w.requests), Some(50));
        assert!(!half.is_none());
        let shared = Limits { app_writes: window(3, 1000), ..Limits::none() };
        assert_eq!(shared.windows_of(Some("Intune devices")).map(|(_, n)| n), Some(""));
    }

    #[test]
    fn each_service_has_windows_of_its_own() {
        let limits = Limits {
            services: vec![ServiceLimits {
                service: "big".into(),
                windows: Windows { app_writes: window(4, 60_000), ..Windows::default() },
            }],
            scope: LimitScope::PerService,
            ..only(window(2, 60_000), None)
        };
        let limiter = Limiter::new(limits, 100);
        let write = |service: Option<&'static str>, app: &'static str| {
            limiter.admit(Arrival { tenant: "t", app, service, write: true, batch_item: false })
        };
        for _ in 0..2 {
            assert_eq!(write(Some("small"), "a"), Ok(()));
        }
        assert!(write(Some("small"), "a").is_err(), "its own window is full");
        assert_eq!(write(Some("other"), "a"), Ok(()), "another service has its own");
        for _ in 0..4 {
            assert_eq!(write(Some("big"), "a"), Ok(()));
        }
        assert!(write(Some("big"), "a").is_err());
        assert_eq!(write(Some("small"), "b"), Ok(()), "another application has its own");
        for _ in 0..10 {
            assert_eq!(write(None, "a"), Ok(()), "no service: not limited");
        }
        assert_eq!(limiter.counts().accepted_writes, 18, "counted all the same");
    }
}
