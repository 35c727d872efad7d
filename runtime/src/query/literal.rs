//! Values as OData literals in a `$filter` (what a [`Field`](super::Field) is compared with) and
//! in a function's parameters.

use std::fmt::Write as _;

use crate::wire::member::GraphEnum;
use crate::wire::{Base64, Date, DateTimeOffset, Duration, Guid, TimeOfDay};

/// A value as an OData literal in a `$filter` or a function's parameters: strings and enum
/// members quoted (`'it''s'`), numbers, booleans, dates, times and GUIDs as they are, durations
/// and binary values with their prefix (`duration'PT1H'`, `binary'aGk'`).
pub trait FilterValue {
    /// Appends the literal to `out`.
    fn write_literal(&self, out: &mut String);
}

impl FilterValue for str {
    fn write_literal(&self, out: &mut String) {
        out.push('\'');
        out.push_str(&self.replace('\'', "''"));
        out.push('\'');
    }
}

impl FilterValue for String {
    fn write_literal(&self, out: &mut String) {
        self.as_str().write_literal(out);
    }
}

impl FilterValue for bool {
    fn write_literal(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! display_literal {
    ($($ty:ty),*) => {$(
        impl FilterValue for $ty {
            fn write_literal(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}

display_literal!(u8, i8, i16, i32, i64, DateTimeOffset, Date, TimeOfDay, Guid);

impl FilterValue for f32 {
    fn write_literal(&self, out: &mut String) {
        f64::from(*self).write_literal(out);
    }
}

impl FilterValue for f64 {
    fn write_literal(&self, out: &mut String) {
        if self.is_nan() {
            out.push_str("NaN");
        } else if self.is_infinite() {
            out.push_str(if *self > 0.0 { "INF" } else { "-INF" });
        } else {
            // `1` would read as an integer: keep the float form JSON has (`1.0`).
            let _ = write!(out, "{}", serde_json::Value::from(*self));
        }
    }
}

impl FilterValue for Duration {
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "duration'{self}'");
    }
}

impl<T: GraphEnum> FilterValue for T {
    fn write_literal(&self, out: &mut String) {
        self.as_str().write_literal(out);
    }
}

impl FilterValue for Base64 {
    fn write_literal(&self, out: &mut String) {
        use base64::Engine as _;
        // OData's binary literal is base64url (ABNF `binaryValue`).
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.as_bytes());
        let _ = write!(out, "binary'{encoded}'");
    }
}
