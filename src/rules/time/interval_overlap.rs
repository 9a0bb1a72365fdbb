//! TIME002 time-interval-overlap: two intervals of the same day overlap.

use super::common::{self, DAYS, Interval};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// Two intervals of the same day in a time policy overlap.
    ///
    /// ## What it checks
    ///
    /// Reports an interval that overlaps an interval listed before it on the same day, such as
    /// `["8:00", "12:00"]` and `["11:00", "14:00"]`. The finding is on the later interval and names the
    /// earlier one; the help gives the merged interval.
    ///
    /// Intervals that only touch (`["8:00", "12:00"]` and `["12:00", "14:00"]`) are not reported, nor
    /// are intervals TIME001 reports or the schema rejects.
    ///
    /// ## Why it matters
    ///
    /// Overlapping intervals allow nothing more than their union, so SPS works, but the policy no
    /// longer reads as what it does: an overlap is usually a typing mistake (`18:00` for `13:00`) that
    /// hides the interval that was meant, such as a lunch break that is not there.
    ///
    /// ## Notes
    ///
    /// The reference shows several intervals per day but says nothing about overlaps. A warning,
    /// because the union of the intervals is still a well-defined time frame.
    pub struct TimeIntervalOverlap {
        code: "TIME002",
        name: "time-interval-overlap",
        severity: Warning,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "Fri": [
    [
      "8:00",
      "12:00"
    ],
    [
      "11:00",
      "17:00"
    ]
  ],
  "Mon": [],
  "Sat": [],
  "Sun": [],
  "Thu": [],
  "Tue": [],
  "Wed": [],
  "name": "office_hours"
}"#,
        good: r#"{
  "Fri": [
    [
      "8:00",
      "12:00"
    ],
    [
      "13:00",
      "17:00"
    ]
  ],
  "Mon": [],
  "Sat": [],
  "Sun": [],
  "Thu": [],
  "Tue": [],
  "Wed": [],
  "name": "office_hours"
}"#,
    }
}

fn overlaps(a: &Interval<'_>, b: &Interval<'_>) -> bool {
    a.start.minutes < b.end.minutes && b.start.minutes < a.end.minutes
}

impl Rule for TimeIntervalOverlap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for &day in DAYS {
            let forward: Vec<Interval<'_>> = common::intervals(cx.body, day)
                .into_iter()
                .filter(|i| i.start.minutes < i.end.minutes)
                .collect();
            for (n, later) in forward.iter().enumerate() {
                let earlier: Vec<&Interval<'_>> =
                    forward[..n].iter().filter(|e| overlaps(e, later)).collect();
                if earlier.is_empty() {
                    continue;
                }
                let named: Vec<String> = earlier
                    .iter()
                    .map(|e| {
                        format!(
                            "[\"{}\", \"{}\"] (item {})",
                            e.start.text, e.end.text, e.index
                        )
                    })
                    .collect();
                let all = earlier.iter().copied().chain(std::iter::once(later));
                let start = all
                    .clone()
                    .min_by_key(|i| i.start.minutes)
                    .map(|i| i.start.text);
                let end = all.max_by_key(|i| i.end.minutes).map(|i| i.end.text);
                let (Some(start), Some(end)) = (start, end) else {
                    continue;
                };
                cx.report(
                    &common::pointer(day, later.index),
                    format!(
                        "the {day} interval [\"{}\", \"{}\"] overlaps {} of the same day: intervals of a day should not overlap",
                        later.start.text,
                        later.end.text,
                        named.join(" and ")
                    ),
                    format!(
                        "if both are meant, merge them into [\"{start}\", \"{end}\"]; otherwise correct the time that was mistyped"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{pointers, run_rule};

    const EP: &crate::endpoint::Endpoint = common::ENDPOINTS[0];

    #[test]
    fn separate_and_touching_intervals_pass() {
        for b in [
            r#"{"Mon": [["8:00", "12:00"], ["12:00", "18:00"]], "Tue": [["19:00", "22:00"], ["8:00", "18:00"]]}"#,
            // Same times on different days do not overlap.
            r#"{"Mon": [["8:00", "18:00"]], "Tue": [["8:00", "18:00"]]}"#,
            // Reversed intervals are TIME001's.
            r#"{"Mon": [["8:00", "18:00"], ["19:00", "9:00"]]}"#,
            META.good,
        ] {
            assert!(run_rule(&TimeIntervalOverlap, EP, b).is_empty(), "{b}");
        }
    }

    #[test]
    fn the_later_interval_is_reported_naming_the_earlier() {
        let d = run_rule(&TimeIntervalOverlap, EP, META.bad);
        assert_eq!(pointers(&d), vec!["/Fri/1"]);
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(
            d[0].message.contains(r#"["8:00", "12:00"] (item 0)"#),
            "{}",
            d[0].message
        );
        assert!(
            d[0].help
                .as_deref()
                .unwrap()
                .contains(r#"["8:00", "17:00"]"#)
        );
    }

    #[test]
    fn duplicates_and_contained_intervals_overlap() {
        let d = run_rule(
            &TimeIntervalOverlap,
            EP,
            r#"{"Wed": [["0:00", "23:59"], ["9:00", "10:00"], ["9:00", "10:00"]]}"#,
        );
        assert_eq!(pointers(&d), vec!["/Wed/1", "/Wed/2"]);
        assert!(d[1].message.contains("(item 0) and"), "{}", d[1].message);
        assert!(
            d[1].help
                .as_deref()
                .unwrap()
                .contains(r#"["0:00", "23:59"]"#)
        );
    }
}
