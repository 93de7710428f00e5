//! Little-endian primitives for the bundle's sections: a writer that cannot fail and a
//! reader that checks every length against the input.
//!
//! Everything a bundle holds is read through [`Reader`], so a truncated or hostile
//! bundle is an error at the first inconsistent length, never a panic or a huge
//! allocation (lengths are bounded by the bytes that remain).
//!
//! Integers are LEB128 varints: most of a rule table is small numbers (lengths, counts,
//! line numbers, span offsets), and fixed four-byte words made it over twice the size of
//! the YAML it came from (1.56 MB for the 10,000-rule benchmark policy).

use super::BundleError;

#[derive(Debug, Default)]
pub(super) struct Writer {
    pub(super) bytes: Vec<u8>,
}

impl Writer {
    pub(super) fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub(super) fn u32(&mut self, value: u32) {
        let mut value = value;
        while value >= 0x80 {
            self.bytes.push((value & 0x7f) as u8 | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    pub(super) fn usize(&mut self, value: usize) {
        self.u32(u32::try_from(value).unwrap_or(u32::MAX));
    }

    pub(super) fn i128(&mut self, value: i128) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub(super) fn f64(&mut self, value: f64) {
        self.bytes.extend_from_slice(&value.to_bits().to_le_bytes());
    }

    pub(super) fn bool(&mut self, value: bool) {
        self.u8(u8::from(value));
    }

    pub(super) fn bytes(&mut self, value: &[u8]) {
        self.usize(value.len());
        self.bytes.extend_from_slice(value);
    }

    pub(super) fn str(&mut self, value: &str) {
        self.bytes(value.as_bytes());
    }

    pub(super) fn opt_str(&mut self, value: Option<&str>) {
        match value {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
}

#[derive(Debug)]
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    /// How many bytes have been read.
    pub(super) fn position(&self) -> usize {
        self.at
    }

    pub(super) fn is_at_end(&self) -> bool {
        self.at == self.bytes.len()
    }

    pub(super) fn take(&mut self, len: usize) -> Result<&'a [u8], BundleError> {
        let end = self
            .at
            .checked_add(len)
            .ok_or(BundleError::Corrupt("a length overflows"))?;
        let slice = self.bytes.get(self.at..end).ok_or(BundleError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], BundleError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(super) fn u8(&mut self) -> Result<u8, BundleError> {
        Ok(self.array::<1>()?[0])
    }

    pub(super) fn u32(&mut self) -> Result<u32, BundleError> {
        let mut value: u32 = 0;
        for shift in [0, 7, 14, 21, 28] {
            let byte = self.u8()?;
            let bits = u32::from(byte & 0x7f);
            if shift == 28 && bits > 0x0f {
                return Err(BundleError::Corrupt("an integer overflows"));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(BundleError::Corrupt("an integer overflows"))
    }

    pub(super) fn usize(&mut self) -> Result<usize, BundleError> {
        Ok(self.u32()? as usize)
    }

    /// A count of items each holding at least `min_item_bytes / 4` varints (callers
    /// count fixed four-byte words): bounded by what remains, so a forged count cannot
    /// make the loader allocate more than a small multiple of the input.
    pub(super) fn count(&mut self, min_item_bytes: usize) -> Result<usize, BundleError> {
        let count = self.usize()?;
        let remaining = self.bytes.len() - self.at;
        if count.saturating_mul(min_item_bytes.div_ceil(4).max(1)) > remaining {
            return Err(BundleError::Truncated);
        }
        Ok(count)
    }

    pub(super) fn i128(&mut self) -> Result<i128, BundleError> {
        Ok(i128::from_le_bytes(self.array()?))
    }

    pub(super) fn f64(&mut self) -> Result<f64, BundleError> {
        Ok(f64::from_bits(u64::from_le_bytes(self.array()?)))
    }

    pub(super) fn bool(&mut self) -> Result<bool, BundleError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(BundleError::Corrupt("a flag is neither 0 nor 1")),
        }
    }

    pub(super) fn bytes(&mut self) -> Result<&'a [u8], BundleError> {
        let len = self.usize()?;
        self.take(len)
    }

    pub(super) fn str(&mut self) -> Result<&'a str, BundleError> {
        std::str::from_utf8(self.bytes()?)
            .map_err(|_| BundleError::Corrupt("a string is not UTF-8"))
    }

    pub(super) fn string(&mut self) -> Result<String, BundleError> {
        self.str().map(str::to_owned)
    }

    pub(super) fn opt_string(&mut self) -> Result<Option<String>, BundleError> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(BundleError::Corrupt("an optional string has a bad tag")),
        }
    }
}
