//! Every wire type reads what Graph writes and writes back what it read.

use std::fmt;
use std::str::FromStr;

use super::*;

fn round_trip<T>(text: &str)
where
    T: FromStr<Err = WireParseError>
        + fmt::Display
        + fmt::Debug
        + PartialEq
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    let value: T = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(value.to_string(), text, "written back as read");
    let json = serde_json::to_string(&value).unwrap();
    assert_eq!(json, format!("\"{text}\""));
    assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
}

#[test]
fn each_type_writes_back_what_it_read() {
    for text in ["2024-02-29", "0001-01-01", "9999-12-31"] {
        round_trip::<Date>(text);
    }
    for text in ["00:00:00", "23:59:59", "08:30:00.0000000", "12:00:00.5", "12:00:00.123456789"] {
        round_trip::<TimeOfDay>(text);
    }
    for text in [
        "PT0S",
        "P0D",
        "PT1H30M",
        "PT90M",
        "P2D",
        "P1DT2H3M4.5S",
        "-PT0.25S",
        "PT1.0000000S",
        "P10675199DT2H48M5.4775807S",
    ] {
        round_trip::<Duration>(text);
    }
    for text in [
        "44960944-0944-4496-4409-964444099644",
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
    ] {
        round_trip::<Guid>(text);
    }
    for text in ["", "aGk=", "PD94bWw+", "AAECAwQFBgcICQ=="] {
        round_trip::<Base64>(text);
    }
}

#[test]
fn values_compare_by_what_they_mean() {
    let t = |s: &str| s.parse::<TimeOfDay>().unwrap();
    assert_eq!(t("12:00:00.5"), t("12:00:00.500"));
    assert_eq!(t("12:00:00.1234567891"), t("12:00:00.123456789"), "digits past the ninth dropped");
    let d = |s: &str| s.parse::<Duration>().unwrap();
    assert_eq!(d("PT1H30M"), d("PT90M"));
    assert_eq!(d("P1D"), d("PT24H"));
    assert_eq!(d("-PT0S"), d("PT0S"));
    assert_ne!(d("-PT1S"), d("PT1S"));
    assert_eq!(d("-PT1S").to_std(), None);
    assert_eq!(d("P1DT0.001S").to_std(), Some(std::time::Duration::from_millis(86_400_001)));
    let g = |s: &str| s.parse::<Guid>().unwrap();
    assert_eq!(
        g("44960944-0944-4496-4409-964444099644"),
        g("44960944-0944-4496-4409-964444099644".to_uppercase().as_str())
    );
    assert_eq!(Base64::parse("aGk").unwrap(), Base64::parse("aGk=").unwrap());
}

#[test]
fn from_std_writes_the_shortest_form() {
    let f = |d: std::time::Duration| Duration::from_std(d).to_string();
    assert_eq!(f(std::time::Duration::ZERO), "PT0S");
    assert_eq!(f(std::time::Duration::from_secs(86_400)), "P1D");
    assert_eq!(f(std::time::Duration::from_secs(5400)), "PT1H30M");
    assert_eq!(f(std::time::Duration::from_millis(1500)), "PT1.5S");
    for d in [0u64, 1, 59, 3600, 86_399, 86_400, 1 << 40] {
        let std = std::time::Duration::from_secs(d);
        assert_eq!(Duration::from_std(std).to_std(), Some(std), "{d}");
        assert_eq!(f(std).parse::<Duration>().unwrap().to_std(), Some(std), "{d}");
    }
}

#[test]
fn errors_name_the_problem_and_the_byte() {
    type Parse = fn(&str) -> Result<(), WireParseError>;
    let cases: &[(&str, Parse, usize, &str)] = &[
        ("2023-02-29", |s| Date::parse(s).map(drop), 8, "does not exist"),
        ("2024-13-01", |s| Date::parse(s).map(drop), 5, "month 13"),
        ("2024-01-01T", |s| Date::parse(s).map(drop), 10, "after the value"),
        ("24:00:00", |s| TimeOfDay::parse(s).map(drop), 0, "hour 24"),
        ("08:30:00.", |s| TimeOfDay::parse(s).map(drop), 9, "digits after `.`"),
        ("P1Y", |s| Duration::parse(s).map(drop), 2, "years"),
        ("PT", |s| Duration::parse(s).map(drop), 2, "after `T`"),
        ("P", |s| Duration::parse(s).map(drop), 1, "at least one"),
        ("PT1M1H", |s| Duration::parse(s).map(drop), 4, "order"),
        ("PT1.5M", |s| Duration::parse(s).map(drop), 5, "only seconds"),
        ("P99999999999999999999D", |s| Duration::parse(s).map(drop), 1, "too large"),
        ("1H", |s| Duration::parse(s).map(drop), 0, "expected `P`"),
        ("44960944-0944-4496-4409-96444409964", |s| Guid::parse(s).map(drop), 34, "ended early"),
        ("44960944_0944-4496-4409-964444099644", |s| Guid::parse(s).map(drop), 8, "expected `-`"),
        ("4496094g-0944-4496-4409-964444099644", |s| Guid::parse(s).map(drop), 7, "hex digit"),
        ("aGk=!", |s| Base64::parse(s).map(drop), 4, "Invalid"),
    ];
    for (input, parse, position, reason) in cases {
        let error = parse(input).unwrap_err();
        assert_eq!(error.position(), *position, "{input}: {error}");
        assert!(error.to_string().contains(reason), "{input}: {error}");
    }
    let long = "9".repeat(10_000);
    assert!(Date::parse(&long).unwrap_err().to_string().len() < 200, "bounded");
}
