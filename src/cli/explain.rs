//! `guardc explain CODE`: print the documentation of a diagnostic.

use super::output::{errln, outln};
use clap::Args;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::registry;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code (GC0113) or name (deny-and-allow). Omit it to list every code.
    pub code: Option<String>,
}

pub fn run(args: ExplainArgs) -> u8 {
    let Some(wanted) = args.code else {
        for info in registry::all() {
            outln!(
                "{}  {:<34} {:<8} {}",
                info.code,
                info.name,
                info.level.as_str(),
                info.summary
            );
        }
        return EXIT_OK;
    };
    match registry::lookup(&wanted) {
        Some(info) => {
            outln!(
                "{} {} ({} by default)\n",
                info.code,
                info.name,
                info.level.as_str()
            );
            outln!("{}\n\n{}", info.summary, info.doc);
            EXIT_OK
        }
        None => {
            errln!(
                "error: no diagnostic is called `{wanted}`\n  help: run `guardc explain` to list every code"
            );
            EXIT_FAILURE
        }
    }
}
