//! Formula neutralisation for exported CSV (CWE-1236, "CSV injection").
//!
//! A spreadsheet that opens a CSV treats a cell starting with `=`, `+`, `-` or `@` as a
//! formula (and tab or carriage return can smuggle one past naive filters), so a registry
//! value like `=HYPERLINK("http://…")` typed by anyone upstream would run on the operator's
//! machine. Every such cell (header or data) is written with a leading single quote `'`, which
//! Excel and WPS show as text. The full-width forms `＝ ＋ － ＠` are included because Chinese
//! input methods produce them and some spreadsheet builds normalise them.
//!
//! One exception keeps numbers numbers: a cell that is entirely a plain decimal
//! (`-?[0-9]+(\.[0-9]+)?`, e.g. `-3.5`) is left as it is. It cannot be a formula.
//!
//! The quote is part of the exported text: reading the CSV back gives `'=…`, not `=…`.

use std::borrow::Cow;

/// First characters that make a spreadsheet evaluate a cell.
pub const TRIGGERS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// True when `s` is entirely `-?[0-9]+(\.[0-9]+)?` (ASCII digits).
pub fn is_plain_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

/// The cell as it must be written to CSV: prefixed with `'` when it starts with a trigger
/// character and is not a plain decimal number; otherwise unchanged (and not copied).
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if TRIGGERS.contains(&c) && !is_plain_decimal(cell) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_is_prefixed() {
        for (cell, want) in [
            ("=1+1", "'=1+1"),
            ("+86 138", "'+86 138"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=cmd", "'\t=cmd"),
            ("\r=cmd", "'\r=cmd"),
            ("＝1+1", "'＝1+1"),
            ("＋1", "'＋1"),
            ("－1", "'－1"),
            ("＠A1", "'＠A1"),
        ] {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
        assert_eq!(TRIGGERS.len(), 10);
    }

    #[test]
    fn plain_numbers_and_ordinary_text_are_untouched() {
        for cell in ["-3.5", "-7", "42", "0.5", "", "通化市救援队", "a=b", " =1", "'=already"] {
            assert!(matches!(neutralise(cell), Cow::Borrowed(c) if c == cell), "{cell:?}");
        }
    }

    #[test]
    fn only_strict_decimals_are_exempt() {
        for (cell, plain) in [
            ("-3.5", true),
            ("-0", true),
            ("007", true),
            ("-", false),
            ("-.5", false),
            ("-3.", false),
            ("-3.5.1", false),
            ("-1e5", false),
            ("-3,5", false),
            ("-１", false),
            ("- 3", false),
        ] {
            assert_eq!(is_plain_decimal(cell), plain, "{cell:?}");
            if cell.starts_with('-') {
                assert_eq!(neutralise(cell).starts_with('\''), !plain, "{cell:?}");
            }
        }
    }
}
