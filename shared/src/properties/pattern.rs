//! Unit label patterns for bulk creation: literal text with `{a..b}` ranges, numeric (zero
//! padding kept: `1{01..12}` → 101…112) or single letters (`{A..D}`); several ranges multiply.

/// Expands `pattern`, refusing anything that would produce more than `max` labels.
pub fn expand(pattern: &str, max: usize) -> Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    let mut rest = pattern;
    while !rest.is_empty() {
        let (literal, tail) = match rest.find('{') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        if literal.contains('}') {
            return Err("unbalanced '}'".into());
        }
        for o in &mut out {
            o.push_str(literal);
        }
        let Some(tail) = tail else { break };
        let close = tail.find('}').ok_or("unclosed '{'")?;
        let values = range(&tail[..close])?;
        if out.len().saturating_mul(values.len()) > max {
            return Err(format!("expands to more than {max} labels"));
        }
        out = out.iter().flat_map(|prefix| values.iter().map(move |v| format!("{prefix}{v}"))).collect();
        rest = &tail[close + 1..];
    }
    Ok(out)
}

fn range(spec: &str) -> Result<Vec<String>, String> {
    let (a, b) =
        spec.split_once("..").ok_or_else(|| format!("range {{{spec}}} must look like {{1..12}} or {{A..D}}"))?;
    if let (Ok(x), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>()) {
        if x > y {
            return Err(format!("range {{{spec}}} runs backwards"));
        }
        if y - x >= 10_000 {
            return Err(format!("range {{{spec}}} is too large"));
        }
        let width = if a.starts_with('0') && a.len() > 1 { a.len() } else { 0 };
        return Ok((x..=y).map(|n| format!("{n:0width$}")).collect());
    }
    let (mut ca, mut cb) = (a.chars(), b.chars());
    match (ca.next(), ca.next(), cb.next(), cb.next()) {
        (Some(x), None, Some(y), None)
            if x.is_ascii_alphabetic()
                && y.is_ascii_alphabetic()
                && x.is_ascii_uppercase() == y.is_ascii_uppercase() =>
        {
            if x > y {
                return Err(format!("range {{{spec}}} runs backwards"));
            }
            Ok((x..=y).map(String::from).collect())
        }
        _ => Err(format!("range {{{spec}}} must be numbers or single letters")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_numeric_ranges_with_padding() {
        let v = expand("1{01..12}", 500).unwrap();
        assert_eq!(v.len(), 12);
        assert_eq!(v.first().unwrap(), "101");
        assert_eq!(v.last().unwrap(), "112");
    }

    #[test]
    fn multiplies_ranges_and_keeps_literals() {
        assert_eq!(expand("Unit {A..B}-{1..2}", 500).unwrap(), ["Unit A-1", "Unit A-2", "Unit B-1", "Unit B-2"]);
        assert_eq!(expand("Penthouse", 500).unwrap(), ["Penthouse"]);
    }

    #[test]
    fn refuses_bad_or_huge_patterns() {
        for bad in ["{1..}", "{5..1}", "{A..3}", "1{01..12", "1}", "{a..B}"] {
            assert!(expand(bad, 500).is_err(), "{bad}");
        }
        assert!(expand("{1..501}", 500).is_err());
        assert!(expand("{1..30}{1..30}", 500).is_err());
    }
}
