// Node baseline for the log-stream ingest bench: JSON.parse of a Custom Webhook body (JSON Lines
// or a JSON array), then the feedback extraction the Rust baseline does by hand. Prints one JSON
// object: MB/s, records/s, runs, targets.
//
//   node ingest.js BODY_FILE lines|array SECONDS
'use strict';
const fs = require('fs');

const [file, format, seconds] = process.argv.slice(2);
const raw = fs.readFileSync(file); // the body as it arrives: bytes
const budgetMs = Number(seconds) * 1000;

function extract(buf) {
  const text = buf.toString('utf8');
  const records = format === 'array'
    ? JSON.parse(text)
    : text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
  const out = [];
  for (const r of records) {
    const data = r.data || {};
    if (data.type !== 'gd_auth_succeed') continue;
    const details = data.details || {};
    const auth = details.authenticator || {};
    if (auth.type !== 'sms' && auth.type !== 'voice') continue;
    const phone = auth.phone_number || (details.enrollment || {}).phone_number;
    if (typeof r.log_id === 'string' && typeof phone === 'string') {
      out.push([r.log_id, phone.replace(/[^+0-9]/g, '')]);
    }
  }
  return [out.length, records.length];
}

const [targets, count] = extract(raw); // warm-up, and the check that the work is real
const started = process.hrtime.bigint();
let runs = 0;
for (;;) {
  extract(raw);
  runs += 1;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (elapsed >= budgetMs && runs >= 3) break;
}
const perRun = Number(process.hrtime.bigint() - started) / 1e9 / runs;
console.log(JSON.stringify({
  mb_per_s: raw.length / perRun / 1e6,
  records_per_s: count / perRun,
  runs,
  targets,
}));
