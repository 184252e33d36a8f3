//! The Auth0 bridge server: both Auth0 halves in front of Twilio Verify.
//!
//! ```sh
//! export TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=…        # or TWILIO_API_KEY + TWILIO_API_SECRET
//! export TWILIO_VERIFY_SERVICE_SID=VA…                      # custom codes enabled
//! export AUTH0_LOG_STREAM_TOKEN='Bearer …'                  # exactly what the stream sends
//! export BRIDGE_ACTION_SECRET=…                             # what the Action sends as Bearer
//! cargo run --example auth0_bridge --features axum
//! ```
//!
//! `BRIDGE_ADDR` sets the address (default `127.0.0.1:8080`). SIGTERM or Ctrl-C stops taking new
//! requests and lets the approvals in flight finish.
//!
//! State is kept in memory unless `BRIDGE_REDIS_URL` names a Redis server (build with
//! `--features redis`): replicas pointed at the same Redis, with the same
//! `BRIDGE_ACTION_SECRET` (or `BRIDGE_HASH_KEY`), behave as one bridge.

use twilio_verify::bridge::{Bridge, BridgeConfig};

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("auth0_bridge: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Check every setting before binding, so a missing one is a clear message, not a 500 later.
    let config = BridgeConfig::from_env()?;
    // Answer Auth0 well inside its Action time limit: the Actions in examples/auth0 wait 15 s.
    let client = twilio_verify::ClientBuilder::from_env()?
        .timeout(std::time::Duration::from_secs(10))
        .build()?;
    let addr = std::env::var("BRIDGE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    eprintln!(
        "auth0_bridge: listening on http://{} (service {}, state in {}, code lifetime {} s, {} approvals at once; {})",
        listener.local_addr()?,
        config.service,
        config.store_kind(),
        config.code_ttl.as_secs(),
        config.approval_concurrency,
        config.guard.describe(),
    );
    let app = Bridge::from_config(client, config)?.router();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await?;
    eprintln!("auth0_bridge: stopped");
    Ok(())
}

async fn shutdown() {
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
    eprintln!("auth0_bridge: shutting down; finishing requests in flight");
}
