use expect_test::expect;

use super::*;

fn global() -> Generator<'static> {
    Generator::new(Schema::v1(), None)
}

#[test]
fn the_seed() {
    let source = global()
        .generate(&[Declaration::path(
            "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses",
        )])
        .unwrap();
    expect![[r#"
        use graph_entity::{DateTimeOffset, graph_entity, graph_enum};

        /// Contains properties, inherited properties and actions for an MDM mobile app configuration status
        /// for a user.
        ///
        /// Graph's `microsoft.graph.managedDeviceMobileAppConfigurationUserStatus`, created with `POST
        /// /deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses`.
        #[graph_entity(
            path = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses"
        )]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct ManagedDeviceMobileAppConfigurationUserStatus {
            /// The key, assigned by the service: `None` when creating.
            #[graph(key)]
            pub id: Option<String>,
            /// Devices count for that user.
            pub devices_count: Option<i32>,
            /// Last modified date time of the policy report.
            pub last_reported_date_time: Option<DateTimeOffset>,
            /// Compliance status of the policy report.
            pub status: Option<ComplianceStatus>,
            /// User name of the DevicePolicyStatus.
            pub user_display_name: Option<String>,
            /// UserPrincipalName.
            pub user_principal_name: Option<String>,
        }

        /// Graph's enum `microsoft.graph.complianceStatus`. A member added to Graph later reads as `Other`,
        /// kept as sent.
        #[graph_enum]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum ComplianceStatus {
            /// `unknown`
            Unknown,
            /// `notApplicable`
            NotApplicable,
            /// `compliant`
            Compliant,
            /// `remediated`
            Remediated,
            /// `nonCompliant`
            NonCompliant,
            /// `error`
            Error,
            /// `conflict`
            Conflict,
            /// `notAssigned`
            NotAssigned,
            /// A member this code does not know, as Graph sent it.
            #[graph(other)]
            Other(String),
        }
    "#]].assert_eq(&source);
}
