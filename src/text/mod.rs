//! Text helpers every layer shares: positions in a text (one line index, used for spans,
//! configuration errors and snippets), control characters made visible, and typo suggestions.

pub mod escape;

use crate::diagnostic::Span;

/// Byte offsets of line starts, for turning offsets into 1-based line and character column.
pub struct LineIndex {
    starts: Vec<usize>,
    /// How many characters precede every `CHUNK`-th byte (and the end). A column then costs
    /// at most `CHUNK` bytes of counting however long its line is: a minified file is one
    /// line, and counting from its start for each of a million findings would take minutes.
    chars_before: Vec<usize>,
}

const CHUNK: usize = 128;

/// Bytes that start a character (not UTF-8 continuation bytes).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut chars_before = Vec::with_capacity(text.len() / CHUNK + 2);
        let mut n = 0;
        for chunk in text.as_bytes().chunks(CHUNK) {
            chars_before.push(n);
            n += count_chars(chunk);
        }
        chars_before.push(n);
        LineIndex {
            starts,
            chars_before,
        }
    }

    /// Characters in `text[..offset]`; `offset` is a char boundary.
    fn chars_to(&self, text: &str, offset: usize) -> usize {
        let chunk = offset / CHUNK;
        let from = chunk * CHUNK;
        self.chars_before[chunk] + count_chars(&text.as_bytes()[from..offset])
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = text.floor_char_boundary(offset);
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = self.chars_to(text, offset) - self.chars_to(text, self.starts[line]) + 1;
        (line + 1, col)
    }

    /// Span of `start..end`; the end is exclusive (the column after the last character).
    pub fn span(&self, text: &str, start: usize, end: usize) -> Span {
        let (line, column) = self.line_col(text, start);
        let (end_line, end_column) = self.line_col(text, end.max(start));
        Span {
            start,
            end: end.max(start),
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Byte offsets where lines start (the first is 0).
    pub fn line_starts(&self) -> &[usize] {
        &self.starts
    }

    /// Byte offset of a 1-based line and byte column (serde_json's positions).
    pub fn offset_of(&self, text: &str, line: usize, byte_column: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        text.floor_char_boundary(start + byte_column.saturating_sub(1))
    }
}

/// The closest candidate, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for &c in candidates {
        if c.to_lowercase() == lower {
            return Some(c);
        }
        let distance = strsim::damerau_levenshtein(&lower, &c.to_lowercase());
        let longest = lower.chars().count().max(c.chars().count());
        // Allow about one edit in three characters, and always one.
        if distance <= (longest / 3).max(1) {
            let score = strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase());
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((c, score));
            }
        }
    }
    best.map(|(c, _)| c)
}
