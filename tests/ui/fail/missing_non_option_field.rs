use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;

// A field that is not an `Option` is required: the compiler enforces it.
fn main() {
    let _ = Status {
        id: None,
        user_display_name: Some("a".into()),
        user_principal_name: Some("a@contoso.com".into()),
        status: graph_entity::intune::ComplianceStatus::Compliant,
    };
}
