// Tests for the two Actions, with a local HTTP server standing in for the bridge.
// Run: node --test examples/auth0/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const sendPhoneMessage = require('./send-phone-message.js');
const customPhoneProvider = require('./custom-phone-provider.js');

function bridge(status, reply) {
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body) });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ seen, url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }),
    ),
  );
}

const secrets = (url) => ({ BRIDGE_URL: url, BRIDGE_ACTION_SECRET: 's3cret', TWILIO_AUTH_TOKEN: 'never-forward' });

test('send-phone-message forwards the event without secrets', async () => {
  const b = await bridge(200, { sid: 'VE1', status: 'pending' });
  const event = { message_options: { code: '123456', recipient: '+1 415 555 0134' }, secrets: secrets(b.url) };
  await sendPhoneMessage.onExecuteSendPhoneMessage(event, {});
  b.close();
  assert.equal(b.seen.length, 1);
  assert.equal(b.seen[0].url, '/auth0/send-phone-message');
  assert.equal(b.seen[0].auth, 'Bearer s3cret');
  assert.equal(b.seen[0].body.secrets, undefined);
  assert.equal(b.seen[0].body.message_options.code, '123456');
});

test('send-phone-message fails the Action when the bridge refuses', async () => {
  const b = await bridge(502, { code: 60203 });
  const event = { message_options: {}, secrets: secrets(b.url) };
  await assert.rejects(sendPhoneMessage.onExecuteSendPhoneMessage(event, {}), /HTTP 502 \(Twilio 60203\)/);
  b.close();
});

function recorder() {
  const calls = [];
  return {
    calls,
    api: {
      notification: {
        drop: (r) => calls.push(['drop', r]),
        retry: (r) => calls.push(['retry', r]),
      },
    },
  };
}

const otp = (url) => ({
  notification: { code: '551209', message_type: 'otp_verify' },
  secrets: secrets(url),
});

const notification = (url, message_type, delivery_method) => ({
  notification: {
    message_type,
    delivery_method,
    recipient: '+44 7700 900123',
    as_text: `text of ${message_type}`,
    as_voice: `voice of ${message_type}`,
    ...(message_type.startsWith('otp_') ? { code: '551209' } : {}),
  },
  secrets: secrets(url),
});

for (const type of ['otp_verify', 'otp_enroll', 'blocked_account', 'change_password', 'password_breach']) {
  for (const method of ['text', 'voice']) {
    test(`custom-phone-provider forwards ${type} by ${method}, without secrets`, async () => {
      const { calls, api } = recorder();
      const sid = type.startsWith('otp_') ? 'VE1' : method === 'voice' ? 'CA1' : 'SM1';
      const ok = await bridge(200, { sid, status: 'queued', repeat: false });
      await customPhoneProvider.onExecuteCustomPhoneProvider(notification(ok.url, type, method), api);
      ok.close();
      assert.equal(ok.seen.length, 1);
      assert.equal(ok.seen[0].url, '/auth0/send-phone-message');
      assert.equal(ok.seen[0].auth, 'Bearer s3cret');
      assert.equal(ok.seen[0].body.secrets, undefined);
      assert.equal(ok.seen[0].body.notification.message_type, type);
      assert.equal(ok.seen[0].body.notification.delivery_method, method);
      assert.deepEqual(calls, [], 'delivered: neither dropped nor retried');
    });
  }
}

test('custom-phone-provider drops a notice the bridge has no sender for, naming the settings', async () => {
  const { calls, api } = recorder();
  const error =
    "no sender for a text message: set BRIDGE_MESSAGING_SERVICE_SID or BRIDGE_FROM_NUMBER, or a From number in Auth0's phone provider";
  const b = await bridge(422, { error, retry: false });
  await customPhoneProvider.onExecuteCustomPhoneProvider(notification(b.url, 'password_breach', 'text'), api);
  b.close();
  assert.equal(calls.length, 1);
  assert.equal(calls[0][0], 'drop');
  assert.match(calls[0][1], /HTTP 422 .*BRIDGE_FROM_NUMBER/);
  assert.ok(!calls[0][1].includes('7700900123'));
});

test('custom-phone-provider asks Auth0 to retry on a 5xx unless the bridge says it cannot help', async () => {
  const cases = [
    [503, { error: 'state store: Redis is unreachable', retry: true }],
    [502, { error: 'Twilio Verify refused the request', code: 20003, retry: true }],
    // A proxy in front of the bridge: no `retry` field at all.
    [502, { message: 'Bad Gateway' }],
    [504, {}],
  ];
  for (const [status, reply] of cases) {
    const { calls, api } = recorder();
    const down = await bridge(status, reply);
    await customPhoneProvider.onExecuteCustomPhoneProvider(otp(down.url), api);
    down.close();
    assert.deepEqual(calls.map((c) => c[0]), ['retry'], `HTTP ${status} ${JSON.stringify(reply)}`);
    assert.match(calls[0][1], new RegExp(`HTTP ${status}`));
  }
});

test('custom-phone-provider asks Auth0 to retry when the bridge does not answer', async () => {
  const { calls, api } = recorder();
  // Nothing listens on port 9 of loopback: the request fails without an answer.
  await customPhoneProvider.onExecuteCustomPhoneProvider(otp('http://127.0.0.1:9'), api);
  assert.deepEqual(calls.map((c) => c[0]), ['retry']);
});

test('a send-guard refusal names its rule in Auth0, never the number', async () => {
  const refusals = [
    [403, { error: 'codes are not sent to this country', rule: 'country', retry: false }, /rule country/],
    [429, { error: 'too many codes sent to this number range', rule: 'prefix_limit', retry: false, retry_after: 3600 }, /rule prefix_limit/],
    [403, { error: 'Twilio Verify refused to deliver to this number', outcome: 'fraud_guard', code: 60410, retry: false }, /fraud_guard, Twilio 60410/],
  ];
  for (const [status, reply, reason] of refusals) {
    const { calls, api } = recorder();
    const b = await bridge(status, reply);
    await customPhoneProvider.onExecuteCustomPhoneProvider(otp(b.url), api);
    await assert.rejects(
      sendPhoneMessage.onExecuteSendPhoneMessage(
        { message_options: { code: '1', recipient: '+15017122661' }, secrets: secrets(b.url) },
        {},
      ),
      (err) => reason.test(err.message) && !err.message.includes('5017122661'),
    );
    b.close();
    assert.deepEqual(calls.map((c) => c[0]), ['drop'], `HTTP ${status}`);
    assert.match(calls[0][1], reason);
    assert.ok(!calls[0][1].includes('5017122661'));
  }
});

test('custom-phone-provider drops what a retry cannot fix, and an unknown outcome', async () => {
  const cases = [
    [502, { code: 60203, retry: false }, /Twilio 60203/],
    [502, { error: 'Twilio Verify refused the request', code: null, outcome: 'unknown', retry: false }, /HTTP 502/],
    [504, { error: 'an earlier delivery of this code may have gone out', outcome: 'unknown', retry: false }, /HTTP 504/],
    [400, { error: 'bad', retry: false }, /HTTP 400/],
    [401, { error: 'unauthorized' }, /HTTP 401/],
  ];
  for (const [status, reply, reason] of cases) {
    const { calls, api } = recorder();
    const b = await bridge(status, reply);
    await customPhoneProvider.onExecuteCustomPhoneProvider(otp(b.url), api);
    b.close();
    assert.deepEqual(calls.map((c) => c[0]), ['drop'], `HTTP ${status}`);
    assert.match(calls[0][1], reason);
  }
});
