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

test('custom-phone-provider forwards codes, drops the rest, never asks for a retry', async () => {
  const calls = [];
  const api = {
    notification: {
      drop: (r) => calls.push(['drop', r]),
      retry: (r) => calls.push(['retry', r]),
    },
  };
  const ok = await bridge(200, { sid: 'VE1' });
  await customPhoneProvider.onExecuteCustomPhoneProvider(
    { notification: { code: '551209', message_type: 'otp_verify' }, secrets: secrets(ok.url) },
    api,
  );
  ok.close();
  assert.equal(ok.seen.length, 1);
  assert.equal(ok.seen[0].body.secrets, undefined);

  await customPhoneProvider.onExecuteCustomPhoneProvider(
    { notification: { message_type: 'password_breach' }, secrets: secrets('http://127.0.0.1:9') },
    api,
  );
  assert.equal(calls[0][0], 'drop');

  // A 502 (Twilio refused, perhaps 60203) or 504 (may have sent) fails the Action: no retry.
  for (const status of [502, 504]) {
    const down = await bridge(status, { code: 60203 });
    await assert.rejects(
      customPhoneProvider.onExecuteCustomPhoneProvider(
        { notification: { code: '1', message_type: 'otp_verify' }, secrets: secrets(down.url) },
        api,
      ),
      new RegExp(`HTTP ${status}`),
    );
    down.close();
  }
  assert.equal(calls.length, 1, 'only the drop of the no-code notification');

  const refused = await bridge(400, { error: 'bad' });
  await assert.rejects(
    customPhoneProvider.onExecuteCustomPhoneProvider(
      { notification: { code: '1', message_type: 'otp_verify' }, secrets: secrets(refused.url) },
      api,
    ),
    /HTTP 400/,
  );
  refused.close();
});
