//! The YAML front-end's fast paths on the benchmark mixes: the generated policies the
//! analysis budgets are measured on must be read by the fast reader and built by the
//! direct tree builder (or the measurements would time the slow paths), and both must
//! agree with the general path (saphyr's events, the arena builder's tree) on them.

#[path = "../benches/support/analysis_mixes.rs"]
mod analysis_mixes;
#[path = "../benches/support/realistic.rs"]
mod realistic;

use analysis_mixes::{Mix, policy};

#[test]
fn the_benchmark_mixes_take_the_fast_paths_and_agree_with_the_general_ones() {
    for mix in Mix::ALL {
        let text = policy(mix, 2_000);
        assert_eq!(
            guardc::syntax::fast_yaml_reader_agrees(&text),
            Ok(true),
            "{}",
            mix.name()
        );
    }
}
