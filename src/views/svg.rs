//! A small SVG writer for the views' pictures: every text is escaped, every number is written
//! with a fixed number of decimals (the same input gives the same bytes), fonts are the
//! reader's Japanese fonts (nothing is fetched), and the width of a label is estimated from its
//! display width, so pictures can keep labels from overlapping.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use crate::text::escape_markup;

/// The font families of every text, Japanese first; all are local fonts.
pub const FONT_FAMILY: &str =
    "'Hiragino Sans','Hiragino Kaku Gothic ProN','Yu Gothic','Meiryo','Noto Sans CJK JP','Noto Sans JP',sans-serif";

/// Colours that stay apart in print and for the common colour-vision deficiencies (Okabe–Ito,
/// then a few more); [`color`] cycles through them.
pub const PALETTE: [&str; 10] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
    "#8C6D31", "#6B6ECF",
];

/// The colour of group `index` (cycling through [`PALETTE`]).
pub fn color(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

/// The estimated width in pixels of `text` at font size `size`: a full-width character is one em,
/// a half-width one half an em (the fonts above are close to this). Characters of ambiguous
/// East Asian width (★, ○, ※, Greek …) count as full width, as Japanese fonts draw them.
pub fn text_width(text: &str, size: f64) -> f64 {
    UnicodeWidthStr::width_cjk(text) as f64 * size / 2.0
}

/// Where a text is anchored horizontally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG document being written. Coordinates are pixels of a `width` × `height` view box;
/// numbers are written with one decimal.
#[derive(Debug, Clone)]
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    /// An empty picture of `width` × `height` pixels.
    pub fn new(width: f64, height: f64) -> Svg {
        Svg {
            width,
            height,
            body: String::new(),
        }
    }

    /// A line from (x1, y1) to (x2, y2).
    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str, width: f64) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}" stroke-width="{width:.1}"/>"#,
            escape_markup(stroke)
        );
    }

    /// A dashed line, for axes.
    pub fn dashed_line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}" stroke-width="1.0" stroke-dasharray="4 3"/>"#,
            escape_markup(stroke)
        );
    }

    /// A circle around (cx, cy) of radius `r`, filled with `fill` and outlined with `stroke`.
    pub fn circle(&mut self, (cx, cy): (f64, f64), r: f64, fill: &str, stroke: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}" fill="{}" stroke="{}" stroke-width="1.0"/>"#,
            escape_markup(fill),
            escape_markup(stroke)
        );
    }

    /// A rectangle with its top left corner at (x, y).
    pub fn rect(
        &mut self,
        (x, y): (f64, f64),
        (width, height): (f64, f64),
        fill: &str,
        stroke: &str,
    ) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" fill="{}" stroke="{}" stroke-width="1.0"/>"#,
            escape_markup(fill),
            escape_markup(stroke)
        );
    }

    /// `content` at (x, y) (the baseline), `size` pixels high, anchored by `anchor`.
    pub fn text(
        &mut self,
        (x, y): (f64, f64),
        size: f64,
        anchor: Anchor,
        fill: &str,
        content: &str,
    ) {
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size:.1}" text-anchor="{}" fill="{}">{}</text>"#,
            anchor.as_str(),
            escape_markup(fill),
            escape_markup(content)
        );
    }

    /// `content` at (x, y) (the baseline) with a white halo, so it stays legible over lines.
    /// Size and colour are set in a `style` attribute, which a page's style sheet (`svg text
    /// { font-size: … }`) does not override: the label keeps the size its box was measured at.
    pub fn label(
        &mut self,
        (x, y): (f64, f64),
        size: f64,
        anchor: Anchor,
        fill: &str,
        content: &str,
    ) {
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{}" style="font-size:{size:.1}px;fill:{};stroke:#ffffff;stroke-width:3px;stroke-linejoin:round;paint-order:stroke">{}</text>"#,
            anchor.as_str(),
            escape_markup(fill),
            escape_markup(content)
        );
    }

    /// `content` as the picture's accessible title (shown by browsers on hover).
    pub fn title(&mut self, content: &str) {
        let _ = writeln!(self.body, "<title>{}</title>", escape_markup(content));
    }

    /// The whole document.
    pub fn finish(self) -> String {
        format!(
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" "#,
                r#"font-family="{font}">"#,
                "\n",
                r##"<rect x="0" y="0" width="{w:.0}" height="{h:.0}" fill="#ffffff"/>"##,
                "\n{body}</svg>\n"
            ),
            w = self.width,
            h = self.height,
            font = FONT_FAMILY.replace('\'', "&#39;"),
            body = self.body
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_escaped_and_widths_follow_display_width() {
        let mut svg = Svg::new(100.0, 50.0);
        svg.text((1.0, 2.0), 12.0, Anchor::Middle, "#000", "<script>&\"'");
        let doc = svg.finish();
        assert!(
            doc.contains("&lt;script&gt;&amp;&quot;&#39;</text>"),
            "{doc}"
        );
        assert!(!doc.contains("<script>"));
        let mut svg = Svg::new(100.0, 50.0);
        svg.label((1.0, 2.0), 12.0, Anchor::Start, "#000", "R&D<社外秘>");
        let doc = svg.finish();
        assert!(doc.contains("style=\"font-size:12.0px;fill:#000;"), "{doc}");
        assert!(doc.contains(">R&amp;D&lt;社外秘&gt;</text>"), "{doc}");
        assert_eq!(text_width("補助金", 12.0), 36.0);
        assert_eq!(text_width("IT", 12.0), 12.0);
        assert_eq!(text_width("二つ星（★★）", 12.0), 84.0);
    }
}
