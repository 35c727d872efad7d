/// The compliance status of a policy report: Graph's `microsoft.graph.complianceStatus`.
///
/// Graph's enums gain members over time: a member this version does not know reads as
/// [`Other`](Self::Other) with the string as sent, and is written back unchanged.
///
/// ```
/// use graph_entity::intune::ComplianceStatus;
///
/// let status: ComplianceStatus = serde_json::from_str(r#""notApplicable""#)?;
/// assert_eq!(status, ComplianceStatus::NotApplicable);
/// let newer: ComplianceStatus = serde_json::from_str(r#""pendingReboot""#)?;
/// assert_eq!(newer, ComplianceStatus::Other("pendingReboot".into()));
/// assert_eq!(serde_json::to_string(&newer)?, r#""pendingReboot""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
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
    /// A member this version does not know, as Graph sent it.
    Other(String),
}
#[doc(hidden)]
#[allow(
    non_upper_case_globals,
    unused_qualifications,
    clippy::needless_lifetimes,
    clippy::used_underscore_binding
)]
const _: () = {
    #[automatically_derived]
    impl crate::GraphEnum for ComplianceStatus {
        const GRAPH_NAME: &'static str = "microsoft.graph.complianceStatus";
        const MEMBERS: &'static [&'static str] = &[
            "unknown",
            "notApplicable",
            "compliant",
            "remediated",
            "nonCompliant",
            "error",
            "conflict",
            "notAssigned",
        ];
        fn from_member(__member: &str) -> crate::__private::Option<Self> {
            match __member {
                "unknown" => crate::__private::Some(Self::Unknown),
                "notApplicable" => crate::__private::Some(Self::NotApplicable),
                "compliant" => crate::__private::Some(Self::Compliant),
                "remediated" => crate::__private::Some(Self::Remediated),
                "nonCompliant" => crate::__private::Some(Self::NonCompliant),
                "error" => crate::__private::Some(Self::Error),
                "conflict" => crate::__private::Some(Self::Conflict),
                "notAssigned" => crate::__private::Some(Self::NotAssigned),
                _ => crate::__private::None,
            }
        }
        fn from_unknown(__unknown: crate::__private::String) -> Self {
            Self::Other((crate::__private::other::<String>().build)(__unknown))
        }
        fn as_str(&self) -> &str {
            match self {
                Self::Unknown => "unknown",
                Self::NotApplicable => "notApplicable",
                Self::Compliant => "compliant",
                Self::Remediated => "remediated",
                Self::NonCompliant => "nonCompliant",
                Self::Error => "error",
                Self::Conflict => "conflict",
                Self::NotAssigned => "notAssigned",
                Self::Other(__unknown) => {
                    (crate::__private::other::<String>().get)(__unknown)
                }
            }
        }
    }
    #[automatically_derived]
    impl crate::__private::serde::Serialize for ComplianceStatus {
        fn serialize<__S>(
            &self,
            __serializer: __S,
        ) -> crate::__private::Result<__S::Ok, __S::Error>
        where
            __S: crate::__private::serde::Serializer,
        {
            __serializer.serialize_str(<Self as crate::GraphEnum>::as_str(self))
        }
    }
    #[automatically_derived]
    impl<'de> crate::__private::serde::Deserialize<'de> for ComplianceStatus {
        fn deserialize<__D>(
            __deserializer: __D,
        ) -> crate::__private::Result<Self, __D::Error>
        where
            __D: crate::__private::serde::Deserializer<'de>,
        {
            crate::__private::deserialize_enum(__deserializer)
        }
    }
};
/// The status of an MDM mobile app configuration for one user: Graph's
/// `microsoft.graph.managedDeviceMobileAppConfigurationUserStatus`.
///
/// Created with `POST /deviceAppManagement/mobileAppConfigurations/{id}/userStatuses`
/// (permission `DeviceManagementApps.ReadWrite.All`), in every national cloud.
///
/// ```
/// use graph_entity::DateTimeOffset;
/// use graph_entity::intune::{ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus};
/// use graph_entity::prelude::*;
///
/// let status = ManagedDeviceMobileAppConfigurationUserStatus {
///     id: None,
///     user_display_name: Some("User Display Name value".into()),
///     devices_count: 12,
///     status: ComplianceStatus::NotApplicable,
///     last_reported_date_time: "2017-01-01T00:00:17.7769392-08:00".parse()?,
///     user_principal_name: Some("User Principal Name value".into()),
/// };
/// assert!(status.validate().is_ok());
/// assert!(serde_json::to_string(&status)?.starts_with(
///     r##"{"@odata.type":"#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus","userDisplayName""##
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedDeviceMobileAppConfigurationUserStatus {
    /// The key, assigned by the service: `None` when creating.
    pub id: Option<String>,
    /// User name of the DevicePolicyStatus. Required when creating; may be `null` when read.
    pub user_display_name: Option<String>,
    /// Devices count for that user (`Edm.Int32`).
    pub devices_count: i32,
    /// Compliance status of the policy report.
    pub status: ComplianceStatus,
    /// Last modified date time of the policy report.
    pub last_reported_date_time: DateTimeOffset,
    /// UserPrincipalName. Required when creating; may be `null` when read.
    pub user_principal_name: Option<String>,
}
#[doc(hidden)]
#[allow(
    non_upper_case_globals,
    unused_qualifications,
    clippy::needless_lifetimes,
    clippy::used_underscore_binding
)]
const _: () = {
    #[automatically_derived]
    impl crate::GraphEntity for ManagedDeviceMobileAppConfigurationUserStatus {
        /// Graph v1.0: sent to `/v1.0` whatever the client's default version.
        const PATH: crate::entity::PathTemplate = crate::entity::PathTemplate::__from_parts(
                "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses",
                &[
                    crate::__private::PathPart::Literal(
                        "/deviceAppManagement/mobileAppConfigurations/",
                    ),
                    crate::__private::PathPart::Placeholder(
                        "managedDeviceMobileAppConfigurationId",
                    ),
                    crate::__private::PathPart::Literal("/userStatuses"),
                ],
            )
            .__in(crate::cloud::ApiVersion::V1);
        const ODATA_TYPE: &'static str = "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus";
        const PROPERTIES: &'static [&'static str] = &[
            "id",
            "userDisplayName",
            "devicesCount",
            "status",
            "lastReportedDateTime",
            "userPrincipalName",
        ];
        const AVAILABILITY: crate::entity::Availability = crate::entity::Availability::__new(
            7u8,
            &[],
        );
        const KEY: crate::__private::Option<&'static str> = crate::__private::Some("id");
        const THROTTLING: crate::__private::Option<crate::entity::Throttling> = crate::__private::Some(
            crate::entity::Throttling::__new("Intune applications", 100u32, 20u64),
        );
        /// Microsoft's permissions reference: `create`: application `DeviceManagementApps.ReadWrite.All`, delegated `DeviceManagementApps.ReadWrite.All`; `get`: application `DeviceManagementApps.Read.All`, delegated `DeviceManagementApps.Read.All`; `list`: application `DeviceManagementApps.Read.All`, delegated `DeviceManagementApps.Read.All`; `update`: application `DeviceManagementApps.ReadWrite.All`, delegated `DeviceManagementApps.ReadWrite.All`; `delete`: application `DeviceManagementApps.ReadWrite.All`, delegated `DeviceManagementApps.ReadWrite.All`.
        const PERMISSIONS: crate::entity::EntityPermissions = crate::entity::EntityPermissions::__new(
            crate::entity::RequestPermissions::__new(
                crate::__private::Some("DeviceManagementApps.ReadWrite.All"),
                crate::__private::Some("DeviceManagementApps.ReadWrite.All"),
                &["DeviceManagementApps.ReadWrite.All"],
                &["DeviceManagementApps.ReadWrite.All"],
            ),
            crate::entity::RequestPermissions::__new(
                crate::__private::Some("DeviceManagementApps.Read.All"),
                crate::__private::Some("DeviceManagementApps.Read.All"),
                &["DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"],
                &["DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"],
            ),
            crate::entity::RequestPermissions::__new(
                crate::__private::Some("DeviceManagementApps.Read.All"),
                crate::__private::Some("DeviceManagementApps.Read.All"),
                &["DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"],
                &["DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"],
            ),
            crate::entity::RequestPermissions::__new(
                crate::__private::Some("DeviceManagementApps.ReadWrite.All"),
                crate::__private::Some("DeviceManagementApps.ReadWrite.All"),
                &["DeviceManagementApps.ReadWrite.All"],
                &["DeviceManagementApps.ReadWrite.All"],
            ),
            crate::entity::RequestPermissions::__new(
                crate::__private::Some("DeviceManagementApps.ReadWrite.All"),
                crate::__private::Some("DeviceManagementApps.ReadWrite.All"),
                &["DeviceManagementApps.ReadWrite.All"],
                &["DeviceManagementApps.ReadWrite.All"],
            ),
            crate::entity::RequestPermissions::__new(
                crate::__private::None,
                crate::__private::None,
                &[],
                &[],
            ),
        );
        /// The path's placeholders, in order: `{managedDeviceMobileAppConfigurationId}`.
        type PathArgs<'__a> = &'__a str;
        type Fields = __ManagedDeviceMobileAppConfigurationUserStatusFields;
        type Patch = __ManagedDeviceMobileAppConfigurationUserStatusPatch;
        type Navigations = __ManagedDeviceMobileAppConfigurationUserStatusNavigations;
        fn fields() -> __ManagedDeviceMobileAppConfigurationUserStatusFields {
            __ManagedDeviceMobileAppConfigurationUserStatusFields {
                id: crate::query::Field::__new("id"),
                user_display_name: crate::query::Field::__new("userDisplayName"),
                devices_count: crate::query::Field::__new("devicesCount"),
                status: crate::query::Field::__new("status"),
                last_reported_date_time: crate::query::Field::__new(
                    "lastReportedDateTime",
                ),
                user_principal_name: crate::query::Field::__new("userPrincipalName"),
            }
        }
        fn navigations() -> __ManagedDeviceMobileAppConfigurationUserStatusNavigations {
            __ManagedDeviceMobileAppConfigurationUserStatusNavigations::__new()
        }
        fn validate(
            &self,
        ) -> crate::__private::Result<(), crate::error::ValidationError> {
            let mut __v = crate::__private::Validator::new(
                "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
            );
            __v.require(
                "userDisplayName",
                crate::__private::Option::is_some(&self.user_display_name),
            );
            __v.require(
                "userPrincipalName",
                crate::__private::Option::is_some(&self.user_principal_name),
            );
            __v.finish()
        }
        fn serialize_body<__S>(
            &self,
            __serializer: __S,
        ) -> crate::__private::Result<__S::Ok, __S::Error>
        where
            __S: crate::__private::serde::Serializer,
        {
            self.__graph_serialize(__serializer, true)
        }
    }
    #[automatically_derived]
    impl crate::entity::InCollection for ManagedDeviceMobileAppConfigurationUserStatus {}
    /// The properties of [`ManagedDeviceMobileAppConfigurationUserStatus`] for query options, each typed by its value: `ManagedDeviceMobileAppConfigurationUserStatus::fields()`.
    pub struct __ManagedDeviceMobileAppConfigurationUserStatusFields {
        /// `id`
        pub id: crate::query::Field<
            ManagedDeviceMobileAppConfigurationUserStatus,
            String,
        >,
        /// `userDisplayName`
        pub user_display_name: crate::query::Field<
            ManagedDeviceMobileAppConfigurationUserStatus,
            String,
        >,
        /// `devicesCount`
        pub devices_count: crate::query::Field<
            ManagedDeviceMobileAppConfigurationUserStatus,
            i32,
        >,
        /// `status`
        pub status: crate::query::Field<
            ManagedDeviceMobileAppConfigurationUserStatus,
            ComplianceStatus,
        >,
        /// `lastReportedDateTime`
        pub last_reported_date_time: crate::query::Field<
            ManagedDeviceMobileAppConfigurationUserStatus,
            DateTimeOffset,
        >,
        /// `userPrincipalName`
        pub user_principal_name: crate::query::Field<
            ManagedDeviceMobileAppConfigurationUserStatus,
            String,
        >,
    }
    /// The navigation properties of [`ManagedDeviceMobileAppConfigurationUserStatus`] for `$expand`: `ManagedDeviceMobileAppConfigurationUserStatus::navigations()`.
    pub struct __ManagedDeviceMobileAppConfigurationUserStatusNavigations {}
    #[automatically_derived]
    impl crate::__private::Clone
    for __ManagedDeviceMobileAppConfigurationUserStatusFields {
        fn clone(&self) -> Self {
            *self
        }
    }
    #[automatically_derived]
    impl crate::__private::Copy
    for __ManagedDeviceMobileAppConfigurationUserStatusFields {}
    #[automatically_derived]
    impl crate::__private::fmt::Debug
    for __ManagedDeviceMobileAppConfigurationUserStatusFields {
        /// The JSON names of its members.
        fn fmt(
            &self,
            __f: &mut crate::__private::fmt::Formatter<'_>,
        ) -> crate::__private::fmt::Result {
            __f.debug_list()
                .entries(
                    <ManagedDeviceMobileAppConfigurationUserStatus as crate::GraphEntity>::PROPERTIES,
                )
                .finish()
        }
    }
    #[automatically_derived]
    impl crate::__private::Clone
    for __ManagedDeviceMobileAppConfigurationUserStatusNavigations {
        fn clone(&self) -> Self {
            *self
        }
    }
    #[automatically_derived]
    impl crate::__private::Copy
    for __ManagedDeviceMobileAppConfigurationUserStatusNavigations {}
    #[automatically_derived]
    impl crate::__private::fmt::Debug
    for __ManagedDeviceMobileAppConfigurationUserStatusNavigations {
        /// The JSON names of its members.
        fn fmt(
            &self,
            __f: &mut crate::__private::fmt::Formatter<'_>,
        ) -> crate::__private::fmt::Result {
            __f.debug_list()
                .entries({
                    const NAMES: &[&str] = &[];
                    NAMES
                })
                .finish()
        }
    }
    #[automatically_derived]
    impl __ManagedDeviceMobileAppConfigurationUserStatusNavigations {
        fn __new() -> Self {
            Self {}
        }
    }
    /// The changes to a [`ManagedDeviceMobileAppConfigurationUserStatus`] that an update sends: only the properties set (`ManagedDeviceMobileAppConfigurationUserStatus::patch()`, then a setter per property).
    pub struct __ManagedDeviceMobileAppConfigurationUserStatusPatch {
        user_display_name: crate::__private::Option<crate::__private::Option<String>>,
        devices_count: crate::__private::Option<i32>,
        status: crate::__private::Option<ComplianceStatus>,
        last_reported_date_time: crate::__private::Option<DateTimeOffset>,
        user_principal_name: crate::__private::Option<crate::__private::Option<String>>,
    }
    #[automatically_derived]
    impl crate::__private::Default
    for __ManagedDeviceMobileAppConfigurationUserStatusPatch {
        fn default() -> Self {
            Self {
                user_display_name: crate::__private::None,
                devices_count: crate::__private::None,
                status: crate::__private::None,
                last_reported_date_time: crate::__private::None,
                user_principal_name: crate::__private::None,
            }
        }
    }
    #[automatically_derived]
    impl crate::__private::fmt::Debug
    for __ManagedDeviceMobileAppConfigurationUserStatusPatch {
        /// The properties set, not their values (which may be personal data).
        fn fmt(
            &self,
            __f: &mut crate::__private::fmt::Formatter<'_>,
        ) -> crate::__private::fmt::Result {
            let mut __set = __f.debug_set();
            if self.user_display_name.is_some() {
                __set.entry(&"userDisplayName");
            }
            if self.devices_count.is_some() {
                __set.entry(&"devicesCount");
            }
            if self.status.is_some() {
                __set.entry(&"status");
            }
            if self.last_reported_date_time.is_some() {
                __set.entry(&"lastReportedDateTime");
            }
            if self.user_principal_name.is_some() {
                __set.entry(&"userPrincipalName");
            }
            __set.finish()
        }
    }
    #[automatically_derived]
    impl __ManagedDeviceMobileAppConfigurationUserStatusPatch {
        /// Sets `userDisplayName`; `None` writes `null`, clearing it.
        #[must_use]
        pub fn user_display_name(
            mut self,
            value: crate::__private::Option<String>,
        ) -> Self {
            self.user_display_name = crate::__private::Some(value);
            self
        }
        /// Sets `devicesCount` (Graph does not allow `null` in it).
        #[must_use]
        pub fn devices_count(mut self, value: i32) -> Self {
            self.devices_count = crate::__private::Some(value);
            self
        }
        /// Sets `status` (Graph does not allow `null` in it).
        #[must_use]
        pub fn status(mut self, value: ComplianceStatus) -> Self {
            self.status = crate::__private::Some(value);
            self
        }
        /// Sets `lastReportedDateTime` (Graph does not allow `null` in it).
        #[must_use]
        pub fn last_reported_date_time(mut self, value: DateTimeOffset) -> Self {
            self.last_reported_date_time = crate::__private::Some(value);
            self
        }
        /// Sets `userPrincipalName`; `None` writes `null`, clearing it.
        #[must_use]
        pub fn user_principal_name(
            mut self,
            value: crate::__private::Option<String>,
        ) -> Self {
            self.user_principal_name = crate::__private::Some(value);
            self
        }
    }
    #[automatically_derived]
    impl crate::__private::serde::Serialize
    for __ManagedDeviceMobileAppConfigurationUserStatusPatch {
        fn serialize<__S>(
            &self,
            __serializer: __S,
        ) -> crate::__private::Result<__S::Ok, __S::Error>
        where
            __S: crate::__private::serde::Serializer,
        {
            use crate::__private::serde::ser::SerializeMap as _;
            let mut __map = __serializer.serialize_map(crate::__private::None)?;
            __map
                .serialize_entry(
                    "@odata.type",
                    "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
                )?;
            if let crate::__private::Some(__value) = &self.user_display_name {
                __map.serialize_entry("userDisplayName", __value)?;
            }
            if let crate::__private::Some(__value) = &self.devices_count {
                __map.serialize_entry("devicesCount", __value)?;
            }
            if let crate::__private::Some(__value) = &self.status {
                __map.serialize_entry("status", __value)?;
            }
            if let crate::__private::Some(__value) = &self.last_reported_date_time {
                __map.serialize_entry("lastReportedDateTime", __value)?;
            }
            if let crate::__private::Some(__value) = &self.user_principal_name {
                __map.serialize_entry("userPrincipalName", __value)?;
            }
            __map.end()
        }
    }
    #[automatically_derived]
    impl crate::__private::GeneratedPatch
    for __ManagedDeviceMobileAppConfigurationUserStatusPatch {}
    #[automatically_derived]
    impl crate::GraphPatch for __ManagedDeviceMobileAppConfigurationUserStatusPatch {
        type Entity = ManagedDeviceMobileAppConfigurationUserStatus;
        fn is_empty(&self) -> bool {
            true && self.user_display_name.is_none() && self.devices_count.is_none()
                && self.status.is_none() && self.last_reported_date_time.is_none()
                && self.user_principal_name.is_none()
        }
    }
    #[automatically_derived]
    impl ManagedDeviceMobileAppConfigurationUserStatus {
        /// The entity's JSON; `__body`: as a request body, without computed properties.
        fn __graph_serialize<__S>(
            &self,
            __serializer: __S,
            _: bool,
        ) -> crate::__private::Result<__S::Ok, __S::Error>
        where
            __S: crate::__private::serde::Serializer,
        {
            use crate::__private::serde::ser::SerializeMap as _;
            let __len = 1
                + crate::__private::usize::from(
                    crate::__private::Option::is_some(&self.id),
                )
                + crate::__private::usize::from(
                    crate::__private::Option::is_some(&self.user_display_name),
                ) + 1 + 1 + 1
                + crate::__private::usize::from(
                    crate::__private::Option::is_some(&self.user_principal_name),
                );
            let mut __map = __serializer.serialize_map(crate::__private::Some(__len))?;
            __map
                .serialize_entry(
                    "@odata.type",
                    "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
                )?;
            if let crate::__private::Some(__value) = &self.id {
                __map.serialize_entry("id", __value)?;
            }
            if let crate::__private::Some(__value) = &self.user_display_name {
                __map.serialize_entry("userDisplayName", __value)?;
            }
            __map.serialize_entry("devicesCount", &self.devices_count)?;
            __map.serialize_entry("status", &self.status)?;
            __map
                .serialize_entry("lastReportedDateTime", &self.last_reported_date_time)?;
            if let crate::__private::Some(__value) = &self.user_principal_name {
                __map.serialize_entry("userPrincipalName", __value)?;
            }
            __map.end()
        }
    }
    #[automatically_derived]
    impl crate::__private::serde::Serialize
    for ManagedDeviceMobileAppConfigurationUserStatus {
        fn serialize<__S>(
            &self,
            __serializer: __S,
        ) -> crate::__private::Result<__S::Ok, __S::Error>
        where
            __S: crate::__private::serde::Serializer,
        {
            self.__graph_serialize(__serializer, false)
        }
    }
    #[automatically_derived]
    impl crate::__private::PropertyIndex
    for ManagedDeviceMobileAppConfigurationUserStatus {
        #[inline]
        fn property_index(
            __name: &str,
        ) -> crate::__private::Option<crate::__private::usize> {
            match __name {
                "id" => crate::__private::Some(0usize),
                "userDisplayName" => crate::__private::Some(1usize),
                "devicesCount" => crate::__private::Some(2usize),
                "status" => crate::__private::Some(3usize),
                "lastReportedDateTime" => crate::__private::Some(4usize),
                "userPrincipalName" => crate::__private::Some(5usize),
                _ => crate::__private::None,
            }
        }
    }
    #[automatically_derived]
    impl<'de> crate::__private::serde::Deserialize<'de>
    for ManagedDeviceMobileAppConfigurationUserStatus {
        fn deserialize<__D>(
            __deserializer: __D,
        ) -> crate::__private::Result<Self, __D::Error>
        where
            __D: crate::__private::serde::Deserializer<'de>,
        {
            struct __Visitor;
            impl<'de> crate::__private::serde::de::Visitor<'de> for __Visitor {
                type Value = ManagedDeviceMobileAppConfigurationUserStatus;
                fn expecting(
                    &self,
                    __f: &mut crate::__private::fmt::Formatter<'_>,
                ) -> crate::__private::fmt::Result {
                    __f.write_str(
                        "a JSON object for #microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
                    )
                }
                fn visit_map<__A>(
                    self,
                    mut __map: __A,
                ) -> crate::__private::Result<
                    ManagedDeviceMobileAppConfigurationUserStatus,
                    __A::Error,
                >
                where
                    __A: crate::__private::serde::de::MapAccess<'de>,
                {
                    let mut __f0: crate::__private::Option<Option<String>> = crate::__private::None;
                    let mut __f1: crate::__private::Option<Option<String>> = crate::__private::None;
                    let mut __f2: crate::__private::Option<i32> = crate::__private::None;
                    let mut __f3: crate::__private::Option<ComplianceStatus> = crate::__private::None;
                    let mut __f4: crate::__private::Option<DateTimeOffset> = crate::__private::None;
                    let mut __f5: crate::__private::Option<Option<String>> = crate::__private::None;
                    let __seed = crate::__private::PropertySeed::<
                        ManagedDeviceMobileAppConfigurationUserStatus,
                    >::new(false);
                    while let crate::__private::Some(__key) = __map
                        .next_key_seed(__seed)?
                    {
                        match __key {
                            crate::__private::Property::Declared(0usize) => {
                                crate::__private::next_value(&mut __map, &mut __f0, "id")?
                            }
                            crate::__private::Property::Declared(1usize) => {
                                crate::__private::next_value(
                                    &mut __map,
                                    &mut __f1,
                                    "userDisplayName",
                                )?
                            }
                            crate::__private::Property::Declared(2usize) => {
                                crate::__private::next_value(
                                    &mut __map,
                                    &mut __f2,
                                    "devicesCount",
                                )?
                            }
                            crate::__private::Property::Declared(3usize) => {
                                crate::__private::next_value(
                                    &mut __map,
                                    &mut __f3,
                                    "status",
                                )?
                            }
                            crate::__private::Property::Declared(4usize) => {
                                crate::__private::next_value(
                                    &mut __map,
                                    &mut __f4,
                                    "lastReportedDateTime",
                                )?
                            }
                            crate::__private::Property::Declared(5usize) => {
                                crate::__private::next_value(
                                    &mut __map,
                                    &mut __f5,
                                    "userPrincipalName",
                                )?
                            }
                            _ => {
                                __map
                                    .next_value::<crate::__private::serde::de::IgnoredAny>()
                                    .map(|_| ())?
                            }
                        }
                    }
                    match (__f2, __f3, __f4) {
                        (
                            crate::__private::Some(__f2),
                            crate::__private::Some(__f3),
                            crate::__private::Some(__f4),
                        ) => {
                            crate::__private::Ok(ManagedDeviceMobileAppConfigurationUserStatus {
                                id: crate::__private::Option::flatten(__f0),
                                user_display_name: crate::__private::Option::flatten(__f1),
                                devices_count: __f2,
                                status: __f3,
                                last_reported_date_time: __f4,
                                user_principal_name: crate::__private::Option::flatten(__f5),
                            })
                        }
                        (__f2, __f3, __f4) => {
                            crate::__private::Err(
                                crate::__private::missing_properties::<
                                    __A::Error,
                                >(
                                    &[
                                        (crate::__private::Option::is_none(&__f2), "devicesCount"),
                                        (crate::__private::Option::is_none(&__f3), "status"),
                                        (
                                            crate::__private::Option::is_none(&__f4),
                                            "lastReportedDateTime",
                                        ),
                                    ],
                                ),
                            )
                        }
                    }
                }
            }
            __deserializer.deserialize_map(__Visitor)
        }
    }
};
const _: () = ::core::assert!(
    crate ::__private::str_eq(< ComplianceStatus as crate ::GraphEnum > ::GRAPH_NAME,
    "microsoft.graph.complianceStatus"),
    "field `status` holds the Graph enum `microsoft.graph.complianceStatus`, but its type is a `#[graph_enum]` of another Graph enum"
);
