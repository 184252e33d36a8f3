//! Machine-readable results: one JSON object per line appended to `$BENCH_OUT` (for
//! `scripts/bench`, which writes `benches/RESULTS.md` from them). Nothing when it is unset.
#![allow(dead_code)]

use std::io::Write as _;

/// Appends `line` (a JSON object) to `$BENCH_OUT`.
pub fn emit(line: serde_json::Value) {
    let Ok(path) = std::env::var("BENCH_OUT") else {
        return;
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    writeln!(f, "{line}").unwrap_or_else(|e| panic!("{path}: {e}"));
}

/// Runs a peer's benchmark command and parses the one JSON object it prints last.
pub fn run_peer(program: &str, args: &[String]) -> Result<serde_json::Value, String> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{program} {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().rev().find(|l| l.trim_start().starts_with('{'));
    last.ok_or_else(|| format!("{program} printed no JSON: {text}"))
        .and_then(|l| serde_json::from_str(l).map_err(|e| format!("{program}: {e}: {l}")))
}
