/**
 * Auth0 Action, trigger "Send Phone Message" (send-phone-message).
 *
 * Forwards the event (without its secrets) to the twilio-verify bridge, which delivers
 * Auth0's code through Twilio Verify as a custom code. If the bridge refuses, the Action
 * fails, so Auth0 reports an error instead of silently sending nothing. A refusal by the
 * bridge's send guard names its rule (`rule country`, `rule prefix_limit`…) in that error,
 * and one by Verify names its outcome (`fraud_guard`, `geo_permission`, `landline`), so the
 * reason shows in Auth0's logs; neither ever names the number.
 *
 * Action secrets:
 *   BRIDGE_URL            e.g. https://bridge.example.com   (no trailing slash)
 *   BRIDGE_ACTION_SECRET  the same value as the bridge's BRIDGE_ACTION_SECRET
 *
 * Node 18+ runtime (global fetch). No npm dependencies.
 */
exports.onExecuteSendPhoneMessage = async (event, api) => {
  const { secrets, ...forwarded } = event; // never send the Action's secrets anywhere
  const controller = new AbortController();
  // The bridge answers within about 10 s (its Verify timeout); wait a little longer, so the Action
  // never gives up on a request that is still delivering the code.
  const timer = setTimeout(() => controller.abort(), 15000);
  let response;
  try {
    response = await fetch(`${secrets.BRIDGE_URL}/auth0/send-phone-message`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${secrets.BRIDGE_ACTION_SECRET}`,
      },
      body: JSON.stringify(forwarded),
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    let detail = '';
    try {
      const body = await response.json();
      detail = body.rule
        ? ` (rule ${body.rule})`
        : body.outcome
          ? ` (${body.outcome}${body.code ? `, Twilio ${body.code}` : ''})`
          : body.code
            ? ` (Twilio ${body.code})`
            : body.error
              ? ` (${body.error})`
              : '';
    } catch (_) {
      // not JSON; the status says enough
    }
    throw new Error(`twilio-verify bridge refused the message: HTTP ${response.status}${detail}`);
  }
};
