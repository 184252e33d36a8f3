//! `verify`: an operator's command line for Twilio Verify.
//!
//! ```sh
//! export TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… TWILIO_VERIFY_SERVICE_SID=VA…
//! cargo run --example verify -- send "+1 501 712 2661" --channel sms
//! cargo run --example verify -- check +15017122661 123456
//! cargo run --example verify -- approve +15017122661
//! cargo run --example verify -- services list --json
//! cargo run --example verify -- safelist add +15017122661
//! cargo run --example verify -- attempts list --channel sms --status unconverted --country CO
//! cargo run --example verify -- rate-limits create end_user_ip_address --max 5 --interval 60
//! ```
//!
//! Exit codes: 0 success (for `check`, only when the code was approved); 1 Twilio refused or
//! the code was not approved; 2 usage or invalid input, and nothing was sent.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;
use twilio_verify::sid::RateLimitSid;
use twilio_verify::verify::{
    AttemptChannel, ConversionStatus, CreateSafelist, DeleteSafelist, FetchSafelist,
    FetchVerificationAttemptsSummary, ListVerificationAttempts,
};
use twilio_verify::verify::{
    Channel, CreateService, CreateVerification, CreateVerificationCheck, DeleteService,
    FetchService, FetchVerification, ListServices, UpdateService, UpdateVerification,
    VerificationTarget,
};
use twilio_verify::verify::{
    CreateBucket, CreateRateLimit, DeleteRateLimit, ListBuckets, ListRateLimits,
};
use twilio_verify::{Client, Error, ServiceSid, Timestamp};

#[derive(Parser)]
#[command(
    name = "verify",
    version,
    about = "Twilio Verify from the command line"
)]
struct Cli {
    /// The Verify Service (VA…); defaults to $TWILIO_VERIFY_SERVICE_SID.
    #[arg(
        long,
        global = true,
        env = "TWILIO_VERIFY_SERVICE_SID",
        value_name = "VA…"
    )]
    service: Option<String>,
    /// Print the response as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a verification (send a code).
    Send {
        /// Phone number (E.164; spaces and dashes are fine) or e-mail address.
        to: String,
        /// sms, call, email, whatsapp, sna or auto.
        #[arg(long, default_value = "sms")]
        channel: String,
        /// A code your system generated (4 to 10 characters).
        #[arg(long)]
        custom_code: Option<String>,
        /// Message language (en, pt-BR…); leave unset to let Verify pick.
        #[arg(long)]
        locale: Option<String>,
    },
    /// Check a code: `check <TO> <CODE>` or `check --sid VE… <CODE>`.
    Check {
        /// Check the verification with this SID instead of a `To`.
        #[arg(long, value_name = "VE…")]
        sid: Option<String>,
        /// `<TO> <CODE>`, or `<CODE>` with --sid.
        #[arg(num_args = 1..=2, required = true)]
        args: Vec<String>,
    },
    /// Approve a pending verification (feedback), by `To` or VE… SID.
    Approve {
        /// Phone number, e-mail address or VE… SID.
        target: String,
    },
    /// Cancel a pending verification, by `To` or VE… SID.
    Cancel {
        /// Phone number, e-mail address or VE… SID.
        target: String,
    },
    /// Fetch a pending verification, by `To` or VE… SID.
    Fetch {
        /// Phone number, e-mail address or VE… SID.
        target: String,
    },
    /// Manage Verify Services.
    #[command(subcommand)]
    Services(ServicesCommand),
    /// The Fraud Guard safe list.
    #[command(subcommand)]
    Safelist(SafelistCommand),
    /// Verification attempts across the account.
    #[command(subcommand)]
    Attempts(AttemptsCommand),
    /// The service's programmable rate limits.
    #[command(subcommand, name = "rate-limits")]
    RateLimits(RateLimitsCommand),
}

#[derive(Subcommand)]
enum RateLimitsCommand {
    /// List the rate limits and their buckets.
    List,
    /// Create a rate limit, optionally with one bucket.
    Create {
        /// The key verifications pass values for (`end_user_ip_address`).
        name: String,
        /// What it is for.
        #[arg(long)]
        description: Option<String>,
        /// With --interval: add a bucket of this many verifications per interval.
        #[arg(long, requires = "interval")]
        max: Option<u32>,
        /// With --max: the bucket's window in seconds.
        #[arg(long, requires = "max")]
        interval: Option<u32>,
    },
    /// Delete a rate limit (RK…) and its buckets.
    Delete {
        /// The rate limit's SID.
        sid: String,
    },
}

#[derive(Subcommand)]
enum SafelistCommand {
    /// Add a number to the safe list.
    Add {
        /// Phone number (E.164).
        phone: String,
    },
    /// Whether a number is on the safe list (exit 1 when it is not).
    Get {
        /// Phone number (E.164).
        phone: String,
    },
    /// Remove a number from the safe list.
    Remove {
        /// Phone number (E.164).
        phone: String,
    },
}

#[derive(Subcommand)]
enum AttemptsCommand {
    /// List attempts, newest first.
    List {
        /// sms, call, email, whatsapp or rbm.
        #[arg(long)]
        channel: Option<String>,
        /// converted or unconverted.
        #[arg(long)]
        status: Option<String>,
        /// Destination country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: Option<String>,
        /// Destination phone number.
        #[arg(long)]
        to: Option<String>,
        /// Only attempts after this time (RFC 3339).
        #[arg(long)]
        after: Option<String>,
        /// Only attempts before this time (RFC 3339).
        #[arg(long)]
        before: Option<String>,
        /// Only attempts of the service given by --service / $TWILIO_VERIFY_SERVICE_SID.
        #[arg(long)]
        this_service: bool,
        /// The most attempts to list (default 50).
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Totals and conversion rate.
    Summary {
        /// Destination country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: Option<String>,
        /// Destination number prefix (`+57305`).
        #[arg(long)]
        prefix: Option<String>,
    },
}

#[derive(Subcommand)]
enum ServicesCommand {
    /// List services.
    List {
        /// The most services to list.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Create a service.
    Create {
        /// Its friendly name (shown in messages).
        name: String,
        /// Code length, 4 to 10.
        #[arg(long)]
        code_length: Option<u8>,
        /// Allow custom codes (needed for Auth0).
        #[arg(long)]
        custom_code_enabled: Option<bool>,
    },
    /// Fetch a service.
    Fetch {
        /// The service SID.
        sid: String,
    },
    /// Update a service.
    Update {
        /// The service SID.
        sid: String,
        /// A new friendly name.
        #[arg(long)]
        name: Option<String>,
        /// Code length, 4 to 10.
        #[arg(long)]
        code_length: Option<u8>,
        /// Allow custom codes.
        #[arg(long)]
        custom_code_enabled: Option<bool>,
        /// Carrier lookup on each verification.
        #[arg(long)]
        lookup_enabled: Option<bool>,
        /// Refuse SMS to landlines.
        #[arg(long)]
        skip_sms_to_landlines: Option<bool>,
        /// Add a "do not share" warning.
        #[arg(long)]
        do_not_share_warning_enabled: Option<bool>,
    },
    /// Delete a service.
    Delete {
        /// The service SID.
        sid: String,
    },
}

/// How a command ended.
enum Failure {
    /// Usage or invalid input: nothing was sent.
    Usage(String),
    /// Twilio refused, or a check was not approved.
    Refused(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match &e {
            Error::InvalidInput(_) | Error::Config(_) => Self::Usage(e.to_string()),
            Error::Api(api) => Self::Refused(match api.code_number() {
                Some(code) => format!("Twilio error {code}: {e}"),
                None => format!("Twilio error: {e}"),
            }),
            _ => Self::Refused(e.to_string()),
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Refused(msg)) => {
            eprintln!("verify: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("verify: {msg}");
            ExitCode::from(2)
        }
    }
}

fn service(cli: &Cli) -> Result<ServiceSid, Failure> {
    let sid = cli.service.as_deref().ok_or_else(|| {
        Failure::Usage("no service: pass --service VA… or set TWILIO_VERIFY_SERVICE_SID".into())
    })?;
    sid.parse()
        .map_err(|e| Failure::Usage(format!("--service: {e}")))
}

fn service_arg(sid: &str) -> Result<ServiceSid, Failure> {
    sid.parse().map_err(|e| Failure::Usage(format!("{e}")))
}

fn print<T: Serialize>(json: bool, value: &T, human: impl FnOnce() -> String) {
    if json {
        match serde_json::to_string_pretty(value) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("verify: could not print JSON: {e}"),
        }
    } else {
        println!("{}", human());
    }
}

fn show<T: std::fmt::Display>(v: Option<&T>) -> String {
    v.map_or_else(|| "-".to_owned(), ToString::to_string)
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let json = cli.json;
    // Validate what can be validated before touching credentials.
    let client = || Client::from_env().map_err(|e| Failure::Usage(e.to_string()));
    match &cli.command {
        Command::Send {
            to,
            channel,
            custom_code,
            locale,
        } => {
            let service = service(&cli)?;
            let channel = Channel::from(channel.as_str());
            if channel.is_unknown() {
                return Err(Failure::Usage(format!(
                    "--channel: unknown channel `{}`; use sms, call, email, whatsapp, sna or auto",
                    channel.as_str()
                )));
            }
            let mut req = CreateVerification::new(&service, to.as_str(), channel);
            if let Some(code) = custom_code {
                req = req.custom_code(code.as_str());
            }
            if let Some(locale) = locale {
                req = req.locale(locale.as_str());
            }
            req.to_wire()?;
            let v = req.send(&client()?).await?;
            print(json, &v, || {
                format!(
                    "sent {} via {} (status {})",
                    show(v.sid.as_ref()),
                    show(v.channel.as_ref()),
                    show(v.status.as_ref())
                )
            });
        }
        Command::Check { sid, args } => {
            let service = service(&cli)?;
            let (target, code) = match (sid, args.as_slice()) {
                (Some(sid), [code]) => (VerificationTarget::from(sid.as_str()), code),
                (None, [to, code]) => (VerificationTarget::from(to.as_str()), code),
                (Some(_), _) => return Err(Failure::Usage("with --sid, give only <CODE>".into())),
                (None, _) => {
                    return Err(Failure::Usage(
                        "give <TO> <CODE>, or --sid VE… <CODE>".into(),
                    ));
                }
            };
            if sid.is_some() && !target.is_sid() {
                return Err(Failure::Usage(
                    "--sid: expected a VE… verification SID".into(),
                ));
            }
            let req = CreateVerificationCheck::new(&service, target, code.as_str());
            req.to_wire()?;
            let c = req.send(&client()?).await?;
            print(json, &c, || {
                if c.is_approved() {
                    "approved".to_owned()
                } else {
                    format!("not approved (status {})", show(c.status.as_ref()))
                }
            });
            if !c.is_approved() {
                return Err(Failure::Refused(format!(
                    "code not approved (status {})",
                    show(c.status.as_ref())
                )));
            }
        }
        Command::Approve { target } | Command::Cancel { target } => {
            let service = service(&cli)?;
            let req = if matches!(cli.command, Command::Approve { .. }) {
                UpdateVerification::approve(&service, target.as_str())
            } else {
                UpdateVerification::cancel(&service, target.as_str())
            };
            req.to_wire()?;
            let v = req.send(&client()?).await?;
            print(json, &v, || {
                format!(
                    "{} is now {}",
                    show(v.sid.as_ref()),
                    show(v.status.as_ref())
                )
            });
        }
        Command::Fetch { target } => {
            let service = service(&cli)?;
            let req = FetchVerification::new(&service, target.as_str());
            req.to_wire()?;
            let v = req.send(&client()?).await?;
            print(json, &v, || {
                format!(
                    "{} {} via {} to {}",
                    show(v.sid.as_ref()),
                    show(v.status.as_ref()),
                    show(v.channel.as_ref()),
                    show(v.to.as_ref())
                )
            });
        }
        Command::Services(cmd) => services(cmd, json, client).await?,
        Command::Safelist(cmd) => safelist(cmd, json, client).await?,
        Command::Attempts(cmd) => attempts(cmd, &cli, json, client).await?,
        Command::RateLimits(cmd) => rate_limits(cmd, service(&cli)?, json, client).await?,
    }
    Ok(())
}

async fn services(
    cmd: &ServicesCommand,
    json: bool,
    client: impl Fn() -> Result<Client, Failure>,
) -> Result<(), Failure> {
    match cmd {
        ServicesCommand::List { limit } => {
            let mut req = ListServices::new();
            if let Some(n) = limit {
                req = req.limit(*n);
            }
            req.to_wire()?;
            let all = req.all(&client()?).await?;
            print(json, &all, || {
                all.iter()
                    .map(|s| {
                        format!(
                            "{}  {}",
                            show(s.sid.as_ref()),
                            show(s.friendly_name.as_ref())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ServicesCommand::Create {
            name,
            code_length,
            custom_code_enabled,
        } => {
            let mut req = CreateService::new(name.as_str());
            if let Some(n) = code_length {
                req = req.code_length(*n);
            }
            if let Some(b) = custom_code_enabled {
                req = req.custom_code_enabled(*b);
            }
            req.to_wire()?;
            let s = req.send(&client()?).await?;
            print(json, &s, || format!("created {}", show(s.sid.as_ref())));
        }
        ServicesCommand::Fetch { sid } => {
            let s = FetchService::new(service_arg(sid)?)
                .send(&client()?)
                .await?;
            print(json, &s, || {
                format!(
                    "{}  {}  code length {}  custom codes {}",
                    show(s.sid.as_ref()),
                    show(s.friendly_name.as_ref()),
                    s.code_length,
                    show(s.custom_code_enabled.as_ref())
                )
            });
        }
        ServicesCommand::Update {
            sid,
            name,
            code_length,
            custom_code_enabled,
            lookup_enabled,
            skip_sms_to_landlines,
            do_not_share_warning_enabled,
        } => {
            let mut req = UpdateService::new(service_arg(sid)?);
            if let Some(v) = name {
                req = req.friendly_name(v.as_str());
            }
            if let Some(v) = code_length {
                req = req.code_length(*v);
            }
            if let Some(v) = custom_code_enabled {
                req = req.custom_code_enabled(*v);
            }
            if let Some(v) = lookup_enabled {
                req = req.lookup_enabled(*v);
            }
            if let Some(v) = skip_sms_to_landlines {
                req = req.skip_sms_to_landlines(*v);
            }
            if let Some(v) = do_not_share_warning_enabled {
                req = req.do_not_share_warning_enabled(*v);
            }
            req.to_wire()?;
            let s = req.send(&client()?).await?;
            print(json, &s, || format!("updated {}", show(s.sid.as_ref())));
        }
        ServicesCommand::Delete { sid } => {
            DeleteService::new(service_arg(sid)?)
                .send(&client()?)
                .await?;
            print(json, &serde_json::json!({"deleted": sid}), || {
                format!("deleted {sid}")
            });
        }
    }
    Ok(())
}

async fn safelist(
    cmd: &SafelistCommand,
    json: bool,
    client: impl Fn() -> Result<Client, Failure>,
) -> Result<(), Failure> {
    match cmd {
        SafelistCommand::Add { phone } => {
            let req = CreateSafelist::new(phone.as_str());
            req.to_wire()?;
            let e = req.send(&client()?).await?;
            print(json, &e, || {
                format!(
                    "safe-listed {} ({})",
                    show(e.phone_number.as_ref()),
                    show(e.sid.as_ref())
                )
            });
        }
        SafelistCommand::Get { phone } => {
            let req = FetchSafelist::new(phone.as_str());
            req.to_wire()?;
            match req.send(&client()?).await {
                Ok(e) => print(json, &e, || {
                    format!("{} is on the safe list", show(e.phone_number.as_ref()))
                }),
                Err(e) if e.is_not_found() => {
                    return Err(Failure::Refused("not on the safe list".into()));
                }
                Err(e) => return Err(e.into()),
            }
        }
        SafelistCommand::Remove { phone } => {
            let req = DeleteSafelist::new(phone.as_str());
            req.to_wire()?;
            req.send(&client()?).await?;
            print(json, &serde_json::json!({"removed": phone}), || {
                "removed from the safe list".to_owned()
            });
        }
    }
    Ok(())
}

async fn attempts(
    cmd: &AttemptsCommand,
    cli: &Cli,
    json: bool,
    client: impl Fn() -> Result<Client, Failure>,
) -> Result<(), Failure> {
    let time = |flag: &str, v: &Option<String>| -> Result<Option<Timestamp>, Failure> {
        v.as_deref()
            .map(|t| {
                Timestamp::parse(t)
                    .ok_or_else(|| Failure::Usage(format!("--{flag}: not an RFC 3339 time")))
            })
            .transpose()
    };
    match cmd {
        AttemptsCommand::List {
            channel,
            status,
            country,
            to,
            after,
            before,
            this_service,
            limit,
        } => {
            let mut req = ListVerificationAttempts::new().limit(*limit);
            if let Some(c) = channel {
                let c = AttemptChannel::from(c.as_str());
                if c.is_unknown() {
                    return Err(Failure::Usage(
                        "--channel: use sms, call, email, whatsapp or rbm".into(),
                    ));
                }
                req = req.channel(c);
            }
            if let Some(s) = status {
                let s = ConversionStatus::from(s.as_str());
                if s.is_unknown() {
                    return Err(Failure::Usage(
                        "--status: use converted or unconverted".into(),
                    ));
                }
                req = req.status(s);
            }
            if let Some(c) = country {
                req = req.country(c.as_str());
            }
            if let Some(t) = to {
                req = req.channel_data_to(t.as_str());
            }
            if let Some(t) = time("after", after)? {
                req = req.date_created_after(t);
            }
            if let Some(t) = time("before", before)? {
                req = req.date_created_before(t);
            }
            if *this_service {
                req = req.verify_service_sid(service(cli)?);
            }
            req.to_wire()?;
            let all = req.all(&client()?).await?;
            print(json, &all, || {
                all.iter()
                    .map(|a| {
                        format!(
                            "{}  {}  {}  {}",
                            show(a.sid.as_ref()),
                            show(a.date_created.as_ref()),
                            show(a.channel.as_ref()),
                            show(a.conversion_status.as_ref())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        AttemptsCommand::Summary { country, prefix } => {
            let mut req = FetchVerificationAttemptsSummary::new();
            if let Some(c) = country {
                req = req.country(c.as_str());
            }
            if let Some(p) = prefix {
                req = req.destination_prefix(p.as_str());
            }
            req.to_wire()?;
            let s = req.send(&client()?).await?;
            print(json, &s, || {
                format!(
                    "{} attempts, {} converted, {} not ({}%)",
                    s.total_attempts,
                    s.total_converted,
                    s.total_unconverted,
                    show(s.conversion_rate_percentage.as_ref())
                )
            });
        }
    }
    Ok(())
}

async fn rate_limits(
    cmd: &RateLimitsCommand,
    service: ServiceSid,
    json: bool,
    client: impl Fn() -> Result<Client, Failure>,
) -> Result<(), Failure> {
    match cmd {
        RateLimitsCommand::List => {
            let client = client()?;
            let limits = ListRateLimits::new(&service).all(&client).await?;
            let mut rows = Vec::new();
            let mut out = Vec::new();
            for l in &limits {
                let buckets = match &l.sid {
                    Some(sid) => ListBuckets::new(&service, sid).all(&client).await?,
                    None => Vec::new(),
                };
                rows.push(format!(
                    "{}  {}  {}",
                    show(l.sid.as_ref()),
                    show(l.unique_name.as_ref()),
                    buckets
                        .iter()
                        .map(|b| format!("{}/{}s", show(b.max.as_ref()), show(b.interval.as_ref())))
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
                out.push(serde_json::json!({"rate_limit": l, "buckets": buckets}));
            }
            print(json, &out, || rows.join("\n"));
        }
        RateLimitsCommand::Create {
            name,
            description,
            max,
            interval,
        } => {
            let mut req = CreateRateLimit::new(&service, name.as_str());
            if let Some(d) = description {
                req = req.description(d.as_str());
            }
            req.to_wire()?;
            if *max == Some(0) || *interval == Some(0) {
                return Err(Failure::Usage(
                    "--max and --interval must be at least 1".into(),
                ));
            }
            let client = client()?;
            let limit = req.send(&client).await?;
            let bucket = match (max, interval, &limit.sid) {
                (Some(m), Some(i), Some(sid)) => Some(
                    CreateBucket::new(&service, sid, *m, *i)
                        .send(&client)
                        .await?,
                ),
                _ => None,
            };
            print(
                json,
                &serde_json::json!({"rate_limit": limit, "bucket": bucket}),
                || format!("created {}", show(limit.sid.as_ref())),
            );
        }
        RateLimitsCommand::Delete { sid } => {
            let sid: RateLimitSid = sid.parse().map_err(|e| Failure::Usage(format!("{e}")))?;
            DeleteRateLimit::new(&service, &sid)
                .send(&client()?)
                .await?;
            print(json, &serde_json::json!({"deleted": sid}), || {
                format!("deleted {sid}")
            });
        }
    }
    Ok(())
}

/// A list that failed part-way fails the command: a partial list is not printed as if whole.
impl<T> From<twilio_verify::PartialList<T>> for Failure {
    fn from(p: twilio_verify::PartialList<T>) -> Self {
        Self::from(Error::from(p))
    }
}

impl From<twilio_verify::InvalidInput> for Failure {
    fn from(e: twilio_verify::InvalidInput) -> Self {
        Self::Usage(e.to_string())
    }
}
