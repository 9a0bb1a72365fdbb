//! Byte offsets of the library to LSP positions and back, in the encoding agreed at
//! initialisation: UTF-16 code units (the protocol's default), UTF-8 bytes or UTF-32 code points
//! (characters).

use lsp_types::Position;

use crate::text::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The name the protocol uses (`general.positionEncodings`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf32 => "utf-32",
        }
    }

    /// The first of the client's encodings, in its order of preference, that is supported;
    /// UTF-16 when it offers none (every client must support it).
    pub fn choose(offered: &[&str]) -> Encoding {
        offered
            .iter()
            .find_map(|o| match *o {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// Where each line starts, for one text (the library's line index), in one encoding.
pub struct Lines<'a> {
    text: &'a str,
    index: LineIndex,
    encoding: Encoding,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        Lines {
            text,
            index: LineIndex::new(text),
            encoding,
        }
    }

    /// The position of a byte offset (clamped to the text, and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.text.floor_char_boundary(offset);
        let starts = self.index.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let character = match self.encoding {
            Encoding::Utf8 => offset - start,
            e => self.text[start..offset].chars().map(|c| e.width(c)).sum(),
        };
        Position {
            line: line as u32,
            character: character as u32,
        }
    }

    /// The byte offset of a position. A character past the end of its line is the line's end
    /// (as the protocol says); a line past the end is the end of the text.
    pub fn offset(&self, p: Position) -> usize {
        let starts = self.index.line_starts();
        let Some(&start) = starts.get(p.line as usize) else {
            return self.text.len();
        };
        let end = starts
            .get(p.line as usize + 1)
            .map_or(self.text.len(), |&n| n - 1);
        let line = &self.text[start..end];
        let want = p.character as usize;
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= want {
                return start + i;
            }
            units += self.encoding.width(c);
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_encoding() {
        // "é" is 2 UTF-8 bytes and 1 UTF-16 unit; "𝄞" is 4 bytes, 2 units, 1 character.
        let text = "{\n  \"é𝄞\": 1, \"k\": 2\n}";
        let k = text.find("\"k\"").unwrap();
        let at = |e| Lines::new(text, e).position(k);
        assert_eq!(at(Encoding::Utf8), Position::new(1, 15));
        assert_eq!(at(Encoding::Utf16), Position::new(1, 12));
        assert_eq!(at(Encoding::Utf32), Position::new(1, 11));
        for e in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let lines = Lines::new(text, e);
            assert_eq!(lines.offset(lines.position(k)), k);
        }
        // Past the end of a line: its end.
        let lines = Lines::new(text, Encoding::Utf16);
        assert_eq!(lines.offset(Position::new(0, 99)), 1);
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn the_client_preference_decides() {
        assert_eq!(Encoding::choose(&["utf-32", "utf-8"]), Encoding::Utf32);
        assert_eq!(Encoding::choose(&["utf-8", "utf-16"]), Encoding::Utf8);
        assert_eq!(Encoding::choose(&["latin-1"]), Encoding::Utf16);
        assert_eq!(Encoding::choose(&[]), Encoding::Utf16);
    }
}
