//! Fuzz target: arbitrary bytes through `guardc check` as a library call (load, every
//! finding at its default level) and through every report format, whose output must
//! stay within a bound proportional to the input.
//!
//! This is the harness issue 12 asked for after hostile inputs made the human renderer
//! print hundreds of megabytes, made a finding quadratic and made the analyzer abort on
//! an allocation: a panic anywhere is a crash, an allocation failure is a crash (run it
//! under libFuzzer's `-malloc_limit_mb` / `-rss_limit_mb`, see README.md), and so is a
//! report larger than the bounds below.
//!
//! The bounds follow from the renderers' own limits. The human format shows at most
//! [`HUMAN_MAX_SHOWN`] diagnostics per file; each shows at most three texts (message,
//! label, help) cut to 2,000 characters, which escaping can widen to `<U+XXXX>` (8 bytes
//! each), plus one cut text per related location and a few windowed source lines of at
//! most 120 characters around each label. The machine formats (JSON, SARIF, GitHub) keep
//! every diagnostic and every text whole, so they are bounded per diagnostic: a fixed
//! part plus the texts a diagnostic may quote from the policy, which are at most the
//! input escaped ([`QUOTE_BYTES_PER_INPUT_BYTE`]) per quoted text. The number of
//! diagnostics itself must grow at most linearly with the input
//! ([`MAX_DIAGNOSTICS_PER_INPUT_BYTE`]), so that no finding reports per pair of rules.

#![no_main]

use std::fmt;
use std::io;

use guardc::check::{CheckOptions, check_bytes};
use guardc::diagnostics::render::{
    FileReport, HumanOptions, json_report, sarif_report, write_github_annotations, write_human,
    write_json,
};
use libfuzzer_sys::fuzz_target;

/// The human format's per-file limit (`HumanOptions::default().max_per_file`).
const HUMAN_MAX_SHOWN: usize = 200;
/// One cut text (2,000 characters) at its widest: every character escaped as `<U+XXXX>`.
const CUT_TEXT_BYTES: usize = 2_000 * 8 + 128;
/// One label's snippet lines: a few windowed lines of at most 120 characters, each
/// character at most 8 bytes once escaped, with the gutter and underline.
const SNIPPET_BYTES: usize = 5 * (120 * 8 + 64) + 2 * 256;
/// A shown diagnostic without related locations: header, message, label, help and its
/// snippet, plus the "and N more on this line" note.
const HUMAN_PER_DIAGNOSTIC: usize = 3 * CUT_TEXT_BYTES + SNIPPET_BYTES + 256;
/// What each related location adds to a shown diagnostic.
const HUMAN_PER_RELATED: usize = CUT_TEXT_BYTES + SNIPPET_BYTES;
/// The per-file footer that counts what was left out.
const HUMAN_FOOTER: usize = 512;

/// A diagnostic in a machine format, beyond the texts it quotes: code, level, spans
/// (line and column numbers) and field names.
const MACHINE_PER_DIAGNOSTIC: usize = 2_048;
/// A related location or witness in a machine format, beyond the texts it quotes.
const MACHINE_PER_PART: usize = 1_024;
/// A quoted text is at most the input, `\u`-escaped (6 bytes per input byte).
const QUOTE_BYTES_PER_INPUT_BYTE: usize = 6;
/// Texts a diagnostic or one of its parts may quote from the policy (message, label,
/// help, the reference's message; a witness's tool, method and arguments).
const QUOTES_PER_PART: usize = 4;
/// The report's fixed part: SARIF's driver lists every registered code with its help.
const MACHINE_FIXED: usize = 256 * 1024;

/// Diagnostics per input byte: even a document of one byte per finding stays below it.
const MAX_DIAGNOSTICS_PER_INPUT_BYTE: usize = 2;
const MAX_DIAGNOSTICS_FIXED: usize = 64;

fuzz_target!(|data: &[u8]| {
    for name in ["p.yaml", "p.json"] {
        check_one(name, data);
    }
});

fn check_one(name: &str, data: &[u8]) {
    let report = check_bytes(name, data, &CheckOptions::default());
    let diagnostics = &report.diagnostics;
    let count = diagnostics.len();
    assert!(
        count <= MAX_DIAGNOSTICS_FIXED + MAX_DIAGNOSTICS_PER_INPUT_BYTE * data.len(),
        "{count} diagnostics for {} input bytes",
        data.len()
    );
    let file = report.file_report();
    let files = [file];

    // The human format may show the diagnostics with the most related locations.
    let mut related: Vec<usize> = diagnostics.iter().map(|d| d.related.len()).collect();
    related.sort_unstable_by(|a, b| b.cmp(a));
    let shown_related: usize = related.iter().take(HUMAN_MAX_SHOWN).sum();
    let human_bound = HUMAN_FOOTER
        + count.min(HUMAN_MAX_SHOWN) * HUMAN_PER_DIAGNOSTIC
        + shown_related * HUMAN_PER_RELATED;
    let mut human = Bounded::new("human", human_bound);
    write_human(&mut human, &file, HumanOptions::default()).expect("human output within bound");
    let mut colored = Bounded::new("human (color)", human_bound * 2);
    let options = HumanOptions {
        color: true,
        ..HumanOptions::default()
    };
    write_human(&mut colored, &file, options).expect("colored output within bound");

    let quote = QUOTES_PER_PART * QUOTE_BYTES_PER_INPUT_BYTE * data.len();
    let machine_bound: usize = MACHINE_FIXED
        + diagnostics
            .iter()
            .map(|d| {
                let parts = 1 + d.related.len() + d.witnesses.len();
                MACHINE_PER_DIAGNOSTIC + parts * (MACHINE_PER_PART + quote)
            })
            .sum::<usize>();
    for pretty in [false, true] {
        let mut json = Bounded::new("json", machine_bound);
        write_json(&mut json, &json_report(&files), pretty).expect("json within bound");
        let mut sarif = Bounded::new("sarif", machine_bound);
        write_json(&mut sarif, &sarif_report(&files), pretty).expect("sarif within bound");
    }
    let mut github = Bounded::new("github", machine_bound);
    write_github_annotations(&mut github, &files).expect("github within bound");
    report_sizes(name, data.len(), count, [&human, &colored, &github]);
}

/// A writer that counts what it is given and panics past its bound, so that an
/// amplification is caught before it fills memory.
struct Bounded {
    format: &'static str,
    bound: usize,
    written: usize,
}

impl Bounded {
    fn new(format: &'static str, bound: usize) -> Self {
        Self {
            format,
            bound,
            written: 0,
        }
    }

    fn add(&mut self, bytes: usize) {
        self.written += bytes;
        assert!(
            self.written <= self.bound,
            "{} output passed its bound of {} bytes",
            self.format,
            self.bound
        );
    }
}

impl fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.add(s.len());
        Ok(())
    }
}

impl io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.add(buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// With `GUARDC_FUZZ_SIZES` set, prints each format's size against its bound: how the
/// constants above were checked against the seed corpus.
fn report_sizes(name: &str, input: usize, count: usize, outputs: [&Bounded; 3]) {
    if std::env::var_os("GUARDC_FUZZ_SIZES").is_none() {
        return;
    }
    let sizes: Vec<String> = outputs
        .iter()
        .map(|o| format!("{}={}/{}", o.format, o.written, o.bound))
        .collect();
    eprintln!(
        "{name} input={input} diagnostics={count} {}",
        sizes.join(" ")
    );
}
