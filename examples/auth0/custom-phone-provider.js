/**
 * Auth0 Action, trigger "Custom Phone Provider" (custom-phone-provider).
 *
 * Forwards the event (without its secrets) to the twilio-verify bridge. One-time codes
 * (otp_verify, otp_enroll) become Twilio Verify verifications with a custom code. The bridge
 * refuses notifications that carry no code (blocked_account, change_password,
 * password_breach): deliver those another way; here they are dropped with a reason, so
 * Auth0 logs the failure instead of sending nothing silently.
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
  let response;
  try {
    response = await fetch(`${secrets.BRIDGE_URL}/auth0/send-phone-message`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${secrets.BRIDGE_ACTION_SECRET}`,
      },
      body: JSON.stringify(forwarded),
      signal: AbortSignal.timeout(10000),
    });
  } catch (err) {
    // Network trouble: Auth0 retries the notification up to five times.
    api.notification.retry(`twilio-verify bridge unreachable: ${err.message}`);
    return;
  }
  if (response.status >= 500) {
    api.notification.retry(`twilio-verify bridge answered HTTP ${response.status}`);
    return;
  }
  if (!response.ok) {
    throw new Error(`twilio-verify bridge refused the notification: HTTP ${response.status}`);
  }
};
