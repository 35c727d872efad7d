//! Graph's enum types on the wire: members as camelCase strings, and the members added after
//! the code was written kept as read.

/// A Microsoft Graph enum type declared with `#[graph_enum]`.
///
/// Graph writes members as camelCase strings and adds members over time: a member this code does
/// not know is kept, as read, in the enum's `#[graph(other)]` variant and written back unchanged.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[graph_enum]`: the property is a Graph enum",
    label = "declare this type with `#[graph_enum]`"
)]
pub trait GraphEnum: Sized {
    /// The enum's qualified Graph name, such as `microsoft.graph.complianceStatus`: checked
    /// against the property a field of this type declares.
    const GRAPH_NAME: &'static str;

    /// The known member strings, in declaration order.
    const MEMBERS: &'static [&'static str];

    /// The known member with this string.
    fn from_member(member: &str) -> Option<Self>;

    /// The catch-all value for a string that is not a known member.
    fn from_unknown(member: String) -> Self;

    /// The member string.
    fn as_str(&self) -> &str;
}
