//! TIME001 time-interval-reversed: a time policy interval does not start before it ends.

use std::cmp::Ordering;

use super::common::{self, DAYS};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// A time policy interval ends before it starts, or starts and ends at the same time.
    ///
    /// ## What it checks
    ///
    /// Each day of a time policy (`Mon` to `Sun`) lists intervals `[start, end]` in which access is
    /// allowed. The start must be earlier than the end, within the same day: `["8:00", "18:00"]`.
    /// The whole day is `["0:00", "23:59"]`.
    ///
    /// An interval whose end is earlier than its start (`["22:00", "6:00"]`), or equal to it
    /// (`["8:00", "8:00"]`), is reported on the interval.
    ///
    /// ## Why it matters
    ///
    /// An interval cannot reach past midnight: `["22:00", "6:00"]` does not mean a night shift, and an
    /// interval of no length allows nothing. Either way SPS would not grant access when you expect it;
    /// users are locked out of the connections that use the policy. A night shift is written as two
    /// intervals: `["22:00", "23:59"]` on one day and `["0:00", "6:00"]` on the next.
    ///
    /// ## Notes
    ///
    /// The reference gives the format (`hh:mm`, though its own examples write `0:00` and `8:00`) and
    /// says the whole day is `0:00` to `23:59`, but not what an interval across midnight or of no length
    /// does. spslint reports both as errors, because neither can express what was meant.
    ///
    /// The time format, the two items of an interval and the presence of all seven days are checked by
    /// the schema; intervals it rejects are skipped here.
    pub struct TimeIntervalReversed {
        code: "TIME001",
        name: "time-interval-reversed",
        severity: Error,
        endpoints: common::ENDPOINTS,
        fix: Never,
        bad: r#"{
  "Fri": [
    [
      "22:00",
      "6:00"
    ]
  ],
  "Mon": [],
  "Sat": [],
  "Sun": [],
  "Thu": [],
  "Tue": [],
  "Wed": [],
  "name": "night_shift"
}"#,
        good: r#"{
  "Fri": [
    [
      "22:00",
      "23:59"
    ]
  ],
  "Mon": [],
  "Sat": [
    [
      "0:00",
      "6:00"
    ]
  ],
  "Sun": [],
  "Thu": [],
  "Tue": [],
  "Wed": [],
  "name": "night_shift"
}"#,
    }
}

impl Rule for TimeIntervalReversed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for &day in DAYS {
            for interval in common::intervals(cx.body, day) {
                let (start, end) = (interval.start.text, interval.end.text);
                let pointer = common::pointer(day, interval.index);
                match interval.start.minutes.cmp(&interval.end.minutes) {
                    Ordering::Less => {}
                    Ordering::Equal => cx.report(
                        &pointer,
                        format!(
                            "the {day} interval [\"{start}\", \"{end}\"] starts and ends at the same time, so it allows no access: the start must be earlier than the end"
                        ),
                        format!(
                            "write the time the period ends, such as [\"{start}\", \"23:59\"], or remove the interval"
                        ),
                    ),
                    Ordering::Greater => cx.report(
                        &pointer,
                        format!(
                            "the {day} interval [\"{start}\", \"{end}\"] ends before it starts: the start must be earlier than the end, within the same day"
                        ),
                        format!(
                            "to allow {end} to {start}, write [\"{end}\", \"{start}\"]; to allow {start} until {end} the next morning, write [\"{start}\", \"23:59\"] here and [\"0:00\", \"{end}\"] on the next day"
                        ),
                    ),
                }
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
    fn forward_intervals_pass() {
        for b in [
            r#"{"Mon": [["0:00", "23:59"]], "Tue": [["8:00", "8:01"], ["07:30", "12:00"]], "Sat": []}"#,
            // Malformed intervals are the schema's.
            r#"{"Mon": [["18:00"], ["18:00", "8:00", "9:00"], ["25:00", "8:00"], [18, 8]]}"#,
            META.good,
        ] {
            assert!(run_rule(&TimeIntervalReversed, EP, b).is_empty(), "{b}");
        }
    }

    #[test]
    fn reversed_and_empty_intervals_are_reported_at_the_interval() {
        let d = run_rule(&TimeIntervalReversed, EP, META.bad);
        assert_eq!(pointers(&d), vec!["/Fri/0"]);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(
            d[0].message.contains("ends before it starts"),
            "{}",
            d[0].message
        );
        let help = d[0].help.as_deref().unwrap();
        assert!(help.contains(r#"["22:00", "23:59"]"#), "{help}");
        assert!(help.contains(r#"["0:00", "6:00"]"#), "{help}");

        let d = run_rule(
            &TimeIntervalReversed,
            EP,
            r#"{"Mon": [["8:00", "12:00"], ["13:00", "13:00"]], "Sun": [["23:59", "0:00"]]}"#,
        );
        assert_eq!(pointers(&d), vec!["/Mon/1", "/Sun/0"]);
        assert!(d[0].message.contains("same time"), "{}", d[0].message);
    }

    #[test]
    fn leading_zeros_do_not_matter() {
        let d = run_rule(&TimeIntervalReversed, EP, r#"{"Wed": [["09:00", "9:00"]]}"#);
        assert_eq!(pointers(&d), vec!["/Wed/0"]);
    }
}
