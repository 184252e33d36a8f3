/**
 * Auth0 Action, trigger "Custom Phone Provider" (custom-phone-provider).
 *
 * Forwards every notification (without the Action's secrets) to the twilio-verify bridge, which
 * delivers all five message types: one-time codes (otp_verify, otp_enroll) as Twilio Verify
 * verifications with a custom code, and notices with no code (blocked_account,
 * change_password, password_breach) as a text message with Auth0's `as_text`, or a call that
 * reads `as_voice` when `delivery_method` is `voice`. A notice needs a sender: the bridge's
 * BRIDGE_MESSAGING_SERVICE_SID or BRIDGE_FROM_NUMBER (BRIDGE_VOICE_FROM_NUMBER for calls), or
 * the From number set in Auth0's phone provider, which comes with each event; without one the
 * bridge answers 422 and the notification is dropped with that reason.
 *
 * Retries. On a timeout, or on a 5xx (from the bridge, or from a proxy in front of it), this
 * asks Auth0 to retry (api.notification.retry), unless the bridge itself says a retry cannot
 * help (`"retry": false`: Twilio refused the number or the code for good, or the first attempt's
 * outcome is unknown). Retrying is safe because the bridge is idempotent: a repeat of the same
 * event (same number, code or text, and channel, within the code lifetime), on any replica, is
 * answered with the first delivery and reaches Twilio not at all, and a repeat that arrives while
 * the first is still sending waits for it. When the bridge cannot know whether the first
 * attempt texted the user (Twilio timed out), it keeps that code as `"outcome": "unknown"` and
 * never sends it again, so no retry can text the user twice. A 4xx is dropped with its reason:
 * a refusal by the bridge's send guard (403, or 429 for a rate limit) is dropped with its rule
 * (`api.notification.drop("… (rule prefix_limit)")`), so Auth0's logs show why.
 *
 * Action secrets:
 *   BRIDGE_URL            e.g. https://bridge.example.com   (no trailing slash)
 *   BRIDGE_ACTION_SECRET  the same value as the bridge's BRIDGE_ACTION_SECRET
 */
exports.onExecuteCustomPhoneProvider = async (event, api) => {
  const { secrets, ...forwarded } = event; // never send the Action's secrets anywhere
  let response;
  try {
    // The bridge answers within about 10 s (its Verify timeout); wait a little longer.
    response = await fetch(`${secrets.BRIDGE_URL}/auth0/send-phone-message`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${secrets.BRIDGE_ACTION_SECRET}`,
      },
      body: JSON.stringify(forwarded),
      signal: AbortSignal.timeout(15000),
    });
  } catch (err) {
    // No answer: the bridge may still be sending. A retry gets the same verification back.
    api.notification.retry(`twilio-verify bridge did not answer: ${err.name}`);
    return;
  }
  if (response.ok) {
    return;
  }
  let body = {};
  try {
    body = await response.json();
  } catch (_) {
    // not JSON; the status says enough
  }
  const detail = body.rule
    ? ` (rule ${body.rule})`
    : body.outcome
      ? ` (${body.outcome}${body.code ? `, Twilio ${body.code}` : ''})`
      : body.code
        ? ` (Twilio ${body.code})`
        : body.error
          ? ` (${body.error})`
          : '';
  const reason = `twilio-verify bridge refused the notification: HTTP ${response.status}${detail}`;
  if (response.status >= 500 && body.retry !== false) {
    api.notification.retry(reason);
  } else {
    api.notification.drop(reason);
  }
};
