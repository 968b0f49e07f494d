//! Byte offsets ↔ LSP positions. A position is a zero-based line and a column counted in the
//! negotiated encoding: UTF-16 code units by default (an `ё` is one unit, an emoji two), bytes
//! when the client accepts `utf-8`. Lines end at `\n`, `\r\n` or a lone `\r`, as the protocol
//! says. Positions past the end of a line or of the text are clamped, never rejected.

use lsp_types::{Position, PositionEncodingKind, Range};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf16,
    Utf8,
}

impl Encoding {
    /// Picks UTF-8 when the client offers it, else the protocol's default UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }

    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf8 => c.len_utf8() as u32,
        }
    }
}

/// Line starts of one text, for converting in both directions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    encoding: Encoding,
}

impl LineIndex {
    pub fn new(text: &str, encoding: Encoding) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineIndex { starts, encoding }
    }

    /// The position of a byte offset (clamped to the text, and back to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset);
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = text[start..offset].chars().map(|c| self.encoding.width(c)).sum();
        Position::new(line as u32, character)
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end.max(start)))
    }

    /// The range of the whole text: what an edit replacing the document (formatting) covers.
    pub fn whole(&self, text: &str) -> Range {
        self.range(text, 0, text.len())
    }

    /// The byte offset of a position. A line past the end gives the end of the text; a column
    /// past the end of its line gives the end of the line; a column inside a character (half
    /// of a UTF-16 surrogate pair, the middle of a UTF-8 sequence) gives the character's start.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .copied()
            .unwrap_or(text.len());
        let line = text[start..end].trim_end_matches(['\n', '\r']);
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            let next = units + self.encoding.width(c);
            if next > position.character {
                return start + i;
            }
            units = next;
        }
        start + line.len()
    }
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_columns_are_utf16_units_or_bytes() {
        let text = "роль X\nэтап Встреча {";
        let at = text.find("Встреча").unwrap();
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(utf16.position(text, at), Position::new(1, 5));
        assert_eq!(utf16.offset(text, Position::new(1, 5)), at);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(text, at), Position::new(1, 9));
        assert_eq!(utf8.offset(text, Position::new(1, 9)), at);
    }

    #[test]
    fn characters_outside_the_basic_plane_take_two_utf16_units() {
        let text = "# 🚀 x";
        let index = LineIndex::new(text, Encoding::Utf16);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), Position::new(0, 5));
        assert_eq!(index.offset(text, Position::new(0, 5)), x);
        // The middle of the surrogate pair falls back to the rocket's start.
        assert_eq!(index.offset(text, Position::new(0, 3)), text.find('🚀').unwrap());
    }

    #[test]
    fn line_endings_of_every_kind_are_lines() {
        let text = "a\r\nб\rв\nг";
        let index = LineIndex::new(text, Encoding::Utf16);
        for (ch, line) in [("б", 1), ("в", 2), ("г", 3)] {
            let at = text.find(ch).unwrap();
            assert_eq!(index.position(text, at), Position::new(line, 0));
            assert_eq!(index.offset(text, Position::new(line, 0)), at);
        }
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let text = "этап\nX";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.offset(text, Position::new(0, 99)), "этап".len());
        assert_eq!(index.offset(text, Position::new(7, 0)), text.len());
        assert_eq!(index.position(text, 1000), Position::new(1, 1));
        // An offset inside a character is moved back to its start.
        assert_eq!(index.position(text, 1), Position::new(0, 0));
    }

    #[test]
    fn the_whole_text_ends_after_the_last_character() {
        let text = "роль А {}\nэтап";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(
            index.whole(text),
            Range::new(Position::new(0, 0), Position::new(1, 4))
        );
        let text = "роль А {}\n";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.whole(text).end, Position::new(1, 0));
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
    }
}
