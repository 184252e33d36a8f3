//! Programmable rate limits and their buckets: every operation, with exact wire forms.
#![cfg(feature = "client")]

mod common;

use common::*;
use twilio_verify::sid::{BucketSid, RateLimitSid};
use twilio_verify::verify::{
    CreateBucket, CreateRateLimit, DeleteBucket, DeleteRateLimit, FetchBucket, FetchRateLimit,
    ListBuckets, ListRateLimits, UpdateBucket, UpdateRateLimit,
};
use wiremock::ResponseTemplate;

const RK: &str = "RKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const BL: &str = "BLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn rk() -> RateLimitSid {
    RK.parse().expect("rk")
}

fn bl() -> BucketSid {
    BL.parse().expect("bl")
}

fn limits() -> String {
    format!("/v2/Services/{SERVICE_SID}/RateLimits")
}

#[tokio::test]
async fn rate_limits_create_list_fetch_update_delete() {
    let (server, client) = setup().await;
    expect_form(
        &limits(),
        "UniqueName=end_user_ip_address&Description=Per+end-user+IP+address",
    )
    .respond_with(json(201, "verify/rate_limit.json"))
    .expect(1)
    .mount(&server)
    .await;
    expect("GET", &limits())
        .respond_with(json(200, "verify/rate_limits_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("{}/{RK}", limits()))
        .respond_with(json(200, "verify/rate_limit.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_form(&format!("{}/{RK}", limits()), "Description=Per+IP")
        .respond_with(json(200, "verify/rate_limit.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("DELETE", &format!("{}/{RK}", limits()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let created = CreateRateLimit::new(service(), "end_user_ip_address")
        .description("Per end-user IP address")
        .send(&client)
        .await
        .expect("created");
    assert_eq!(created.sid.as_ref().map(|s| s.as_str()), Some(RK));
    assert_eq!(created.unique_name.as_deref(), Some("end_user_ip_address"));
    assert!(
        created
            .links
            .as_ref()
            .is_some_and(|l| l.contains_key("buckets"))
    );
    let all = ListRateLimits::new(service())
        .all(&client)
        .await
        .expect("list");
    assert_eq!(all.len(), 1);
    FetchRateLimit::new(service(), rk())
        .send(&client)
        .await
        .expect("fetch");
    UpdateRateLimit::new(service(), rk())
        .description("Per IP")
        .send(&client)
        .await
        .expect("update");
    DeleteRateLimit::new(service(), rk())
        .send(&client)
        .await
        .expect("delete");
}

#[tokio::test]
async fn buckets_create_list_fetch_update_delete() {
    let (server, client) = setup().await;
    let buckets = format!("{}/{RK}/Buckets", limits());
    expect_form(&buckets, "Max=5&Interval=60")
        .respond_with(json(201, "verify/bucket.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &buckets)
        .respond_with(json(200, "verify/buckets_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("GET", &format!("{buckets}/{BL}"))
        .respond_with(json(200, "verify/bucket.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_form(&format!("{buckets}/{BL}"), "Max=10&Interval=120")
        .respond_with(json(200, "verify/bucket.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect("DELETE", &format!("{buckets}/{BL}"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let b = CreateBucket::new(service(), rk(), 5, 60)
        .send(&client)
        .await
        .expect("created");
    assert_eq!((b.max, b.interval), (Some(5), Some(60)));
    assert_eq!(b.rate_limit_sid.as_ref().map(|s| s.as_str()), Some(RK));
    let page = ListBuckets::new(service(), rk())
        .send(&client)
        .await
        .expect("list");
    assert_eq!(page.items.len(), 1);
    FetchBucket::new(service(), rk(), bl())
        .send(&client)
        .await
        .expect("fetch");
    UpdateBucket::new(service(), rk(), bl())
        .max(10)
        .interval(120)
        .send(&client)
        .await
        .expect("update");
    DeleteBucket::new(service(), rk(), bl())
        .send(&client)
        .await
        .expect("delete");
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let (server, client) = setup().await;
    forbid_calls(&server).await;
    assert!(
        CreateRateLimit::new(service(), "")
            .send(&client)
            .await
            .expect_err("name")
            .is_invalid_input()
    );
    assert!(
        CreateBucket::new(service(), rk(), 0, 60)
            .send(&client)
            .await
            .expect_err("max")
            .is_invalid_input()
    );
    assert!(
        UpdateBucket::new(service(), rk(), bl())
            .interval(0)
            .send(&client)
            .await
            .expect_err("interval")
            .is_invalid_input()
    );
    assert_eq!(hits(&server).await, 0);
}
