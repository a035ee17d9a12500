//! Search for the console: jurisdictions and situation records by Chinese or English name,
//! by pinyin (initials 东昌区 → `dcq`, or whole syllables `dongchangqu`) and by admin code
//! (any leading digits, so `220502` finds 东昌区 and its townships).

use pinyin::ToPinyin;

use crate::types::{Matched, SearchHit};

/// Most hits returned when the request names no limit, and at most ever.
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 200;

/// The pinyin initials and the whole toneless pinyin of `name`; characters without a reading
/// (Latin letters, digits) are kept lower-cased, punctuation dropped.
pub fn pinyin_keys(name: &str) -> (String, String) {
    let (mut initials, mut full) = (String::new(), String::new());
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            Some(p) => {
                initials.push_str(p.first_letter());
                full.push_str(p.plain());
            }
            None if c.is_ascii_alphanumeric() => {
                initials.push(c.to_ascii_lowercase());
                full.push(c.to_ascii_lowercase());
            }
            None => {}
        }
    }
    (initials, full)
}

/// How well `text` holds `q`: 0 equal, 1 starts with it, 2 contains it.
fn closeness(text: &str, q: &str) -> Option<u8> {
    if text == q {
        Some(0)
    } else if text.starts_with(q) {
        Some(1)
    } else if text.contains(q) {
        Some(2)
    } else {
        None
    }
}

/// How `hit` matches the query `q` (trimmed, lower case), best way first: a rank (lower is
/// better) and the way.
fn score(hit: &SearchHit, q: &str) -> Option<(u8, Matched)> {
    if q.bytes().all(|b| b.is_ascii_digit()) {
        // Codes are matched from the left: more digits, fewer places.
        let code = hit.code.as_deref()?;
        let significant = code.trim_end_matches("000");
        return if code == q || significant == q {
            Some((0, Matched::Code))
        } else {
            code.starts_with(q).then_some((1, Matched::Code))
        };
    }
    let by_name = closeness(&hit.name_zh, q).or_else(|| closeness(&hit.name_en.to_lowercase(), q));
    if let Some(rank) = by_name {
        return Some((rank, Matched::Name));
    }
    if q.is_ascii() {
        let (initials, full) = pinyin_keys(&hit.name_zh);
        let rank = closeness(&initials, q).into_iter().chain(closeness(&full, q)).min()?;
        return Some((rank, Matched::Pinyin));
    }
    None
}

/// The candidates matching `q`, best first (closer match, then higher tier, then shorter
/// name), at most `limit`. An empty query matches nothing.
pub fn search(candidates: impl IntoIterator<Item = SearchHit>, q: &str, limit: usize) -> Vec<SearchHit> {
    let q = q.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, SearchHit)> = candidates
        .into_iter()
        .filter_map(|mut h| {
            let (rank, matched) = score(&h, &q)?;
            h.matched = matched;
            Some((rank, h))
        })
        .collect();
    hits.sort_by(|(ra, a), (rb, b)| {
        ra.cmp(rb)
            .then_with(|| a.layer.is_some().cmp(&b.layer.is_some()))
            .then_with(|| a.tier.cmp(&b.tier))
            .then_with(|| a.name_zh.chars().count().cmp(&b.name_zh.chars().count()))
            .then_with(|| a.name_zh.cmp(&b.name_zh))
    });
    hits.into_iter().take(limit.clamp(1, MAX_LIMIT)).map(|(_, h)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use onemap_domain::{Point, Tier};

    fn place(code: &str, zh: &str, en: &str, tier: Tier) -> SearchHit {
        SearchHit {
            layer: None,
            id: None,
            code: Some(code.into()),
            tier: Some(tier),
            name_zh: zh.into(),
            name_en: en.into(),
            point: Point { lon: 125.9, lat: 41.7 },
            bounds: None,
            matched: Matched::Name,
        }
    }

    fn places() -> Vec<SearchHit> {
        vec![
            place("220500000000", "通化市", "Tonghua", Tier::City),
            place("220502000000", "东昌区", "Dongchang District", Tier::County),
            place("220502001000", "东昌街道", "Dongchang Subdistrict", Tier::Township),
            place("220503000000", "二道江区", "Erdaojiang District", Tier::County),
        ]
    }

    fn names(hits: &[SearchHit]) -> Vec<&str> {
        hits.iter().map(|h| h.name_zh.as_str()).collect()
    }

    #[test]
    fn pinyin_keys_of_place_names() {
        assert_eq!(pinyin_keys("东昌区"), ("dcq".into(), "dongchangqu".into()));
        assert_eq!(pinyin_keys("G1 高速"), ("g1gs".into(), "g1gaosu".into()));
    }

    #[test]
    fn finds_dongchang_by_name_initials_pinyin_and_code() {
        let by_name = search(places(), "东昌区", 10);
        assert_eq!(names(&by_name), ["东昌区"]);
        assert_eq!(by_name[0].matched, Matched::Name);
        let by_initials = search(places(), "DCQ", 10);
        assert_eq!(names(&by_initials), ["东昌区"]);
        assert_eq!(by_initials[0].matched, Matched::Pinyin);
        // Initials as a prefix: the district before its sub-district (higher tier).
        assert_eq!(names(&search(places(), "dc", 10)), ["东昌区", "东昌街道"]);
        assert_eq!(names(&search(places(), "dongchang", 10)), ["东昌区", "东昌街道"]);
        let by_code = search(places(), "220502000000", 10);
        assert_eq!(names(&by_code), ["东昌区"]);
        assert_eq!(by_code[0].matched, Matched::Code);
        // The six-digit code is the district itself first, then what lies in it.
        assert_eq!(names(&search(places(), "220502", 10)), ["东昌区", "东昌街道"]);
        assert_eq!(names(&search(places(), "2205", 10)), ["通化市", "东昌区", "二道江区", "东昌街道"]);
    }

    #[test]
    fn english_names_and_limits() {
        assert_eq!(names(&search(places(), "erdaojiang", 10)), ["二道江区"]);
        assert_eq!(search(places(), "2205", 2).len(), 2);
        assert!(search(places(), "  ", 10).is_empty());
        assert!(search(places(), "xyz", 10).is_empty());
        assert!(search(places(), "999", 10).is_empty());
    }
}
