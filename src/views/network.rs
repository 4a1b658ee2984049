//! Co-occurrence networks (KH Coder's 共起ネットワーク) of a question's words.
//!
//! - Nodes: the [`NetworkOptions::top_words`] most used words (used by at least
//!   [`NetworkOptions::min_count`] answers, ranked as the word list ranks them); a node's area
//!   is proportional to the answers using the word.
//! - Edges: the Jaccard coefficient of two words over answers (answers using both ÷ answers
//!   using either); the [`NetworkOptions::edges`] strongest pairs are drawn (KH Coder's default:
//!   60), ties broken by answers using both, then by the words' rank. Words without a drawn edge
//!   are left out, as KH Coder does.
//! - Communities: greedy modularity maximisation on the graph weighted by the coefficients
//!   (Clauset, Newman and Moore 2004: join the two communities whose union raises the
//!   modularity most, until no join raises it), numbered largest first; each of the first ten
//!   has a colour, the smaller rest are white.
//! - Optional category nodes ([`NetworkOptions::by_category`]): each category a square, linked
//!   to the [`CATEGORY_EDGES`] words of highest Jaccard coefficient with its answers.
//!
//! The picture is deterministic: the same answers give the same bytes. Nothing depends on hash
//! order; the layout is Fruchterman–Reingold's force-directed layout from positions of a
//! fixed-seed generator with a fixed number of steps; then circles are pushed apart and every
//! label is placed, biggest node first, at the nearest of a fixed list of spots where its box
//! overlaps no other label and no node, inside the view box ([`Network::label_boxes`] lets
//! tests check it).

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

use super::svg::{color, Anchor, Svg, PALETTE};
use super::words::QuestionWords;

/// Words drawn at most, unless told otherwise.
pub const DEFAULT_TOP_WORDS: usize = 60;
/// Edges drawn, unless told otherwise (KH Coder's default).
pub const DEFAULT_EDGES: usize = 60;
/// Answers a word needs to be drawn, unless told otherwise.
pub const DEFAULT_MIN_COUNT: usize = 2;
/// Words each category node is linked to.
pub const CATEGORY_EDGES: usize = 3;

/// The view box, fit for half an A4 page.
pub const WIDTH: f64 = 800.0;
pub const HEIGHT: f64 = 600.0;
/// The labels' font size in pixels of the view box.
pub const LABEL_SIZE: f64 = 12.0;
/// The legend's band at the bottom of the picture.
const LEGEND_HEIGHT: f64 = 20.0;
const LEGEND_SIZE: f64 = 11.0;
/// Node radii in pixels: the word used most gets the largest.
const MIN_RADIUS: f64 = 4.0;
const MAX_RADIUS: f64 = 18.0;
/// Steps of the force-directed layout, and its generator's seed.
const LAYOUT_STEPS: usize = 500;
const LAYOUT_SEED: u64 = 2024;

/// What to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkOptions {
    pub top_words: usize,
    pub edges: usize,
    pub min_count: usize,
    pub by_category: bool,
}

impl Default for NetworkOptions {
    fn default() -> NetworkOptions {
        NetworkOptions {
            top_words: DEFAULT_TOP_WORDS,
            edges: DEFAULT_EDGES,
            min_count: DEFAULT_MIN_COUNT,
            by_category: false,
        }
    }
}

/// What a node stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A word, with its part of speech.
    Word { pos: String },
    /// A category of the question.
    Category,
}

/// A box in pixels of the view box: top left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// Whether the two boxes share some area.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }

    /// Whether the box and the disc of radius `r` around `center` share some area.
    pub fn meets_circle(&self, (cx, cy): (f64, f64), r: f64) -> bool {
        let nearest_x = cx.clamp(self.x, self.x + self.width);
        let nearest_y = cy.clamp(self.y, self.y + self.height);
        (cx - nearest_x).powi(2) + (cy - nearest_y).powi(2) < r * r
    }

    /// The box grown by `margin` on every side.
    fn grown(&self, margin: f64) -> Rect {
        Rect {
            x: self.x - margin,
            y: self.y - margin,
            width: self.width + 2.0 * margin,
            height: self.height + 2.0 * margin,
        }
    }

    /// Whether the box lies inside `outer`.
    fn inside(&self, outer: &Rect) -> bool {
        self.x >= outer.x
            && self.y >= outer.y
            && self.x + self.width <= outer.x + outer.width
            && self.y + self.height <= outer.y + outer.height
    }
}

/// A node of the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub label: String,
    pub kind: NodeKind,
    /// Answers using the word (or having the category).
    pub answers: usize,
    /// The word's community (numbered largest first); `None` for a category.
    pub community: Option<usize>,
    /// Centre and radius (a category's square fits in the circle).
    pub x: f64,
    pub y: f64,
    pub radius: f64,
    /// Where the label is drawn.
    pub label_box: Rect,
}

/// An edge between two nodes (indexes into [`Network::nodes`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    /// Answers using both ÷ answers using either.
    pub jaccard: f64,
    /// Answers using both.
    pub together: usize,
}

/// A laid-out co-occurrence network.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub question: String,
    /// Answers of the question.
    pub answers: usize,
    /// Words first (by rank), then categories.
    pub nodes: Vec<Node>,
    /// Word edges by falling coefficient, then category edges.
    pub edges: Vec<Edge>,
    /// The number of communities.
    pub communities: usize,
    /// The modularity of the communities on the weighted word graph.
    pub modularity: f64,
    /// The number of word edges asked for.
    pub edges_asked: usize,
}

/// The Jaccard coefficient of two sets of `a` and `b` members sharing `both`.
pub fn jaccard(a: usize, b: usize, both: usize) -> f64 {
    let either = a + b - both;
    if either == 0 {
        0.0
    } else {
        both as f64 / either as f64
    }
}

/// The network of the words of one question (see the module's documentation).
pub fn build(words: &QuestionWords, options: &NetworkOptions) -> Network {
    let chosen: Vec<u32> = words
        .ranked_ids()
        .into_iter()
        .filter(|&id| words.answers_of(id) >= options.min_count.max(1))
        .take(options.top_words)
        .collect();
    let n = chosen.len();
    let mut slot = vec![usize::MAX; words.word_count()];
    for (at, &id) in chosen.iter().enumerate() {
        slot[id as usize] = at;
    }
    // Answers using both words of each pair of chosen words (i < j at i * n + j).
    let mut together = vec![0usize; n * n];
    let mut present = Vec::new();
    for doc in words.docs() {
        present.clear();
        present.extend(
            doc.iter()
                .map(|&id| slot[id as usize])
                .filter(|&at| at != usize::MAX),
        );
        present.sort_unstable();
        for (k, &i) in present.iter().enumerate() {
            for &j in &present[k + 1..] {
                together[i * n + j] += 1;
            }
        }
    }
    let answers = |at: usize| words.answers_of(chosen[at]);
    let mut pairs: Vec<(usize, usize, f64, usize)> = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let both = together[i * n + j];
            if both > 0 {
                pairs.push((i, j, jaccard(answers(i), answers(j), both), both));
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then(b.3.cmp(&a.3))
            .then((a.0, a.1).cmp(&(b.0, b.1)))
    });
    pairs.truncate(options.edges);

    // The words with an edge, in rank order.
    let mut linked = vec![false; n];
    for &(i, j, _, _) in &pairs {
        linked[i] = true;
        linked[j] = true;
    }
    let mut node_of = vec![usize::MAX; n];
    let mut graph: UnGraph<usize, f64> = UnGraph::new_undirected();
    for at in (0..n).filter(|&at| linked[at]) {
        node_of[at] = graph.add_node(at).index();
    }
    for &(i, j, coefficient, _) in &pairs {
        graph.add_edge(
            NodeIndex::new(node_of[i]),
            NodeIndex::new(node_of[j]),
            coefficient,
        );
    }
    let (community, modularity) = greedy_modularity(&graph);
    let communities = community.iter().copied().max().map_or(0, |last| last + 1);

    let max_answers = graph
        .node_indices()
        .map(|node| answers(graph[node]))
        .max()
        .unwrap_or(1) as f64;
    let radius = |count: usize| {
        (MAX_RADIUS * (count as f64 / max_answers).sqrt()).clamp(MIN_RADIUS, MAX_RADIUS)
    };
    let mut nodes: Vec<Node> = graph
        .node_indices()
        .map(|node| {
            let word = words.word(chosen[graph[node]]);
            Node {
                label: word.base.clone(),
                kind: NodeKind::Word {
                    pos: word.pos.clone(),
                },
                answers: answers(graph[node]),
                community: Some(community[node.index()]),
                x: 0.0,
                y: 0.0,
                radius: radius(answers(graph[node])),
                label_box: Rect {
                    x: 0.0,
                    y: 0.0,
                    width: 0.0,
                    height: 0.0,
                },
            }
        })
        .collect();
    let mut edges: Vec<Edge> = graph
        .edge_references()
        .map(|edge| Edge {
            source: edge.source().index(),
            target: edge.target().index(),
            jaccard: *edge.weight(),
            together: together[graph[edge.source()] * n + graph[edge.target()]],
        })
        .collect();
    if options.by_category {
        add_categories(words, &chosen, &node_of, &mut nodes, &mut edges);
    }
    let positions = layout(
        nodes.len(),
        &edges
            .iter()
            .map(|edge| (edge.source, edge.target, edge.jaccard))
            .collect::<Vec<_>>(),
    );
    let radii: Vec<f64> = nodes.iter().map(|node| node.radius).collect();
    let positions = fit(&positions, &radii);
    for (node, (x, y)) in nodes.iter_mut().zip(positions) {
        node.x = x;
        node.y = y;
    }
    place_labels(&mut nodes);
    Network {
        question: words.question.clone(),
        answers: words.answers,
        nodes,
        edges,
        communities,
        modularity,
        edges_asked: options.edges,
    }
}

/// Adds a square node per category (most answers first, then by label) linked to the
/// [`CATEGORY_EDGES`] drawn words of highest Jaccard coefficient with its answers; categories
/// sharing no answer with a drawn word are left out.
fn add_categories(
    words: &QuestionWords,
    chosen: &[u32],
    node_of: &[usize],
    nodes: &mut Vec<Node>,
    edges: &mut Vec<Edge>,
) {
    let categories = words.categories.len();
    let word_nodes = nodes.len();
    let mut size = vec![0usize; categories];
    // Answers having category c and using drawn word w, at c * word_nodes + w.
    let mut both = vec![0usize; categories * word_nodes];
    let mut slot = vec![usize::MAX; words.word_count()];
    for (at, &id) in chosen.iter().enumerate() {
        slot[id as usize] = node_of[at];
    }
    for (doc, doc_categories) in words.docs().iter().zip(words.doc_categories()) {
        for &c in doc_categories {
            size[c as usize] += 1;
            for &id in doc {
                let node = slot[id as usize];
                if node != usize::MAX {
                    both[c as usize * word_nodes + node] += 1;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..categories).filter(|&c| size[c] > 0).collect();
    order.sort_by(|&a, &b| {
        size[b]
            .cmp(&size[a])
            .then_with(|| crate::text::natural_cmp(&words.categories[a], &words.categories[b]))
    });
    let max_size = size.iter().copied().max().unwrap_or(1) as f64;
    for c in order {
        let mut links: Vec<(usize, f64, usize)> = (0..word_nodes)
            .filter_map(|w| {
                let shared = both[c * word_nodes + w];
                (shared > 0).then(|| (w, jaccard(size[c], nodes[w].answers, shared), shared))
            })
            .collect();
        links.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        links.truncate(CATEGORY_EDGES);
        if links.is_empty() {
            continue;
        }
        let at = nodes.len();
        nodes.push(Node {
            label: words.categories[c].clone(),
            kind: NodeKind::Category,
            answers: size[c],
            community: None,
            x: 0.0,
            y: 0.0,
            radius: (MAX_RADIUS * (size[c] as f64 / max_size).sqrt())
                .clamp(MIN_RADIUS + 2.0, MAX_RADIUS),
            label_box: Rect {
                x: 0.0,
                y: 0.0,
                width: 0.0,
                height: 0.0,
            },
        });
        for (w, coefficient, shared) in links {
            edges.push(Edge {
                source: w,
                target: at,
                jaccard: coefficient,
                together: shared,
            });
        }
    }
}

/// Communities of `graph` by greedy modularity maximisation (Clauset–Newman–Moore) on the edge
/// weights, numbered by falling size, then by their first node; and their modularity. Ties
/// between joins go to the pair of lowest community numbers, so the result depends on nothing
/// but the graph.
pub fn greedy_modularity(graph: &UnGraph<usize, f64>) -> (Vec<usize>, f64) {
    let n = graph.node_count();
    if n == 0 {
        return (Vec::new(), 0.0);
    }
    // Weights between communities (dense: networks have tens of nodes), degrees, total weight.
    let mut between = vec![0.0f64; n * n];
    let mut degree = vec![0.0f64; n];
    let mut inside = vec![0.0f64; n];
    let mut total = 0.0;
    for edge in graph.edge_references() {
        let (a, b, w) = (edge.source().index(), edge.target().index(), *edge.weight());
        between[a * n + b] += w;
        between[b * n + a] += w;
        degree[a] += w;
        degree[b] += w;
        total += w;
    }
    let mut member: Vec<usize> = (0..n).collect();
    let mut alive = vec![true; n];
    if total > 0.0 {
        loop {
            let mut best: Option<(f64, usize, usize)> = None;
            for c in (0..n).filter(|&c| alive[c]) {
                for d in (c + 1..n).filter(|&d| alive[d]) {
                    let w = between[c * n + d];
                    if w <= 0.0 {
                        continue;
                    }
                    let gain = w / total - degree[c] * degree[d] / (2.0 * total * total);
                    if best.is_none_or(|(top, _, _)| gain > top) {
                        best = Some((gain, c, d));
                    }
                }
            }
            let Some((_, c, d)) = best.filter(|&(gain, _, _)| gain > 1e-12) else {
                break;
            };
            // Join d into c.
            inside[c] += inside[d] + between[c * n + d];
            degree[c] += degree[d];
            alive[d] = false;
            for e in 0..n {
                if e != c && e != d {
                    between[c * n + e] += between[d * n + e];
                    between[e * n + c] = between[c * n + e];
                }
                between[d * n + e] = 0.0;
                between[e * n + d] = 0.0;
            }
            between[c * n + c] = 0.0;
            for m in member.iter_mut() {
                if *m == d {
                    *m = c;
                }
            }
        }
    }
    let modularity = if total > 0.0 {
        (0..n)
            .filter(|&c| alive[c])
            .map(|c| inside[c] / total - (degree[c] / (2.0 * total)).powi(2))
            .sum()
    } else {
        0.0
    };
    // Number the communities by falling size, then by first node.
    let mut groups: Vec<(usize, usize)> = (0..n)
        .filter(|&c| alive[c])
        .map(|c| {
            let size = member.iter().filter(|&&m| m == c).count();
            let first = member.iter().position(|&m| m == c).unwrap_or(n);
            (size, first)
        })
        .collect();
    groups.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let number: Vec<usize> = member
        .iter()
        .map(|&m| {
            let first = member.iter().position(|&other| other == m).unwrap_or(n);
            groups.iter().position(|&(_, at)| at == first).unwrap_or(0)
        })
        .collect();
    (number, modularity)
}

/// SplitMix64: a tiny generator whose sequence is fixed by its seed on every platform.
struct SplitMix(u64);

impl SplitMix {
    fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Fruchterman–Reingold positions of `n` nodes linked by `edges` (weighted by coefficient), in
/// a WIDTH × HEIGHT area, with a pull to the centre so that separate components stay close.
fn layout(n: usize, edges: &[(usize, usize, f64)]) -> Vec<(f64, f64)> {
    let mut random = SplitMix(LAYOUT_SEED);
    let mut at: Vec<(f64, f64)> = (0..n)
        .map(|_| (random.next_unit() * WIDTH, random.next_unit() * HEIGHT))
        .collect();
    if n < 2 {
        return vec![(WIDTH / 2.0, HEIGHT / 2.0); n];
    }
    let k = (WIDTH * HEIGHT / n as f64).sqrt() * 0.6;
    let center = (WIDTH / 2.0, HEIGHT / 2.0);
    let mut moves = vec![(0.0f64, 0.0f64); n];
    for step in 0..LAYOUT_STEPS {
        let temperature = WIDTH / 10.0 * (1.0 - step as f64 / LAYOUT_STEPS as f64) + 0.5;
        moves.iter_mut().for_each(|m| *m = (0.0, 0.0));
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (at[i].0 - at[j].0, at[i].1 - at[j].1);
                let distance = (dx * dx + dy * dy).sqrt().max(0.01);
                let push = k * k / distance;
                let (ux, uy) = (dx / distance, dy / distance);
                moves[i].0 += ux * push;
                moves[i].1 += uy * push;
                moves[j].0 -= ux * push;
                moves[j].1 -= uy * push;
            }
        }
        for &(i, j, weight) in edges {
            let (dx, dy) = (at[i].0 - at[j].0, at[i].1 - at[j].1);
            let distance = (dx * dx + dy * dy).sqrt().max(0.01);
            let pull = distance * distance / k * (0.5 + weight);
            let (ux, uy) = (dx / distance, dy / distance);
            moves[i].0 -= ux * pull;
            moves[i].1 -= uy * pull;
            moves[j].0 += ux * pull;
            moves[j].1 += uy * pull;
        }
        for (point, movement) in at.iter_mut().zip(&mut moves) {
            movement.0 -= (point.0 - center.0) * 0.08 * k / 10.0;
            movement.1 -= (point.1 - center.1) * 0.08 * k / 10.0;
            let length = (movement.0 * movement.0 + movement.1 * movement.1).sqrt();
            if length > 0.0 {
                let step = length.min(temperature);
                point.0 += movement.0 / length * step;
                point.1 += movement.1 / length * step;
            }
        }
    }
    at
}

/// The area nodes are drawn in: inside the margins kept for labels, above the legend.
fn drawing_area() -> Rect {
    Rect {
        x: 60.0,
        y: 24.0,
        width: WIDTH - 120.0,
        height: HEIGHT - LEGEND_HEIGHT - 48.0,
    }
}

/// `positions` scaled into the drawing area, then circles of `radii` pushed apart until no two
/// are closer than a few pixels.
fn fit(positions: &[(f64, f64)], radii: &[f64]) -> Vec<(f64, f64)> {
    let area = drawing_area();
    if positions.is_empty() {
        return Vec::new();
    }
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in positions {
        min_x = min_x.min(x);
        max_x = max_x.max(x);
        min_y = min_y.min(y);
        max_y = max_y.max(y);
    }
    // One scale for both axes (the layout's shape kept), centred in the area.
    let scale =
        (area.width / (max_x - min_x).max(1e-9)).min(area.height / (max_y - min_y).max(1e-9));
    let (offset_x, offset_y) = (
        area.x + (area.width - (max_x - min_x) * scale) / 2.0,
        area.y + (area.height - (max_y - min_y) * scale) / 2.0,
    );
    let mut at: Vec<(f64, f64)> = positions
        .iter()
        .map(|&(x, y)| {
            (
                offset_x + (x - min_x) * scale,
                offset_y + (y - min_y) * scale,
            )
        })
        .collect();
    const GAP: f64 = 6.0;
    for _ in 0..100 {
        let mut moved = false;
        for i in 0..at.len() {
            for j in i + 1..at.len() {
                let (dx, dy) = (at[j].0 - at[i].0, at[j].1 - at[i].1);
                let distance = (dx * dx + dy * dy).sqrt();
                let wanted = radii[i] + radii[j] + GAP;
                if distance < wanted {
                    let (ux, uy) = if distance < 1e-6 {
                        (1.0, 0.0)
                    } else {
                        (dx / distance, dy / distance)
                    };
                    let half = (wanted - distance) / 2.0;
                    at[i].0 -= ux * half;
                    at[i].1 -= uy * half;
                    at[j].0 += ux * half;
                    at[j].1 += uy * half;
                    moved = true;
                }
            }
        }
        for (point, r) in at.iter_mut().zip(radii) {
            point.0 = point.0.clamp(area.x + r, area.x + area.width - r);
            point.1 = point.1.clamp(area.y + r, area.y + area.height - r);
        }
        if !moved {
            break;
        }
    }
    at
}

/// The fill of community `number`: a colour of the palette for the largest ones, white for
/// the rest (which are small: communities are numbered largest first), so no two share one.
pub fn community_color(number: usize) -> &'static str {
    if number < PALETTE.len() {
        color(number)
    } else {
        "#ffffff"
    }
}

/// The size of `label`'s box: a full-width character is one em, another character 0.62 em
/// (wider than [`super::svg::text_width`]'s half em: Latin capitals and `&` of the Japanese
/// fonts are), with 2 pixels on each side.
fn label_size(label: &str) -> (f64, f64) {
    let ems: f64 = label
        .chars()
        .map(|ch| {
            if crate::text::char_width(ch) >= 2 {
                1.0
            } else {
                0.62
            }
        })
        .sum();
    (ems * LABEL_SIZE + 4.0, LABEL_SIZE * 1.3)
}

/// The legend's band, kept free of labels.
fn legend_box() -> Rect {
    Rect {
        x: 0.0,
        y: HEIGHT - LEGEND_HEIGHT,
        width: WIDTH,
        height: LEGEND_HEIGHT,
    }
}

/// Places every label, biggest node first, at the first free spot: beside the node (right,
/// left, above, below, then the corners) at growing distances, then anywhere in the view box
/// nearest the node. A spot is free when the box is inside the view box above the legend and
/// meets no placed label (with a pixel between) and no node.
fn place_labels(nodes: &mut [Node]) {
    let bounds = Rect {
        x: 2.0,
        y: 2.0,
        width: WIDTH - 4.0,
        height: HEIGHT - LEGEND_HEIGHT - 4.0,
    };
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| nodes[b].radius.total_cmp(&nodes[a].radius).then(a.cmp(&b)));
    let circles: Vec<((f64, f64), f64)> = nodes
        .iter()
        .map(|node| ((node.x, node.y), node.radius + 1.0))
        .collect();
    let mut placed: Vec<Rect> = Vec::with_capacity(nodes.len());
    let legend = legend_box();
    for at in order {
        let node = &nodes[at];
        let (width, height) = label_size(&node.label);
        let free = |center: (f64, f64)| {
            let candidate = Rect {
                x: center.0 - width / 2.0,
                y: center.1 - height / 2.0,
                width,
                height,
            };
            (candidate.inside(&bounds)
                && !candidate.overlaps(&legend)
                && !placed
                    .iter()
                    .any(|other| candidate.overlaps(&other.grown(1.0)))
                && !circles
                    .iter()
                    .any(|&(center, r)| candidate.meets_circle(center, r)))
            .then_some(candidate)
        };
        let (x, y, r) = (node.x, node.y, node.radius);
        let mut found = None;
        'rings: for ring in 0..24 {
            let gap = 3.0 + ring as f64 * 3.0;
            let diagonal = r * std::f64::consts::FRAC_1_SQRT_2 + gap;
            let spots = [
                (x + r + gap + width / 2.0, y),
                (x - r - gap - width / 2.0, y),
                (x, y - r - gap - height / 2.0),
                (x, y + r + gap + height / 2.0),
                (
                    x + diagonal + width / 2.0,
                    y - diagonal - height / 2.0 + 4.0,
                ),
                (
                    x - diagonal - width / 2.0,
                    y - diagonal - height / 2.0 + 4.0,
                ),
                (
                    x + diagonal + width / 2.0,
                    y + diagonal + height / 2.0 - 4.0,
                ),
                (
                    x - diagonal - width / 2.0,
                    y + diagonal + height / 2.0 - 4.0,
                ),
            ];
            for spot in spots {
                if let Some(candidate) = free(spot) {
                    found = Some(candidate);
                    break 'rings;
                }
            }
        }
        if found.is_none() {
            // Anywhere, nearest first, on a 4-pixel grid.
            let mut spots: Vec<(f64, (f64, f64))> = Vec::new();
            let mut gy = bounds.y + height / 2.0;
            while gy + height / 2.0 <= bounds.y + bounds.height {
                let mut gx = bounds.x + width / 2.0;
                while gx + width / 2.0 <= bounds.x + bounds.width {
                    spots.push(((gx - x).powi(2) + (gy - y).powi(2), (gx, gy)));
                    gx += 4.0;
                }
                gy += 4.0;
            }
            spots.sort_by(|a, b| a.0.total_cmp(&b.0));
            found = spots.into_iter().find_map(|(_, spot)| free(spot));
        }
        // With tens of labels in 800 × 580 pixels a spot is always found; were none, the label
        // would sit right of its node.
        let chosen = found.unwrap_or(Rect {
            x: x + r + 2.0,
            y: y - height / 2.0,
            width,
            height,
        });
        placed.push(chosen);
        nodes[at].label_box = chosen;
    }
}

impl Network {
    /// The label boxes, as drawn.
    pub fn label_boxes(&self) -> Vec<Rect> {
        self.nodes.iter().map(|node| node.label_box).collect()
    }

    /// The picture: edges (solid within a community, dashed between communities and to
    /// categories; wider for a higher coefficient), nodes (circles coloured by community,
    /// squares for categories), labels with a white halo, a leader line to a label set apart
    /// from its node, and a legend.
    pub fn svg(&self) -> String {
        let mut svg = Svg::new(WIDTH, HEIGHT);
        svg.title(&format!(
            "共起ネットワーク: {}（{}語、共起{}本）",
            self.question,
            self.nodes.len(),
            self.edges.len()
        ));
        for edge in &self.edges {
            let (a, b) = (&self.nodes[edge.source], &self.nodes[edge.target]);
            let same = a.community.is_some() && a.community == b.community;
            if same {
                svg.line((a.x, a.y), (b.x, b.y), "#7a7a7a", 0.8 + 3.0 * edge.jaccard);
            } else {
                svg.dashed_line((a.x, a.y), (b.x, b.y), "#9a9a9a");
            }
        }
        for node in &self.nodes {
            match node.community {
                Some(community) => svg.circle(
                    (node.x, node.y),
                    node.radius,
                    community_color(community),
                    "#4a4a4a",
                ),
                None => {
                    let side = node.radius * std::f64::consts::SQRT_2;
                    svg.rect(
                        (node.x - side / 2.0, node.y - side / 2.0),
                        (side, side),
                        "#d9d9d9",
                        "#333333",
                    );
                }
            }
        }
        for node in &self.nodes {
            let label = node.label_box;
            let center = (label.x + label.width / 2.0, label.y + label.height / 2.0);
            let nearest = (
                node.x.clamp(label.x, label.x + label.width),
                node.y.clamp(label.y, label.y + label.height),
            );
            let (dx, dy) = (nearest.0 - node.x, nearest.1 - node.y);
            let distance = (dx * dx + dy * dy).sqrt();
            if distance > node.radius + 10.0 {
                let edge = (
                    node.x + dx / distance * node.radius,
                    node.y + dy / distance * node.radius,
                );
                svg.line(edge, nearest, "#b0b0b0", 0.6);
            }
            svg.label(
                (center.0, label.y + LABEL_SIZE * 1.05),
                LABEL_SIZE,
                Anchor::Middle,
                if node.community.is_some() {
                    "#1f2328"
                } else {
                    "#000000"
                },
                &node.label,
            );
        }
        svg.label(
            (8.0, HEIGHT - 6.0),
            LEGEND_SIZE,
            Anchor::Start,
            "#5b636d",
            &format!(
                "円：語を含む回答数（n = {}）　線：Jaccard係数の上位{}本（実線は同じグループ内）　色：グループ（モジュラリティ）",
                self.answers, self.edges_asked
            ),
        );
        svg.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_modularity_splits_two_triangles_joined_by_a_bridge() {
        // Two triangles (0 1 2, 3 4 5) and the bridge 2–3, every weight 1: total weight 7; each
        // triangle holds 3 inside and degree 7, so Q = 2 × (3/7 − (7/14)²) = 5/14.
        let mut graph: UnGraph<usize, f64> = UnGraph::new_undirected();
        let nodes: Vec<NodeIndex> = (0..6).map(|at| graph.add_node(at)).collect();
        for (a, b) in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)] {
            graph.add_edge(nodes[a], nodes[b], 1.0);
        }
        let (communities, modularity) = greedy_modularity(&graph);
        assert_eq!(communities, vec![0, 0, 0, 1, 1, 1]);
        assert!((modularity - 5.0 / 14.0).abs() < 1e-12, "{modularity}");
    }

    #[test]
    fn label_boxes_meet_circles_only_when_they_share_area() {
        let label = Rect {
            x: 10.0,
            y: 10.0,
            width: 20.0,
            height: 10.0,
        };
        assert!(label.meets_circle((5.0, 15.0), 6.0));
        assert!(!label.meets_circle((5.0, 15.0), 5.0));
        assert!(!label.meets_circle((34.0, 24.0), 5.0));
        assert!(label.meets_circle((20.0, 15.0), 1.0));
        assert!(!label.overlaps(&Rect { x: 30.0, ..label }));
    }
}
