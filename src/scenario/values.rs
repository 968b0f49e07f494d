//! The values a scenario writes as text: money (`400 000 ₽`, `2.8 млн`), shares (`60%`, `0.6`)
//! and days (`3 дн`, `5..10 дн`), each refused as the wrong kind or out of range.

use crate::datafile::in_range;
use crate::model::Distribution;

/// Why a value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Bad {
    /// Not a value of this kind (E0074).
    Shape,
    /// A value of this kind outside its range (E0075).
    Range,
}

/// `400000`, `400 000 ₽`, `2.8 млн`, `350 тыс ₽`; any sign, any size (the caller checks both).
pub(super) fn parse_money(t: &str) -> Option<f64> {
    let mut s: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '₽')
        .collect();
    s = s.replace(',', ".");
    for unit in ["руб.", "руб", "RUB", "р."] {
        if let Some(rest) = s.strip_suffix(unit) {
            s = rest.to_owned();
        }
    }
    let (num, k) = if let Some(r) = s.strip_suffix("млн") {
        (r, 1e6)
    } else if let Some(r) = s.strip_suffix("тыс") {
        (r, 1e3)
    } else {
        (s.as_str(), 1.0)
    };
    num.parse::<f64>().ok().map(|x| x * k)
}

/// `60%`, `0.6` → 0.6; a number outside 0..1 is out of range.
pub(crate) fn parse_share(t: &str) -> Result<f64, Bad> {
    let s: String = t
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(',', ".");
    let x = match s.strip_suffix('%') {
        Some(p) => p.parse::<f64>().map_err(|_| Bad::Shape)? / 100.0,
        None => s.parse::<f64>().map_err(|_| Bad::Shape)?,
    };
    if x.is_finite() && (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(Bad::Range)
    }
}

/// A money distribution as the language writes it, the figures separated by commas (a decimal
/// is written with a dot): `треуг(80 000, 130 000, 300 000)`, `логнорм(350 000, 180 000)`,
/// `эмпир(100 000, 250 000)` (also `tri`, `lognormal`, `empirical`). `None` when the text is
/// not one.
pub(super) fn parse_money_dist(t: &str) -> Option<Result<Distribution, Bad>> {
    let t = t.trim();
    let (name, rest) = t.split_once('(')?;
    let args = rest.trim_end().strip_suffix(')')?;
    let kind = name.trim().to_lowercase();
    let tri = ["треугольное", "треуг", "triangular", "tri"];
    let lognormal = ["логнормальное", "логнорм", "lognormal"];
    let empirical = ["эмпирическое", "эмпир", "empirical"];
    if ![&tri[..], &lognormal, &empirical]
        .iter()
        .any(|k| k.contains(&kind.as_str()))
    {
        return None;
    }
    let xs: Option<Vec<f64>> = args.split(',').map(parse_money).collect();
    let Some(xs) = xs else {
        return Some(Err(Bad::Shape));
    };
    if xs.iter().any(|x| !in_range(*x) || *x < 0.0) {
        return Some(Err(Bad::Range));
    }
    Some(match xs[..] {
        [min, mode, max] if tri.contains(&kind.as_str()) => {
            if min <= mode && mode <= max {
                Ok(Distribution::Triangular { min, mode, max })
            } else {
                Err(Bad::Range)
            }
        }
        [mean, sd] if lognormal.contains(&kind.as_str()) => {
            if mean > 0.0 {
                Ok(Distribution::LogNormal { mean, sd })
            } else {
                Err(Bad::Range)
            }
        }
        _ if empirical.contains(&kind.as_str()) && !xs.is_empty() => {
            Ok(Distribution::Empirical { values: xs })
        }
        _ => Err(Bad::Shape),
    })
}

/// A multiplier of the regulation's own distribution, `×1.2` (also `x1.2`, `х1,2`, `*1.2`):
/// `None` when the text is not one; the factor must be above 0 and at most 1000.
pub(super) fn parse_scale(t: &str) -> Option<Result<f64, Bad>> {
    let t = t.trim();
    let rest = ['×', 'x', 'х', '*', 'X', 'Х']
        .iter()
        .find_map(|p| t.strip_prefix(*p))?;
    let k = match rest.trim().replace(',', ".").parse::<f64>() {
        Ok(k) => k,
        Err(_) => return Some(Err(Bad::Shape)),
    };
    Some(if k.is_finite() && k > 0.0 && k <= 1000.0 {
        Ok(k)
    } else {
        Err(Bad::Range)
    })
}

/// Days as a number: not negative, in the language's range.
pub(super) fn days_number(x: f64) -> Result<Distribution, Bad> {
    if x >= 0.0 && in_range(x) {
        Ok(Distribution::Fixed { value: x })
    } else {
        Err(Bad::Range)
    }
}

/// `5`, `"3 дн"`, `"5..10 дн"`, `"2..4..10 дн"` (triangular) → days.
pub(super) fn parse_days(t: &str) -> Result<Distribution, Bad> {
    let mut s = t.trim().to_owned();
    for unit in ["дней", "дня", "дн.", "дн", "days", "day", "d"] {
        if let Some(r) = s.strip_suffix(unit) {
            s = r.trim().to_owned();
            break;
        }
    }
    let parts: Vec<f64> = s
        .split("..")
        .map(|p| p.trim().replace(',', ".").parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| Bad::Shape)?;
    if parts.iter().any(|x| !in_range(*x) || *x < 0.0) {
        return Err(Bad::Range);
    }
    match parts[..] {
        [v] => Ok(Distribution::Fixed { value: v }),
        [min, max] if min <= max => Ok(Distribution::Uniform { min, max }),
        [min, mode, max] if min <= mode && mode <= max => Ok(Distribution::Triangular { min, mode, max }),
        _ => Err(Bad::Shape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multiplier_keeps_the_distribution() {
        assert_eq!(parse_scale("×1.25"), Some(Ok(1.25)));
        assert_eq!(parse_scale(" х1,5 "), Some(Ok(1.5)));
        assert_eq!(parse_scale("*2"), Some(Ok(2.0)));
        assert_eq!(parse_scale("×0"), Some(Err(Bad::Range)));
        assert_eq!(parse_scale("×много"), Some(Err(Bad::Shape)));
        assert_eq!(parse_scale("3 дн"), None);
    }

    #[test]
    fn values_past_the_language_range_are_out_of_range() {
        assert_eq!(parse_days("1e300 дн"), Err(Bad::Range));
        assert_eq!(parse_days("-1"), Err(Bad::Range));
        assert_eq!(parse_days("пять"), Err(Bad::Shape));
        assert_eq!(parse_share("120%"), Err(Bad::Range));
        assert_eq!(parse_share("много"), Err(Bad::Shape));
        assert_eq!(parse_money("2.8 млн"), Some(2.8e6));
        assert_eq!(days_number(f64::NAN), Err(Bad::Range));
    }

    #[test]
    fn a_deal_size_may_be_any_distribution_of_the_language() {
        assert_eq!(
            parse_money_dist("треуг(80 000, 130 000, 300 000)"),
            Some(Ok(Distribution::Triangular {
                min: 80_000.0,
                mode: 130_000.0,
                max: 300_000.0
            }))
        );
        assert_eq!(
            parse_money_dist("lognormal(304 000, 156 000)"),
            Some(Ok(Distribution::LogNormal {
                mean: 304_000.0,
                sd: 156_000.0
            }))
        );
        assert_eq!(
            parse_money_dist("эмпир(1 тыс, 2 тыс)"),
            Some(Ok(Distribution::Empirical {
                values: vec![1000.0, 2000.0]
            }))
        );
        assert_eq!(parse_money_dist("треуг(3, 2, 1)"), Some(Err(Bad::Range)));
        assert_eq!(parse_money_dist("треуг(1, 2)"), Some(Err(Bad::Shape)));
        assert_eq!(parse_money_dist("треуг(один, 2, 3)"), Some(Err(Bad::Shape)));
        assert_eq!(parse_money_dist("300 000"), None);
    }
}
