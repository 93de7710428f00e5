//! `SubPattern.getwidth` of CPython's `re._parser`: the least and greatest number of
//! characters a piece of pattern can match. Python refuses a look-behind whose two
//! bounds differ ("look-behind requires fixed-width pattern"), and a backreference
//! counts as its group's width, so the translator keeps these numbers as it parses.

/// `re._parser.MAXWIDTH`: every width saturates here, as Python's `min(lo, MAXWIDTH)`.
const MAXWIDTH: u128 = 1 << 64;
/// `_sre.MAXCODE` for a 4-byte code word: a look-behind longer than this is refused.
pub const MAXCODE: u128 = 0xFFFF_FFFF;

/// The `(lo, hi)` width of a piece of pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Width {
    pub lo: u128,
    pub hi: u128,
}

impl Width {
    pub const ZERO: Width = Width { lo: 0, hi: 0 };
    /// One character (a literal, a class, `.`).
    pub const ONE: Width = Width { lo: 1, hi: 1 };

    /// Two pieces one after the other.
    pub fn then(self, next: Width) -> Width {
        Width {
            lo: (self.lo + next.lo).min(MAXWIDTH),
            hi: (self.hi + next.hi).min(MAXWIDTH),
        }
    }

    /// Either of two branches.
    pub fn or(self, other: Width) -> Width {
        Width {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }

    /// `{min,max}` of this piece; `max` `None` is unbounded (Python's `MAXREPEAT`).
    pub fn repeated(self, min: u64, max: Option<u64>) -> Width {
        let hi = match max {
            None if self.hi > 0 => MAXWIDTH,
            None => 0,
            Some(max) => self.hi.saturating_mul(u128::from(max)),
        };
        Width {
            lo: self.lo.saturating_mul(u128::from(min)).min(MAXWIDTH),
            hi: hi.min(MAXWIDTH),
        }
    }

    pub fn is_fixed(self) -> bool {
        self.lo == self.hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_getwidth() {
        let a = Width::ONE;
        assert_eq!(a.repeated(2, Some(3)), Width { lo: 2, hi: 3 });
        assert_eq!(a.repeated(0, None).hi, MAXWIDTH);
        assert_eq!(Width::ZERO.repeated(0, None), Width::ZERO);
        assert_eq!(a.then(a).or(a), Width { lo: 1, hi: 2 });
        assert_eq!(a.repeated(0, None).then(a).hi, MAXWIDTH);
    }
}
