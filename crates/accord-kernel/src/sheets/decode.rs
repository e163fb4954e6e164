//! Which text encoding a CSV file is in: a byte-order mark says so; otherwise UTF-8 when the
//! bytes are valid UTF-8, UTF-16 when every other byte is zero (text saved by Excel's
//! "Unicode text"), and Windows-1251 (Russian Windows' default) for the rest.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1251};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1251,
}

impl TextEncoding {
    pub fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 => UTF_8,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
            TextEncoding::Windows1251 => WINDOWS_1251,
        }
    }
}

/// The encoding of `bytes` (the start of a file is enough; up to 64 KiB is read).
pub fn detect_encoding(bytes: &[u8]) -> TextEncoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return match encoding.name() {
            "UTF-16LE" => TextEncoding::Utf16Le,
            "UTF-16BE" => TextEncoding::Utf16Be,
            _ => TextEncoding::Utf8,
        };
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let zeros_at = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let pairs = sample.len() / 2;
    if pairs > 0 && zeros_at(1) * 3 > pairs {
        return TextEncoding::Utf16Le;
    }
    if pairs > 0 && zeros_at(0) * 3 > pairs {
        return TextEncoding::Utf16Be;
    }
    if valid_utf8_prefix(sample, sample.len() < bytes.len()) { TextEncoding::Utf8 } else { TextEncoding::Windows1251 }
}

/// Whether `sample` is UTF-8; when it was cut from a longer file, a character cut in two at
/// its end does not count against it.
fn valid_utf8_prefix(sample: &[u8], cut: bool) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => cut && e.error_len().is_none() && sample.len() - e.valid_up_to() < 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_encoding_people_save_in_is_recognised() {
        let text = "name;city\nООО Ромашка;Москва\n";
        let (cp1251, _, _) = WINDOWS_1251.encode(text);
        assert_eq!(detect_encoding(&cp1251), TextEncoding::Windows1251);
        assert_eq!(detect_encoding(text.as_bytes()), TextEncoding::Utf8);
        let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
        utf8_bom.extend_from_slice("نام,شهر\nپارس,تهران\n".as_bytes());
        assert_eq!(detect_encoding(&utf8_bom), TextEncoding::Utf8);
        let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(detect_encoding(&utf16le), TextEncoding::Utf16Le);
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&utf16le);
        assert_eq!(detect_encoding(&with_bom), TextEncoding::Utf16Le);
        let utf16be: Vec<u8> = "name,city\nA,B\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(detect_encoding(&utf16be), TextEncoding::Utf16Be);
    }
}
