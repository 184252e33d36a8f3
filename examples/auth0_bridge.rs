//! The Auth0 bridge server: both Auth0 halves in front of Twilio Verify.
//!
//! ```sh
//! export TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=…        # or TWILIO_API_KEY + TWILIO_API_SECRET
//! export TWILIO_VERIFY_SERVICE_SID=VA…                      # custom codes enabled
//! export AUTH0_LOG_STREAM_TOKEN='Bearer …'                  # exactly what the stream sends
//! export BRIDGE_ACTION_SECRET=…                             # what the Action sends as Bearer
//! cargo run --example auth0_bridge --features axum
//! cargo run --example auth0_bridge --features axum -- --help   # every setting, flag and variable
//! ```
//!
//! Every setting is a flag or an environment variable (the flag wins); secrets are read from the
//! environment only, a trailing newline trimmed. `BRIDGE_TLS_CERT` and
//! `BRIDGE_TLS_KEY` (PEM files) serve HTTPS with rustls; without them it serves plain HTTP, for
//! a TLS-terminating proxy. Logs are `tracing` events on stderr, as text or, with
//! `BRIDGE_LOG_FORMAT=json`, one JSON object per line. SIGTERM or Ctrl-C stops taking new
//! requests and gives those in flight `BRIDGE_SHUTDOWN_GRACE_SECS` (default 20) to finish.
//!
//! State is kept in memory unless `BRIDGE_REDIS_URL` names a Redis server (build with
//! `--features axum,redis`): replicas pointed at the same Redis, with the same `BRIDGE_HASH_KEY`
//! (by default the action secret), behave as one bridge.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use clap::{Arg, ArgAction, Command};
use twilio_verify::bridge::{
    Bridge, BridgeConfig, KNOWN_VARIABLES, OtpDelivery, unknown_variables,
};

/// Which senders notices have, for the start-up line: a Messaging Service, a From number, a
/// voice number, or only the From number Auth0 sends with each event.
fn notice_senders(config: &BridgeConfig) -> String {
    let mut senders = Vec::new();
    if config.messaging_service.is_some() {
        senders.push("messaging_service");
    }
    if config.from_number.is_some() {
        senders.push("from_number");
    }
    if config.voice_from_number.is_some() {
        senders.push("voice_from_number");
    }
    if senders.is_empty() {
        senders.push("auth0_from_only");
    }
    senders.join(",")
}

/// Every setting: its variable, whether it is a secret (its value never shown), and what it does.
const SETTINGS: &[(&str, bool, &str)] = &[
    ("TWILIO_ACCOUNT_SID", false, "Twilio Account SID (AC…)"),
    ("TWILIO_AUTH_TOKEN", true, "Twilio auth token"),
    (
        "TWILIO_API_KEY",
        false,
        "Twilio API key SID (SK…), preferred with TWILIO_API_SECRET",
    ),
    ("TWILIO_API_SECRET", true, "Twilio API key secret"),
    ("TWILIO_REGION", false, "Twilio region (au1, ie1…)"),
    ("TWILIO_EDGE", false, "Twilio edge (sydney, dublin…)"),
    (
        "TWILIO_VERIFY_BASE_URL",
        false,
        "Verify base URL override (a mock or a proxy)",
    ),
    (
        "TWILIO_API_BASE_URL",
        false,
        "REST API base URL override, for texts and calls (a mock or a proxy)",
    ),
    (
        "TWILIO_VERIFY_SERVICE_SID",
        false,
        "the Verify Service (VA…), custom codes enabled",
    ),
    (
        "AUTH0_LOG_STREAM_TOKEN",
        true,
        "the exact Authorization value the log stream sends",
    ),
    (
        "AUTH0_LOG_STREAM_TOKEN_NEXT",
        true,
        "a second stream token accepted while rotating",
    ),
    (
        "BRIDGE_ACTION_SECRET",
        true,
        "the Bearer token the Actions send",
    ),
    (
        "BRIDGE_ACTION_SECRET_NEXT",
        true,
        "a second action secret accepted while rotating",
    ),
    (
        "BRIDGE_METRICS_TOKEN",
        true,
        "Bearer token GET /metrics requires (open when unset)",
    ),
    (
        "BRIDGE_ADDR",
        false,
        "address to listen on [default: 127.0.0.1:8080]",
    ),
    (
        "BRIDGE_TLS_CERT",
        false,
        "PEM certificate chain: serve HTTPS (with BRIDGE_TLS_KEY)",
    ),
    (
        "BRIDGE_TLS_KEY",
        false,
        "PEM private key for BRIDGE_TLS_CERT",
    ),
    (
        "BRIDGE_LOG_FORMAT",
        false,
        "log format: text or json [default: text]",
    ),
    (
        "BRIDGE_SHUTDOWN_GRACE_SECS",
        false,
        "time requests in flight get at shutdown [default: 20]",
    ),
    (
        "BRIDGE_TWILIO_TIMEOUT_SECS",
        false,
        "timeout of a call to Twilio [default: 10]",
    ),
    (
        "BRIDGE_REQUEST_TIMEOUT_SECS",
        false,
        "a request taking longer is answered 503 [default: 30]",
    ),
    (
        "BRIDGE_MAX_CONCURRENCY",
        false,
        "requests served at once; more wait [default: 256]",
    ),
    (
        "BRIDGE_MAX_BODY_BYTES",
        false,
        "largest request body [default: 5 MiB]",
    ),
    (
        "BRIDGE_READY_CACHE_SECS",
        false,
        "how long /readyz reuses its answer [default: 10]",
    ),
    (
        "BRIDGE_CODE_TTL_SECS",
        false,
        "code lifetime: repeats, and approval matching [default: 600]",
    ),
    (
        "BRIDGE_DONE_TTL_SECS",
        false,
        "how long approved ids and sends are remembered [default: 604800]",
    ),
    (
        "BRIDGE_CLAIM_TTL_SECS",
        false,
        "how long a claim outlives a holder that died [default: 30]",
    ),
    (
        "BRIDGE_CLAIM_WAIT_MS",
        false,
        "how long a delivery waits for a held claim [default: 5000]",
    ),
    (
        "BRIDGE_APPROVAL_CONCURRENCY",
        false,
        "approvals of one batch at once [default: 8]",
    ),
    (
        "BRIDGE_DEDUPE_CAPACITY",
        false,
        "keys the memory store keeps [default: 100000]",
    ),
    (
        "BRIDGE_HASH_KEY",
        true,
        "key of the hashes in the store [default: the action secret]",
    ),
    (
        "BRIDGE_REDIS_URL",
        true,
        "Redis that replicas share (feature redis) [default: memory]",
    ),
    (
        "BRIDGE_MESSAGING_SERVICE_SID",
        false,
        "Messaging Service (MG…) that sends text notices",
    ),
    (
        "BRIDGE_FROM_NUMBER",
        false,
        "From number of text notices (and calls) [default: Auth0's]",
    ),
    (
        "BRIDGE_VOICE_FROM_NUMBER",
        false,
        "From number of calls [default: BRIDGE_FROM_NUMBER]",
    ),
    (
        "BRIDGE_OTP_DELIVERY",
        false,
        "one-time codes through verify or messaging [default: verify]",
    ),
    (
        "BRIDGE_VALIDATE_NUMBERS",
        false,
        "guard: refuse numbers not valid for their country (true/false)",
    ),
    (
        "BRIDGE_ALLOWED_COUNTRIES",
        false,
        "guard: only these countries (US,GB or +882…)",
    ),
    (
        "BRIDGE_BLOCKED_COUNTRIES",
        false,
        "guard: never these countries",
    ),
    (
        "BRIDGE_GEO_MISMATCH",
        false,
        "guard: allow or block a login from another country [default: allow]",
    ),
    (
        "BRIDGE_LIMIT_PER_RECIPIENT",
        false,
        "guard: sends per number, N/PERIOD (5/10m)",
    ),
    (
        "BRIDGE_LIMIT_PER_USER",
        false,
        "guard: sends per Auth0 user",
    ),
    (
        "BRIDGE_LIMIT_PER_IP",
        false,
        "guard: sends per requesting IP",
    ),
    (
        "BRIDGE_LIMIT_PER_PREFIX",
        false,
        "guard: sends per number range",
    ),
    (
        "BRIDGE_PREFIX_DIGITS",
        false,
        "guard: digits after + that make a range [default: 6]",
    ),
    (
        "BRIDGE_LIMIT_PER_COUNTRY",
        false,
        "guard: sends per country",
    ),
    (
        "BRIDGE_VERIFY_RATE_LIMITS",
        false,
        "Verify RateLimits to fill: end_user_ip_address,user_id",
    ),
];

fn command() -> Command {
    // Secrets are read from the environment only: a flag would show them in `ps`.
    let secrets: Vec<String> = SETTINGS
        .iter()
        .filter(|(_, secret, _)| *secret)
        .map(|(name, _, help)| format!("  {name:<30} {help}"))
        .collect();
    let mut cmd = Command::new("auth0_bridge")
        .about("Both Auth0 halves in front of Twilio Verify: codes out through Verify, MFA successes back as feedback")
        .after_help(format!(
            "Each setting above is a flag or the environment variable shown beside it; the flag wins.\n\nSecrets, read from the environment only (never from a flag, which `ps` would show), a trailing newline trimmed:\n{}",
            secrets.join("\n")
        ));
    for (name, secret, help) in SETTINGS {
        if *secret {
            continue;
        }
        let flag = name.to_ascii_lowercase().replace('_', "-");
        cmd = cmd.arg(
            Arg::new(*name)
                .long(flag)
                .env(*name)
                .value_name("VALUE")
                .action(ArgAction::Set)
                .help(*help),
        );
    }
    cmd
}

#[tokio::main]
async fn main() {
    let matches = command().get_matches();
    let settings: HashMap<String, String> = SETTINGS
        .iter()
        .filter_map(|(name, secret, _)| {
            let value = if *secret {
                std::env::var(name).ok()
            } else {
                matches.get_one::<String>(name).cloned()
            };
            // What `$(cat file)` or a secret manager leaves: a trailing newline.
            value.map(|v| {
                (
                    (*name).to_owned(),
                    v.trim_end_matches(['\r', '\n']).to_owned(),
                )
            })
        })
        .collect();
    let lookup = |k: &str| settings.get(k).cloned();
    let json = match lookup("BRIDGE_LOG_FORMAT").as_deref().map(str::trim) {
        None | Some("text") => false,
        Some("json") => true,
        Some(_) => {
            eprintln!("auth0_bridge: BRIDGE_LOG_FORMAT: expected text or json");
            std::process::exit(1);
        }
    };
    init_logs(json);
    if let Err(e) = run(&lookup).await {
        tracing::error!(target: "auth0_bridge", "{e}");
        eprintln!("auth0_bridge: {e}");
        std::process::exit(1);
    }
}

fn init_logs(json: bool) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO);
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

async fn run(lookup: &dyn Fn(&str) -> Option<String>) -> Result<(), Box<dyn std::error::Error>> {
    debug_assert!(SETTINGS.iter().all(|(n, _, _)| n.starts_with("TWILIO_")
        || n.starts_with("AUTH0_")
        || KNOWN_VARIABLES.contains(n)));
    let set: Vec<String> = std::env::vars_os()
        .map(|(k, _)| k.to_string_lossy().into_owned())
        .collect();
    for unknown in unknown_variables(set.iter().map(String::as_str)) {
        tracing::warn!(target: "auth0_bridge", variable = %unknown, "unknown setting ignored (a typo?)");
    }
    // Check every setting before binding, so a missing one is a clear message, not a 500 later.
    let config = BridgeConfig::from_lookup(lookup)?;
    let seconds = |name: &str, default: u64| -> Result<Duration, String> {
        lookup(name).map_or(Ok(Duration::from_secs(default)), |v| {
            v.trim()
                .parse()
                .map(Duration::from_secs)
                .map_err(|_| format!("{name}: not a number of seconds"))
        })
    };
    let grace = seconds("BRIDGE_SHUTDOWN_GRACE_SECS", 20)?;
    // Answer Auth0 well inside its Action time limit: the Actions in examples/auth0 wait 15 s.
    let client = twilio_verify::ClientBuilder::from_lookup(lookup)?
        .timeout(seconds("BRIDGE_TWILIO_TIMEOUT_SECS", 10)?)
        .build()?;
    let addr: SocketAddr = lookup("BRIDGE_ADDR")
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned())
        .parse()
        .map_err(|_| "BRIDGE_ADDR: not an address such as 127.0.0.1:8080")?;
    let tls = match (lookup("BRIDGE_TLS_CERT"), lookup("BRIDGE_TLS_KEY")) {
        (Some(cert), Some(key)) => Some(
            axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| format!("BRIDGE_TLS_CERT / BRIDGE_TLS_KEY: {e}"))?,
        ),
        (None, None) => None,
        _ => return Err("set both BRIDGE_TLS_CERT and BRIDGE_TLS_KEY, or neither".into()),
    };
    let listener =
        std::net::TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    listener.set_nonblocking(true)?;
    let local = listener.local_addr()?;
    let scheme = if tls.is_some() {
        "https"
    } else {
        "http (TLS terminated by a proxy)"
    };
    tracing::info!(
        target: "auth0_bridge",
        address = %local,
        scheme,
        service = %config.service,
        store = config.store_kind(),
        code_ttl_secs = config.code_ttl.as_secs(),
        approval_concurrency = config.approval_concurrency,
        metrics = if config.metrics_token.is_some() { "token" } else { "open" },
        guard = %config.guard.describe(),
        otp_delivery = config.otp_delivery.as_str(),
        notices = notice_senders(&config),
        shutdown_grace_secs = grace.as_secs(),
        "listening"
    );
    if config.otp_delivery == OtpDelivery::Messaging {
        tracing::warn!(
            target: "auth0_bridge",
            "BRIDGE_OTP_DELIVERY=messaging: one-time codes go out as plain texts through Programmable Messaging, with no Verify Fraud Guard and no feedback loop (nothing is approved); switch back to verify once the Verify Service has custom codes enabled"
        );
    }
    let app = Bridge::from_config(client, config)?.router();
    let handle = axum_server::Handle::new();
    tokio::spawn(shutdown(handle.clone(), grace));
    let service = app.into_make_service();
    match tls {
        Some(tls) => {
            axum_server::from_tcp_rustls(listener, tls)?
                .handle(handle)
                .serve(service)
                .await?;
        }
        None => {
            axum_server::from_tcp(listener)?
                .handle(handle)
                .serve(service)
                .await?;
        }
    }
    tracing::info!(target: "auth0_bridge", "stopped");
    Ok(())
}

async fn shutdown(handle: axum_server::Handle<SocketAddr>, grace: Duration) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!(
        target: "auth0_bridge",
        grace_secs = grace.as_secs(),
        "shutting down; finishing requests in flight"
    );
    handle.graceful_shutdown(Some(grace));
}
