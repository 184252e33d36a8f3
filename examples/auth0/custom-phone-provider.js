/**
 * Auth0 Action, trigger "Custom Phone Provider" (custom-phone-provider).
 *
 * Forwards the event (without its secrets) to the twilio-verify bridge. One-time codes
 * (otp_verify, otp_enroll) become Twilio Verify verifications with a custom code. The bridge
 * refuses notifications that carry no code (blocked_account, change_password,
 * password_breach): deliver those another way; here they are dropped with a reason, so
 * Auth0 logs the failure instead of sending nothing silently.
 *
 * It never asks Auth0 to retry: a timeout or a 5xx can mean the code already went out, and a
 * second verification would text the user twice (and may hit Verify's 60203 or 60212).
 *
 * Action secrets:
 *   BRIDGE_URL            e.g. https://bridge.example.com   (no trailing slash)
 *   BRIDGE_ACTION_SECRET  the same value as the bridge's BRIDGE_ACTION_SECRET
 */
exports.onExecuteCustomPhoneProvider = async (event, api) => {
  const { secrets, ...forwarded } = event; // never send the Action's secrets anywhere
  if (!event.notification.code) {
    api.notification.drop(
      `no code in a ${event.notification.message_type} notification: not a Verify verification`,
    );
    return;
  }
  // The bridge answers within about 10 s (its Verify timeout); wait a little longer.
  const response = await fetch(`${secrets.BRIDGE_URL}/auth0/send-phone-message`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${secrets.BRIDGE_ACTION_SECRET}`,
    },
    body: JSON.stringify(forwarded),
    signal: AbortSignal.timeout(15000),
  });
  if (!response.ok) {
    let detail = '';
    try {
      const body = await response.json();
      detail = body.code ? ` (Twilio ${body.code})` : body.error ? ` (${body.error})` : '';
    } catch (_) {
      // not JSON; the status says enough
    }
    throw new Error(`twilio-verify bridge refused the notification: HTTP ${response.status}${detail}`);
  }
};
