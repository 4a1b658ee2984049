//! Correspondence analysis of a contingency table (rows × columns of counts) and its biplot.
//!
//! [`analyze`] follows Greenacre (*Correspondence Analysis in Practice*, ch. 4): with P the
//! table divided by its total, r and c the row and column masses, the standardized residuals
//! S = D_r^(−1/2) (P − r cᵀ) D_c^(−1/2) are decomposed by the singular value decomposition of
//! `nalgebra`, S = U Σ Vᵀ. The principal inertias are the squared singular values (their sum,
//! the total inertia, is χ² / N), the principal coordinates of the rows D_r^(−1/2) U Σ and of
//! the columns D_c^(−1/2) V Σ. Rows and columns whose total is zero have no profile and are
//! left out. An axis's sign is arbitrary in CA; here the column farthest from the origin on
//! it is on its positive side, so the same table always gives the same map.
//!
//! [`biplot`] draws the symmetric map of the first two axes — both sets in principal
//! coordinates, one scale for both axes — with each axis labelled by its share of the
//! inertia. Labels are placed one at a time, each at the first position around its point
//! (nearest first, then farther out with a leader line) where its box overlaps no other label,
//! no point and stays inside the picture; [`Biplot::labels`] gives the boxes so callers can
//! check them. Every text goes through [`super::svg`], which escapes it.

use nalgebra::DMatrix;

use super::svg::{self, Anchor, Svg};
use super::words::WordList;

/// The correspondence analysis of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Correspondence {
    /// The rows analysed (those with a non-zero total), in the table's order.
    pub rows: Vec<Point>,
    /// The columns analysed (those with a non-zero total), in the table's order.
    pub columns: Vec<Point>,
    /// The principal inertias, largest first: min(rows, columns) − 1 of them.
    pub inertias: Vec<f64>,
    /// Their sum (χ² / N of the table).
    pub total_inertia: f64,
    /// The table's total.
    pub n: f64,
}

/// A row or column of the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub label: String,
    /// Its total in the table.
    pub total: f64,
    /// Its total ÷ the table's total.
    pub mass: f64,
    /// Its principal coordinate on each axis.
    pub coordinates: Vec<f64>,
}

impl Correspondence {
    /// The share of the total inertia on `axis` (0 when the total is 0).
    pub fn share(&self, axis: usize) -> f64 {
        if self.total_inertia > 0.0 {
            self.inertias.get(axis).copied().unwrap_or(0.0) / self.total_inertia
        } else {
            0.0
        }
    }
}

/// Why a table cannot be analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaError {
    /// Fewer than two rows or two columns with a non-zero total: there is no axis.
    TooSmall { rows: usize, columns: usize },
    /// A count that is negative or not finite.
    BadCount { row: usize, column: usize },
    /// The table's rows are not all as long as its column labels.
    Ragged { row: usize },
}

impl std::fmt::Display for CaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaError::TooSmall { rows, columns } => write!(
                f,
                "correspondence analysis needs at least two rows and two columns with answers; \
                 this table has {rows} row(s) and {columns} column(s) with answers"
            ),
            CaError::BadCount { row, column } => write!(
                f,
                "the count in row {} column {} is negative or not a number",
                row + 1,
                column + 1
            ),
            CaError::Ragged { row } => write!(
                f,
                "row {} of the table does not have one count per column",
                row + 1
            ),
        }
    }
}

impl std::error::Error for CaError {}

/// The correspondence analysis of `table` (one row of counts per row label, one count per
/// column label). Rows and columns whose total is zero are left out.
pub fn analyze(
    row_labels: &[String],
    column_labels: &[String],
    table: &[Vec<f64>],
) -> Result<Correspondence, CaError> {
    for (i, row) in table.iter().enumerate() {
        if row.len() != column_labels.len() {
            return Err(CaError::Ragged { row: i });
        }
        if let Some(j) = row.iter().position(|&x| !x.is_finite() || x < 0.0) {
            return Err(CaError::BadCount { row: i, column: j });
        }
    }
    let row_totals: Vec<f64> = table.iter().map(|row| row.iter().sum()).collect();
    let column_totals: Vec<f64> = (0..column_labels.len())
        .map(|j| table.iter().map(|row| row[j]).sum())
        .collect();
    let kept_rows: Vec<usize> = (0..table.len().min(row_labels.len()))
        .filter(|&i| row_totals[i] > 0.0)
        .collect();
    let kept_columns: Vec<usize> = (0..column_labels.len())
        .filter(|&j| column_totals[j] > 0.0)
        .collect();
    if kept_rows.len() < 2 || kept_columns.len() < 2 {
        return Err(CaError::TooSmall {
            rows: kept_rows.len(),
            columns: kept_columns.len(),
        });
    }
    let n: f64 = kept_rows.iter().map(|&i| row_totals[i]).sum();
    let r: Vec<f64> = kept_rows.iter().map(|&i| row_totals[i] / n).collect();
    let c: Vec<f64> = kept_columns.iter().map(|&j| column_totals[j] / n).collect();
    let residuals = DMatrix::from_fn(kept_rows.len(), kept_columns.len(), |a, b| {
        let p = table[kept_rows[a]][kept_columns[b]] / n;
        (p - r[a] * c[b]) / (r[a] * c[b]).sqrt()
    });
    let total_inertia: f64 = residuals.iter().map(|s| s * s).sum();
    let svd = residuals.svd(true, true);
    let (Some(u), Some(v_t)) = (svd.u, svd.v_t) else {
        unreachable!("the SVD was asked for U and Vᵀ");
    };
    let axes = kept_rows.len().min(kept_columns.len()) - 1;
    let singular: Vec<f64> = svd.singular_values.iter().take(axes).copied().collect();
    let mut rows: Vec<Point> = kept_rows
        .iter()
        .enumerate()
        .map(|(a, &i)| Point {
            label: row_labels[i].clone(),
            total: row_totals[i],
            mass: r[a],
            coordinates: singular
                .iter()
                .enumerate()
                .map(|(k, sigma)| u[(a, k)] * sigma / r[a].sqrt())
                .collect(),
        })
        .collect();
    let mut columns: Vec<Point> = kept_columns
        .iter()
        .enumerate()
        .map(|(b, &j)| Point {
            label: column_labels[j].clone(),
            total: column_totals[j],
            mass: c[b],
            coordinates: singular
                .iter()
                .enumerate()
                .map(|(k, sigma)| v_t[(k, b)] * sigma / c[b].sqrt())
                .collect(),
        })
        .collect();
    // The sign of each axis: the column farthest from the origin on it (the first of equals)
    // goes on the positive side.
    for k in 0..axes {
        let farthest = columns
            .iter()
            .map(|p| p.coordinates[k])
            .fold(0.0, |best, x| {
                if x.abs() > f64::abs(best) + 1e-12 {
                    x
                } else {
                    best
                }
            });
        if farthest < 0.0 {
            for point in rows.iter_mut().chain(columns.iter_mut()) {
                point.coordinates[k] = -point.coordinates[k];
            }
        }
    }
    Ok(Correspondence {
        rows,
        columns,
        inertias: singular.iter().map(|s| s * s).collect(),
        total_inertia,
        n,
    })
}

/// A rectangle of the picture: left, top, width, height in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Box2 {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Box2 {
    /// Whether the two rectangles share some area (touching edges do not count).
    pub fn overlaps(&self, other: &Box2) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }

    fn inside(&self, area: &Box2) -> bool {
        self.x >= area.x
            && self.y >= area.y
            && self.x + self.width <= area.x + area.width
            && self.y + self.height <= area.y + area.height
    }

    fn center(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }
}

/// A label as drawn: its text, the box it occupies and whether it sits away from its point
/// (drawn with a leader line).
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub bounds: Box2,
    pub leader: bool,
}

/// A drawn map: the SVG document and where its labels went.
#[derive(Debug, Clone, PartialEq)]
pub struct Biplot {
    pub svg: String,
    /// Every label of the picture — point labels, axis labels and the legend.
    pub labels: Vec<Label>,
}

impl Biplot {
    /// Pairs of labels (indices into [`Biplot::labels`]) whose boxes overlap; empty when the
    /// placement succeeded.
    pub fn overlapping_labels(&self) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for (i, a) in self.labels.iter().enumerate() {
            for (j, b) in self.labels.iter().enumerate().skip(i + 1) {
                if a.bounds.overlaps(&b.bounds) {
                    pairs.push((i, j));
                }
            }
        }
        pairs
    }
}

/// What the map's legend calls the two sets, and its title.
#[derive(Debug, Clone)]
pub struct BiplotText {
    /// The picture's accessible title.
    pub title: String,
    /// The rows' name in the legend (カテゴリ, 語 …).
    pub rows: String,
    /// The columns' name in the legend (the attribute: 業種 …).
    pub columns: String,
}

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 600.0;
const FONT: f64 = 13.0;
const SMALL_FONT: f64 = 11.0;
const MARGIN: f64 = 24.0;
/// The top band holds the legend.
const TOP: f64 = 40.0;
const ROW_COLOR: &str = "#0072B2";
const COLUMN_COLOR: &str = "#D55E00";
const INK: &str = "#1f2328";
const MUTED: &str = "#5b636d";
const RADIUS: f64 = 4.0;

/// The symmetric map of axes 1 and 2 of `ca` (rows as blue dots, columns as vermilion
/// squares), or `None` when the analysis has fewer than two axes.
pub fn biplot(ca: &Correspondence, text: &BiplotText) -> Option<Biplot> {
    if ca.inertias.len() < 2 {
        return None;
    }
    let mut svg = Svg::new(WIDTH, HEIGHT);
    svg.title(&text.title);
    let mut labels: Vec<Label> = Vec::new();
    let area = Box2 {
        x: 2.0,
        y: TOP,
        width: WIDTH - 4.0,
        height: HEIGHT - TOP - 2.0,
    };

    // The legend, in the top band.
    let mut x = MARGIN;
    let legend_y = 22.0;
    for (name, is_row) in [(&text.rows, true), (&text.columns, false)] {
        marker(&mut svg, (x + RADIUS, legend_y - FONT * 0.35), is_row);
        let width = svg::text_width(name, FONT);
        svg.text(
            (x + 2.0 * RADIUS + 5.0, legend_y),
            FONT,
            Anchor::Start,
            INK,
            name,
        );
        labels.push(Label {
            text: name.clone(),
            bounds: text_box(x + 2.0 * RADIUS + 5.0, legend_y, width, FONT, Anchor::Start),
            leader: false,
        });
        x += 2.0 * RADIUS + 5.0 + width + 24.0;
    }
    let note = format!("総慣性 {:.4}（対称マップ、主座標）", ca.total_inertia);
    svg.text(
        (WIDTH - MARGIN, legend_y),
        SMALL_FONT,
        Anchor::End,
        MUTED,
        &note,
    );
    labels.push(Label {
        bounds: text_box(
            WIDTH - MARGIN,
            legend_y,
            svg::text_width(&note, SMALL_FONT),
            SMALL_FONT,
            Anchor::End,
        ),
        text: note,
        leader: false,
    });

    // One scale for both axes, the points' extent plus room for labels.
    let points: Vec<(f64, f64)> = ca
        .rows
        .iter()
        .chain(&ca.columns)
        .map(|p| (p.coordinates[0], p.coordinates[1]))
        .collect();
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for &(px, py) in &points {
        min_x = min_x.min(px);
        max_x = max_x.max(px);
        min_y = min_y.min(py);
        max_y = max_y.max(py);
    }
    let span_x = (max_x - min_x).max(1e-9);
    let span_y = (max_y - min_y).max(1e-9);
    // Room for labels: the widest label on each side, a line of text above and below.
    let widest = ca
        .rows
        .iter()
        .chain(&ca.columns)
        .map(|p| svg::text_width(&p.label, FONT))
        .fold(0.0, f64::max)
        .min(WIDTH / 4.0);
    let plot = Box2 {
        x: MARGIN + widest * 0.6,
        y: TOP + 2.0 * FONT,
        width: WIDTH - 2.0 * MARGIN - 1.2 * widest,
        height: HEIGHT - TOP - 2.0 * FONT - MARGIN - 2.0 * FONT,
    };
    let scale = (plot.width / span_x).min(plot.height / span_y);
    let offset_x = plot.x + (plot.width - span_x * scale) / 2.0;
    let offset_y = plot.y + (plot.height - span_y * scale) / 2.0;
    let to_px = |(px, py): (f64, f64)| {
        (
            offset_x + (px - min_x) * scale,
            offset_y + (max_y - py) * scale,
        )
    };
    let origin = to_px((0.0, 0.0));

    // Axes through the origin, each named with its share of the inertia.
    svg.dashed_line(
        (area.x, origin.1),
        (area.x + area.width, origin.1),
        "#a4acb6",
    );
    svg.dashed_line(
        (origin.0, area.y),
        (origin.0, area.y + area.height),
        "#a4acb6",
    );
    let axis_x = format!("第1軸 {:.1}%", 100.0 * ca.share(0));
    let axis_y = format!("第2軸 {:.1}%", 100.0 * ca.share(1));
    let axis_x_at = (WIDTH - MARGIN, origin.1 - 6.0);
    let axis_y_at = (origin.0 + 6.0, TOP + FONT);
    for (content, at, anchor) in [
        (&axis_x, axis_x_at, Anchor::End),
        (&axis_y, axis_y_at, Anchor::Start),
    ] {
        svg.text(at, SMALL_FONT, anchor, MUTED, content);
        labels.push(Label {
            text: content.clone(),
            bounds: text_box(
                at.0,
                at.1,
                svg::text_width(content, SMALL_FONT),
                SMALL_FONT,
                anchor,
            ),
            leader: false,
        });
    }

    // The points, then their labels: columns first (few, and what the map is read by), then
    // rows by falling mass, the table's order among equals.
    let pixels: Vec<(f64, f64)> = points.iter().map(|&p| to_px(p)).collect();
    let obstacles: Vec<Box2> = pixels
        .iter()
        .map(|&(px, py)| Box2 {
            x: px - RADIUS - 1.0,
            y: py - RADIUS - 1.0,
            width: 2.0 * RADIUS + 2.0,
            height: 2.0 * RADIUS + 2.0,
        })
        .collect();
    let row_count = ca.rows.len();
    let mut order: Vec<usize> = (row_count..pixels.len()).collect();
    let mut by_mass: Vec<usize> = (0..row_count).collect();
    by_mass.sort_by(|&a, &b| ca.rows[b].mass.total_cmp(&ca.rows[a].mass).then(a.cmp(&b)));
    order.extend(by_mass);
    let mut placed: Vec<(usize, Label)> = Vec::new();
    for index in order {
        let point = if index < row_count {
            &ca.rows[index]
        } else {
            &ca.columns[index - row_count]
        };
        let fixed: Vec<Box2> = labels
            .iter()
            .chain(placed.iter().map(|(_, label)| label))
            .map(|label| label.bounds)
            .collect();
        let label = place(&point.label, pixels[index], &fixed, &obstacles, &area);
        placed.push((index, label));
    }
    placed.sort_by_key(|(index, _)| *index);
    for (index, label) in &placed {
        if label.leader {
            let to = nearest_on_box(&label.bounds, pixels[*index]);
            svg.line(pixels[*index], to, "#8c959f", 1.0);
        }
    }
    for (index, &pixel) in pixels.iter().enumerate() {
        marker(&mut svg, pixel, index < row_count);
    }
    for (index, label) in &placed {
        let color = if *index < row_count {
            ROW_COLOR
        } else {
            COLUMN_COLOR
        };
        let (cx, cy) = label.bounds.center();
        svg.text(
            (cx, cy + FONT * 0.35),
            FONT,
            Anchor::Middle,
            color,
            &label.text,
        );
    }
    labels.extend(placed.into_iter().map(|(_, label)| label));
    Some(Biplot {
        svg: svg.finish(),
        labels,
    })
}

/// A row's dot or a column's square at `at`.
fn marker(svg: &mut Svg, at: (f64, f64), is_row: bool) {
    if is_row {
        svg.circle(at, RADIUS, ROW_COLOR, "#ffffff");
    } else {
        svg.rect(
            (at.0 - RADIUS, at.1 - RADIUS),
            (2.0 * RADIUS, 2.0 * RADIUS),
            COLUMN_COLOR,
            "#ffffff",
        );
    }
}

/// The box of a text of `width` at baseline (x, y) in a font of `size`.
fn text_box(x: f64, y: f64, width: f64, size: f64, anchor: Anchor) -> Box2 {
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - width / 2.0,
        Anchor::End => x - width,
    };
    Box2 {
        x: left,
        y: y - size,
        width,
        height: size * 1.3,
    }
}

/// The point of `bounds` nearest to `from`.
fn nearest_on_box(bounds: &Box2, from: (f64, f64)) -> (f64, f64) {
    (
        from.0.clamp(bounds.x, bounds.x + bounds.width),
        from.1.clamp(bounds.y, bounds.y + bounds.height),
    )
}

/// The label of the point at `at`: the first candidate box, nearest first, that overlaps no
/// box of `fixed` (labels already placed) or `obstacles` (the points) and lies inside `area`.
/// Candidates go round the point in 16 directions on rings 4 pixels apart; when every ring up
/// to the picture's size is full, the least crowded of the first ring is taken.
fn place(text: &str, at: (f64, f64), fixed: &[Box2], obstacles: &[Box2], area: &Box2) -> Label {
    let width = svg::text_width(text, FONT) + 2.0;
    let height = FONT * 1.3;
    let fits = |candidate: &Box2| {
        candidate.inside(area)
            && !fixed.iter().any(|other| candidate.overlaps(other))
            && !obstacles.iter().any(|other| candidate.overlaps(other))
    };
    let candidate = |angle: f64, distance: f64| {
        let (sin, cos) = angle.sin_cos();
        // The box's centre on an ellipse, so that the nearest side of the box is `distance`
        // from the point's edge whichever the direction.
        let cx = at.0 + cos * (width / 2.0 + RADIUS + distance);
        let cy = at.1 + sin * (height / 2.0 + RADIUS + distance);
        Box2 {
            x: cx - width / 2.0,
            y: cy - height / 2.0,
            width,
            height,
        }
    };
    // Right, left, above, below, the diagonals, then the directions between them.
    let mut angles: Vec<f64> = [0.0, 4.0, 6.0, 2.0, 7.0, 1.0, 5.0, 3.0]
        .iter()
        .map(|eighth: &f64| eighth * std::f64::consts::FRAC_PI_4)
        .collect();
    angles.extend((0..8).map(|k| (k as f64 + 0.5) * std::f64::consts::FRAC_PI_4));
    let rings = ((area.width.max(area.height)) / 4.0) as usize;
    for ring in 0..rings {
        let distance = 2.0 + 4.0 * ring as f64;
        let directions = if ring == 0 { &angles[..8] } else { &angles[..] };
        for &angle in directions {
            let bounds = candidate(angle, distance);
            if fits(&bounds) {
                return Label {
                    text: text.to_string(),
                    bounds,
                    leader: ring >= 2,
                };
            }
        }
    }
    Label {
        text: text.to_string(),
        bounds: candidate(0.0, 2.0),
        leader: false,
    }
}

/// The correspondence analysis of a word list's words (rows) by the attribute's values
/// (columns): per cell the answers to the question of that value that use the word. Values with
/// fewer than `min_n` answers are left out (as in the report's maps).
pub fn of_word_list(list: &WordList, min_n: usize) -> Result<Correspondence, CaError> {
    let kept: Vec<usize> = (0..list.values.len())
        .filter(|&at| list.values[at].1 >= min_n.max(1))
        .collect();
    let row_labels: Vec<String> = list.rows.iter().map(|row| row.word.clone()).collect();
    let column_labels: Vec<String> = kept
        .iter()
        .map(|&at| crate::report::tally::value_label(&list.values[at].0))
        .collect();
    let table: Vec<Vec<f64>> = list
        .rows
        .iter()
        .map(|row| {
            kept.iter()
                .map(|&at| row.by.get(at).copied().unwrap_or(0) as f64)
                .collect()
        })
        .collect();
    analyze(&row_labels, &column_labels, &table)
}

/// The inertia table as `jiyu ca` prints it: per axis its principal inertia, share and
/// cumulative share, then the total.
pub fn inertia_table(ca: &Correspondence) -> String {
    let mut out = String::from("axis  inertia   share  cumulative\n");
    let mut cumulative = 0.0;
    for (axis, inertia) in ca.inertias.iter().enumerate() {
        cumulative += ca.share(axis);
        out.push_str(&format!(
            "{:<4}  {:.6}  {:>5.1}%  {:>9.1}%\n",
            axis + 1,
            inertia,
            100.0 * ca.share(axis),
            100.0 * cumulative
        ));
    }
    out.push_str(&format!("total {:.6}\n", ca.total_inertia));
    out
}

/// The rows and columns as a table: `set, label, n, mass, dim1, dim2, …` (set `row` or
/// `column`), coordinates with six decimals; the header first.
pub fn coordinate_rows(ca: &Correspondence) -> Vec<Vec<String>> {
    let mut header: Vec<String> = ["set", "label", "n", "mass"]
        .iter()
        .map(|field| field.to_string())
        .collect();
    header.extend((1..=ca.inertias.len()).map(|axis| format!("dim{axis}")));
    let mut rows = vec![header];
    for (set, points) in [("row", &ca.rows), ("column", &ca.columns)] {
        for point in points {
            let mut fields = vec![
                set.to_string(),
                point.label.clone(),
                format!("{}", point.total),
                format!("{:.6}", point.mass),
            ];
            fields.extend(point.coordinates.iter().map(|x| format!("{x:.6}")));
            rows.push(fields);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    /// Greenacre's smoking data (`smoke` in R's `ca` package; Greenacre, *Correspondence
    /// Analysis in Practice*, Exhibit 3.1): staff groups × smoking. `summary(ca(smoke))` gives
    /// the principal inertias 0.074759, 0.010017 and 0.000414 (total 0.085190: 87.8 %, 11.8 %,
    /// 0.5 %), and the principal coordinates of the rows on axis 1 (SM −0.066, JM 0.259,
    /// SE −0.381, JE 0.233, SC −0.201) and of the columns (none −0.393, light 0.099,
    /// medium 0.196, heavy 0.294), signs arbitrary.
    #[test]
    fn greenacre_smoke_inertias_and_coordinates() {
        let rows = labels(&["SM", "JM", "SE", "JE", "SC"]);
        let columns = labels(&["none", "light", "medium", "heavy"]);
        let table: Vec<Vec<f64>> = [
            [4, 2, 3, 2],
            [4, 3, 7, 4],
            [25, 10, 12, 4],
            [18, 24, 33, 13],
            [10, 6, 7, 2],
        ]
        .iter()
        .map(|row| row.iter().map(|&x| x as f64).collect())
        .collect();
        let ca = analyze(&rows, &columns, &table).expect("a 5 × 4 table");
        let published = [0.07476, 0.01002, 0.00041];
        assert_eq!(ca.inertias.len(), 3);
        for (inertia, expected) in ca.inertias.iter().zip(published) {
            assert!((inertia - expected).abs() < 1e-4, "{inertia} vs {expected}");
        }
        assert!((ca.total_inertia - 0.08519).abs() < 1e-4);
        assert!((ca.share(0) - 0.878).abs() < 1e-3);
        let row_axis1 = [-0.066, 0.259, -0.381, 0.233, -0.201];
        for (point, expected) in ca.rows.iter().zip(row_axis1) {
            assert!(
                (point.coordinates[0].abs() - f64::abs(expected)).abs() < 1e-3,
                "{point:?}"
            );
        }
        let column_axis1 = [-0.393, 0.099, 0.196, 0.294];
        for (point, expected) in ca.columns.iter().zip(column_axis1) {
            assert!(
                (point.coordinates[0].abs() - f64::abs(expected)).abs() < 1e-3,
                "{point:?}"
            );
        }
        // The total inertia is χ² / N: Σ mass × distance² over the rows, and over the columns.
        for set in [&ca.rows, &ca.columns] {
            let inertia: f64 = set
                .iter()
                .map(|p| p.mass * p.coordinates.iter().map(|x| x * x).sum::<f64>())
                .sum();
            assert!((inertia - ca.total_inertia).abs() < 1e-9);
        }

        let text = BiplotText {
            title: "smoke <&>".to_string(),
            rows: "staff".to_string(),
            columns: "smoking".to_string(),
        };
        let plot = biplot(&ca, &text).expect("three axes");
        assert_eq!(plot.overlapping_labels(), Vec::<(usize, usize)>::new());
        assert!(plot.svg.contains("第1軸 87.8%") && plot.svg.contains("第2軸 11.8%"));
        assert!(plot.svg.contains("smoke &lt;&amp;&gt;"));
        assert_eq!(
            biplot(&ca, &text),
            Some(plot),
            "the same table, the same bytes"
        );
    }

    #[test]
    fn empty_rows_and_columns_are_left_out_and_small_tables_refused() {
        let table = vec![
            vec![5.0, 0.0, 1.0],
            vec![0.0, 0.0, 0.0],
            vec![1.0, 0.0, 5.0],
        ];
        let ca = analyze(&labels(&["a", "b", "c"]), &labels(&["x", "y", "z"]), &table)
            .expect("2 × 2 after the empty row and column");
        assert_eq!(ca.rows.len(), 2);
        assert_eq!(ca.inertias.len(), 1);
        assert_eq!(
            biplot(
                &ca,
                &BiplotText {
                    title: String::new(),
                    rows: String::new(),
                    columns: String::new()
                }
            ),
            None
        );
        assert_eq!(
            analyze(&labels(&["a"]), &labels(&["x", "y"]), &[vec![1.0, 2.0]]),
            Err(CaError::TooSmall {
                rows: 1,
                columns: 2
            })
        );
        assert_eq!(
            analyze(&labels(&["a"]), &labels(&["x"]), &[vec![-1.0]]),
            Err(CaError::BadCount { row: 0, column: 0 })
        );
    }
}
