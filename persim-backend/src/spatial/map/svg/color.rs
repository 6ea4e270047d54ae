//! Colours: a sequential ramp for utilisation and a categorical palette.

/// Stops of the utilisation ramp (0 → 1): pale yellow through orange to
/// dark red, readable in grey scale too.
const RAMP: [(f64, [u8; 3]); 5] = [
    (0.0, [255, 255, 229]),
    (0.25, [254, 227, 145]),
    (0.5, [254, 153, 41]),
    (0.75, [204, 76, 2]),
    (1.0, [102, 37, 6]),
];

/// The ramp's colour at `x` (clamped to 0..=1).
pub fn heat(x: f64) -> String {
    let x = if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let k = RAMP
        .windows(2)
        .position(|w| x <= w[1].0)
        .unwrap_or(RAMP.len() - 2);
    let ((x0, c0), (x1, c1)) = (RAMP[k], RAMP[k + 1]);
    let t = (x - x0) / (x1 - x0);
    let mix =
        |i: usize| (f64::from(c0[i]) + t * (f64::from(c1[i]) - f64::from(c0[i]))).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(0), mix(1), mix(2))
}

/// Whether text on `heat(x)` should be white.
pub fn dark(x: f64) -> bool {
    x > 0.6
}

/// Ten distinguishable colours (Tableau 10), cycled.
pub fn category(i: usize) -> &'static str {
    const PALETTE: [&str; 10] = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
        "#9c755f", "#bab0ac",
    ];
    PALETTE[i % PALETTE.len()]
}
