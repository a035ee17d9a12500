//! A filed report as a printable A4 PDF with real, searchable text: the report head, the
//! incident's figures as filed, each element's text wrapped to the page, and the
//! classification line and page number on every page. Text is set in Noto Serif CJK (the
//! `fonts-noto-cjk` package; `console.toml [report]`), subset into the file by krilla.

use std::sync::Arc;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use serde::Deserialize;

use onemap_domain::reporting::{Channel, KindRule, Report};

use crate::error::ApiError;

/// `console.toml [report]`: the fonts reports are set in (a font file and the face index in
/// it, e.g. 2 = Simplified Chinese in the Noto CJK collections).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    pub font: String,
    pub font_index: u32,
    pub bold_font: String,
    pub bold_font_index: u32,
}

/// What the page shows besides the report itself.
#[derive(Debug)]
pub struct Page<'a> {
    pub kind: &'a KindRule,
    pub label: &'a str,
    pub onset: &'a str,
    pub place: &'a str,
    pub class: &'a str,
    pub classification: &'a str,
}

const A4: (f32, f32) = (595.28, 841.89);
const MARGIN: f32 = 64.0;
const BODY: f32 = 12.0;
const LINE: f32 = 20.0;

/// The loaded faces.
#[derive(Clone)]
pub struct Fonts {
    regular: Font,
    bold: Font,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fonts")
    }
}

impl Fonts {
    pub fn load(c: &ReportConfig) -> Result<Self, ApiError> {
        let face = |path: &str, index: u32| {
            let data = std::fs::read(path).map_err(|e| {
                ApiError::new(
                    "report.font",
                    format!("{path}: {e} (install fonts-noto-cjk, or set console.toml [report] font)"),
                )
            })?;
            Font::new(Arc::new(data).into(), index)
                .ok_or_else(|| ApiError::new("report.font", format!("{path}: no font face {index} in it")))
        };
        Ok(Self { regular: face(&c.font, c.font_index)?, bold: face(&c.bold_font, c.bold_font_index)? })
    }
}

/// Approximate advance of a character at `size`: full width for CJK and full-width forms,
/// a little over half for the rest (a safe upper bound for Noto's Latin).
fn advance(c: char, size: f32) -> f32 {
    if c.is_ascii() { size * 0.6 } else { size }
}

/// `text` broken into lines no wider than `width` (at character boundaries; CJK text has
/// no spaces to break at); explicit newlines are kept.
pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0.0;
        for c in para.chars() {
            let a = advance(c, size);
            if w + a > width && !line.is_empty() {
                out.push(std::mem::take(&mut line));
                w = 0.0;
            }
            line.push(c);
            w += a;
        }
        out.push(line);
    }
    out
}

/// One run of text placed on a page (baseline at `y`).
struct Placed {
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    colour: [u8; 3],
    text: String,
}

/// Lays lines out top to bottom, starting a new page when one is full.
struct Writer {
    pages: Vec<Vec<Placed>>,
    y: f32,
}

impl Writer {
    fn new() -> Self {
        Self { pages: vec![Vec::new()], y: MARGIN }
    }

    fn line(&mut self, x: f32, size: f32, bold: bool, colour: [u8; 3], text: String, advance_by: f32) {
        if self.y + advance_by > A4.1 - MARGIN - 24.0 {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
        self.y += advance_by;
        self.pages.last_mut().expect("a page").push(Placed { x, y: self.y, size, bold, colour, text });
    }

    fn paragraph(&mut self, text: &str, indent: f32) {
        for l in wrap(text, BODY, A4.0 - 2.0 * MARGIN - indent) {
            self.line(MARGIN + indent, BODY, false, [0, 0, 0], l, LINE);
        }
    }
}

fn fill(s: &mut Surface<'_>, [r, g, b]: [u8; 3]) {
    s.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
}

const RED: [u8; 3] = [200, 16, 46];
const GREY: [u8; 3] = [90, 90, 90];

/// The report as PDF bytes.
pub fn render(fonts: &Fonts, r: &Report, p: &Page<'_>) -> Result<Vec<u8>, ApiError> {
    let mut w = Writer::new();
    w.line(MARGIN, 24.0, true, RED, "突发事件信息报告".to_owned(), 28.0);
    let channel = match r.channel {
        Channel::Phone => "电话",
        Channel::Written => "书面",
        Channel::Any => "",
    };
    let head = format!("{}　　{channel}报送：{}　　{}", p.label, r.to, r.filed_at.replace('T', " "));
    w.line(MARGIN, 10.5, false, GREY, head, 24.0);
    w.y += 10.0;
    for l in wrap(&r.title, 16.0, A4.0 - 2.0 * MARGIN) {
        w.line(MARGIN, 16.0, true, [0, 0, 0], l, 24.0);
    }
    w.y += 6.0;
    let f = &r.facts;
    let figures = [
        ("发生时间", p.onset.replace('T', " ")),
        ("地点", p.place.to_owned()),
        ("类别", p.class.to_owned()),
        ("人员伤亡", format!("死亡{}人，失踪{}人，受伤{}人", f.dead, f.missing, f.injured)),
        ("转移安置", format!("{}人（受灾{}人）", f.relocated, f.affected)),
        ("倒损房屋", format!("{}间", f.houses_damaged)),
        ("直接经济损失", format!("{:.1}万元", f.direct_loss_cny as f64 / 10_000.0)),
    ];
    for (k, v) in figures {
        w.line(MARGIN, BODY, true, [0, 0, 0], format!("{k}："), LINE);
        let x = MARGIN + k.chars().count() as f32 * BODY + BODY;
        let last = w.pages.last_mut().expect("a page");
        let y = last.last().map_or(w.y, |l| l.y);
        last.push(Placed { x, y, size: BODY, bold: false, colour: [0, 0, 0], text: v });
    }
    for e in &p.kind.elements {
        w.y += 8.0;
        w.line(MARGIN, 13.0, true, [0, 0, 0], format!("{}：", e.zh), LINE);
        w.paragraph(r.sections.get(&e.id).map_or("", String::as_str), 2.0 * BODY);
    }
    w.y += 12.0;
    w.line(MARGIN, 10.5, false, GREY, format!("填报：{}", r.filed_by), LINE);

    let mut doc = Document::new();
    let n = w.pages.len();
    for (i, lines) in w.pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(A4.0, A4.1).ok_or_else(|| ApiError::new("report.pdf", "bad page size"))?;
        let mut page = doc.start_page_with(settings);
        let mut s = page.surface();
        if i == 0 {
            // The red rule under the head.
            let mut pb = PathBuilder::new();
            pb.move_to(MARGIN, MARGIN + 62.0);
            pb.line_to(A4.0 - MARGIN, MARGIN + 62.0);
            if let Some(path) = pb.finish() {
                s.set_fill(None);
                s.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(RED[0], RED[1], RED[2]).into(),
                    width: 1.5,
                    ..Default::default()
                }));
                s.draw_path(&path);
                s.set_stroke(None);
            }
        }
        for l in lines {
            fill(&mut s, l.colour);
            let font = if l.bold { fonts.bold.clone() } else { fonts.regular.clone() };
            s.draw_text(Point::from_xy(l.x, l.y), font, l.size, &l.text, false, TextDirection::Auto);
        }
        fill(&mut s, GREY);
        let foot = A4.1 - MARGIN + 20.0;
        s.draw_text(
            Point::from_xy(MARGIN, foot),
            fonts.regular.clone(),
            9.0,
            p.classification,
            false,
            TextDirection::Auto,
        );
        let num = format!("第 {} / {} 页", i + 1, n);
        let x = A4.0 - MARGIN - num.chars().map(|c| advance(c, 9.0)).sum::<f32>();
        s.draw_text(Point::from_xy(x, foot), fonts.regular.clone(), 9.0, &num, false, TextDirection::Auto);
        s.finish();
        page.finish();
    }
    doc.finish().map_err(|e| ApiError::new("report.pdf", format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_keeps_every_character_and_each_line_fits() {
        let text = "浑江江东乡段水位超警戒，部分堤段漫溢，转移群众150人（Hunjiang river）。\n第二段";
        let lines = wrap(text, 12.0, 120.0);
        assert_eq!(lines.concat(), text.replace('\n', ""));
        assert_eq!(lines.last().map(String::as_str), Some("第二段"));
        for l in &lines {
            let w: f32 = l.chars().map(|c| super::advance(c, 12.0)).sum();
            assert!(w <= 120.0, "{l}: {w}");
        }
        assert!(lines.len() >= 4);
    }
}
