//! Fuzz target: the fast YAML reader against saphyr. Loading reads the YAML policies are
//! usually written in with a reader of its own and leaves everything else to saphyr;
//! the two must never disagree on a document the fast reader accepts (the same events,
//! the same spans, and saphyr must accept it too), since a policy read differently could
//! decide differently. Where the fast reader's events need no alias-sharing arena, the
//! tree is built from them directly; that tree must equal the arena builder's. Any
//! difference is a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(difference) = guardc::syntax::fast_yaml_reader_agrees(text) {
        panic!("{difference}");
    }
});
