//! The fake's HTTP/1.1 server: hyper on a loopback listener, one task per connection.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use super::Shared;
use super::state::{self, Outcome};

/// The error a connection ends with when a fault drops it: hyper closes it without an answer.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by a fault of the fake Verify")]
struct Dropped;

/// Accepts connections until the task is aborted; the connections go with it.
pub(super) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors, most likely: let the other connections finish.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let shared = shared.clone();
        connections.spawn(async move {
            let service = service_fn(move |req| answer(shared.clone(), req));
            // A connection ends with an error when a client hangs up or a fault drops it.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        while connections.try_join_next().is_some() {}
    }
}

async fn answer(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(http_body_util::Collected::to_bytes)
        .unwrap_or_default();
    let mut params: Vec<(String, String)> = Vec::new();
    if let Some(query) = parts.uri.query() {
        params.extend(form_urlencoded::parse(query.as_bytes()).into_owned());
    }
    params.extend(form_urlencoded::parse(&body).into_owned());
    let outcome = shared.lock().handle(state::Incoming {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        authorization: parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
        params,
    });
    let (answer, delay) = match outcome {
        Outcome::Answer(answer, delay) => (answer, delay),
        Outcome::Drop => return Err(Dropped),
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let body = answer
        .body
        .map(|json| Bytes::from(json.to_string()))
        .unwrap_or_default();
    let mut response = Response::new(Full::new(body));
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if answer.status != 204 {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    Ok(response)
}
