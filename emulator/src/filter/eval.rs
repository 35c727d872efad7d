//! Evaluating a `$filter` on stored entities, and the values it compares.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::{Expr, Filter, Kind, Literal, Op, Operand, PropertyPath, TextFn};
use crate::edm::instant;

impl Filter {
    /// Whether `entity` passes.
    pub(crate) fn matches(&self, entity: &Map<String, Value>) -> bool {
        self.eval(&self.expr, entity)
    }

    fn eval(&self, expr: &Expr, entity: &Map<String, Value>) -> bool {
        match expr {
            Expr::Any(terms) => terms.iter().any(|term| self.eval(term, entity)),
            Expr::All(terms) => terms.iter().all(|term| self.eval(term, entity)),
            Expr::Not(a) => !self.eval(a, entity),
            Expr::Compare(op, a, b) => {
                let (a, b) = (self.operand(a, entity), self.operand(b, entity));
                compare(*op, &a, &b, self.fold_case)
            }
            Expr::In(a, list) => {
                let a = self.operand(a, entity);
                list.iter().any(|b| compare(Op::Eq, &a, &self.operand(b, entity), self.fold_case))
            }
            Expr::Text(function, a, b) => {
                let (Val::Str(a), Val::Str(b)) = (self.operand(a, entity), self.operand(b, entity))
                else {
                    return false;
                };
                let (a, b) =
                    if self.fold_case { (a.to_lowercase(), b.to_lowercase()) } else { (a, b) };
                match function {
                    TextFn::StartsWith => a.starts_with(&b),
                    TextFn::EndsWith => a.ends_with(&b),
                    TextFn::Contains => a.contains(&b),
                }
            }
            Expr::Truth(a) => self.operand(a, entity) == Val::Bool(true),
        }
    }

    fn operand(&self, operand: &Operand, entity: &Map<String, Value>) -> Val {
        match operand {
            Operand::Property(path) => path.value(entity),
            Operand::Literal(literal) => Val::of_literal(literal),
            Operand::Case { upper, inner } => match self.operand(inner, entity) {
                Val::Str(s) if *upper => Val::Str(s.to_uppercase()),
                Val::Str(s) => Val::Str(s.to_lowercase()),
                other => other,
            },
        }
    }
}

fn compare(op: Op, a: &Val, b: &Val, fold_case: bool) -> bool {
    if matches!(a, Val::Null) || matches!(b, Val::Null) {
        let both = matches!(a, Val::Null) && matches!(b, Val::Null);
        return match op {
            Op::Eq => both,
            Op::Ne => !both,
            _ => false,
        };
    }
    let Some(order) = a.compare(b, fold_case) else { return op == Op::Ne };
    match op {
        Op::Eq => order == Ordering::Equal,
        Op::Ne => order != Ordering::Equal,
        Op::Gt => order == Ordering::Greater,
        Op::Ge => order != Ordering::Less,
        Op::Lt => order == Ordering::Less,
        Op::Le => order != Ordering::Greater,
    }
}

impl PropertyPath {
    /// The property's value in `entity`, `None` when absent or null.
    pub(crate) fn get<'v>(&self, entity: &'v Map<String, Value>) -> Option<&'v Value> {
        let (first, rest) = self.names.split_first()?;
        let mut value = entity.get(first)?;
        for name in rest {
            value = value.get(name)?;
        }
        (!value.is_null()).then_some(value)
    }

    /// The value as compared and sorted.
    pub(crate) fn value(&self, entity: &Map<String, Value>) -> Val {
        match self.get(entity) {
            None => Val::Null,
            Some(value) => Val::from_json(&self.kind, value),
        }
    }
}

/// A value, ready to compare.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Time((i64, u32)),
    /// An enum member and its value.
    Enum(String, i64),
    /// Not comparable.
    Opaque,
}

impl Val {
    fn from_json(kind: &Kind, value: &Value) -> Val {
        match (kind, value) {
            (Kind::Bool, Value::Bool(b)) => Val::Bool(*b),
            (Kind::Number, Value::Number(n)) => n.as_f64().map_or(Val::Opaque, Val::Number),
            // As Graph writes them for `Edm.Double` and `Edm.Single` (OData's literals).
            (Kind::Number, Value::String(s)) => match s.as_str() {
                "NaN" => Val::Number(f64::NAN),
                "INF" => Val::Number(f64::INFINITY),
                "-INF" => Val::Number(f64::NEG_INFINITY),
                _ => Val::Opaque,
            },
            (Kind::String | Kind::Date | Kind::Guid, Value::String(s)) => Val::Str(s.clone()),
            (Kind::DateTime, Value::String(s)) => instant(s).map_or(Val::Opaque, Val::Time),
            (Kind::Enum(_, members), Value::String(s)) => {
                let value = members.iter().find(|(m, _)| m == s).map_or(i64::MAX, |(_, v)| *v);
                Val::Enum(s.clone(), value)
            }
            _ => Val::Opaque,
        }
    }

    fn of_literal(literal: &Literal) -> Val {
        match literal {
            Literal::Null => Val::Null,
            Literal::Bool(b) => Val::Bool(*b),
            Literal::Number(n) => Val::Number(*n),
            Literal::Str(s) | Literal::Date(s) | Literal::Guid(s) => Val::Str(s.clone()),
            Literal::DateTime(t) => Val::Time(*t),
            Literal::Enum { member, value } => Val::Enum(member.clone(), *value),
        }
    }

    /// How two values compare in `$filter`; `None` when they cannot be (different kinds,
    /// opaque, NaN as IEEE 754 has it: `NaN eq NaN` is false, `NaN ne x` true).
    pub(crate) fn compare(&self, other: &Val, fold_case: bool) -> Option<Ordering> {
        match (self, other) {
            (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(b)),
            (Val::Number(a), Val::Number(b)) => a.partial_cmp(b),
            (Val::Str(a), Val::Str(b)) if fold_case => {
                Some(a.to_lowercase().cmp(&b.to_lowercase()))
            }
            (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
            (Val::Time(a), Val::Time(b)) => Some(a.cmp(b)),
            (Val::Enum(a, x), Val::Enum(b, y)) => {
                Some(if a == b { Ordering::Equal } else { x.cmp(y) })
            }
            _ => None,
        }
    }

    /// A total order for `$orderby` (the sort it feeds needs one): nulls first, then values
    /// that cannot be compared (of another type than the property's: equal to each other, so
    /// that they keep their order), then the values. Numbers are in the order of .NET's
    /// `Double.CompareTo`, which Graph's ordering follows: NaN first (equal to itself), then
    /// -INF, the numbers (`-0` equal to `0`) and INF.
    pub(crate) fn sort_order(&self, other: &Val, fold_case: bool) -> Ordering {
        self.rank().cmp(&other.rank()).then_with(|| match (self, other) {
            (Val::Number(a), Val::Number(b)) => match (a.is_nan(), b.is_nan()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                // Neither is NaN: the order is total.
                (false, false) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
            },
            // Of the same rank, hence the same kind: each kind's order is total.
            _ => self.compare(other, fold_case).unwrap_or(Ordering::Equal),
        })
    }

    /// Where a value's kind sorts.
    fn rank(&self) -> u8 {
        match self {
            Val::Null => 0,
            Val::Opaque => 1,
            Val::Bool(_) => 2,
            Val::Number(_) => 3,
            Val::Str(_) => 4,
            Val::Time(_) => 5,
            Val::Enum(..) => 6,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use graph_entity_schema::Schema;
    use serde_json::json;

    use super::*;

    const STATUS: &str = "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus";
    const TASK: &str = "microsoft.graph.todoTask";

    fn status(name: &str, count: i64, status: &str, at: &str) -> Map<String, Value> {
        json!({
            "id": name, "userDisplayName": name, "devicesCount": count, "status": status,
            "lastReportedDateTime": at, "userPrincipalName": null,
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn matching(text: &str) -> Vec<String> {
        let filter = Filter::parse(Schema::v1(), STATUS, text, false)
            .unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let entities = [
            status("ada", 1, "compliant", "2024-01-01T00:00:00Z"),
            status("bob", 5, "error", "2024-06-01T12:00:00.5+02:00"),
            status("Cy", 12, "notApplicable", "2025-01-01T00:00:00Z"),
        ];
        entities
            .iter()
            .filter(|e| filter.matches(e))
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn every_operator() {
        let cases: &[(&str, &[&str])] = &[
            ("devicesCount eq 5", &["bob"]),
            ("devicesCount ne 5", &["ada", "Cy"]),
            ("devicesCount gt 1", &["bob", "Cy"]),
            ("devicesCount ge 5", &["bob", "Cy"]),
            ("devicesCount lt 5", &["ada"]),
            ("devicesCount le 5", &["ada", "bob"]),
            ("devicesCount gt -1 and devicesCount lt 12", &["ada", "bob"]),
            ("devicesCount eq 1 or devicesCount eq 12", &["ada", "Cy"]),
            ("not (devicesCount eq 1)", &["bob", "Cy"]),
            ("not devicesCount eq 1 and userDisplayName ne 'Cy'", &["bob"]),
            ("(devicesCount eq 1 or devicesCount eq 5) and status eq 'error'", &["bob"]),
            ("startswith(userDisplayName, 'a')", &["ada"]),
            ("endswith(userDisplayName, 'b')", &["bob"]),
            ("contains(userDisplayName, 'o')", &["bob"]),
            ("startswith(userDisplayName,'A')", &[]),
            ("startswith(tolower(userDisplayName), 'c')", &["Cy"]),
            ("startswith(userDisplayName, 'b') eq false", &["ada", "Cy"]),
            ("userDisplayName in ('ada', 'Cy', 'zed')", &["ada", "Cy"]),
            ("devicesCount in (1, 12)", &["ada", "Cy"]),
            ("status eq 'compliant'", &["ada"]),
            ("status eq microsoft.graph.complianceStatus'error'", &["bob"]),
            ("status in ('error', 'notApplicable')", &["bob", "Cy"]),
            ("lastReportedDateTime gt 2024-06-01T09:00:00Z", &["bob", "Cy"]),
            ("lastReportedDateTime lt 2024-06-01T10:00:00.6Z", &["ada", "bob"]),
            ("lastReportedDateTime eq 2024-06-01T10:00:00.5Z", &["bob"]),
            ("userPrincipalName eq null", &["ada", "bob", "Cy"]),
            ("userPrincipalName ne null", &[]),
            ("id eq 'ada' or id eq 'it''s'", &["ada"]),
        ];
        for (text, expected) in cases {
            assert_eq!(matching(text), *expected, "{text}");
        }
    }

    #[test]
    fn booleans_and_case_folding() {
        let task =
            json!({"id": "t", "title": "Buy Milk", "isReminderOn": true, "importance": "high"});
        let task = task.as_object().unwrap();
        for (text, fold, expected) in [
            ("isReminderOn", false, true),
            ("isReminderOn eq false", false, false),
            ("not isReminderOn", false, false),
            ("title eq 'buy milk'", false, false),
            ("title eq 'buy milk'", true, true),
            ("startswith(title, 'BUY')", true, true),
            ("importance gt 'normal'", false, true),
            ("importance lt 'normal'", false, false),
        ] {
            let filter = Filter::parse(Schema::v1(), TASK, text, fold).unwrap();
            assert_eq!(filter.matches(task), expected, "{text}");
        }
    }

    #[test]
    fn long_chains_are_evaluated_without_deep_recursion() {
        // 3,000 terms once overflowed the stack: a chain is one node, however long (2,500 here,
        // 10,000 operands nested).
        let ada = status("ada", 1, "compliant", "2024-01-01T00:00:00Z");
        let mut terms = vec!["devicesCount eq 2"; 2_499];
        terms.push("devicesCount eq 1");
        for (operator, expected) in [("or", true), ("and", false)] {
            let text = terms.join(&format!(" {operator} "));
            let filter = Filter::parse(Schema::v1(), STATUS, &text, false).unwrap();
            assert_eq!(filter.matches(&ada), expected, "{operator}");
            let nested = format!("({text}) {operator} ({text})");
            let filter = Filter::parse(Schema::v1(), STATUS, &nested, false).unwrap();
            assert_eq!(filter.matches(&ada), expected, "{operator}, nested");
        }
        let mixed = vec!["(devicesCount eq 1 and status eq 'compliant')"; 2_000].join(" or ");
        assert!(Filter::parse(Schema::v1(), STATUS, &mixed, false).unwrap().matches(&ada));
        // As deep as the parser allows, in a test thread's stack.
        let deep = format!("{}devicesCount eq 1{}", "(".repeat(63), ")".repeat(63));
        assert!(Filter::parse(Schema::v1(), STATUS, &deep, false).unwrap().matches(&ada));
        let nots = format!("{}(devicesCount eq 1)", "not ".repeat(62));
        assert!(Filter::parse(Schema::v1(), STATUS, &nots, false).unwrap().matches(&ada));
    }
}
