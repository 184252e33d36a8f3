// Node baseline for the request-overhead bench: the official SDK (npm `twilio`, pinned by
// scripts/bench) calling verifications.create or verificationChecks.create against the bench's
// loopback server. The SDK's own RequestClient (axios, keep-alive) does the HTTP; only the host of
// each URL is rewritten, since the SDK has no base-URL option. Prints one JSON object.
//
//   node overhead.js BASE_URL create|check CONCURRENCY SECONDS
'use strict';
const http = require('http');
const twilio = require('twilio');

const [base, op, concurrencyArg, secondsArg] = process.argv.slice(2);
const BASE = new URL(base);
const concurrency = Number(concurrencyArg);
const budgetMs = Number(secondsArg) * 1000;

class LoopbackRequestClient extends twilio.RequestClient {
  constructor(opts) {
    super(opts);
    // The SDK configures keep-alive on its https agent only; give http the same settings.
    this.axios.defaults.httpAgent = new http.Agent({
      keepAlive: true, timeout: 30000, maxSockets: 20, maxTotalSockets: 100, maxFreeSockets: 5,
    });
  }

  request(opts) {
    const u = new URL(opts.uri);
    u.protocol = BASE.protocol;
    u.host = BASE.host;
    return super.request({ ...opts, uri: u.href });
  }
}

const client = twilio('ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bench-token', {
  httpClient: new LoopbackRequestClient(),
});
const service = client.verify.v2.services('VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
const call = op === 'create'
  ? () => service.verifications.create({ to: '+15017122661', channel: 'sms' })
  : () => service.verificationChecks.create({ to: '+15017122661', code: '123456' });

async function main() {
  for (let i = 0; i < Math.max(concurrency, 8); i += 1) await call(); // warm the pool
  const latencies = [];
  let stop = false;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (!stop) {
      const t = process.hrtime.bigint();
      const r = await call();
      if (!r.sid) throw new Error('no sid in the answer');
      latencies.push(Number(process.hrtime.bigint() - t) / 1e3);
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  setTimeout(() => { stop = true; }, budgetMs);
  await Promise.all(workers);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  console.log(JSON.stringify({
    rps: latencies.length / elapsed, p50_us: pct(0.5), p99_us: pct(0.99), requests: latencies.length,
  }));
}

main().catch((e) => { console.error(e); process.exit(1); });
