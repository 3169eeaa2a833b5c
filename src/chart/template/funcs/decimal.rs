//! The slice of shopspring/decimal that Sprig's float math (`addf`, `subf`, `mulf`,
//! `divf`, `add1f`) goes through: each float64 operand becomes the decimal of its
//! shortest representation, the operation is exact (division: 16 places, rounded half
//! away from zero), and the result converts back to the nearest float64. That is why
//! `subf 1 0.9` prints `0.1` rather than `0.09999999999999998`.

use num_bigint::{BigInt, Sign};

/// `coef × 10^exp`.
#[derive(Clone, Debug)]
pub struct Decimal {
    coef: BigInt,
    exp: i64,
}

/// Digits after the point kept by `Div` (shopspring's `DivisionPrecision`).
const DIVISION_PRECISION: i64 = 16;

impl Decimal {
    /// shopspring's `NewFromFloat`: the shortest decimal that round-trips; `None` for
    /// NaN and infinities (which shopspring refuses with a panic).
    pub fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        let s = format!("{f:e}");
        let (mant, exp) = s.split_once('e')?;
        let exp: i64 = exp.parse().ok()?;
        let frac_digits = mant.split_once('.').map_or(0, |(_, f)| f.len()) as i64;
        let digits: String = mant.chars().filter(|c| *c != '.').collect();
        let coef: BigInt = digits.parse().ok()?;
        Some(Decimal {
            coef,
            exp: exp - frac_digits,
        })
    }

    fn pow10(n: i64) -> BigInt {
        BigInt::from(10u8).pow(n.max(0) as u32)
    }

    /// Both operands rescaled to the smaller exponent.
    fn align(&self, other: &Decimal) -> (BigInt, BigInt, i64) {
        let exp = self.exp.min(other.exp);
        let a = &self.coef * Decimal::pow10(self.exp - exp);
        let b = &other.coef * Decimal::pow10(other.exp - exp);
        (a, b, exp)
    }

    pub fn add(&self, other: &Decimal) -> Decimal {
        let (a, b, exp) = self.align(other);
        Decimal { coef: a + b, exp }
    }

    pub fn sub(&self, other: &Decimal) -> Decimal {
        let (a, b, exp) = self.align(other);
        Decimal { coef: a - b, exp }
    }

    pub fn mul(&self, other: &Decimal) -> Decimal {
        Decimal {
            coef: &self.coef * &other.coef,
            exp: self.exp + other.exp,
        }
    }

    /// shopspring's `DivRound(d2, 16)`; `None` when dividing by zero.
    pub fn div(&self, other: &Decimal) -> Option<Decimal> {
        if other.coef.sign() == Sign::NoSign {
            return None;
        }
        // q = trunc(self / other × 10^P), computed on integers.
        let shift = self.exp - other.exp + DIVISION_PRECISION;
        let (num, den) = if shift >= 0 {
            (&self.coef * Decimal::pow10(shift), other.coef.clone())
        } else {
            (self.coef.clone(), &other.coef * Decimal::pow10(-shift))
        };
        let q = &num / &den;
        let r = &num % &den;
        let twice_r = r.magnitude() * 2u8;
        let mut q = q;
        if twice_r >= *den.magnitude() {
            if (num.sign() == Sign::Minus) != (den.sign() == Sign::Minus) {
                q -= 1;
            } else {
                q += 1;
            }
        }
        Some(Decimal {
            coef: q,
            exp: -DIVISION_PRECISION,
        })
    }

    /// The nearest float64 (Go's `Rat.Float64`); huge values become ±Inf.
    pub fn to_f64(&self) -> f64 {
        let text = format!("{}e{}", self.coef, self.exp);
        text.parse().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    fn d(f: f64) -> Decimal {
        Decimal::from_f64(f).expect("finite")
    }

    #[test]
    fn decimal_arithmetic() {
        assert_eq!(d(1.1).add(&d(2.2)).to_f64(), 3.3);
        assert_eq!(d(1.0).sub(&d(0.9)).to_f64(), 0.1);
        assert_eq!(d(1.1).mul(&d(3.0)).to_f64(), 3.3);
        assert_eq!(
            d(1.0).div(&d(3.0)).map(|x| x.to_f64()),
            Some(0.3333333333333333)
        );
        assert_eq!(
            d(2.0).div(&d(3.0)).map(|x| x.to_f64()),
            Some(0.6666666666666667)
        );
        assert_eq!(
            d(-2.0).div(&d(3.0)).map(|x| x.to_f64()),
            Some(-0.6666666666666667)
        );
        assert!(d(1.0).div(&d(0.0)).is_none());
        assert_eq!(
            d(1e300).div(&d(1e-300)).map(|x| x.to_f64()),
            Some(f64::INFINITY)
        );
    }
}
