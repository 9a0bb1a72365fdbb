//! Shared by the time policy rules (TIME001, TIME002): the days of a policy and their
//! intervals, read defensively. Not a rule itself.

use serde_json::Value;

use crate::endpoint::{Endpoint, id};

/// The endpoint every time rule applies to.
pub static ENDPOINTS: &[&Endpoint] = &[id::POLICIES_TIME_POLICIES];

/// The day keys, Monday first.
pub const DAYS: &[&str] = &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A time of day in minutes after midnight, with its text as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time<'a> {
    pub minutes: u16,
    pub text: &'a str,
}

/// `h:mm` or `hh:mm` from 0:00 to 23:59; anything else is the schema's to report.
pub fn parse_time(s: &str) -> Option<Time<'_>> {
    let (h, m) = s.split_once(':')?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || h.len() > 2 || !digits(m) || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(Time {
        minutes: h * 60 + m,
        text: s,
    })
}

/// One `[start, end]` interval whose two times parse.
#[derive(Debug, Clone, Copy)]
pub struct Interval<'a> {
    /// Position in the day's list.
    pub index: usize,
    pub start: Time<'a>,
    pub end: Time<'a>,
}

impl Interval<'_> {
    /// `8:00-18:00`, as written.
    pub fn label(&self) -> String {
        format!("{}-{}", self.start.text, self.end.text)
    }
}

/// The well-formed intervals of one day, in list order. Days that are not lists and intervals
/// that are not two valid times are skipped.
pub fn intervals<'a>(body: &'a Value, day: &str) -> Vec<Interval<'a>> {
    let Some(list) = body.get(day).and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(index, item)| match item.as_array()?.as_slice() {
            [Value::String(a), Value::String(b)] => Some(Interval {
                index,
                start: parse_time(a)?,
                end: parse_time(b)?,
            }),
            _ => None,
        })
        .collect()
}

/// Pointer of an interval, relative to the body.
pub fn pointer(day: &str, index: usize) -> String {
    format!("/{day}/{index}")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::{self, testing};

    fn time_rules() -> Vec<&'static dyn rules::Rule> {
        rules::all()
            .iter()
            .copied()
            .filter(|r| r.meta().code.starts_with("TIME"))
            .collect()
    }

    #[test]
    fn times_parse_like_the_schema_pattern() {
        assert_eq!(parse_time("0:00").map(|t| t.minutes), Some(0));
        assert_eq!(parse_time("08:05").map(|t| t.minutes), Some(485));
        assert_eq!(parse_time("23:59").map(|t| t.minutes), Some(1439));
        for bad in [
            "24:00", "8:60", "8:0", "8.00", "", ":", "123:00", "+8:00", "8:00 ", "٨:٠٠",
        ] {
            assert_eq!(parse_time(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn odd_intervals_are_skipped() {
        let body: Value = serde_json::from_str(
            r#"{"Mon": [["8:00", "9:00"], ["8:00"], ["8:00", "9:00", "10:00"], "8:00-9:00",
                [8, 9], ["25:00", "9:00"], null, ["10:00", "11:00"]], "Tue": {}}"#,
        )
        .unwrap();
        let found: Vec<usize> = intervals(&body, "Mon").iter().map(|i| i.index).collect();
        assert_eq!(found, vec![0, 7]);
        assert!(intervals(&body, "Tue").is_empty());
        assert!(intervals(&body, "Wed").is_empty());
    }

    #[test]
    fn two_time_rules_are_registered() {
        let codes: Vec<&str> = time_rules().iter().map(|r| r.meta().code).collect();
        assert_eq!(codes, vec!["TIME001", "TIME002"]);
    }

    #[test]
    fn valid_fixtures_give_no_time_error() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/valid/api/configuration/policies/time_policies");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for r in time_rules() {
                for d in testing::run_rule(r, ENDPOINTS[0], &text) {
                    assert_eq!(d.severity, Severity::Warning, "{}: {d:?}", p.display());
                }
            }
        }
    }

    #[test]
    fn no_rule_panics_on_odd_shapes() {
        for body in [
            "{}",
            "[]",
            "null",
            r#"{"Mon": null, "Tue": 5, "Wed": [[]], "Thu": [[null, null]], "Fri": [["é", "€"]]}"#,
        ] {
            for r in time_rules() {
                let _ = testing::run_rule(r, ENDPOINTS[0], body);
            }
        }
    }
}
