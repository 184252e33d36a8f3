//! Shared set-up for the wiremock suites: a mock Verify, a client pointed at it, fixtures.
#![allow(dead_code)]

#[cfg(feature = "client")]
#[allow(unused_imports)]
pub use with_client::*;

pub const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const AUTH_TOKEN: &str = "test-auth-token-7f3a";
pub const SERVICE_SID: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const VERIFICATION_SID: &str = "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// The text of `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> String {
    let p = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[cfg(feature = "client")]
mod with_client {
    use super::{ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, fixture};
    use twilio_verify::{Client, ServiceSid};
    use wiremock::matchers::{basic_auth, header, method, path};
    use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

    /// A mock server and a client authenticated with the test credentials, pointed at it.
    pub async fn setup() -> (MockServer, Client) {
        let server = MockServer::start().await;
        let client = Client::builder()
            .auth_token(ACCOUNT_SID, AUTH_TOKEN)
            .base_url(server.uri())
            .build()
            .expect("client");
        (server, client)
    }

    pub fn service() -> ServiceSid {
        SERVICE_SID.parse().expect("service sid")
    }

    /// A JSON answer with `status` and the fixture `name` as body.
    pub fn json(status: u16, name: &str) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
    }

    /// A mock matching method, path and Basic auth with the test credentials.
    pub fn expect(verb: &str, p: &str) -> MockBuilder {
        Mock::given(method(verb))
            .and(path(p))
            .and(basic_auth(ACCOUNT_SID, AUTH_TOKEN))
            .and(header("accept", "application/json"))
    }

    /// A POST mock that also checks the form content type and the exact body.
    pub fn expect_form(p: &str, body: &str) -> MockBuilder {
        expect("POST", p)
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .and(wiremock::matchers::body_string(body.to_owned()))
    }

    /// Makes any call to `server` fail the test: each is answered 500, and the mock, checked
    /// when the server drops, expects none.
    pub async fn forbid_calls(server: &MockServer) {
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(500))
            .expect(0)
            .mount(server)
            .await;
    }

    /// How many requests the server has seen.
    pub async fn hits(server: &MockServer) -> usize {
        server.received_requests().await.map_or(0, |r| r.len())
    }
}
