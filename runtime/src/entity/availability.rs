//! Where an entity exists among the national clouds.

use crate::cloud::NationalCloud;

/// Where an entity exists: the national clouds whose metadata has its path, its type and every
/// property it declares, and for each other cloud the first part it lacks.
///
/// `Client::create` through a client of a cloud the entity does not exist in fails before
/// anything is sent, naming the missing part.
///
/// ```
/// use graph_entity_runtime::{NationalCloud, entity::Availability};
///
/// let todo = Availability::__new(0b011, &[(0b100, "path segment `todo`")]);
/// assert!(todo.check(NationalCloud::UsGovL4).is_ok());
/// assert_eq!(todo.check(NationalCloud::China), Err("path segment `todo`"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Availability {
    /// `1` global, `2` US Government (L4 and L5), `4` China.
    bits: u8,
    /// For each cloud bit it lacks, what is missing there.
    missing: &'static [(u8, &'static str)],
}

impl Availability {
    /// Every cloud: what nothing was checked against.
    pub const EVERYWHERE: Availability = Availability { bits: 0b111, missing: &[] };

    /// Not public API: the macro writes these from the metadata.
    #[doc(hidden)]
    pub const fn __new(bits: u8, missing: &'static [(u8, &'static str)]) -> Self {
        Self { bits, missing }
    }

    /// Whether the entity exists in `cloud`; the first part it lacks there, if it does not.
    ///
    /// # Errors
    ///
    /// The part of the declaration the cloud's metadata does not have, such as
    /// ``path segment `todo` ``.
    pub fn check(&self, cloud: NationalCloud) -> Result<(), &'static str> {
        let bit = match cloud {
            NationalCloud::Global => 1,
            NationalCloud::UsGovL4 | NationalCloud::UsGovL5Dod => 2,
            NationalCloud::China => 4,
        };
        if self.bits & bit != 0 {
            return Ok(());
        }
        Err(self.missing.iter().find(|(b, _)| b & bit != 0).map_or("the entity", |(_, what)| what))
    }
}
