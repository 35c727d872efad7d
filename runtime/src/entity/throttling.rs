//! The throttling limit an entity's writes count against: that of the Graph service it belongs
//! to, as Microsoft documents it.

use std::time::Duration;

/// The documented write limit of the service an entity belongs to, per application per tenant:
/// `writes` requests (`POST`, `PUT`, `PATCH`, `DELETE`, each `$batch` item counted) in any
/// `window`. The macro writes it from Microsoft's throttling-limits page
/// (`graph_entity_schema::throttling`) for the Intune services; a client with documented pacing
/// paces each service's writes apart, at its own limit.
///
/// ```
/// use graph_entity_runtime::GraphEntity;
///
/// // For the seed's user statuses: "100 writes in 20 s (Intune applications)".
/// fn budget<E: GraphEntity>() -> String {
///     match E::THROTTLING {
///         Some(limit) => format!(
///             "{} writes in {} s ({})",
///             limit.writes(),
///             limit.window().as_secs(),
///             limit.service()
///         ),
///         None => "no documented limit".to_owned(),
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Throttling {
    service: &'static str,
    writes: u32,
    window: Duration,
}

impl Throttling {
    /// Not public API: the macro writes these from the metadata.
    #[doc(hidden)]
    pub const fn __new(service: &'static str, writes: u32, window_seconds: u64) -> Self {
        Self { service, writes, window: Duration::from_secs(window_seconds) }
    }

    /// The service, as Microsoft's page names it: `Intune applications`.
    pub const fn service(&self) -> &'static str {
        self.service
    }

    /// The writes one application may send to the service in one tenant, in a window.
    pub const fn writes(&self) -> u32 {
        self.writes
    }

    /// The window.
    pub const fn window(&self) -> Duration {
        self.window
    }
}
