//! What kind of text a file is: its encoding (byte-order marks, UTF-8, else Windows-1252) and its
//! delimiter (`,` `;` tab `|`), from its first bytes — and whether it is text at all.

use std::io::Read;

/// How much of the file the detection reads.
pub const SAMPLE: usize = 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    pub fn key(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [Encoding::Utf8, Encoding::Utf16Le, Encoding::Utf16Be, Encoding::Windows1252]
            .into_iter()
            .find(|e| e.key() == key)
    }

    /// Bytes of the byte-order mark this encoding was recognised by (skipped when reading).
    pub fn bom_len(self, sample: &[u8]) -> usize {
        match self {
            Encoding::Utf8 if sample.starts_with(&[0xEF, 0xBB, 0xBF]) => 3,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
            _ => 0,
        }
    }
}

/// Why a file cannot be imported at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    /// NUL bytes or other binary content: not a CSV file.
    Binary,
    /// A header row and nothing else.
    NoRows,
    TooLarge,
}

impl FileProblem {
    pub fn code(self) -> &'static str {
        match self {
            FileProblem::Empty => "error-import-empty",
            FileProblem::Binary => "error-import-binary",
            FileProblem::NoRows => "error-import-no-rows",
            FileProblem::TooLarge => "error-import-too-large",
        }
    }
}

/// The encoding of a file starting with `sample`. UTF-16 needs its byte-order mark (spreadsheets
/// write one); text that is valid UTF-8 is UTF-8; anything else is read as Windows-1252, what
/// Excel on Windows writes.
pub fn encoding(sample: &[u8]) -> Result<Encoding, FileProblem> {
    if sample.is_empty() {
        return Err(FileProblem::Empty);
    }
    if sample.starts_with(&[0xFF, 0xFE]) {
        return Ok(Encoding::Utf16Le);
    }
    if sample.starts_with(&[0xFE, 0xFF]) {
        return Ok(Encoding::Utf16Be);
    }
    if looks_binary(sample) {
        return Err(FileProblem::Binary);
    }
    match std::str::from_utf8(sample) {
        Ok(_) => Ok(Encoding::Utf8),
        // The sample may end inside a character: that is still UTF-8.
        Err(e) if e.error_len().is_none() => Ok(Encoding::Utf8),
        Err(_) => {
            // Mostly UTF-8 with a few bad bytes is UTF-8 with bad rows (rejected one by one), not
            // a Windows file: count what decodes.
            let valid = utf8_share(sample);
            Ok(if valid > 0.99 && sample.iter().any(|b| *b >= 0xC2) { Encoding::Utf8 } else { Encoding::Windows1252 })
        }
    }
}

/// Share of the non-ASCII bytes of `sample` that belong to well-formed UTF-8 sequences.
fn utf8_share(sample: &[u8]) -> f64 {
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = sample;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.bytes().filter(|b| *b >= 0x80).count();
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                good += valid.iter().filter(|b| **b >= 0x80).count();
                let skip = e.error_len().unwrap_or(after.len());
                bad += skip;
                rest = &after[skip..];
            }
        }
    }
    if good + bad == 0 { 1.0 } else { good as f64 / (good + bad) as f64 }
}

/// NUL bytes, or many control characters other than tab, CR, LF and form feed.
fn looks_binary(sample: &[u8]) -> bool {
    if sample.contains(&0) {
        return true;
    }
    let controls = sample.iter().filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0C)).count();
    controls * 100 > sample.len()
}

/// The delimiter that splits the sample's lines most consistently into more than one column.
pub fn delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(50).collect();
    let mut best = (b',', 0usize, 0usize);
    for candidate in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, candidate)).collect();
        let Some(&first) = counts.first() else { continue };
        // How many lines have as many delimiters as the header: the consistency of a real one.
        let agreeing = counts.iter().filter(|c| **c == first && first > 0).count();
        if (agreeing, first) > (best.1, best.2) {
            best = (candidate, agreeing, first);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|b| {
            if *b == b'"' {
                quoted = !quoted;
            }
            !quoted && *b == delimiter
        })
        .count()
}

/// The sample decoded to text (for the delimiter and the preview); invalid bytes become U+FFFD.
pub fn decode_sample(sample: &[u8], encoding: Encoding) -> String {
    let body = &sample[encoding.bom_len(sample)..];
    let (text, _) = match encoding {
        Encoding::Utf8 => encoding_rs::UTF_8.decode_without_bom_handling(body),
        Encoding::Utf16Le => encoding_rs::UTF_16LE.decode_without_bom_handling(body),
        Encoding::Utf16Be => encoding_rs::UTF_16BE.decode_without_bom_handling(body),
        Encoding::Windows1252 => encoding_rs::WINDOWS_1252.decode_without_bom_handling(body),
    };
    text.into_owned()
}

/// Reads a UTF-16 stream as UTF-8 (the CSV reader then sees bytes like any other file). Other
/// encodings pass through: their cells are decoded one by one, so one bad row is one rejection.
pub struct Utf8Reader<R> {
    inner: R,
    decoder: Option<encoding_rs::Decoder>,
    input: Vec<u8>,
    output: Vec<u8>,
    start: usize,
    done: bool,
}

impl<R: Read> Utf8Reader<R> {
    pub fn new(inner: R, encoding: Encoding) -> Self {
        let decoder = match encoding {
            Encoding::Utf16Le => Some(encoding_rs::UTF_16LE.new_decoder_without_bom_handling()),
            Encoding::Utf16Be => Some(encoding_rs::UTF_16BE.new_decoder_without_bom_handling()),
            _ => None,
        };
        Self { inner, decoder, input: vec![0; 16 * 1024], output: Vec::new(), start: 0, done: false }
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some(decoder) = self.decoder.as_mut() else { return self.inner.read(buf) };
        while self.start == self.output.len() && !self.done {
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            let mut text = String::with_capacity(decoder.max_utf8_buffer_length(n).unwrap_or(n * 3) + 4);
            let (_, _, _) = decoder.decode_to_string(&self.input[..n], &mut text, last);
            self.output = text.into_bytes();
            self.start = 0;
            self.done = last;
        }
        let available = &self.output[self.start..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_apart() {
        assert_eq!(encoding(b"name,phone\nAna,1\n"), Ok(Encoding::Utf8));
        assert_eq!(encoding("\u{FEFF}nombre;teléfono\n".as_bytes()), Ok(Encoding::Utf8));
        assert_eq!(encoding(&[0xFF, 0xFE, b'a', 0]), Ok(Encoding::Utf16Le));
        assert_eq!(encoding(&[0xFE, 0xFF, 0, b'a']), Ok(Encoding::Utf16Be));
        assert_eq!(encoding(b"nombre;tel\xe9fono\nJos\xe9;1\n"), Ok(Encoding::Windows1252));
        assert_eq!(encoding(b""), Err(FileProblem::Empty));
        assert_eq!(encoding(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(FileProblem::Binary));
        // Cut in the middle of "é": still UTF-8.
        assert_eq!(encoding(&"nombre,teléfono".as_bytes()[..13]), Ok(Encoding::Utf8));
        // Mostly UTF-8, one stray Windows byte: UTF-8 (that row is rejected later).
        let mixed = format!("{}caf\u{e9}\n", "nombre,teléfono,ciudad,año,señal\n".repeat(200));
        let mut bytes = mixed.into_bytes();
        bytes.extend_from_slice(b"Jos\xe9,1\n");
        assert_eq!(encoding(&bytes), Ok(Encoding::Utf8));
    }

    #[test]
    fn delimiters_are_found_by_consistency() {
        assert_eq!(delimiter("name,phone\nAna,1\nLuis,2"), b',');
        assert_eq!(delimiter("nombre;teléfono;notas\nAna;1;\"a, b, c\"\nLuis;2;x"), b';');
        assert_eq!(delimiter("name\tphone\nAna\t1"), b'\t');
        assert_eq!(delimiter("name|phone|city\nAna|1|Lima"), b'|');
        assert_eq!(delimiter("just one column\nAna"), b',', "nothing better: the default");
    }

    #[test]
    fn utf16_is_read_as_utf8() {
        let text = "nombre;teléfono\nJosé;+34 612 34 56 78\n";
        let mut bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        // A reader that hands out one byte at a time splits characters across reads.
        struct Trickle(Vec<u8>, usize);
        impl Read for Trickle {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.1 == self.0.len() || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = self.0[self.1];
                self.1 += 1;
                Ok(1)
            }
        }
        bytes.truncate(bytes.len());
        let mut out = String::new();
        Utf8Reader::new(Trickle(bytes, 0), Encoding::Utf16Le).read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
    }
}
