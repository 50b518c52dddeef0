//! Numbers as readers see them; the lowest layer, so every other module can use it.

/// A whole number with thousands separators: 764715 -> "764,715" (rounded; no "-0").
pub fn thousands(x: f64) -> String {
    let rounded = x.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}
