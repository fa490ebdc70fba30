/** The ports of the e2e run's message sinks, beside the app's own (E2E_PORT). */
export function sinkPorts(appPort: number) {
  return { smtp: appPort + 10, sms: appPort + 11, inbox: appPort + 12 };
}

/** The SMS endpoint checks every request's signature against this secret, the app signs with it. */
export const SMS_SECRET = "e2e-sms-access-key-secret";
