#![allow(clippy::unwrap_used, reason = "scratch")]
//! scratch
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let _ = guardc::bundle::inspect_bundle(&bytes).unwrap();
        let a = t.elapsed();
        let t = std::time::Instant::now();
        let _ = guardc::bundle::read_bundle(&bytes, None).unwrap();
        println!("verify {:?} read {:?}", a, t.elapsed());
    }
}
